// Which requests one refresh makes. /cluster/resources carries everything
// that changes by the second; cluster name, quorum and PVE version change
// rarely, so they ride along only now and then. A token without Sys.Audit
// on "/" gets 403 from /cluster/status: that must cost nothing, so it is
// remembered and asked again only rarely (a privilege granted later is
// still picked up).
//
// Memory counts in refresh indexes, not time, so it follows whatever
// interval the user chose. An extra that failed for any other reason
// (timeout, 5xx, aborted) is not remembered and is asked again on the next
// refresh: usually the whole server was down and the cluster info is missing.
// An answer that could not be decoded counts as answered, so a format this
// code does not understand is not asked for on every refresh.

export interface RefreshPlan {
  resources: true;
  clusterStatus: boolean;
  version: boolean;
}

export interface PlanOptions {
  /** Ask /cluster/status again this many refreshes after the last answer. */
  clusterStatusEvery: number;
  /** Ask /version again this many refreshes after the last answer; null: only until answered once. */
  versionEvery: number | null;
  /** After a 403, ask again only this many refreshes later. */
  forbiddenRetryEvery: number;
}

export const DEFAULT_PLAN_OPTIONS: Readonly<PlanOptions> = Object.freeze({
  clusterStatusEvery: 10,
  versionEvery: null,
  forbiddenRetryEvery: 60,
});

export interface ExtraMemory {
  /** Refresh index of the last answer (decodable or not); null before the first. */
  answeredAt: number | null;
  /** Refresh index of the last 403; null when the last answer was not a 403. */
  forbiddenAt: number | null;
}

export interface PlanMemory {
  clusterStatus: ExtraMemory;
  version: ExtraMemory;
}

/** "skipped": not requested or aborted; "failed": timeout, 5xx, unreachable, ... */
export type ExtraOutcome = "ok" | "unusable" | "forbidden" | "failed" | "skipped";

export function initialPlanMemory(): PlanMemory {
  return {
    clusterStatus: { answeredAt: null, forbiddenAt: null },
    version: { answeredAt: null, forbiddenAt: null },
  };
}

function isDue(
  refreshIndex: number,
  memory: ExtraMemory,
  every: number | null,
  forbiddenRetryEvery: number,
): boolean {
  if (memory.forbiddenAt !== null) return refreshIndex - memory.forbiddenAt >= forbiddenRetryEvery;
  if (memory.answeredAt === null) return true;
  if (every === null) return false;
  return refreshIndex - memory.answeredAt >= every;
}

function resolveOptions(options: Partial<PlanOptions> | undefined): PlanOptions {
  const o = options || {};
  return {
    clusterStatusEvery: positiveOr(o.clusterStatusEvery, DEFAULT_PLAN_OPTIONS.clusterStatusEvery),
    versionEvery:
      o.versionEvery === null
        ? null
        : o.versionEvery === undefined
          ? DEFAULT_PLAN_OPTIONS.versionEvery
          : positiveOr(o.versionEvery, 1),
    forbiddenRetryEvery: positiveOr(
      o.forbiddenRetryEvery,
      DEFAULT_PLAN_OPTIONS.forbiddenRetryEvery,
    ),
  };
}

function positiveOr(n: number | undefined, fallback: number): number {
  return typeof n === "number" && isFinite(n) && n >= 1 ? Math.floor(n) : fallback;
}

export function planRefresh(
  refreshIndex: number,
  memory: PlanMemory,
  options?: Partial<PlanOptions>,
): RefreshPlan {
  const o = resolveOptions(options);
  return {
    resources: true,
    clusterStatus: isDue(
      refreshIndex,
      memory.clusterStatus,
      o.clusterStatusEvery,
      o.forbiddenRetryEvery,
    ),
    version: isDue(refreshIndex, memory.version, o.versionEvery, o.forbiddenRetryEvery),
  };
}

function rememberOne(
  memory: ExtraMemory,
  refreshIndex: number,
  outcome: ExtraOutcome,
): ExtraMemory {
  switch (outcome) {
    case "ok":
    case "unusable":
      return { answeredAt: refreshIndex, forbiddenAt: null };
    case "forbidden":
      return { answeredAt: memory.answeredAt, forbiddenAt: refreshIndex };
    default:
      return memory;
  }
}

/** Returns a new memory; the given one is not changed. */
export function rememberOutcome(
  memory: PlanMemory,
  refreshIndex: number,
  outcomes: { clusterStatus: ExtraOutcome; version: ExtraOutcome },
): PlanMemory {
  return {
    clusterStatus: rememberOne(memory.clusterStatus, refreshIndex, outcomes.clusterStatus),
    version: rememberOne(memory.version, refreshIndex, outcomes.version),
  };
}
