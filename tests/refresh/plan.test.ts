import { describe, expect, it } from "vitest";
import {
  initialPlanMemory,
  planRefresh,
  rememberOutcome,
  type ExtraOutcome,
  type PlanMemory,
  type PlanOptions,
} from "../../src/refresh/plan";

/** Runs `count` refreshes, answering each planned extra with `answer(extra, index)`. */
function simulate(
  count: number,
  answer: (extra: "clusterStatus" | "version", index: number) => ExtraOutcome,
  options?: Partial<PlanOptions>,
) {
  let memory: PlanMemory = initialPlanMemory();
  const status: number[] = [];
  const version: number[] = [];
  for (let i = 0; i < count; i++) {
    const plan = planRefresh(i, memory, options);
    expect(plan.resources).toBe(true);
    if (plan.clusterStatus) status.push(i);
    if (plan.version) version.push(i);
    memory = rememberOutcome(memory, i, {
      clusterStatus: plan.clusterStatus ? answer("clusterStatus", i) : "skipped",
      version: plan.version ? answer("version", i) : "skipped",
    });
  }
  return { status, version };
}

describe("planRefresh", () => {
  it("asks /cluster/status at the first refresh and then every 10th; /version only until answered", () => {
    const { status, version } = simulate(35, () => "ok");
    expect(status).toEqual([0, 10, 20, 30]);
    expect(version).toEqual([0]);
  });

  it("the cadence is configurable, and /version can be refreshed too", () => {
    const { status, version } = simulate(13, () => "ok", {
      clusterStatusEvery: 4,
      versionEvery: 6,
    });
    expect(status).toEqual([0, 4, 8, 12]);
    expect(version).toEqual([0, 6, 12]);
  });

  it("after a 403 on /cluster/status asks again only every 60th refresh, and picks up a later grant", () => {
    const { status } = simulate(200, (extra, i) =>
      extra === "clusterStatus" && i < 120 ? "forbidden" : "ok",
    );
    expect(status).toEqual([0, 60, 120, 130, 140, 150, 160, 170, 180, 190]);
  });

  it("a 403 on /cluster/status does not affect /version", () => {
    const { version } = simulate(20, (extra) => (extra === "clusterStatus" ? "forbidden" : "ok"));
    expect(version).toEqual([0]);
  });

  it("asks again on the next refresh after a failure that said nothing (timeout, 5xx, aborted)", () => {
    const { status, version } = simulate(15, (_extra, i) => (i < 3 ? "failed" : "ok"));
    expect(status).toEqual([0, 1, 2, 3, 13]);
    expect(version).toEqual([0, 1, 2, 3]);
  });

  it("an undecodable answer counts as answered, so it is not asked on every refresh", () => {
    const { status, version } = simulate(21, () => "unusable");
    expect(status).toEqual([0, 10, 20]);
    expect(version).toEqual([0]);
  });

  it("is pure: rememberOutcome returns a new memory", () => {
    const memory = initialPlanMemory();
    const next = rememberOutcome(memory, 0, { clusterStatus: "ok", version: "forbidden" });
    expect(memory).toEqual(initialPlanMemory());
    expect(next).toEqual({
      clusterStatus: { answeredAt: 0, forbiddenAt: null },
      version: { answeredAt: null, forbiddenAt: 0 },
    });
    expect(planRefresh(5, next)).toEqual({ resources: true, clusterStatus: false, version: false });
  });
});
