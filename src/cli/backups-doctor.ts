// doctor's backups lines (issue 13): one per feature, available or not,
// with the missing privilege and path. Optional parts, so a missing one is
// a "!", never a failure.

import type { GuestInfo, NodeInfo, StorageInfo } from "../model/types";
import { featureLabel } from "../backups/features";
import { createBackupReader, type ReaderClient } from "../backups/reader";
import { oneLine } from "./io";
import type { PowerReportSink } from "./power-doctor";

export type BackupsReportSink = PowerReportSink;

export async function reportBackupFeatures(
  sink: BackupsReportSink,
  client: ReaderClient,
  resources: { guests: GuestInfo[]; nodes: NodeInfo[]; storage: StorageInfo[] },
): Promise<void> {
  const reader = createBackupReader({ client, clock: () => Date.now() });
  const data = await reader.read({
    guests: resources.guests,
    nodes: resources.nodes.filter((n) => n.status === "online").map((n) => n.name),
    storage: resources.storage,
  });
  for (const f of data.features) {
    const label = "Backups: " + featureLabel(f.id);
    if (f.available === true) sink.ok(label + " — available");
    else if (f.available === null) sink.ok(label + " — not needed here (nothing to read)");
    else if (f.missing)
      sink.warn(`${label} — not available: needs ${f.missing.privilege} on ${f.missing.path}`);
    else sink.warn(`${label} — not available: ${oneLine(f.message ?? "unknown error")}`);
  }
  if (
    data.volumes.length === 0 &&
    resources.storage.some((s) => s.content.indexOf("backup") >= 0)
  ) {
    sink.detail(
      "Backup volumes on storage are listed only with Datastore.Allocate, or Datastore.AllocateSpace + VM.Backup (PVEAuditor sees none); last backups then come from tasks",
    );
  }
}
