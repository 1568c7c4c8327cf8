import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  classifyExitStatus,
  decodeTaskStatus,
  isHaTask,
  parseUpid,
  powerRequest,
  taskStatusPath,
} from "../../src/actions/request";
import { decodePermissions, guestPermission } from "../../src/actions/permissions";
import { tr, upid } from "./helpers";

describe("power request", () => {
  it("builds PVE's path and only the parameters the action has", () => {
    const g = { vmid: 100, type: "qemu" as const, node: "pve1" };
    expect(powerRequest(g, "start")).toEqual({
      path: "/nodes/pve1/qemu/100/status/start",
      params: {},
    });
    expect(powerRequest(g, "shutdown", { timeoutSeconds: 120.7, forceStop: true })).toEqual({
      path: "/nodes/pve1/qemu/100/status/shutdown",
      params: { timeout: "120", forceStop: "1" },
    });
    expect(powerRequest(g, "stop", { timeoutSeconds: 5, forceStop: true }).params).toEqual({});
    expect(powerRequest({ ...g, type: "lxc" }, "reboot", { timeoutSeconds: 30 })).toEqual({
      path: "/nodes/pve1/lxc/100/status/reboot",
      params: { timeout: "30" },
    });
  });
});

describe("UPID", () => {
  it("parses PVE's format, 9-digit pstart and token users included", () => {
    const u = parseUpid(upid("hastart"));
    expect(u).toMatchObject({
      node: "pve1",
      pid: 0x1e240,
      pstart: 0x1000007a7,
      type: "hastart",
      id: "100",
      user: "ops@pve!power",
    });
    expect(u && isHaTask(u)).toBe(true);
    expect(parseUpid("UPID:pve1:0001E240:000007A7:6955B909:vzdump::root@pam:")?.id).toBe("");
    expect(taskStatusPath(u!)).toBe(
      "/nodes/pve1/tasks/" + encodeURIComponent(upid("hastart")) + "/status",
    );
  });

  it("refuses anything else", () => {
    for (const bad of [
      "",
      null,
      42,
      "UPID:pve1:0001E240:1000007A7:6955B909:qmstart:100:root@pam",
      "UPID:pve1:1E240:1000007A7:6955B909:qmstart:100:root@pam:",
      "UPID:pve1:0001E240:10000007A7:6955B909:qmstart:100:root@pam:",
      "UPID:-pve:0001E240:000007A7:6955B909:qmstart:100:root@pam:",
      "UPID:pve1:0001E240:000007A7:6955B909:qm start:100:root@pam:",
      "UPID:pve/1:0001E240:000007A7:6955B909:qmstart:100:root@pam:",
      "UPID:pve1:0001E240:000007A7:6955B909::100:root@pam:",
      "UPID:pve1:0001E240:000007A7:6955B909:qmstart:100::",
      "UPID:pve1:0001E240:000007A7:6955B909:qmstart:100:root@pam:" + "x".repeat(600),
    ]) {
      expect(parseUpid(bad)).toBeNull();
    }
  });

  it("property: never throws, and what parses round-trips its fields", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const u = parseUpid(s);
        if (u) expect(u.text).toBe(s);
      }),
    );
    const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9A-F]{${n}}$`));
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/),
        hex(8),
        fc.oneof(hex(8), hex(9)),
        hex(8),
        fc.constantFrom("qmstart", "vzstop", "hastop"),
        fc.integer({ min: 100, max: 99999 }),
        (node, pid, pstart, start, type, vmid) => {
          const u = parseUpid(`UPID:${node}:${pid}:${pstart}:${start}:${type}:${vmid}:root@pam!t:`);
          expect(u).not.toBeNull();
          expect(u?.node).toBe(node);
          expect(u?.pstart).toBe(parseInt(pstart, 16));
          expect(u?.id).toBe(String(vmid));
        },
      ),
    );
  });
});

describe("task status", () => {
  it("reads running and stopped", () => {
    expect(decodeTaskStatus({ status: "running" })).toEqual({ running: true });
    expect(decodeTaskStatus({ status: "stopped", exitstatus: "OK" })).toEqual({
      running: false,
      exitstatus: "OK",
    });
    expect(decodeTaskStatus({ status: "stopped" })).toEqual({
      running: false,
      exitstatus: "unexpected status",
    });
    expect(decodeTaskStatus({ status: "weird" })).toBeNull();
    expect(decodeTaskStatus([])).toBeNull();
  });

  it("treats only OK and WARNINGS: n as success", () => {
    expect(classifyExitStatus("OK")).toEqual({ outcome: "ok" });
    expect(classifyExitStatus("WARNINGS: 2")).toEqual({ outcome: "warnings", warnings: 2 });
    for (const s of [
      "ok",
      "TASK OK",
      "WARNINGS: ",
      "WARNINGS: x",
      "WARNINGS:2",
      "VM 100 not running",
      "unexpected status",
    ]) {
      expect(classifyExitStatus(s).outcome).toBe("failed");
    }
  });
});

describe("permissions", () => {
  it("decodes /access/permissions and skips what is not its shape", () => {
    expect(
      decodePermissions({
        "/": { "VM.Audit": 1 },
        "/vms/100/": { "VM.PowerMgmt": 0 },
        x: {},
        "/y": 3,
      }),
    ).toEqual({
      "/": { "VM.Audit": 1 },
      "/vms/100": { "VM.PowerMgmt": 0 },
    });
    expect(decodePermissions([])).toBeNull();
    expect(decodePermissions(null)).toBeNull();
  });

  const g = { vmid: 100, name: "web-01", pool: "prod" };
  it("uses /vms/{vmid} as PVE lists it (pool ACLs included, propagate or not)", () => {
    expect(guestPermission({ "/vms/100": { "VM.PowerMgmt": 0 } }, g, tr)).toEqual({
      allowed: true,
      via: "/vms/100",
    });
    // A listed guest path is the whole truth: /vms above it does not add to it.
    expect(
      guestPermission({ "/vms/100": { "VM.Audit": 1 }, "/vms": { "VM.PowerMgmt": 1 } }, g, tr),
    ).toMatchObject({
      allowed: false,
      privilege: "VM.PowerMgmt",
      path: "/vms/100",
    });
  });

  it("falls back to what propagates from /vms, else /, else the pool", () => {
    expect(guestPermission({ "/vms": { "VM.PowerMgmt": 1 } }, g, tr)).toEqual({
      allowed: true,
      via: "/vms",
    });
    expect(guestPermission({ "/vms": { "VM.PowerMgmt": 0 } }, g, tr).allowed).toBe(false);
    expect(guestPermission({ "/": { "VM.PowerMgmt": 1 } }, g, tr)).toEqual({
      allowed: true,
      via: "/",
    });
    expect(guestPermission({ "/": { "VM.PowerMgmt": 0 } }, g, tr).allowed).toBe(false);
    expect(guestPermission({ "/pool/prod": { "VM.PowerMgmt": 1 } }, g, tr)).toEqual({
      allowed: true,
      via: "/pool/prod",
    });
    const denied = guestPermission({ "/": { "VM.Audit": 1 } }, g, tr);
    expect(denied).toEqual({
      allowed: false,
      privilege: "VM.PowerMgmt",
      path: "/vms/100",
      reason: "The token lacks VM.PowerMgmt on /vms/100.",
    });
  });
});

describe("fetchPermissions", () => {
  it("reads and decodes /access/permissions, passing errors through", async () => {
    const { fetchPermissions } = await import("../../src/actions/permissions");
    const answers: unknown[] = [
      { ok: true, value: { "/vms": { "VM.PowerMgmt": 1 } } },
      { ok: true, value: [] },
      { ok: false, error: { kind: "timeout", message: "t" } },
    ];
    const paths: string[] = [];
    const client = {
      get: (path: string) => {
        paths.push(path);
        return { result: Promise.resolve(answers.shift() as never), abort: () => undefined };
      },
    };
    expect(await fetchPermissions(client).result).toEqual({
      ok: true,
      value: { "/vms": { "VM.PowerMgmt": 1 } },
    });
    expect(await fetchPermissions(client).result).toEqual({ ok: true, value: null });
    expect((await fetchPermissions(client).result).ok).toBe(false);
    expect(paths).toEqual(["/access/permissions", "/access/permissions", "/access/permissions"]);
  });
});
