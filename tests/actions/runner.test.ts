import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { createActionRunner, type ActionEvent, type ActionResult } from "../../src/actions/runner";
import { createFakeScheduler, flushPromises } from "../helpers/fake-scheduler";
import { createFakeApi, guest, tr, upid } from "./helpers";

function setup(options: { waitTimeoutMs?: number } = {}) {
  const scheduler = createFakeScheduler(1_000_000);
  const api = createFakeApi(scheduler.now);
  const ended: ActionResult[] = [];
  const events: ActionEvent[] = [];
  const runner = createActionRunner({
    client: api,
    scheduler,
    tr,
    onTaskEnd: (r) => ended.push(r),
    waitTimeoutMs: options.waitTimeoutMs,
  });
  runner.subscribe((e) => events.push(e));
  return { scheduler, api, runner, ended, events };
}

const running = { status: "running", upid: "x" };
const stopped = (exitstatus: string) => ({ status: "stopped", exitstatus });

describe("action runner", () => {
  it("sends one POST, polls after 1 s, and settles ok on OK", async () => {
    const { scheduler, api, runner, ended } = setup();
    const done = runner.run(guest(), "shutdown", { timeoutSeconds: 60 });
    expect(api.calls.map((c) => [c.method, c.path, c.params])).toEqual([
      ["POST", "/nodes/pve1/qemu/100/status/shutdown", { timeout: "60" }],
    ]);
    expect(runner.progress(100)?.phase).toBe("sending");
    api.ok(upid());
    await flushPromises();
    expect(runner.progress(100)?.phase).toBe("task");
    expect(api.calls.length).toBe(1);
    scheduler.advance(999);
    expect(api.calls.length).toBe(1);
    scheduler.advance(1);
    expect(api.last().path).toBe("/nodes/pve1/tasks/" + encodeURIComponent(upid()) + "/status");
    api.ok(running);
    await flushPromises();
    scheduler.advance(1000);
    api.ok(stopped("OK"));
    const result = await done;
    expect(result).toMatchObject({
      outcome: "ok",
      success: true,
      exitstatus: "OK",
      upid: upid(),
      message: "web-01 shut down.",
    });
    expect(ended).toEqual([result]);
    expect(runner.progress(100)).toBeNull();
    expect(api.calls.filter((c) => c.method === "POST").length).toBe(1);
  });

  it("counts WARNINGS: n as success", async () => {
    const { scheduler, api, runner } = setup();
    const done = runner.run(guest(), "reboot");
    api.ok(upid("qmreboot"));
    await flushPromises();
    scheduler.advance(1000);
    api.ok(stopped("WARNINGS: 2"));
    const r = await done;
    expect(r.outcome).toBe("warnings");
    expect(r.success).toBe(true);
    expect(r.exitstatus).toBe("WARNINGS: 2");
    expect(r.message).toContain("2 warning");
  });

  it("reports PVE's exit text, cleaned, when the task failed", async () => {
    const { scheduler, api, runner, ended } = setup();
    const done = runner.run(guest(), "stop");
    api.ok(upid("qmstop"));
    await flushPromises();
    scheduler.advance(1000);
    api.ok(stopped("VM quit/powerdown failed\n token SECRET-1234-abcd"));
    const r = await done;
    expect(r.outcome).toBe("failed");
    expect(r.exitstatus).toBe("VM quit/powerdown failed token [redacted]");
    expect(r.message).toContain("VM quit/powerdown failed");
    expect(r.message).not.toContain("SECRET");
    expect(ended.length).toBe(1);
  });

  it("names privilege and path from a 403", async () => {
    const { api, runner } = setup();
    const done = runner.run(guest({ status: "stopped" }), "start");
    api.fail({
      kind: "permission",
      message: "x",
      status: 403,
      aclPath: "/vms/100",
      privilege: "VM.PowerMgmt",
    });
    const r = await done;
    expect(r.outcome).toBe("failed");
    expect(r.message).toBe(
      "Start of web-01 was refused: the token lacks VM.PowerMgmt on /vms/100.",
    );
    expect(r.error?.privilege).toBe("VM.PowerMgmt");
  });

  it("refuses before sending: rules, missing privilege, a second action for the same guest", async () => {
    const { api, runner } = setup();
    const refused = await runner.run(guest({ lock: "backup" }), "shutdown");
    expect(refused.outcome).toBe("refused");
    expect(refused.message).toContain("backup");
    const denied = await runner.run(guest(), "shutdown", {
      permissions: { "/": { "VM.Audit": 1 } },
    });
    expect(denied).toMatchObject({
      outcome: "refused",
      missing: { privilege: "VM.PowerMgmt", path: "/vms/100" },
    });
    expect(api.calls.length).toBe(0);
    void runner.run(guest(), "shutdown");
    const second = await runner.run(guest(), "reboot");
    expect(second.outcome).toBe("refused");
    expect(api.calls.length).toBe(1);
  });

  it("settles queued right after the POST without follow", async () => {
    const { scheduler, api, runner, ended } = setup();
    const done = runner.run(guest(), "shutdown", { follow: false });
    api.ok(upid());
    const r = await done;
    expect(r.outcome).toBe("queued");
    expect(r.upid).toBe(upid());
    scheduler.advance(60_000);
    expect(api.calls.length).toBe(1);
    expect(ended).toEqual([]);
  });

  it("follows an HA-managed guest's state after the HA task ended at once", async () => {
    const { scheduler, api, runner, ended } = setup();
    const done = runner.run(guest({ hastate: "started", status: "stopped" }), "start");
    api.ok(upid("hastart"));
    await flushPromises();
    scheduler.advance(1000);
    api.ok(stopped("OK"));
    await flushPromises();
    expect(runner.progress(100)?.phase).toBe("ha");
    expect(ended).toEqual([]);
    scheduler.advance(1000);
    expect(api.last().path).toBe("/cluster/resources?type=vm");
    api.ok([{ id: "qemu/100", vmid: 100, type: "qemu", status: "stopped" }]);
    await flushPromises();
    scheduler.advance(1000);
    api.ok([{ id: "qemu/100", vmid: 100, type: "qemu", status: "running" }]);
    const r = await done;
    expect(r.outcome).toBe("ok");
    expect(r.message).toContain("HA manager");
    expect(ended.length).toBe(1);
  });

  it("gives up on HA after the deadline with outcome timeout", async () => {
    const { scheduler, api, runner } = setup({ waitTimeoutMs: 10_000 });
    const done = runner.run(guest({ hastate: "started" }), "shutdown");
    api.ok(upid("hastop"));
    await flushPromises();
    let settled: ActionResult | null = null;
    void done.then((r) => (settled = r));
    for (let i = 0; i < 30 && !settled; i++) {
      scheduler.runNext();
      const last = api.last();
      if (last.open)
        last.answer({ ok: true, value: last.path.indexOf("/tasks/") >= 0 ? stopped("OK") : [] });
      await flushPromises();
    }
    const r = await done;
    expect(r.outcome).toBe("timeout");
    expect(r.message).toContain("did not reach stopped within 10 s");
    expect(scheduler.now() - 1_000_000).toBeLessThanOrEqual(10_000);
  });

  it("keeps polling through transient errors, and stops on a 400", async () => {
    const { scheduler, api, runner } = setup();
    const done = runner.run(guest(), "shutdown");
    api.ok(upid());
    await flushPromises();
    scheduler.advance(1000);
    api.fail({ kind: "node-unreachable", message: "595", status: 595 });
    await flushPromises();
    scheduler.advance(1000);
    expect(api.calls.length).toBe(3);
    api.fail({ kind: "server", message: "no such task", status: 400 });
    const r = await done;
    expect(r.outcome).toBe("failed");
    expect(r.message).toContain("no such task");
  });

  it("ignores late answers after cancel and dispose", async () => {
    const { scheduler, api, runner, events } = setup();
    const done = runner.run(guest(), "shutdown");
    api.ok(upid());
    await flushPromises();
    scheduler.advance(1000);
    const poll = api.last();
    runner.cancel(100);
    const r = await done;
    expect(r.outcome).toBe("queued");
    expect(poll.aborted).toBe(true);
    poll.answer({ ok: true, value: stopped("OK") });
    await flushPromises();
    scheduler.advance(60_000);
    expect(api.calls.length).toBe(2);
    expect(events.filter((e) => e.kind === "settled").length).toBe(1);
    // A new action for the guest is not disturbed by the old one's answers.
    const again = runner.run(guest(), "reboot");
    runner.dispose();
    expect((await again).outcome).toBe("queued");
    expect(scheduler.pending()).toBe(0);
  });

  it("property: never more than one poll in flight, never back to back, at most one POST", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom("running", "error", "late"), { maxLength: 25 }),
        fc.constantFrom("OK", "WARNINGS: 1", "boom"),
        fc.boolean(),
        async (steps, exit, ha) => {
          const { scheduler, api, runner } = setup({ waitTimeoutMs: 120_000 });
          let result: ActionResult | null = null;
          void runner
            .run(guest({ hastate: ha ? "started" : null }), "shutdown")
            .then((r) => (result = r));
          api.ok(upid(ha ? "hastop" : "qmshutdown"));
          await flushPromises();
          let lastAnswer = scheduler.now();
          for (const step of (steps as string[]).concat(["done", "resources"])) {
            if (result) break;
            if (!scheduler.runNext()) break;
            const call = api.last();
            if (!call.open) continue;
            // Never back to back: at least 1 s between an answer and the next request.
            expect(call.at - lastAnswer).toBeGreaterThanOrEqual(1000);
            expect(api.inFlight()).toBe(1);
            if (step === "late") scheduler.advance(5000);
            const value =
              call.path.indexOf("/cluster/resources") === 0
                ? [{ vmid: 100, type: "qemu", status: "stopped" }]
                : step === "done" || step === "resources"
                  ? stopped(exit)
                  : running;
            if (step === "error")
              call.answer({ ok: false, error: { kind: "timeout", message: "t" } });
            else call.answer({ ok: true, value });
            lastAnswer = scheduler.now();
            await flushPromises();
          }
          expect(api.maxInFlight).toBe(1);
          expect(api.calls.filter((c) => c.method === "POST").length).toBe(1);
          if (result !== null) {
            const r = result as ActionResult;
            if (r.outcome === "ok" || r.outcome === "warnings") expect(exit).not.toBe("boom");
            if (exit === "WARNINGS: 1" && r.outcome !== "timeout" && r.outcome !== "queued")
              expect(r.success).toBe(true);
          }
          runner.dispose();
        },
      ),
      { numRuns: 60 },
    );
  });
});
