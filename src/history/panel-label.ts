// The panel's label (issue 12, Settings → Appearance): what the compact
// representation shows next to the icon. Pure: the snapshot in, a text and
// a tooltip line out, every word through the translator. QML only picks
// the mode and draws the text.

import type { Snapshot } from "../model/types";
import { plainTranslator, type Translator } from "../notify/message";
import { aggregate, type Aggregate } from "../view/aggregate";
import { fullestStorage } from "./storage";

export type PanelLabelMode = "average-cpu" | "memory" | "guests" | "fullest-storage" | "icon-only";
export const PANEL_LABEL_MODES: ReadonlyArray<PanelLabelMode> = [
  "average-cpu",
  "memory",
  "guests",
  "fullest-storage",
  "icon-only",
];
export const DEFAULT_PANEL_LABEL_MODE: PanelLabelMode = "average-cpu";

export interface PanelLabel {
  mode: PanelLabelMode;
  /** What the panel shows; "" for icon-only (and then QML shows the icon alone). */
  text: string;
  /** The always-present summary for the tooltip. */
  summary: string;
}

/** An unknown or absent setting falls back to the default mode. */
export function panelLabelMode(v: unknown): PanelLabelMode {
  return typeof v === "string" && (PANEL_LABEL_MODES as ReadonlyArray<string>).indexOf(v) >= 0
    ? (v as PanelLabelMode)
    : DEFAULT_PANEL_LABEL_MODE;
}

function percent(fraction: number | null): number | null {
  return fraction === null || !(fraction - fraction === 0) ? null : Math.round(fraction * 100);
}

/** The label settings' choices, translated, for the settings page's combo box. */
export function panelLabelChoices(
  tr: Translator = plainTranslator,
): Array<{ value: PanelLabelMode; text: string }> {
  return [
    { value: "average-cpu", text: tr("Average CPU") },
    { value: "memory", text: tr("Memory") },
    { value: "guests", text: tr("Running guests of total") },
    { value: "fullest-storage", text: tr("Fullest storage") },
    { value: "icon-only", text: tr("Icon only") },
  ];
}

export function panelLabel(
  snapshot: Snapshot | null,
  modeSetting: unknown,
  tr: Translator = plainTranslator,
): PanelLabel {
  const mode = panelLabelMode(modeSetting);
  if (snapshot === null) return { mode, text: mode === "icon-only" ? "" : "–", summary: "" };
  const a = aggregate(snapshot);
  const cpu = percent(a.averageCpu);
  const mem = percent(a.memFraction);
  const summary = tr(
    "CPU %1 · memory %2 · %3 of %4 guests running · %5 of %6 nodes online",
    cpu === null ? "–" : tr("%1 %", cpu),
    mem === null ? "–" : tr("%1 %", mem),
    a.guestsRunning,
    a.guestsTotal,
    a.nodesOnline,
    a.nodesTotal,
  );
  let text: string;
  switch (mode) {
    case "average-cpu":
      text = cpu === null ? "–" : tr("%1 %", cpu);
      break;
    case "memory":
      text = mem === null ? "–" : tr("%1 %", mem);
      break;
    case "guests":
      text = tr("%1/%2", a.guestsRunning, a.guestsTotal);
      break;
    case "fullest-storage": {
      const s = fullestStorage(snapshot);
      const p = s === null ? null : percent(s.fraction);
      text = s === null || p === null ? "–" : tr("%1 %2 %", s.storage, p);
      break;
    }
    case "icon-only":
      text = "";
      break;
  }
  return { mode, text, summary };
}

/** What one connection brings to the panel label over several. */
export interface LabelPart {
  /** Its cluster in numbers; null until its first good refresh. */
  aggregate: Aggregate | null;
  /** Its fullest storage (name and fraction 0..1); null when none is known. */
  fullest: { storage: string; fraction: number } | null;
}

/**
 * The panel label over several connections, in `mode`: memory and guests
 * summed over every connection that answered, the fullest storage of all.
 * Average CPU is the caller's (it is taken over every online node, not
 * averaged per connection); icon-only is "".
 */
export function combinedPanelText(
  parts: ReadonlyArray<LabelPart>,
  modeSetting: unknown,
  averageCpuText: string,
  tr: Translator = plainTranslator,
): string {
  const mode = panelLabelMode(modeSetting);
  if (mode === "icon-only") return "";
  if (mode === "average-cpu") return averageCpuText;
  let known = 0;
  let running = 0;
  let total = 0;
  let memUsed = 0;
  let memTotal = 0;
  let best: { storage: string; fraction: number } | null = null;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as LabelPart;
    const a = p.aggregate;
    if (a !== null) {
      known++;
      running += a.guestsRunning;
      total += a.guestsTotal;
      if (a.memUsed !== null && a.memTotal !== null) {
        memUsed += a.memUsed;
        memTotal += a.memTotal;
      }
    }
    if (p.fullest !== null && (best === null || p.fullest.fraction > best.fraction))
      best = p.fullest;
  }
  if (mode === "guests") return known > 0 ? tr("%1/%2", running, total) : "–";
  if (mode === "memory") {
    const m = memTotal > 0 ? percent(memUsed / memTotal) : null;
    return m === null ? "–" : tr("%1 %", m);
  }
  const f = best === null ? null : percent(best.fraction);
  return best === null || f === null ? "–" : tr("%1 %2 %", best.storage, f);
}
