import { describe, expect, it } from "vitest";

import {
  combinedPanelText,
  panelLabel,
  panelLabelChoices,
  panelLabelMode,
} from "../../src/history/panel-label";
import { fullestStorage } from "../../src/history/storage";
import { aggregate } from "../../src/view/aggregate";
import { guestInfo, nodeInfo, snapshot, storageInfo } from "../helpers/snapshots";

const snap = snapshot({
  nodes: [
    nodeInfo("pve1", { status: "online", cpu: 0.2, mem: 2, maxmem: 8 }),
    nodeInfo("pve2", { status: "online", cpu: 0.4, mem: 2, maxmem: 8 }),
    nodeInfo("pve3", { status: "offline", cpu: 0.9 }),
  ],
  guests: [
    guestInfo(100, { status: "running" }),
    guestInfo(101, { status: "stopped" }),
    guestInfo(102, { status: "running", type: "lxc" }),
    guestInfo(900, { status: "stopped", template: true }),
  ],
  storage: [
    storageInfo("local", "pve1", { used: 10, total: 100 }),
    storageInfo("tank", "pve2", { used: 87, total: 100 }),
    storageInfo("gone", "pve3", { used: 99, total: 100, status: "unknown" }),
  ],
});

describe("panel label modes", () => {
  it("shows average CPU by default", () => {
    expect(panelLabel(snap, undefined).text).toBe("30 %");
    expect(panelLabel(snap, "bogus").mode).toBe("average-cpu");
  });

  it("memory, running/total guests, fullest storage, icon only", () => {
    expect(panelLabel(snap, "memory").text).toBe("25 %");
    expect(panelLabel(snap, "guests").text).toBe("2/3");
    expect(panelLabel(snap, "fullest-storage").text).toBe("tank 87 %");
    expect(panelLabel(snap, "icon-only").text).toBe("");
  });

  it("the tooltip summary is always there, and every text goes through the translator", () => {
    for (const mode of ["average-cpu", "icon-only", "guests"]) {
      expect(panelLabel(snap, mode).summary).toBe(
        "CPU 30 % · memory 25 % · 2 of 3 guests running · 2 of 3 nodes online",
      );
    }
    const seen: string[] = [];
    const tr = (t: string, ...a: Array<string | number>) => {
      seen.push(t);
      return "«" + a.join("|") + "»";
    };
    const l = panelLabel(snap, "fullest-storage", tr);
    expect(l.text).toBe("«tank|87»");
    expect(seen).toContain("%1 %2 %");
    expect(panelLabelChoices(tr)).toHaveLength(5);
  });

  it("unknown readings show a dash, never 0", () => {
    const empty = snapshot({ nodes: [nodeInfo("a", { status: "online", cpu: null })] });
    expect(panelLabel(empty, "average-cpu").text).toBe("–");
    expect(panelLabel(empty, "memory").text).toBe("–");
    expect(panelLabel(empty, "fullest-storage").text).toBe("–");
    expect(panelLabel(null, "guests").text).toBe("–");
    expect(panelLabelMode("memory")).toBe("memory");
  });
});

describe("the panel label over several connections", () => {
  const other = snapshot({
    nodes: [nodeInfo("o1", { status: "online", cpu: 0.1, mem: 6, maxmem: 8 })],
    guests: [guestInfo(200, { status: "running" }), guestInfo(201, { status: "stopped" })],
    storage: [storageInfo("nas", "o1", { used: 95, total: 100 })],
  });
  const part = (s: typeof snap) => ({
    aggregate: aggregate(s),
    fullest: { storage: fullestStorage(s)!.storage, fraction: fullestStorage(s)!.fraction! },
  });
  const parts = [part(snap), part(other)];

  it("sums guests and memory, takes the fullest storage of all", () => {
    expect(combinedPanelText(parts, "guests", "30%")).toBe("3/5");
    // (2 + 2 + 6) of (8 + 8 + 8)
    expect(combinedPanelText(parts, "memory", "30%")).toBe("42 %");
    expect(combinedPanelText(parts, "fullest-storage", "30%")).toBe("nas 95 %");
  });

  it("average CPU is the caller's figure; icon only is empty; a connection without data adds nothing", () => {
    expect(combinedPanelText(parts, "average-cpu", "23%")).toBe("23%");
    expect(combinedPanelText(parts, undefined, "23%")).toBe("23%");
    expect(combinedPanelText(parts, "icon-only", "23%")).toBe("");
    const down = { aggregate: null, fullest: null };
    expect(combinedPanelText([down, part(other)], "guests", "–")).toBe("1/2");
    expect(combinedPanelText([down, down], "guests", "–")).toBe("–");
    expect(combinedPanelText([down], "memory", "–")).toBe("–");
    expect(combinedPanelText([down], "fullest-storage", "–")).toBe("–");
  });
});
