// The popup's Storage section (src/widget/storage-view.ts).
import { describe, expect, it } from "vitest";

import type { StoragePoint } from "../../src/history/rrd";
import type { StorageInfo } from "../../src/model/types";
import type { StorageRow } from "../../src/history/storage";
import { buildStorageSection, forecastText, storageTargets } from "../../src/widget/storage-view";

const TB = 1024 ** 4;

function st(p: Partial<StorageInfo>): StorageInfo {
  return {
    storage: "local",
    node: "pve1",
    status: "available",
    shared: false,
    plugintype: "dir",
    content: [],
    used: 1 * TB,
    total: 4 * TB,
    ...p,
  };
}

const NODES = [{ name: "pve1" }] as never;

/** A week of 30-min buckets rising `perDay` (fraction of 1 TB) to `now` at `end`. */
function rising(end: number, now: number, perDay: number): StoragePoint[] {
  const out: StoragePoint[] = [];
  for (let i = 0; i < 336; i++) {
    const t = end - (335 - i) * 1800;
    out.push({ time: t, used: (now - ((end - t) / 86400) * perDay) * TB, total: TB });
  }
  return out;
}

describe("storage section", () => {
  it("without Datastore.Audit (nodes, no storage) says so and names the privilege", () => {
    const v = buildStorageSection({ nodes: NODES, storage: [] }, () => []);
    expect(v.visible).toBe(true);
    expect(v.lines).toEqual([]);
    expect(v.notice).toMatch(/Datastore\.Audit/);
    expect(buildStorageSection(null, () => []).visible).toBe(false);
  });

  it("shared once, local under their node, fullest first, colours by threshold", () => {
    const v = buildStorageSection(
      {
        nodes: NODES,
        storage: [
          st({ storage: "nas", shared: true, node: "pve1", plugintype: "nfs", used: 3.9 * TB }),
          st({ storage: "nas", shared: true, node: "pve2", plugintype: "nfs", used: 3.9 * TB }),
          st({ storage: "local", used: 0.5 * TB }),
          st({ storage: "local-lvm", plugintype: "lvmthin", used: 3.5 * TB }),
          st({ storage: "old", status: "inactive", used: null, total: null }),
        ],
      },
      () => [],
    );
    expect(v.lines.map((l) => (l.heading ? "# " + l.title : l.title))).toEqual([
      "# Shared",
      "nas",
      "# pve1",
      "local-lvm",
      "local",
      "old",
    ]);
    expect(v.lines[1]).toMatchObject({ color: "negative", detailText: "nfs · available" });
    expect(v.lines[3]).toMatchObject({ color: "warning", usageText: "3.5 TiB of 4 TiB (88%)" });
    expect(v.lines[4]?.color).toBe("positive");
    expect(v.lines[5]).toMatchObject({
      color: "neutral",
      fraction: -1,
      usageText: "usage unknown",
      detailText: "dir · inactive",
      stateColor: "warning",
    });
    expect(
      storageTargets({ storage: [st({ storage: "old", status: "inactive" }), st({})] }),
    ).toEqual([
      { rowKey: "storage/pve1/local", target: { kind: "storage", node: "pve1", storage: "local" } },
    ]);
  });

  it("forecast only when it fills within 30 days", () => {
    const end = 1_800_000_000;
    const row = (fraction: number): StorageRow => ({
      key: "k",
      storage: "s",
      node: "n",
      nodes: ["n"],
      shared: false,
      type: "dir",
      state: "available",
      used: fraction * TB,
      total: TB,
      fraction,
    });
    expect(forecastText(row(0.81), rising(end, 0.81, 0.02))).toBe("full in ~10 days");
    expect(forecastText(row(0.1), rising(end, 0.1, 0.001))).toBe("");
    expect(forecastText(row(0.8), [])).toBe("");
    const v = buildStorageSection(
      { nodes: NODES, storage: [st({ used: 0.81 * TB, total: TB })] },
      () => rising(end, 0.81, 0.02),
    );
    expect(v.lines[1]?.forecastText).toBe("full in ~10 days");
  });
});
