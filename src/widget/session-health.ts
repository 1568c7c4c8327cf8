// The widget session's backups-and-health part, kept apart from
// session.ts so the session only hooks it in: it reads its settings from
// the plasmoid's config, runs a health session (health-session.ts) with a
// client of its own over the monitor's transport for the same connection,
// feeds it the monitor's snapshots, silences snoozed subjects in the
// monitor's notifications too, and builds the backups part of WidgetView.

import { createClient } from "../api/client";
import type { Transport } from "../api/transport";
import { thresholdsForMaxAge } from "../backups/coverage";
import {
  applySnoozes,
  expireSnoozes,
  parseSnoozes,
  serialiseSnoozes,
  type SnoozeEntry,
} from "../backups/snooze";
import type { Monitor, MonitorSettings } from "../monitor";
import { DEFAULT_TIMEOUT_SECONDS, settingsProblem } from "../monitor";
import type { NotifyMode } from "../notify/filter";
import type { Notification } from "../notify/limiter";
import type { NotificationSettings } from "../notify/pipeline";
import type { Snapshot } from "../model/types";
import type { Logger, Scheduler } from "../scheduler";
import type { StatusColor } from "../view/view-model";
import { buildBackupsView, emptyBackupsView, type BackupsView } from "./backups-view";
import {
  createHealthSession,
  DEFAULT_HEALTH_SETTINGS,
  MIN_BACKUP_INTERVAL_SEC,
  type HealthSession,
  type HealthSettings,
} from "./health-session";
import {
  applySnoozeAction,
  menuTarget,
  snoozeMenuEntries,
  type SnoozeMenuEntry,
} from "./snooze-menu";
import type { Tr } from "./texts";

/** The settings of main.xml this part reads. */
export interface HealthConfig {
  snoozes?: ReadonlyArray<string>;
  backupsEnabled?: boolean;
  backupMaxAgeDays?: number;
  backupExclude?: string;
  backupIgnoreUncovered?: boolean;
  notifyClusterHealth?: boolean;
  backupReadInterval?: number;
}

export interface SessionHealthDeps {
  scheduler: Scheduler;
  t: Tr;
  log: Logger;
  notify?: (n: Notification) => void;
  /** Writes the snooze list back into the settings (expired entries dropped). */
  saveSnoozes?: (list: string[]) => void;
  /** Minutes east of UTC at an epoch second (for "until tomorrow" and schedules). */
  offset: (epochSec: number) => number;
  /** After a read or a snooze change: the session republishes. */
  onChange: () => void;
}

export interface SessionHealth {
  /** Settings (and the connection) changed; follows `monitor`'s refreshes. */
  configure(
    config: HealthConfig,
    monitor: Monitor | null,
    transport: Transport | null,
    settings: MonitorSettings | null,
  ): void;
  /** The monitor's notifications, minus those about snoozed subjects. */
  notifyFromMonitor(n: Notification): void;
  /**
   * The Backups section, guest chips and problems; built only while the
   * popup (or the desktop's full view) shows them: with 1,000 guests that is
   * a chip, a tooltip and a row per guest, rebuilt with every snapshot,
   * which a closed popup would keep in plasmashell's JS heap for nothing.
   */
  view(anonymise: boolean, shown: boolean): BackupsView;
  /** The panel colour with nodes in maintenance not counted. */
  panelColor(color: StatusColor, stale: boolean, quorate: number): StatusColor;
  snoozeMenu(kind: string, id: string): SnoozeMenuEntry[];
  /** The new `snoozes` setting after a menu choice. */
  snooze(kind: string, id: string, action: string): string[];
  stats(): { reads: number; taskReads: number; requests: number; refreshes: number } | null;
  dispose(): void;
}

function positive(value: unknown, fallback: number): number {
  return typeof value === "number" && isFinite(value) && value > 0 ? value : fallback;
}

export function healthSettingsFromConfig(
  config: HealthConfig,
  notifications: NotificationSettings | undefined,
  settings: MonitorSettings,
): HealthSettings {
  const d = DEFAULT_HEALTH_SETTINGS;
  return {
    enabled: config.backupsEnabled !== false,
    notify: !!notifications && notifications.enabled && config.notifyClusterHealth !== false,
    mode: (notifications ? notifications.mode : "all") as NotifyMode,
    patterns: notifications ? notifications.patterns : "",
    thresholds: thresholdsForMaxAge(Math.min(366, positive(config.backupMaxAgeDays, 7))),
    exclude: typeof config.backupExclude === "string" ? config.backupExclude : "",
    ignoreUncovered: config.backupIgnoreUncovered === true,
    intervalSec: Math.max(
      MIN_BACKUP_INTERVAL_SEC,
      positive(config.backupReadInterval, d.intervalSec),
    ),
    tasksEverySec: d.tasksEverySec,
    rateLimitSec: notifications
      ? notifications.rateLimitEnabled
        ? Math.max(0, notifications.rateLimitSeconds)
        : 0
      : d.rateLimitSec,
    tokenId: settings.tokenId,
    secret: settings.secret,
  };
}

export function createSessionHealth(deps: SessionHealthDeps): SessionHealth {
  let config: HealthConfig = {};
  let health: HealthSession | null = null;
  let healthKey = "";
  let followed: Monitor | null = null;
  let unfollow: (() => void) | null = null;
  let snapshot: Snapshot | null = null;
  let lastFed: Snapshot | null = null;
  let cached: { key: unknown[]; view: BackupsView } | null = null;
  // One empty view while nothing shows the section: the façade compares by
  // identity, so a closed popup is not handed a new object each refresh.
  const hidden = emptyBackupsView();

  const nowSec = () => Math.floor(deps.scheduler.now() / 1000);
  const entries = (): SnoozeEntry[] => parseSnoozes(config.snoozes ? config.snoozes.slice() : []);

  function stateNow(kind: string, id: string): string {
    if (snapshot === null) return "";
    if (kind === "guest") {
      const g = snapshot.guests.filter((x) => String(x.vmid) === id)[0];
      return g ? g.status : "";
    }
    const n = snapshot.nodes.filter((x) => x.name === id)[0];
    return n ? n.status : "";
  }

  function stop(): void {
    if (unfollow) unfollow();
    unfollow = null;
    followed = null;
    if (health) health.dispose();
    health = null;
    healthKey = "";
    lastFed = null;
  }

  function follow(monitor: Monitor): void {
    if (followed === monitor) return;
    if (unfollow) unfollow();
    followed = monitor;
    unfollow = monitor.onState((s) => {
      if (s.refreshing || !s.data || s.data === lastFed) return;
      lastFed = s.data;
      snapshot = s.data;
      if (health) void health.onSnapshot(s.data);
    });
  }

  return {
    configure(next, monitor, transport, settings) {
      config = next;
      if (!monitor || !transport || !settings || settingsProblem(settings) !== null) {
        stop();
        snapshot = null;
        return;
      }
      const hs = healthSettingsFromConfig(next, settings.notifications, settings);
      const key = JSON.stringify([
        settings.host,
        settings.port,
        settings.tokenId,
        { ...hs, secret: "" },
      ]);
      if (monitor !== followed || key !== healthKey || health === null) {
        stop();
        healthKey = key;
        const client = createClient({
          transport,
          host: settings.host.trim(),
          port: settings.port,
          tokenId: settings.tokenId.trim(),
          secret: settings.secret,
          timeoutMs: (settings.timeoutSec || DEFAULT_TIMEOUT_SECONDS) * 1000,
          tr: deps.t.tr,
        });
        health = createHealthSession({
          scheduler: deps.scheduler,
          client,
          settings: hs,
          tr: deps.t.tr,
          log: deps.log,
          notify: deps.notify,
          snoozes: entries,
          saveSnoozes: (list) => {
            if (deps.saveSnoozes) deps.saveSnoozes(serialiseSnoozes(list));
          },
          offset: deps.offset,
        });
        health.onChange(deps.onChange);
        follow(monitor);
        const data = monitor.state().data;
        if (data) {
          snapshot = data;
          lastFed = data;
          void health.onSnapshot(data);
        }
      }
    },
    notifyFromMonitor(n) {
      if (!deps.notify) return;
      const list = expireSnoozes(entries(), nowSec());
      if (
        list.length > 0 &&
        n.events.length > 0 &&
        applySnoozes(list, n.events, nowSec()).length === 0
      ) {
        deps.log("debug", "notify [" + n.kind + "] snoozed: " + n.title);
        return;
      }
      deps.notify(n);
    },
    view(anonymise, shown) {
      if (!shown) {
        cached = null;
        return hidden;
      }
      if (snapshot === null) return emptyBackupsView();
      // The popup republishes every second; the part is rebuilt only when
      // its inputs change (ages and snooze times move by the minute).
      const key: unknown[] = [
        health ? health.state() : null,
        snapshot,
        (config.snoozes ?? []).join("\n"),
        config.backupsEnabled !== false,
        Math.floor(nowSec() / 60),
        anonymise,
      ];
      if (cached !== null && key.every((k, i) => k === (cached as { key: unknown[] }).key[i]))
        return cached.view;
      const built = buildBackupsView(deps.t, {
        enabled: health !== null && config.backupsEnabled !== false,
        state: health ? health.state() : null,
        guests: snapshot.guests,
        nodes: snapshot.nodes,
        snoozes: entries(),
        now: nowSec(),
        anonymise,
      });
      cached = { key, view: built };
      return built;
    },
    panelColor(color, stale, quorate) {
      if (color !== "warning" || stale || quorate === 0 || snapshot === null) return color;
      const list = entries().filter((e) => e.mode === "maintenance" && e.kind === "node");
      const down = snapshot.nodes.filter((n) => n.status !== "online");
      const all = down.every((n) => list.some((e) => e.kind === "node" && e.node === n.name));
      return down.length > 0 && all ? "neutral" : color;
    },
    snoozeMenu(kind, id) {
      return snoozeMenuEntries(deps.t, menuTarget(kind, id), entries(), nowSec());
    },
    snooze(kind, id, action) {
      const now = nowSec();
      return applySnoozeAction(
        config.snoozes ? config.snoozes.slice() : [],
        menuTarget(kind, id),
        action,
        now,
        stateNow(kind, id),
        deps.offset(now),
      );
    },
    stats() {
      return health ? health.stats() : null;
    },
    dispose() {
      stop();
    },
  };
}
