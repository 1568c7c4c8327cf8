import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  POWER_ACTIONS,
  actionChoices,
  checkAction,
  isDestructive,
  isHaManaged,
  targetStatus,
  type PowerAction,
} from "../../src/actions/rules";
import { guest, tr } from "./helpers";

const allowed = (g: ReturnType<typeof guest>): PowerAction[] =>
  actionChoices(g, tr)
    .filter((c) => c.allowed)
    .map((c) => c.action);

describe("action rules", () => {
  it("offers QEMU's actions by state", () => {
    expect(allowed(guest({ status: "running" }))).toEqual([
      "shutdown",
      "reboot",
      "suspend",
      "stop",
      "reset",
    ]);
    expect(allowed(guest({ status: "stopped" }))).toEqual(["start"]);
    expect(allowed(guest({ status: "paused" }))).toEqual(["resume", "stop"]);
    expect(allowed(guest({ status: "suspended" }))).toEqual(["resume", "stop"]);
    expect(allowed(guest({ status: "io-error" }))).toEqual(["stop"]);
    expect(allowed(guest({ status: "unknown" }))).toEqual([]);
  });

  it("offers containers start, shutdown, reboot and stop only", () => {
    const running = actionChoices(guest({ type: "lxc", status: "running" }), tr);
    expect(running.map((c) => c.action)).toEqual(["start", "shutdown", "reboot", "stop"]);
    expect(allowed(guest({ type: "lxc", status: "running" }))).toEqual([
      "shutdown",
      "reboot",
      "stop",
    ]);
    expect(allowed(guest({ type: "lxc", status: "stopped" }))).toEqual(["start"]);
    const r = checkAction(guest({ type: "lxc" }), "suspend", tr);
    expect(r.ok).toBe(false);
  });

  it("offers templates nothing", () => {
    expect(actionChoices(guest({ template: true, status: "stopped" }), tr)).toEqual([]);
    const r = checkAction(guest({ template: true, status: "stopped" }), "start", tr);
    expect(r).toEqual({ ok: false, reason: "web-01 is a template: templates cannot be powered." });
  });

  it("names the lock on every refusal of a locked guest", () => {
    for (const action of POWER_ACTIONS) {
      const r = checkAction(guest({ lock: "backup" }), action, tr);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toContain("locked (backup)");
    }
  });

  it("gives a reason for every disabled entry and none for enabled ones", () => {
    for (const c of actionChoices(guest({ status: "stopped" }), tr)) {
      expect(c.allowed ? c.reason : typeof c.reason).toBe(c.allowed ? null : "string");
    }
    expect(checkAction(guest({ status: "stopped" }), "shutdown", tr)).toEqual({
      ok: false,
      reason: "web-01 is not running.",
    });
  });

  it("marks stop and reset destructive, and knows the target states", () => {
    expect(POWER_ACTIONS.filter(isDestructive)).toEqual(["stop", "reset"]);
    expect(targetStatus("start")).toBe("running");
    expect(targetStatus("shutdown")).toBe("stopped");
    expect(targetStatus("stop")).toBe("stopped");
    expect(targetStatus("suspend")).toBe("paused");
    expect(isHaManaged(guest({ hastate: "started" }))).toBe(true);
    expect(isHaManaged(guest({ hastate: "ignored" }))).toBe(false);
    expect(isHaManaged(guest())).toBe(false);
  });

  it("property: a lock, a template or an unknown state allows nothing; an allowed action is consistent with checkAction", () => {
    const arbGuest = fc.record({
      vmid: fc.integer({ min: 100, max: 999999 }),
      type: fc.constantFrom("qemu" as const, "lxc" as const),
      name: fc.string({ maxLength: 20 }),
      node: fc.constantFrom("pve1", "pve2"),
      status: fc.constantFrom(
        "running",
        "stopped",
        "paused",
        "suspended",
        "prelaunch",
        "io-error",
        "unknown",
        "weird",
      ),
      template: fc.boolean(),
      lock: fc.option(fc.constantFrom("backup", "migrate", "snapshot", "suspended"), { nil: null }),
      hastate: fc.option(fc.constantFrom("started", "stopped", "ignored"), { nil: null }),
    });
    fc.assert(
      fc.property(arbGuest, (g) => {
        const choices = actionChoices(g, tr);
        const ok = choices.filter((c) => c.allowed);
        if (g.template || g.lock !== null || g.status === "unknown") expect(ok).toEqual([]);
        if (g.type === "lxc") {
          expect(
            choices.some(
              (c) => c.action === "suspend" || c.action === "reset" || c.action === "resume",
            ),
          ).toBe(false);
        }
        for (const c of choices) expect(checkAction(g, c.action, tr).ok).toBe(c.allowed);
        // Never both start and a "from running" action at once.
        const names = ok.map((c) => c.action);
        if (names.indexOf("start") >= 0) expect(names).toEqual(["start"]);
      }),
    );
  });
});
