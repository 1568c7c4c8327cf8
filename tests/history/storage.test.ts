import { describe, expect, it } from "vitest";

import { fullestStorage, groupStorage, storageState } from "../../src/history/storage";
import { snapshot, storageInfo } from "../helpers/snapshots";

const G = 1024 ** 3;

describe("groupStorage", () => {
  const snap = snapshot({
    storage: [
      storageInfo("local", "pve2", { used: 10 * G, total: 100 * G, plugintype: "dir" }),
      storageInfo("ceph", "pve1", { shared: true, status: "unknown", plugintype: "rbd" }),
      storageInfo("ceph", "pve2", {
        shared: true,
        used: 90 * G,
        total: 100 * G,
        plugintype: "rbd",
      }),
      storageInfo("ceph", "pve3", { shared: true, used: 90 * G, total: 100 * G }),
      storageInfo("local", "pve1", { used: 50 * G, total: 100 * G }),
      storageInfo("local-lvm", "pve1", { used: null, total: 100 * G }),
      storageInfo("nfs", "pve1", { shared: true, status: "disabled" }),
    ],
  });

  it("lists a shared storage once, with the reading of a node that can see it", () => {
    const g = groupStorage(snap);
    const ceph = g.shared.filter((r) => r.storage === "ceph");
    expect(ceph).toHaveLength(1);
    expect(ceph[0]).toMatchObject({
      key: "storage/ceph",
      state: "available",
      node: "pve2",
      nodes: ["pve1", "pve2", "pve3"],
      fraction: 0.9,
      type: "rbd",
    });
    expect(g.all.filter((r) => r.storage === "ceph")).toHaveLength(1);
  });

  it("puts local storages under their node, fullest first, unknown usage last", () => {
    const g = groupStorage(snap);
    expect(g.byNode.map((n) => n.node)).toEqual(["pve1", "pve2"]);
    expect(g.byNode[0]!.storages.map((r) => [r.storage, r.fraction])).toEqual([
      ["local", 0.5],
      ["local-lvm", null],
    ]);
    expect(g.all.map((r) => r.key)).toEqual([
      "storage/ceph",
      "storage/pve1/local",
      "storage/pve2/local",
      "storage/pve1/local-lvm",
      "storage/nfs",
    ]);
  });

  it("maps states and finds the fullest available storage", () => {
    expect(storageState("available")).toBe("available");
    expect(storageState("inactive")).toBe("inactive");
    expect(storageState("disabled")).toBe("disabled");
    expect(storageState("whatever")).toBe("unknown");
    expect(fullestStorage(snap)!.key).toBe("storage/ceph");
    expect(fullestStorage(snapshot())).toBeNull();
  });

  it("clamps usage beyond the total to 1 and treats a zero total as unknown", () => {
    const g = groupStorage(
      snapshot({
        storage: [
          storageInfo("a", "n", { used: 200, total: 100 }),
          storageInfo("b", "n", { used: 0, total: 0 }),
        ],
      }),
    );
    expect(g.all.map((r) => r.fraction)).toEqual([1, null]);
  });
});
