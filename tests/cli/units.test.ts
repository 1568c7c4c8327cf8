// The CLI's pure parts, without a build or a socket.

import { describe, expect, it } from "vitest";

import { parseArgs, refuseSecretFlags } from "../../src/cli/args";
import {
  checkRequirements,
  effectivePrivileges,
  hasNoPrivileges,
  parsePermissions,
} from "../../src/cli/doctor";
import { CliError } from "../../src/cli/io";
import { renderTable, toStatusJson } from "../../src/cli/status";
import {
  formatNotificationText,
  notificationSettings,
  toNotificationLine,
  WATCH_FLAGS,
} from "../../src/cli/watch";
import type { Snapshot } from "../../src/model/types";
import type { Notification } from "../../src/notify/limiter";
import { guestInfo, nodeInfo, snapshot, storageInfo } from "../helpers/snapshots";

const SNAPSHOT: Snapshot = snapshot({
  cluster: { version: "9.1.4" },
  nodes: [
    nodeInfo("pve2", { status: "offline" }),
    nodeInfo("pve1", {
      cpu: 0.5,
      maxcpu: 8,
      mem: 1024,
      maxmem: 4096,
      disk: 1,
      maxdisk: 2,
      uptime: 100,
    }),
  ],
  guests: [
    guestInfo(200, { type: "lxc", name: "ct", node: "pve2", status: "unknown" }),
    guestInfo(100, {
      name: "vm",
      status: "running",
      cpu: 0.25,
      maxcpu: 2,
      mem: 5,
      maxmem: 10,
      uptime: 60,
      tags: ["a"],
      pool: "p",
      lock: "backup",
    }),
  ],
  storage: [storageInfo("local", "pve1", { plugintype: "dir", total: 10 })],
});

describe("toStatusJson", () => {
  it("keeps unknowns null, drops internal fields and sorts", () => {
    const doc = toStatusJson(SNAPSHOT);
    expect(doc.cluster).toEqual({ name: null, quorate: null });
    expect(doc.nodes.map((n) => n.name)).toEqual(["pve1", "pve2"]);
    expect(doc.nodes[1]).toEqual({
      name: "pve2",
      status: "offline",
      cpu: null,
      maxcpu: null,
      mem: null,
      maxmem: null,
      uptime: null,
    });
    expect(doc.guests.map((g) => g.vmid)).toEqual([100, 200]);
    expect(doc.guests[0]).toEqual({
      vmid: 100,
      type: "qemu",
      name: "vm",
      node: "pve1",
      status: "running",
      template: false,
      cpu: 0.25,
      mem: 5,
      maxmem: 10,
      uptime: 60,
      tags: ["a"],
      pool: "p",
      lock: "backup",
    });
    expect(doc.storage[0]).toEqual({
      storage: "local",
      node: "pve1",
      status: "available",
      shared: false,
      used: null,
      total: 10,
    });
  });

  it("never turns NaN into a number", () => {
    const odd: Snapshot = {
      ...SNAPSHOT,
      nodes: [{ ...(SNAPSHOT.nodes[1] as Snapshot["nodes"][0]), cpu: NaN }],
    };
    expect(toStatusJson(odd).nodes[0]?.cpu).toBeNull();
  });
});

describe("renderTable", () => {
  it("pads columns to the widest cell and cuts long text", () => {
    const text = renderTable(
      [
        { title: "ID", align: "right" },
        { title: "NAME", align: "left", max: 6 },
      ],
      [
        ["1", "abcdefghij"],
        ["100", "x"],
      ],
    );
    expect(text).toBe(" ID  NAME\n  1  abcde…\n100  x\n");
  });
});

describe("privilege evaluation", () => {
  it("propagates from / and lets a deeper entry replace what was inherited", () => {
    const map = parsePermissions({
      "/": { "Sys.Audit": 1, "VM.Audit": 1 },
      "/vms": { "VM.Audit": 1 },
    });
    expect(map).not.toBeNull();
    expect(effectivePrivileges(map!, "/nodes/pve1")).toEqual({ "Sys.Audit": 1, "VM.Audit": 1 });
    expect(effectivePrivileges(map!, "/vms/100")).toEqual({ "VM.Audit": 1 });
  });

  it("does not carry a non-propagating privilege below its path", () => {
    const map = parsePermissions({ "/": { "Sys.Audit": 0, "VM.Audit": 1 } })!;
    expect(effectivePrivileges(map, "/")).toEqual({ "Sys.Audit": 0, "VM.Audit": 1 });
    expect(effectivePrivileges(map, "/nodes")).toEqual({ "VM.Audit": 1 });
    const nodes = checkRequirements(map).find((r) => r.requirement.path === "/nodes");
    expect(nodes).toMatchObject({ ok: false, notPropagated: "/" });
  });

  it("reports where a privilege is granted only in part", () => {
    const map = parsePermissions({
      "/": { "Sys.Audit": 1 },
      "/vms/100": { "VM.Audit": 0 },
      "/pool/prod": { "VM.Audit": 1 },
    })!;
    const vms = checkRequirements(map).find((r) => r.requirement.privilege === "VM.Audit");
    expect(vms?.ok).toBe(false);
    expect(vms?.partial).toEqual(["/pool/prod", "/vms/100"]);
  });

  it("recognises a token without any privilege", () => {
    expect(hasNoPrivileges(parsePermissions({})!)).toBe(true);
    expect(hasNoPrivileges(parsePermissions({ "/": {} })!)).toBe(true);
    expect(hasNoPrivileges(parsePermissions({ "/": { "VM.Audit": 1 } })!)).toBe(false);
    expect(parsePermissions([])).toBeNull();
  });
});

describe("arguments", () => {
  it("parses --flag value, --flag=value and booleans", () => {
    const args = parseArgs(
      ["--host", "pve", "--port=8007", "--json"],
      [
        { name: "host", kind: "string", help: "" },
        { name: "port", kind: "string", help: "" },
        { name: "json", kind: "boolean", help: "" },
      ],
    );
    expect(args.flags).toEqual({ host: "pve", port: "8007", json: true });
  });

  it("refuses secret flags in every spelling without quoting the value", () => {
    for (const arg of [
      "--secret",
      "--token-secret=abc-123",
      "--TOKEN_SECRET",
      "-secret",
      "--password",
    ]) {
      let caught: unknown = null;
      try {
        refuseSecretFlags(["status", arg]);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(CliError);
      expect((caught as CliError).exitCode).toBe(2);
      expect((caught as CliError).message).not.toContain("abc-123");
    }
    expect(() => refuseSecretFlags(["status", "--secretary"])).not.toThrow();
  });
});

describe("watch output", () => {
  const n: Notification = {
    kind: "group",
    urgency: "high",
    title: "3 changes",
    body: "a stopped\nb started\n",
    events: [],
    suppressedCount: 0,
    suppressed: [],
    guests: [1, 2],
  };

  it("formats text lines with the body's further lines indented", () => {
    const at = new Date(2025, 0, 2, 3, 4, 5).getTime();
    expect(formatNotificationText(n, at)).toBe(
      "[03:04:05] 3 changes — a stopped\n           b started\n",
    );
  });

  it("builds the JSON line with exactly the documented keys", () => {
    const line = toNotificationLine(n, Date.UTC(2025, 0, 2, 3, 4, 5));
    expect(line).toEqual({
      time: "2025-01-02T03:04:05.000Z",
      kind: "group",
      urgency: "high",
      title: "3 changes",
      body: n.body,
      guests: [1, 2],
    });
  });

  it("maps the notification flags onto the pipeline's settings", () => {
    const s = notificationSettings(
      parseArgs(
        [
          "--notify-mode",
          "whitelist",
          "--notify-filter",
          "web-*,tag:prod",
          "--no-stop",
          "--rate-limit",
          "0",
        ],
        WATCH_FLAGS,
      ),
    );
    expect(s).toMatchObject({
      mode: "whitelist",
      patterns: "web-*,tag:prod",
      notifyOnStart: true,
      notifyOnStop: false,
      notifyOnNodeChange: true,
      rateLimitEnabled: false,
    });
    expect(() =>
      notificationSettings(parseArgs(["--notify-filter", "200-100"], WATCH_FLAGS)),
    ).toThrow(CliError);
  });
});
