// Which privilege each part needs, and what the last read said about it.
// A 403 on one part never fails the rest: that part reports `available:
// false` with the privilege and path, and its guests' states become
// `unknown` where nothing else tells.

import type { ProxmonError } from "../api/errors";
import { plainTranslator, type Translator } from "../notify/message";

export type FeatureId =
  "jobs" | "not-backed-up" | "tasks" | "task-logs" | "storage-content" | "ha" | "ceph";

export interface FeatureNeed {
  id: FeatureId;
  privilege: string;
  path: string;
}

/** From PVE's schemas (pve-endpoint-schemas.txt) and pve-storage's check_volume_access. */
export const FEATURE_NEEDS: readonly FeatureNeed[] = [
  { id: "jobs", privilege: "Sys.Audit", path: "/" },
  { id: "not-backed-up", privilege: "Sys.Audit", path: "/" },
  { id: "tasks", privilege: "Sys.Audit", path: "/nodes/{node}" },
  { id: "task-logs", privilege: "Sys.Audit", path: "/nodes/{node}" },
  {
    id: "storage-content",
    privilege: "Datastore.Allocate (or Datastore.AllocateSpace + VM.Backup)",
    path: "/storage/{storage}",
  },
  { id: "ha", privilege: "Sys.Audit", path: "/" },
  { id: "ceph", privilege: "Sys.Audit or Datastore.Audit", path: "/" },
];

export interface FeatureStatus extends FeatureNeed {
  /** null: not tried (e.g. no HA guests, no Ceph, nothing to read). */
  available: boolean | null;
  /** The missing privilege/path as PVE named it on a 403, else the documented one. */
  missing: { privilege: string; path: string } | null;
  /** Why not available, one line (already safe to show). */
  message: string | null;
}

export function featureLabel(id: FeatureId, tr: Translator = plainTranslator): string {
  switch (id) {
    case "jobs":
      return tr("Backup jobs");
    case "not-backed-up":
      return tr("Guests in no backup job");
    case "tasks":
      return tr("Tasks of all users (backups, failures)");
    case "task-logs":
      return tr("Logs of multi-guest backup tasks");
    case "storage-content":
      return tr("Backup volumes on storage");
    case "ha":
      return tr("High availability status");
    case "ceph":
      return tr("Ceph health");
  }
}

export function needOf(id: FeatureId): FeatureNeed {
  for (const n of FEATURE_NEEDS) if (n.id === id) return n;
  throw new Error("unknown feature " + id);
}

export function initialFeatures(): FeatureStatus[] {
  return FEATURE_NEEDS.map((n) => ({ ...n, available: null, missing: null, message: null }));
}

/** Records the outcome of one read of a feature (ok, or the error). */
export function noteFeature(
  features: FeatureStatus[],
  id: FeatureId,
  error: ProxmonError | null,
  partial = false,
): void {
  for (const f of features) {
    if (f.id !== id) continue;
    if (error === null) {
      // Several reads per feature (one per node): one failure makes it partial.
      if (f.available === null) f.available = true;
      return;
    }
    if (error.kind === "permission") {
      f.available = false;
      f.missing = { privilege: error.privilege ?? f.privilege, path: error.aclPath ?? f.path };
      f.message = error.message;
    } else if (!partial || f.available !== true) {
      f.available = false;
      f.message = error.message;
    }
    return;
  }
}
