// One refresh of the whole picture: GET /cluster/resources, plus
// /cluster/status and /version when the plan asks for them, all in
// parallel. Only cluster-wide endpoints are used, so an offline node is
// never sent a request (PVE would proxy it and time out).
//
// The refresh stands or falls with /cluster/resources. The extras only add
// cluster name, quorum and version: when one fails the previous value is
// kept, and after a 403 on it the value is cleared, because the token can
// no longer see it and an old quorum is worse than none.
//
// Decoders come in as a parameter so this file does not depend on how the
// model is put together; the integration passes the real ones.

import { plainTranslator, type Translator } from "../notify/message";
import type { ApiCall, ProxmoxClient } from "../api/client";
import type { ProxmonError, Result } from "../api/errors";
import type { GuestInfo, NodeInfo, Snapshot, StorageInfo } from "../model/types";
import type { Logger } from "../scheduler";
import type { LoadContext, LoadHandle } from "./controller";
import {
  initialPlanMemory,
  planRefresh,
  rememberOutcome,
  type ExtraOutcome,
  type PlanMemory,
  type PlanOptions,
} from "./plan";

export interface ResourcesPart {
  nodes: NodeInfo[];
  guests: GuestInfo[];
  storage: StorageInfo[];
}

export interface ClusterStatusPart {
  name: string | null;
  quorate: boolean | null;
  standalone: boolean;
}

export interface ClusterPart {
  name: string | null;
  quorate: boolean | null;
}

export interface SnapshotDecoders {
  decodeResources(data: unknown): ResourcesPart | null;
  decodeClusterStatus(data: unknown): ClusterStatusPart | null;
  decodeVersion(data: unknown): string | null;
  assembleSnapshot(parts: {
    resources: ResourcesPart;
    cluster?: ClusterPart | null;
    version?: string | null;
  }): Snapshot;
}

export interface SnapshotLoaderOptions {
  plan?: Partial<PlanOptions>;
  log?: Logger;
  /** The widget's i18n; English by default. */
  tr?: Translator;
}

export interface SnapshotLoader {
  /** Fits RefreshControllerDeps.load; abort() aborts every request of that refresh. */
  load(context: LoadContext): LoadHandle<Snapshot>;
  /** Forget cluster info and plan memory, e.g. after a settings change that keeps the client. */
  reset(): void;
}

export const RESOURCES_PATH = "/cluster/resources";
export const CLUSTER_STATUS_PATH = "/cluster/status";
export const VERSION_PATH = "/version";

function noLog(): void {}

function outcomeOfFailure(error: ProxmonError): ExtraOutcome {
  if (error.kind === "permission") return "forbidden";
  if (error.kind === "aborted") return "skipped";
  return "failed";
}

export function createSnapshotLoader(
  client: ProxmoxClient,
  decoders: SnapshotDecoders,
  options?: SnapshotLoaderOptions,
): SnapshotLoader {
  const planOptions = options && options.plan;
  const log: Logger = (options && options.log) || noLog;
  const tr: Translator = (options && options.tr) || plainTranslator;

  let memory: PlanMemory = initialPlanMemory();
  let cluster: ClusterPart | null = null;
  let version: string | null = null;
  // reset() while a refresh is in flight must not let that refresh write
  // the old server's answers into the fresh memory.
  let epoch = 0;

  function takeClusterStatus(answer: Result<unknown> | null): ExtraOutcome {
    if (answer === null) return "skipped";
    if (!answer.ok) {
      const outcome = outcomeOfFailure(answer.error);
      if (outcome === "forbidden") {
        log(
          "info",
          CLUSTER_STATUS_PATH +
            " is not readable with this token; cluster name and quorum stay unknown",
        );
        cluster = null;
      } else if (outcome === "failed") {
        log(
          "debug",
          CLUSTER_STATUS_PATH +
            " failed (" +
            answer.error.kind +
            "); keeping the previous cluster info",
        );
      }
      return outcome;
    }
    let decoded: ClusterStatusPart | null = null;
    try {
      decoded = decoders.decodeClusterStatus(answer.value);
    } catch (e) {
      log("warn", "decoding " + CLUSTER_STATUS_PATH + " threw: " + String(e));
    }
    if (decoded === null) {
      log(
        "warn",
        CLUSTER_STATUS_PATH +
          " answered in an unexpected format; keeping the previous cluster info",
      );
      return "unusable";
    }
    cluster = { name: decoded.name, quorate: decoded.quorate };
    return "ok";
  }

  function takeVersion(answer: Result<unknown> | null): ExtraOutcome {
    if (answer === null) return "skipped";
    if (!answer.ok) {
      const outcome = outcomeOfFailure(answer.error);
      if (outcome === "forbidden") version = null;
      return outcome;
    }
    let decoded: string | null = null;
    try {
      decoded = decoders.decodeVersion(answer.value);
    } catch (e) {
      log("warn", "decoding " + VERSION_PATH + " threw: " + String(e));
    }
    if (decoded === null) {
      log("warn", VERSION_PATH + " answered in an unexpected format");
      return "unusable";
    }
    version = decoded;
    return "ok";
  }

  function combine(
    myEpoch: number,
    refreshIndex: number,
    resources: Result<unknown>,
    status: Result<unknown> | null,
    versionAnswer: Result<unknown> | null,
  ): Result<Snapshot> {
    if (myEpoch === epoch) {
      const outcomes = {
        clusterStatus: takeClusterStatus(status),
        version: takeVersion(versionAnswer),
      };
      memory = rememberOutcome(memory, refreshIndex, outcomes);
    }
    if (!resources.ok) return resources;
    const decoded = decoders.decodeResources(resources.value);
    if (decoded === null) {
      return {
        ok: false,
        error: {
          kind: "bad-response",
          message: tr("The server's answer to %1 was not in the expected format.", RESOURCES_PATH),
          path: RESOURCES_PATH,
        },
      };
    }
    return {
      ok: true,
      value: decoders.assembleSnapshot({ resources: decoded, cluster, version }),
    };
  }

  return {
    load(context: LoadContext): LoadHandle<Snapshot> {
      const plan = planRefresh(context.refreshIndex, memory, planOptions);
      const myEpoch = epoch;
      const calls: ApiCall<unknown>[] = [];
      const resourcesCall = client.get(RESOURCES_PATH);
      calls.push(resourcesCall);
      let statusCall: ApiCall<unknown> | null = null;
      let versionCall: ApiCall<unknown> | null = null;
      if (plan.clusterStatus) {
        statusCall = client.get(CLUSTER_STATUS_PATH);
        calls.push(statusCall);
      }
      if (plan.version) {
        versionCall = client.get(VERSION_PATH);
        calls.push(versionCall);
      }
      const none: Promise<Result<unknown> | null> = Promise.resolve(null);
      const result = Promise.all([
        resourcesCall.result,
        statusCall ? statusCall.result : none,
        versionCall ? versionCall.result : none,
      ]).then(function (answers) {
        return combine(myEpoch, context.refreshIndex, answers[0], answers[1], answers[2]);
      });
      return {
        result,
        abort(): void {
          for (let i = 0; i < calls.length; i++) (calls[i] as ApiCall<unknown>).abort();
        },
      };
    },

    reset(): void {
      epoch += 1;
      memory = initialPlanMemory();
      cluster = null;
      version = null;
    },
  };
}
