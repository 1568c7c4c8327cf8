// The terminal confirmation of stop and reset, with a fake terminal on
// stdin, against the simulator: "n" sends nothing, "y" sends one POST.

import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createIo, type CliIo, type InputStream } from "../../src/cli/io";
import { powerCommand } from "../../src/cli/power";
import { DEMO_SCENARIO } from "../../src/demo/demo-scenario";
import { startSimulator, type SimulatorHandle } from "../../src/sim-server/server";

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ scenario: DEMO_SCENARIO });
});
afterAll(async () => {
  await sim?.stop();
});

function terminal(answer: string) {
  const stdin = new PassThrough() as PassThrough & InputStream;
  stdin.isTTY = true;
  let out = "";
  let err = "";
  const io: CliIo = createIo({
    out: (t) => void (out += t),
    err: (t) => {
      err += t;
      if (t.indexOf("[y/N]") >= 0) stdin.write(answer + "\n");
    },
    env: { PROXMON_TOKEN_SECRET: DEMO_SCENARIO.token?.secret ?? "" },
    stdin,
    stderrIsTTY: true,
  });
  return { io, output: () => ({ out, err }) };
}

function args(vmid: number): string[] {
  return [
    String(vmid),
    "--host",
    "127.0.0.1",
    "--port",
    String(sim.port),
    "--token-id",
    sim.tokenId ?? "",
    "--ca",
    sim.caFile,
    "--json",
  ];
}

function running(): number {
  const g = sim.cluster?.guests.filter(
    (x) => x.type === "qemu" && x.status === "running" && !x.hastate && !x.lock,
  )[0];
  if (!g) throw new Error("no running VM in the demo");
  return g.vmid;
}

describe("stop/reset on a terminal", () => {
  it("asks, and 'n' sends nothing (exit 2, refused)", async () => {
    sim.resetStats();
    const t = terminal("n");
    const vmid = running();
    const code = await powerCommand("reset")(args(vmid), t.io);
    expect(code).toBe(2);
    expect(t.output().err).toContain("[y/N]");
    expect(JSON.parse(t.output().out)).toMatchObject({ outcome: "refused", upid: null });
    expect(Object.keys(sim.stats.byRequest).filter((k) => k.indexOf("POST") === 0)).toEqual([]);
  });

  it("'y' sends exactly one POST", async () => {
    sim.resetStats();
    const t = terminal("y");
    const vmid = running();
    const code = await powerCommand("stop")(args(vmid), t.io);
    expect(code).toBe(0);
    expect(JSON.parse(t.output().out)).toMatchObject({ vmid, action: "stop", outcome: "queued" });
    const posts = Object.keys(sim.stats.byRequest).filter((k) => k.indexOf("POST") === 0);
    expect(posts).toHaveLength(1);
    expect(sim.stats.byRequest[posts[0] as string]).toBe(1);
  });
});
