// Snooze and maintenance in the widget (issue 13, item 5): the entries of a
// guest's or node's context menu, what choosing one does to the list kept
// in the widget's settings (`snoozes`, a string list; src/backups/snooze.ts
// has the format), and the rows Settings → Notifications lists with an
// undo each. Pure; the façade writes the returned list into the config.

import {
  parseSnoozes,
  parseTarget,
  removeSnooze,
  serialiseSnoozes,
  setSnooze,
  snoozeUntilTomorrow,
  targetKey,
  type SnoozeEntry,
  type SnoozeTarget,
} from "../backups/snooze";
import { plainTranslator, type Translator } from "../notify/message";
import { remaining } from "./backups-view";
import { plainContextTranslator, type ContextTranslator, type Tr } from "./texts";

export type SnoozeAction = "hour" | "tomorrow" | "change" | "maintenance" | "off";

export interface SnoozeMenuEntry {
  action: SnoozeAction;
  text: string;
  icon: string;
  /** The current mode (shown checked). */
  checked: boolean;
  enabled: boolean;
}

export interface SnoozeSettingsRow {
  /** "guest:101" or "node:pve2": what `removeSnoozeEntry` takes. */
  key: string;
  title: string;
  detail: string;
}

/** A target from the row a menu belongs to: ("guest", "101") or ("node", "pve2"). */
export function menuTarget(kind: string, id: string): SnoozeTarget | null {
  if (kind === "guest") return parseTarget("guest:" + id);
  if (kind === "node") return parseTarget("node:" + id);
  return null;
}

export function snoozeMenuEntries(
  t: Tr,
  target: SnoozeTarget | null,
  entries: readonly SnoozeEntry[],
  nowSec: number,
): SnoozeMenuEntry[] {
  if (target === null) return [];
  const current = entries.filter(
    (e) => targetKey(e) === targetKey(target) && (e.mode !== "until" || e.until > nowSec),
  )[0];
  const mode = current ? current.mode : null;
  return [
    {
      action: "hour",
      text: t.tr("Snooze notifications for 1 hour"),
      icon: "notifications-disabled",
      checked: false,
      enabled: true,
    },
    {
      action: "tomorrow",
      text: t.tr("Snooze notifications until tomorrow"),
      icon: "notifications-disabled",
      checked: false,
      enabled: true,
    },
    {
      action: "change",
      text: t.tr("Snooze notifications until it changes again"),
      icon: "notifications-disabled",
      checked: mode === "until-change",
      enabled: true,
    },
    {
      action: "maintenance",
      text: t.tr("Maintenance"),
      icon: "tools",
      checked: mode === "maintenance",
      enabled: mode !== "maintenance",
    },
    {
      action: "off",
      text:
        mode === "maintenance"
          ? t.tr("End maintenance")
          : mode !== null
            ? t.tr("Notify again (end snooze)")
            : t.tr("Notify again"),
      icon: "notifications",
      checked: false,
      enabled: mode !== null,
    },
  ];
}

/**
 * The new settings list after choosing `action`. `state` is the subject's
 * state now ("running", "online"), for "until it changes again"; the
 * offset (minutes east of UTC) places "tomorrow" at local midnight.
 */
export function applySnoozeAction(
  list: readonly unknown[],
  target: SnoozeTarget | null,
  action: string,
  nowSec: number,
  state: string,
  offsetMinutes: number,
): string[] {
  const entries = parseSnoozes(list);
  if (target === null) return serialiseSnoozes(entries);
  let next: SnoozeEntry[];
  switch (action) {
    case "hour":
      next = setSnooze(entries, { ...target, mode: "until", until: nowSec + 3600 });
      break;
    case "tomorrow":
      next = setSnooze(entries, {
        ...target,
        mode: "until",
        until: snoozeUntilTomorrow(nowSec, offsetMinutes),
      });
      break;
    case "change":
      next = setSnooze(entries, { ...target, mode: "until-change", state: state || "unknown" });
      break;
    case "maintenance":
      next = setSnooze(entries, { ...target, mode: "maintenance" });
      break;
    default:
      next = removeSnooze(entries, target);
  }
  return serialiseSnoozes(next);
}

/** The rows of Settings → Notifications → Snoozed and in maintenance. */
export function snoozeSettingsRows(
  list: readonly unknown[],
  nowSec: number,
  tr: Translator = plainTranslator,
  trc: ContextTranslator = plainContextTranslator,
): SnoozeSettingsRow[] {
  const t: Tr = { tr, trc };
  const rows: SnoozeSettingsRow[] = [];
  for (const e of parseSnoozes(list)) {
    if (e.mode === "until" && e.until <= nowSec) continue;
    const title = e.kind === "guest" ? tr("Guest %1", e.vmid) : tr("Node %1", e.node);
    const detail =
      e.mode === "maintenance"
        ? tr("Maintenance (until turned off)")
        : e.mode === "until-change"
          ? tr("Snoozed until its state changes from %1", e.state)
          : tr("Snoozed for %1 more", remaining(t, e.until - nowSec));
    rows.push({ key: targetKey(e), title, detail });
  }
  return rows;
}

/** The list without the entry for `key` ("guest:101", "node:pve2"): the settings' undo. */
export function removeSnoozeEntry(list: readonly unknown[], key: string): string[] {
  const target = parseTarget(key);
  const entries = parseSnoozes(list);
  return serialiseSnoozes(target === null ? entries : removeSnooze(entries, target));
}
