// The popup's Storage section (issue 12): rows to draw, every text chosen
// here. Shared storages once under "Shared", local ones under their node;
// fullest first within each group (src/history/storage.ts). A storage's
// forecast ("full in ~N days") comes from its own week rrddata, read only
// while the popup is open (src/widget/history-view.ts), and is shown only
// when it would fill within 30 days.
//
// Privilege: PVE lists a storage in /cluster/resources only to a token
// with Datastore.Audit (or Datastore.AllocateSpace) on it, so a token
// without it sees no storage at all — not an error. When the cluster has
// nodes but no storage is listed, the section says so and names the
// privilege instead of pretending there is none.

import { forecastFull } from "../history/forecast";
import type { HistoryTarget, StoragePoint } from "../history/rrd";
import { DEFAULT_STORAGE_ALERTS, type StorageAlertSettings } from "../history/storage-alerts";
import { groupStorage, type StorageRow } from "../history/storage";
import type { Snapshot } from "../model/types";
import { plainTranslator, type Translator } from "../notify/message";
import { formatBytes } from "../view/format";
import type { StatusColor } from "../view/view-model";

/** One line of the section: a group heading or a storage. */
export interface StorageLine {
  key: string;
  heading: boolean;
  title: string;
  /** "dir · available"; "" for a heading. */
  detailText: string;
  /** "12 GiB of 100 GiB (12%)" or "usage unknown". */
  usageText: string;
  /** 0..1, or -1 when unknown. */
  fraction: number;
  /** The bar's colour role: positive below warn, warning, negative from critical; neutral unknown. */
  color: StatusColor;
  stateColor: StatusColor;
  /** "full in ~12 days", or "". */
  forecastText: string;
}

export interface StorageSectionView {
  /** The section has something to show (lines or a notice). */
  visible: boolean;
  title: string;
  lines: StorageLine[];
  /** Why nothing is listed (the privilege), or "". */
  notice: string;
}

export function stateText(state: StorageRow["state"], tr: Translator = plainTranslator): string {
  switch (state) {
    case "available":
      return tr("available");
    case "inactive":
      return tr("inactive");
    case "disabled":
      return tr("disabled");
    default:
      return tr("unknown");
  }
}

function percentText(fraction: number): string {
  return String(Math.round(fraction * 100));
}

export function forecastText(
  row: StorageRow,
  points: ReadonlyArray<StoragePoint>,
  tr: Translator = plainTranslator,
): string {
  if (row.state !== "available" || points.length === 0) return "";
  const f = forecastFull(points, { used: row.used, total: row.total });
  if (f === null) return "";
  if (f.days <= 0) return tr("full");
  return f.days === 1 ? tr("full in ~1 day") : tr("full in ~%1 days", f.days);
}

function line(
  r: StorageRow,
  points: (rowKey: string) => ReadonlyArray<StoragePoint>,
  alerts: StorageAlertSettings,
  tr: Translator,
): StorageLine {
  const usage =
    r.fraction === null
      ? tr("usage unknown")
      : tr("%1 of %2 (%3%)", formatBytes(r.used), formatBytes(r.total), percentText(r.fraction));
  const percent = r.fraction === null ? -1 : r.fraction * 100;
  return {
    key: r.key,
    heading: false,
    title: r.storage,
    detailText: (r.type !== null ? r.type + " · " : "") + stateText(r.state, tr),
    usageText: usage,
    fraction: r.fraction === null ? -1 : r.fraction,
    color:
      percent < 0
        ? "neutral"
        : percent >= alerts.criticalPercent
          ? "negative"
          : percent >= alerts.warnPercent
            ? "warning"
            : "positive",
    stateColor:
      r.state === "available" ? "positive" : r.state === "inactive" ? "warning" : "neutral",
    forecastText: forecastText(r, points(r.key), tr),
  };
}

function heading(key: string, title: string): StorageLine {
  return {
    key,
    heading: true,
    title,
    detailText: "",
    usageText: "",
    fraction: -1,
    color: "neutral",
    stateColor: "neutral",
    forecastText: "",
  };
}

export function buildStorageSection(
  snapshot: Pick<Snapshot, "storage" | "nodes"> | null,
  points: (rowKey: string) => ReadonlyArray<StoragePoint>,
  alerts: StorageAlertSettings = DEFAULT_STORAGE_ALERTS,
  tr: Translator = plainTranslator,
): StorageSectionView {
  const title = tr("Storage");
  if (snapshot === null) return { visible: false, title, lines: [], notice: "" };
  if (snapshot.storage.length === 0) {
    return {
      visible: snapshot.nodes.length > 0,
      title,
      lines: [],
      notice: tr(
        "No storage is listed. Storage usage, forecasts and filling-up alerts need the Datastore.Audit privilege on /storage for the API token.",
      ),
    };
  }
  const groups = groupStorage(snapshot);
  const lines: StorageLine[] = [];
  if (groups.shared.length > 0) {
    lines.push(heading("heading/shared", tr("Shared")));
    for (const r of groups.shared) lines.push(line(r, points, alerts, tr));
  }
  for (const g of groups.byNode) {
    lines.push(heading("heading/node/" + g.node, g.node));
    for (const r of g.storages) lines.push(line(r, points, alerts, tr));
  }
  return { visible: true, title, lines, notice: "" };
}

/** The week series the forecasts need: one per available storage row. */
export function storageTargets(
  snapshot: Pick<Snapshot, "storage"> | null,
): Array<{ rowKey: string; target: HistoryTarget }> {
  if (snapshot === null) return [];
  const out: Array<{ rowKey: string; target: HistoryTarget }> = [];
  for (const r of groupStorage(snapshot).all) {
    if (r.state !== "available" || r.fraction === null) continue;
    out.push({ rowKey: r.key, target: { kind: "storage", node: r.node, storage: r.storage } });
  }
  return out;
}
