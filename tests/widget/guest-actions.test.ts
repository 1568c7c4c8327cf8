// The widget's action decisions on a fake clock and a scriptable API: menu
// entries and why they are disabled, the confirmation that times out, the
// row's pending state, the result notification replacing the plain
// state-change one, and when permissions are read.
import { describe, expect, it } from "vitest";
import type { GuestInfo } from "../../src/model/types";
import type { Notification } from "../../src/notify/limiter";
import {
  consoleUrl,
  createGuestActions,
  guestWebUrl,
  type ActionsConnection,
} from "../../src/widget/guest-actions";
import { createFakeApi, tr, upid } from "../actions/helpers";
import { createFakeScheduler, flushPromises } from "../helpers/fake-scheduler";

function info(over: Partial<GuestInfo> = {}): GuestInfo {
  return {
    vmid: 100,
    type: "qemu",
    name: "web-01",
    node: "pve1",
    status: "running",
    template: false,
    cpu: 0.1,
    maxcpu: 2,
    mem: 1,
    maxmem: 2,
    disk: null,
    maxdisk: null,
    uptime: 100,
    tags: [],
    pool: null,
    lock: null,
    hastate: null,
    ...over,
  };
}

function stateNote(vmid: number, kind = "guest-stopped"): Notification {
  return {
    kind: "single",
    urgency: "normal",
    title: "web-01 stopped",
    body: "",
    events: [{ kind: kind as "guest-stopped", key: "qemu/" + vmid, vmid }],
    suppressedCount: 0,
    suppressed: [],
    guests: [vmid],
  };
}

function setup(guests: GuestInfo[] = [info()], over: Partial<ActionsConnection> = {}) {
  const scheduler = createFakeScheduler(1_000_000);
  const api = createFakeApi(() => scheduler.now());
  const notes: Notification[] = [];
  let changes = 0;
  let refreshes = 0;
  const actions = createGuestActions({
    scheduler,
    tr,
    notify: (n) => notes.push(n),
    onChange: () => changes++,
    refreshNow: () => refreshes++,
    guests: () => guests,
    pollDelaysMs: [1000],
  });
  const connection: ActionsConnection = {
    mode: "monitoring",
    client: api,
    key: "k1",
    problem: "",
    webUrl: "https://pve.example:8006/",
    notifySuccess: true,
    anonymise: false,
    tokenIds: ["ops@pve!power"],
    secrets: ["SECRET-1234-abcd"],
    ...over,
  };
  actions.configure(connection);
  return {
    scheduler,
    api,
    notes,
    actions,
    connection,
    changes: () => changes,
    refreshes: () => refreshes,
  };
}

const ALL_VMS = { "/vms": { "VM.PowerMgmt": 1, "VM.Audit": 1 } };

describe("guest actions: the menu", () => {
  it("reads the permissions once when set up, not on every menu", async () => {
    const t = setup();
    expect(t.api.calls.map((c) => c.path)).toEqual(["/access/permissions"]);
    t.api.ok(ALL_VMS);
    await flushPromises();
    t.actions.menu("qemu/100");
    t.actions.menu("qemu/100");
    t.scheduler.advance(60_000);
    t.actions.menu("qemu/100");
    expect(t.api.calls.length).toBe(1);
    // Rarely after: a menu opened after the maximum age reads them again.
    t.scheduler.advance(15 * 60_000);
    t.actions.menu("qemu/100");
    expect(t.api.calls.length).toBe(2);
  });

  it("offers a running VM's actions, links to the web UI and console, stop and reset destructive", async () => {
    const t = setup();
    t.api.ok(ALL_VMS);
    await flushPromises();
    const menu = t.actions.menu("qemu/100");
    expect(menu.filter((e) => !e.separator).map((e) => [e.id, e.enabled, e.destructive])).toEqual([
      ["power:start", false, false],
      ["power:shutdown", true, false],
      ["power:reboot", true, false],
      ["power:suspend", true, false],
      ["power:resume", false, false],
      ["power:stop", true, true],
      ["power:reset", true, true],
      ["web", true, false],
      ["console", true, false],
    ]);
    expect(menu.find((e) => e.id === "power:start")?.tooltip).toBe("web-01 is already running.");
    expect(t.actions.choose("qemu/100", "console")).toBe(
      "https://pve.example:8006/?console=kvm&novnc=1&vmid=100&vmname=web-01&node=pve1&resize=off&cmd=",
    );
    expect(t.actions.choose("qemu/100", "web")).toBe(
      "https://pve.example:8006/#v1:0:=qemu%2F100:4:::::::",
    );
  });

  it("shows an action the token may not run disabled, with the privilege and the path", async () => {
    const t = setup();
    t.api.ok({ "/vms": { "VM.Audit": 1 } });
    await flushPromises();
    const shutdown = t.actions.menu("qemu/100").find((e) => e.id === "power:shutdown");
    expect(shutdown).toMatchObject({
      enabled: false,
      text: "Shut down (needs VM.PowerMgmt on /vms/100)",
      tooltip: "The token lacks VM.PowerMgmt on /vms/100.",
    });
    // Choosing it anyway does nothing.
    t.actions.choose("qemu/100", "power:shutdown");
    expect(t.actions.rows()).toEqual({});
  });

  it("offers nothing with actions off, and containers no pause or reset", async () => {
    const t = setup([info(), info({ vmid: 200, type: "lxc", name: "ct" })]);
    t.api.ok(ALL_VMS);
    await flushPromises();
    expect(t.actions.menu("lxc/200").map((e) => e.id)).toEqual([
      "power:start",
      "power:shutdown",
      "power:reboot",
      "power:stop",
      "",
      "web",
      "console",
    ]);
    expect(
      consoleUrl("https://h:8006/", { type: "lxc", vmid: 200, name: "c t", node: "n" }),
    ).toContain("console=lxc&xtermjs=1&vmid=200&vmname=c%20t&node=n");
    expect(guestWebUrl("", { type: "lxc", vmid: 1 })).toBe("");
    t.actions.configure({ ...t.connection, mode: "off", client: null, key: "off" });
    expect(t.actions.enabled()).toBe(false);
    expect(t.actions.menu("qemu/100")).toEqual([]);
    expect(t.actions.choose("qemu/100", "web")).toBe("");
  });

  it("says why there is no client (the separate token's secret is missing)", () => {
    const t = setup([info()], { client: null, problem: "no secret", mode: "separate" });
    expect(t.api.calls.length).toBe(0);
    const menu = t.actions.menu("qemu/100");
    expect(menu.find((e) => e.id === "power:shutdown")).toMatchObject({
      enabled: false,
      tooltip: "no secret",
    });
  });
});

describe("guest actions: confirmation, progress and result", () => {
  it("asks in the row, times out by itself, and cancels", async () => {
    const t = setup();
    t.api.ok(ALL_VMS);
    await flushPromises();
    t.actions.choose("qemu/100", "power:shutdown");
    expect(t.actions.rows()).toEqual({
      "qemu/100": {
        pending: false,
        pendingText: "",
        confirming: true,
        confirmText: "Shut down web-01?",
        confirmLabel: "Confirm",
        cancelLabel: "Cancel",
        destructive: false,
      },
    });
    t.scheduler.advance(7999);
    expect(t.actions.rows()["qemu/100"]?.confirming).toBe(true);
    t.scheduler.advance(1);
    expect(t.actions.rows()).toEqual({});
    t.actions.choose("qemu/100", "power:stop");
    expect(t.actions.rows()["qemu/100"]?.destructive).toBe(true);
    t.actions.cancel("qemu/100");
    expect(t.actions.rows()).toEqual({});
    // A late confirm after the timeout sends nothing.
    t.actions.confirm("qemu/100");
    expect(t.api.calls.filter((c) => c.method === "POST")).toEqual([]);
    expect(t.scheduler.pending()).toBe(0);
  });

  it("runs after Confirm: one POST, a spinner text, one quiet result notification instead of the state change", async () => {
    const t = setup();
    t.api.ok(ALL_VMS);
    await flushPromises();
    t.actions.choose("qemu/100", "power:shutdown");
    t.actions.confirm("qemu/100");
    const posts = t.api.calls.filter((c) => c.method === "POST");
    expect(posts.map((c) => c.path)).toEqual(["/nodes/pve1/qemu/100/status/shutdown"]);
    expect(t.actions.rows()["qemu/100"]).toMatchObject({
      pending: true,
      pendingText: "Shutting down web-01…",
    });
    // A second action for the same guest is not offered while this one runs.
    expect(t.actions.menu("qemu/100").find((e) => e.id === "power:stop")?.enabled).toBe(false);
    t.api.ok(upid());
    await flushPromises();
    // The refresh saw the guest stop before the task ended: spoken for.
    expect(t.actions.absorb(stateNote(100))).toBe(true);
    t.scheduler.advance(1000);
    t.api.ok({ status: "stopped", exitstatus: "OK" });
    await flushPromises();
    expect(t.actions.rows()).toEqual({});
    expect(t.refreshes()).toBe(1);
    expect(t.notes).toEqual([
      expect.objectContaining({
        urgency: "low",
        title: "web-01 shut down.",
        body: "",
        guests: [100],
      }),
    ]);
    // The refresh after the task: its "stopped" is absorbed once, then no more.
    expect(t.actions.absorb(stateNote(100))).toBe(true);
    expect(t.actions.absorb(stateNote(100))).toBe(false);
    // Another guest's notification, or a mixed group, goes through.
    expect(t.actions.absorb(stateNote(101))).toBe(false);
  });

  it("reports a failure always, with PVE's message scrubbed, even with success notifications off", async () => {
    const t = setup([info()], { notifySuccess: false });
    t.api.ok(ALL_VMS);
    await flushPromises();
    t.actions.choose("qemu/100", "power:reboot");
    t.actions.confirm("qemu/100");
    t.api.ok(upid("qmreboot"));
    await flushPromises();
    t.scheduler.advance(1000);
    t.api.ok({ status: "stopped", exitstatus: "VM quit; SECRET-1234-abcd" });
    await flushPromises();
    expect(t.notes.length).toBe(1);
    expect(t.notes[0]?.urgency).toBe("normal");
    expect(t.notes[0]?.title).toBe("Reboot failed");
    expect(t.notes[0]?.body).toContain("Reboot of web-01 failed: VM quit;");
    expect(t.notes[0]?.body).not.toContain("SECRET");
  });

  it("a 403 names privilege and path and makes the permissions be read again", async () => {
    const t = setup();
    t.api.ok(ALL_VMS);
    await flushPromises();
    t.actions.choose("qemu/100", "power:start".replace("start", "shutdown"));
    t.actions.confirm("qemu/100");
    t.api.fail({
      kind: "permission",
      status: 403,
      message: "Permission check failed (/vms/100, VM.PowerMgmt)",
      aclPath: "/vms/100",
      privilege: "VM.PowerMgmt",
    });
    await flushPromises();
    expect(t.notes[0]?.body).toBe(
      "Shut down of web-01 was refused: the token lacks VM.PowerMgmt on /vms/100.",
    );
    expect(t.api.last().path).toBe("/access/permissions");
  });

  it("a new connection drops the running follow-up; a late answer changes nothing", async () => {
    const t = setup();
    t.api.ok(ALL_VMS);
    await flushPromises();
    t.actions.choose("qemu/100", "power:shutdown");
    t.actions.confirm("qemu/100");
    const post = t.api.last();
    t.actions.configure({ ...t.connection, key: "k2" });
    expect(t.actions.rows()).toEqual({});
    post.answer({ ok: true, value: upid() });
    await flushPromises();
    expect(t.actions.rows()).toEqual({});
    expect(t.refreshes()).toBe(0);
  });

  it("developer mode puts the stand-in name into every text", async () => {
    const t = setup([info()], { anonymise: true });
    t.api.ok(ALL_VMS);
    await flushPromises();
    t.actions.choose("qemu/100", "power:shutdown");
    expect(t.actions.rows()["qemu/100"]?.confirmText).toBe("Shut down vm-100?");
  });
});
