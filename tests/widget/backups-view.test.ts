// The backups part of the widget view and the snooze menu, pure: chips and
// their colours, the section's groups, plain notices for what the token
// cannot read, HA and Ceph badges, maintenance left out of the count, and
// the menu's effect on the settings list (1 hour, tomorrow, until it
// changes, maintenance, off) with the settings page's rows and undo.
import { describe, expect, it } from "vitest";
import type { GuestBackup } from "../../src/backups/coverage";
import { buildBackupsView } from "../../src/widget/backups-view";
import type { HealthState } from "../../src/widget/health-session";
import { passesHealthFilter } from "../../src/widget/health-session";
import { parseFilter } from "../../src/notify/filter";
import {
  applySnoozeAction,
  removeSnoozeEntry,
  snoozeMenuEntries,
  snoozeSettingsRows,
} from "../../src/widget/snooze-menu";
import { plainContextTranslator } from "../../src/widget/texts";
import { plainTranslator } from "../../src/notify/message";
import { guestInfo } from "../helpers/snapshots";
import type { NodeInfo } from "../../src/model/types";

const t = { tr: plainTranslator, trc: plainContextTranslator };
const NOW = 1_764_590_400; // 2025-12-01 12:00 UTC

function row(vmid: number, over: Partial<GuestBackup>): GuestBackup {
  return {
    vmid,
    type: "qemu",
    name: "vm-" + vmid,
    node: "pve1",
    jobs: ["daily"],
    onlyDisabled: false,
    lastOk: NOW - 3600 * 5,
    lastFailure: null,
    failureText: null,
    state: "ok",
    reason: null,
    ...over,
  };
}

function state(guests: GuestBackup[], extra: Partial<HealthState> = {}): HealthState {
  return {
    report: { jobs: [], guests, failedTasks: [], features: [], nothingReadable: false },
    ha: null,
    ceph: null,
    features: [],
    readAt: NOW,
    reading: false,
    ...extra,
  };
}

const node = (name: string, status = "online") => ({ name, status }) as unknown as NodeInfo;

describe("backups view", () => {
  it("chips by state, groups, and what cannot be read said plainly", () => {
    const guests = [
      row(100, {}),
      row(101, { state: "due", lastOk: NOW - 8 * 86400 }),
      row(102, { state: "overdue", lastOk: NOW - 20 * 86400 }),
      row(103, { state: "never", lastOk: null, jobs: [], reason: "no-job" }),
      row(104, { lastFailure: NOW - 60, failureText: "job errors" }),
      row(105, { state: "excluded", reason: "template" }),
      row(106, { state: "unknown", reason: "tasks-unreadable" }),
    ];
    const v = buildBackupsView(t, {
      enabled: true,
      state: state(guests, {
        features: [
          {
            id: "storage-content",
            privilege: "x",
            path: "/storage/{storage}",
            available: false,
            missing: { privilege: "Datastore.Allocate", path: "/storage/nas" },
            message: "no",
          },
        ],
      }),
      guests: guests.map((g) => guestInfo(g.vmid)),
      nodes: [node("pve1")],
      snoozes: [],
      now: NOW,
      anonymise: false,
    });
    expect(v.guestChips["100"]![0]).toMatchObject({ text: "5 h", color: "positive" });
    expect(v.guestChips["101"]![0]).toMatchObject({ text: "8 d", color: "warning" });
    expect(v.guestChips["102"]![0]).toMatchObject({ text: "20 d", color: "negative" });
    expect(v.guestChips["103"]![0]).toMatchObject({ text: "never", color: "negative" });
    expect(v.guestChips["104"]![0]!.color).toBe("negative");
    expect(v.guestChips["105"]).toBeUndefined();
    expect(v.guestChips["106"]).toBeUndefined();
    const groups = Object.fromEntries(v.groups.map((g) => [g.key, g.rows.map((r) => r.vmid)]));
    expect(groups).toEqual({
      failed: [104],
      overdue: [102],
      never: [103],
      uncovered: [103],
      due: [101],
    });
    expect(v.sectionSummary).toBe("5 need attention · 1 ok");
    expect(v.notices).toEqual([
      "Backup volumes on storage: not readable, needs Datastore.Allocate on /storage/nas",
    ]);
    expect(v.problemCount).toBe(3);
  });

  it("HA and Ceph badges only where the cluster has them; maintenance is not counted", () => {
    const guests = [row(100, {}), row(101, { state: "overdue", lastOk: NOW - 30 * 86400 })];
    const input = {
      enabled: true,
      state: state(guests, {
        ha: {
          quorate: true,
          master: null,
          lrm: [],
          services: [
            { sid: "vm:100", vmid: 100, node: "pve1", state: "error", crmState: null },
            { sid: "vm:101", vmid: 101, node: "pve1", state: "started", crmState: null },
          ],
        },
        ceph: {
          health: "HEALTH_WARN" as const,
          checks: [{ code: "OSD_NEARFULL", severity: "HEALTH_WARN", summary: "1 nearfull osd(s)" }],
        },
      }),
      guests: [guestInfo(100, { hastate: "error" }), guestInfo(101)],
      nodes: [node("pve1")],
      snoozes: [],
      now: NOW,
      anonymise: true,
    };
    const v = buildBackupsView(t, input);
    expect(v.headerBadges.map((b) => [b.text, b.color])).toEqual([
      ["HA: 1 in error", "negative"],
      ["Ceph warning", "warning"],
    ]);
    expect(v.problems.map((p) => p.key)).toEqual(["ha/vm:100", "cluster/ceph"]);
    expect(v.problemCount).toBe(3);
    const m = buildBackupsView(t, {
      ...input,
      snoozes: [
        { kind: "guest", vmid: 100, mode: "maintenance" },
        { kind: "guest", vmid: 101, mode: "until", until: NOW + 600 },
      ],
    });
    expect(m.problemCount).toBe(2);
    expect(m.headerBadges[0]!.text).toBe("HA ok");
    expect(m.guestChips["100"]!.map((c) => c.text)).toEqual(["5 h", "maintenance"]);
    expect(m.guestChips["101"]!.map((c) => c.text)).toEqual(["30 d", "snoozed"]);
    expect(m.guestChips["101"]![1]!.tip).toBe("Notifications snoozed for 10 min more");
    // Developer mode: VMIDs only in the section.
    expect(m.groups[0]!.rows[0]!.text).toBe("101");
  });

  it("notification filter: guest entries apply to events about a guest, others pass", () => {
    const compiled = parseFilter("tag:prod");
    const guests = [guestInfo(100, { tags: ["prod"] }), guestInfo(101)];
    const e = (vmid?: number) => ({
      kind: "task-failed" as const,
      key: "k",
      what: "vzdump",
      detail: "x",
      vmid,
    });
    expect(passesHealthFilter(e(100), guests, "whitelist", compiled)).toBe(true);
    expect(passesHealthFilter(e(101), guests, "whitelist", compiled)).toBe(false);
    expect(passesHealthFilter(e(100), guests, "blacklist", compiled)).toBe(false);
    expect(passesHealthFilter(e(undefined), guests, "whitelist", compiled)).toBe(true);
  });
});

describe("snooze menu and settings", () => {
  const target = { kind: "guest" as const, vmid: 101 };
  it("1 hour, until tomorrow (local midnight), until it changes, maintenance, off", () => {
    expect(applySnoozeAction([], target, "hour", NOW, "running", 0)).toEqual([
      "guest:101=until:" + (NOW + 3600),
    ]);
    // UTC+1: tomorrow starts at 23:00 UTC today.
    expect(applySnoozeAction([], target, "tomorrow", NOW, "running", 60)).toEqual([
      "guest:101=until:" + (NOW + 11 * 3600),
    ]);
    const change = applySnoozeAction([], target, "change", NOW, "running", 0);
    expect(change).toEqual(["guest:101=change:running"]);
    const both = applySnoozeAction(
      change,
      { kind: "node", node: "pve2" },
      "maintenance",
      NOW,
      "online",
      0,
    );
    expect(both).toEqual(["guest:101=change:running", "node:pve2=maintenance"]);
    expect(applySnoozeAction(both, target, "off", NOW, "", 0)).toEqual(["node:pve2=maintenance"]);
    // Garbage in the settings is dropped, never fatal.
    expect(applySnoozeAction(["nonsense", 7], null, "hour", NOW, "", 0)).toEqual([]);
  });

  it("menu entries show the current mode; settings rows list active entries with undo", () => {
    const list = [
      "guest:101=maintenance",
      "node:pve2=until:" + (NOW + 7200),
      "guest:102=until:" + (NOW - 1),
    ];
    const entries = snoozeMenuEntries(t, target, [{ ...target, mode: "maintenance" }], NOW);
    expect(entries.map((e) => [e.action, e.checked, e.enabled])).toEqual([
      ["hour", false, true],
      ["tomorrow", false, true],
      ["change", false, true],
      ["maintenance", true, false],
      ["off", false, true],
    ]);
    expect(entries[4]!.text).toBe("End maintenance");
    expect(snoozeSettingsRows(list, NOW)).toEqual([
      { key: "guest:101", title: "Guest 101", detail: "Maintenance (until turned off)" },
      { key: "node:pve2", title: "Node pve2", detail: "Snoozed for 2 h more" },
    ]);
    expect(removeSnoozeEntry(list, "node:pve2")).toEqual([list[0], list[2]]);
  });
});
