import { describe, expect, it } from "vitest";
import { aggregate } from "../../src/view/aggregate";
import { GiB, guest, node, snapshot } from "./sample";

describe("aggregate", () => {
  it("counts nodes and guests, keeps templates apart, and averages online nodes only", () => {
    expect(aggregate(snapshot())).toEqual({
      nodesOnline: 2,
      nodesTotal: 3,
      guestsRunning: 1,
      guestsTotal: 4,
      templates: 1,
      vmsRunning: 1,
      vmsTotal: 3,
      ctsRunning: 0,
      ctsTotal: 1,
      averageCpu: 0.5,
      memUsed: 32 * GiB,
      memTotal: 128 * GiB,
      memFraction: 0.25,
    });
  });

  it("leaves out online nodes without a reading, and says null when nobody has one", () => {
    const a = aggregate(
      snapshot({
        nodes: [
          node("a", { cpu: null, mem: null }),
          node("b", { cpu: 0.2 }),
          node("c", { status: "offline", cpu: 0.9 }),
        ],
        guests: [],
      }),
    );
    expect(a.averageCpu).toBeCloseTo(0.2);
    expect(a.memUsed).toBe(16 * GiB);
    expect(a.memTotal).toBe(64 * GiB);

    const none = aggregate(snapshot({ nodes: [node("c", { status: "offline" })], guests: [] }));
    expect(none).toMatchObject({
      nodesOnline: 0,
      averageCpu: null,
      memUsed: null,
      memTotal: null,
      memFraction: null,
    });
  });

  it("counts running containers and a running template is still only a template", () => {
    const a = aggregate(
      snapshot({
        guests: [
          guest(1, { type: "lxc" }),
          guest(2, { type: "lxc", status: "stopped" }),
          guest(3, { template: true, status: "running" }),
        ],
      }),
    );
    expect(a).toMatchObject({
      ctsRunning: 1,
      ctsTotal: 2,
      vmsRunning: 0,
      vmsTotal: 0,
      guestsRunning: 1,
      guestsTotal: 2,
      templates: 1,
    });
  });

  it("an empty cluster is all zeros and nulls", () => {
    expect(aggregate(snapshot({ nodes: [], guests: [], storage: [] }))).toMatchObject({
      nodesOnline: 0,
      nodesTotal: 0,
      guestsTotal: 0,
      averageCpu: null,
    });
  });
});
