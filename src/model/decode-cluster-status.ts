// GET /cluster/status: only the cluster entry matters here (name, quorum).
// Node entries are skipped: /cluster/resources already says which nodes
// are online, with more detail.

import { isRecord, own, toBool, toText } from "./decode-values";

export interface DecodedClusterStatus {
  name: string | null;
  quorate: boolean | null;
  /** No cluster entry: a single node that was never joined to a cluster. */
  standalone: boolean;
}

/** Null only when `data` is not a list (the caller reports a bad response). */
export function decodeClusterStatus(data: unknown): DecodedClusterStatus | null {
  if (!Array.isArray(data)) return null;
  const n = data.length;
  for (let i = 0; i < n; i++) {
    try {
      const entry: unknown = data[i];
      if (!isRecord(entry) || own(entry, "type") !== "cluster") continue;
      // quorate is 0/1 on the wire; anything else means we do not know,
      // which is not the same as "no quorum".
      return {
        name: toText(own(entry, "name")),
        quorate: toBool(own(entry, "quorate")),
        standalone: false,
      };
    } catch {
      // An unreadable entry is treated as absent.
    }
  }
  return { name: null, quorate: null, standalone: true };
}
