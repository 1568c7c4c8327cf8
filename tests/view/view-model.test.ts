import { describe, expect, it } from "vitest";
import {
  buildViewModel,
  describeLock,
  type RefreshFields,
  type ViewModelInput,
} from "../../src/view/view-model";
import { guest, node, snapshot } from "./sample";

const NOW = 1_700_000_000_000;

const fresh: RefreshFields = {
  refreshing: false,
  lastSuccessAt: NOW - 12_500,
  error: null,
  stale: false,
};

function input(patch: Partial<ViewModelInput> = {}): ViewModelInput {
  return {
    snapshot: snapshot(),
    refresh: fresh,
    now: NOW,
    sortBy: "status",
    anonymise: false,
    ...patch,
  };
}

describe("buildViewModel: phase", () => {
  it("unconfigured wins over everything", () => {
    const vm = buildViewModel(
      input({
        configured: false,
        snapshot: null,
        refresh: { ...fresh, error: { kind: "config", message: "No host" } },
      }),
    );
    expect(vm).toMatchObject({ phase: "unconfigured", errorKind: null, nodes: [], summary: null });
  });

  it("loading before the first answer", () => {
    const vm = buildViewModel(
      input({
        snapshot: null,
        refresh: { refreshing: true, lastSuccessAt: null, error: null, stale: false },
      }),
    );
    expect(vm).toMatchObject({
      phase: "loading",
      refreshing: true,
      ageSeconds: null,
      age: null,
      panel: { label: "\u2014", hasError: false },
    });
  });

  it("error without data", () => {
    const vm = buildViewModel(
      input({
        snapshot: null,
        refresh: {
          refreshing: false,
          lastSuccessAt: null,
          stale: false,
          error: {
            kind: "permission",
            message: "Permission check failed (/, Sys.Audit)",
            status: 403,
            path: "/cluster/resources",
            aclPath: "/",
            privilege: "Sys.Audit",
          },
        },
      }),
    );
    expect(vm).toMatchObject({
      phase: "error",
      errorKind: "permission",
      errorMessage: "Permission check failed (/, Sys.Audit)",
      errorPath: "/cluster/resources",
      errorAclPath: "/",
      errorPrivilege: "Sys.Audit",
      panel: { hasError: true, statusColor: "negative" },
    });
  });

  it("stale data is still ok, flagged, with the error alongside", () => {
    const vm = buildViewModel(
      input({
        refresh: {
          refreshing: false,
          lastSuccessAt: NOW - 185_000,
          stale: true,
          error: { kind: "timeout", message: "Timed out" },
        },
      }),
    );
    expect(vm).toMatchObject({
      phase: "ok",
      stale: true,
      ageSeconds: 185,
      age: { unit: "minutes", value: 3 },
      errorKind: "timeout",
      panel: { hasError: true, statusColor: "warning" },
    });
  });
});

describe("buildViewModel: content", () => {
  const vm = buildViewModel(input());

  it("top level", () => {
    expect(vm).toMatchObject({
      phase: "ok",
      stale: false,
      ageSeconds: 12,
      age: { unit: "seconds", value: 12 },
      errorKind: null,
      errorMessage: null,
      clusterName: "homelab",
      quorate: true,
      version: "8.4.14",
      panel: { averageCpuPercent: 50, label: "50%", hasError: false },
    });
    // One node is offline: the panel says so.
    expect(vm.panel.statusColor).toBe("warning");
  });

  it("summary", () => {
    expect(vm.summary).toMatchObject({
      nodesOnline: 2,
      nodesTotal: 3,
      guestsRunning: 1,
      guestsTotal: 4,
      templates: 1,
      nodesText: "2/3",
      guestsText: "1/4",
      cpuText: "50%",
      memText: "32 GiB / 128 GiB",
    });
  });

  it("node rows: sorted, flat, preformatted and raw", () => {
    expect(vm.nodes.map((n) => n.key)).toEqual(["node/pve1", "node/pve2", "node/pve3"]);
    expect(vm.nodes[0]).toEqual({
      key: "node/pve1",
      name: "pve1",
      status: "online",
      statusColor: "positive",
      statusIcon: "network-connect",
      icon: "network-server",
      online: true,
      cpuFraction: 0.25,
      cpuText: "25%",
      maxcpu: 16,
      memUsed: 16 * 1024 ** 3,
      memTotal: 64 * 1024 ** 3,
      memFraction: 0.25,
      memText: "16 GiB / 64 GiB",
      diskFraction: 0.1,
      diskText: "10 GiB / 100 GiB",
      uptimeSeconds: 3 * 86400 + 4 * 3600 + 5 * 60,
      uptimeText: "3d 4h",
      hastate: "",
      guestsRunning: 1,
      guestsTotal: 2,
      templates: 1,
      expanded: false,
    });
    expect(vm.nodes[2]).toMatchObject({
      status: "offline",
      statusColor: "negative",
      online: false,
      cpuFraction: -1,
      cpuText: "\u2014",
      memText: "\u2014 / \u2014",
      uptimeSeconds: -1,
      uptimeText: "\u2014",
    });
  });

  it("rows hold no null and no arrays, so they fit a QML ListModel", () => {
    const all = [...vm.nodes, ...Object.values(vm.guestsByNode).flat()];
    for (const r of all) {
      for (const v of Object.values(r)) {
        expect(v === null || v === undefined || Array.isArray(v) || typeof v === "object").toBe(
          false,
        );
      }
    }
  });

  it("guest rows grouped by node, sorted by status", () => {
    expect(Object.keys(vm.guestsByNode).sort()).toEqual(["pve1", "pve2", "pve3"]);
    expect(vm.guestsByNode.pve1!.map((g) => g.key)).toEqual(["qemu/101", "lxc/102", "qemu/9000"]);
    expect(vm.guestsByNode.pve1![0]).toEqual({
      key: "qemu/101",
      rowKind: "guest",
      vmid: 101,
      type: "qemu",
      typeText: "VM",
      typeName: "Virtual machine",
      name: "web-10",
      displayName: "web-10",
      node: "pve1",
      status: "running",
      statusColor: "positive",
      statusIcon: "media-playback-start",
      icon: "computer",
      running: true,
      isTemplate: false,
      lock: "",
      lockText: "",
      lockDescription: "",
      stateBadge: "",
      stateBadgeColor: "positive",
      hastate: "",
      pool: "",
      tags: "prod;web",
      tagCount: 2,
      cpuColumn: "5%",
      memColumn: "512 MiB / 2 GiB",
    });
    expect(vm.guestsByNode.pve1![1]).toMatchObject({
      typeText: "CT",
      typeName: "Container",
      stateBadge: "",
      cpuColumn: "",
      memColumn: "stopped",
      icon: "package-x-generic",
      status: "stopped",
      statusColor: "neutral",
    });
    expect(vm.guestsByNode.pve1![2]).toMatchObject({
      isTemplate: true,
      statusColor: "neutral",
      stateBadge: "template",
      stateBadgeColor: "neutral",
    });
    expect(vm.guestsByNode.pve2![0]).toMatchObject({
      status: "paused",
      stateBadge: "paused",
      stateBadgeColor: "warning",
      cpuColumn: "",
      memColumn: "",
      statusColor: "warning",
      lock: "backup",
      lockText: "backup",
      lockDescription: "Locked (backup): a backup is running",
    });
    expect(vm.guestsByNode.pve3![0]).toMatchObject({
      status: "unknown",
      statusColor: "neutral",
      statusIcon: "dialog-question",
    });
  });

  it("sorts by name when asked", () => {
    const byName = buildViewModel(input({ sortBy: "name" }));
    expect(byName.guestsByNode.pve1!.map((g) => g.name)).toEqual([
      "debian-template",
      "web-2",
      "web-10",
    ]);
  });

  it("marks expanded nodes by name or key", () => {
    const e = buildViewModel(input({ expandedNodes: ["pve2", "node/pve3"] }));
    expect(e.nodes.map((n) => n.expanded)).toEqual([false, true, true]);
  });

  it("gives guests of an unlisted node their own list", () => {
    const v = buildViewModel(
      input({
        snapshot: snapshot({ nodes: [node("pve1")], guests: [guest(5, { node: "gone" })] }),
      }),
    );
    expect(Object.keys(v.guestsByNode).sort()).toEqual(["gone", "pve1"]);
    expect(v.guestsByNode.pve1).toEqual([]);
  });

  it("warns on lost quorum even when every node is up", () => {
    const v = buildViewModel(
      input({
        snapshot: snapshot({
          nodes: [node("pve1")],
          cluster: { name: "c", quorate: false, version: null },
        }),
      }),
    );
    expect(v.panel.statusColor).toBe("warning");
    const fine = buildViewModel(input({ snapshot: snapshot({ nodes: [node("pve1")] }) }));
    expect(fine.panel.statusColor).toBe("neutral");
  });
});

describe("buildViewModel: anonymised", () => {
  it("shows stand-in names everywhere, error text included", () => {
    const vm = buildViewModel(
      input({
        anonymise: true,
        host: "pve1.smith.lan",
        refresh: {
          ...fresh,
          stale: true,
          error: { kind: "unreachable", message: "Cannot reach pve1.smith.lan:8006" },
        },
        expandedNodes: ["node-1"],
      }),
    );
    expect(vm.clusterName).toBe("cluster");
    expect(vm.nodes.map((n) => [n.key, n.name, n.expanded])).toEqual([
      ["node/node-1", "node-1", true],
      ["node/node-2", "node-2", false],
      ["node/node-3", "node-3", false],
    ]);
    expect(vm.guestsByNode["node-1"]!.map((g) => [g.key, g.name, g.tags])).toEqual([
      ["qemu/101", "vm-101", "tag-1;tag-2"],
      ["lxc/102", "ct-102", ""],
      ["qemu/9000", "vm-9000", ""],
    ]);
    expect(vm.errorMessage).toBe("Cannot reach pve.example.com:8006");
    expect(JSON.stringify(vm)).not.toMatch(/smith|homelab|web-10|pve1/);
  });

  it("keeps nodes open that the settings remember by their real names", () => {
    const realNames = buildViewModel(input({ anonymise: false })).nodes.map((n) => n.name);
    const vm = buildViewModel(
      input({ anonymise: true, expandedNodes: ["node/" + realNames[1]], guestRowsFor: "expanded" }),
    );
    const open = vm.nodes.filter((n) => n.expanded);
    expect(open.length).toBe(1);
    expect(realNames).not.toContain(open[0]!.name);
    expect(vm.guestsByNode[open[0]!.name]!.length).toBeGreaterThan(0);
  });

  it("scrubs the host from an error even before the first answer", () => {
    const vm = buildViewModel(
      input({
        anonymise: true,
        host: "10.0.0.5",
        snapshot: null,
        refresh: {
          refreshing: false,
          lastSuccessAt: null,
          stale: false,
          error: { kind: "tls", message: "Certificate of 10.0.0.5 is not trusted" },
        },
      }),
    );
    expect(vm.errorMessage).toBe("Certificate of pve.example.com is not trusted");
  });
});

describe("buildViewModel: guest rows for expanded nodes only", () => {
  it("builds every node's rows by default, and only expanded ones' when asked", () => {
    const all = buildViewModel(input({ expandedNodes: ["pve2", "node/pve3"] }));
    const some = buildViewModel(
      input({ expandedNodes: ["pve2", "node/pve3"], guestRowsFor: "expanded" }),
    );
    expect(all.guestsByNode.pve1!.length).toBeGreaterThan(0);
    expect(some.guestsByNode.pve1).toEqual([]);
    expect(some.guestsByNode.pve2).toEqual(all.guestsByNode.pve2);
    expect(some.guestsByNode.pve3).toEqual(all.guestsByNode.pve3);
    // Counts come from the node rows, which are the same either way.
    expect(some.nodes).toEqual(all.nodes);
    expect(some.summary).toEqual(all.summary);
  });

  it("gives an unlisted node's guests an empty list unless it is expanded", () => {
    const snap = snapshot({ nodes: [node("pve1")], guests: [guest(5, { node: "gone" })] });
    const collapsed = buildViewModel(input({ snapshot: snap, guestRowsFor: "expanded" }));
    expect(collapsed.guestsByNode).toEqual({ gone: [], pve1: [] });
    const expanded = buildViewModel(
      input({ snapshot: snap, guestRowsFor: "expanded", expandedNodes: ["gone"] }),
    );
    expect(expanded.guestsByNode.gone!.map((g) => g.key)).toEqual(["qemu/5"]);
  });
});

describe("buildViewModel: the lock badge", () => {
  it("names the kind of lock in the badge and explains it in the tooltip", () => {
    expect(describeLock("backup")).toEqual({
      text: "backup",
      description: "Locked (backup): a backup is running",
    });
    expect(describeLock("snapshot-delete")).toEqual({
      text: "snapshot delete",
      description: "Locked (snapshot-delete): a snapshot is being deleted",
    });
    expect(describeLock("migrate").text).toBe("migrate");
  });

  it("shows a lock PVE may add later as it came", () => {
    expect(describeLock("frobnicate")).toEqual({
      text: "frobnicate",
      description: "Locked (frobnicate)",
    });
  });

  it("translates both texts through the injected translator", () => {
    const seen: string[] = [];
    const tr = (t: string, ...a: Array<string | number>) => {
      seen.push(t);
      return "<" + t.replace("%1", String(a[0])).replace("%2", String(a[1])) + ">";
    };
    const vm = buildViewModel({ ...input(), tr });
    const row = vm.guestsByNode.pve2![0]!;
    expect(row.lockText).toBe("<backup>");
    expect(row.lockDescription).toBe("<Locked (backup): <a backup is running>>");
    expect(seen).toContain("Locked (%1): %2");
    // Unlocked guests cost no translation.
    expect(vm.guestsByNode.pve1![0]!.lockText).toBe("");
  });
});
