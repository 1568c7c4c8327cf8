// Several connections in one widget (issue 11): one complete WidgetSession
// per enabled connection — its own monitor, refresh controller, backoff,
// staleness, error state and failover — and the panel's aggregate over
// them. A slow or failing connection never delays another: nothing here
// waits on a session; each publishes when it has something.
//
// A single connection looks exactly like today: `single` is true and
// `primary` is that session's own view, object for object, with no extra
// level. With several, the panel shows the average CPU over every online
// node of every connection, an error badge when any connection fails, and
// the tooltip lists each connection.
//
// Not here (the widget half, QML): one SecretSource per connection keyed by
// `secretKeys()`, the popup's collapsible section per connection bound to
// `connections[i].view`, and the settings page's Connections list.

import { entryKey } from "../keyring/secret-store";
import type { Translator } from "../notify/message";
import { plainTranslator } from "../notify/message";
import type { Logger } from "../scheduler";
import type { SortBy } from "../view/sort";
import type { StatusColor } from "../view/view-model";
import {
  readConnectionList,
  secretAccount,
  sessionKeysOf,
  type LegacyConnectionKeys,
  type WidgetConnection,
} from "../connections/widget-settings";
import {
  createWidgetSession,
  type SecretInput,
  type WidgetConfig,
  type WidgetSession,
  type WidgetSessionDeps,
  type WidgetView,
} from "./session";
import { plainContextTranslator, type ContextTranslator } from "./texts";

export interface ConnectionView {
  /** Stable across refreshes: the secret key, so a list model can sync by it. */
  key: string;
  name: string;
  view: WidgetView;
  /**
   * The section's error block, empty when it is fine: the stale notice
   * (last good data kept), or the state's title, the error and its next
   * step. Chosen here so the section only shows it.
   */
  errorText: string;
}

export interface PanelAggregate {
  /** Mean CPU over every online node of every connection, 0..100; -1 when none reports. */
  averageCpuPercent: number;
  cpuLabel: string;
  /** Any connection in error, stale, or blocked. */
  hasError: boolean;
  /** The worst of the connections' colours. */
  statusColor: StatusColor;
  toolTipMainText: string;
  toolTipSubText: string;
}

export interface MultiView {
  /** Zero or one connection: the popup and panel are exactly today's (`primary`). */
  single: boolean;
  /** The only session's view when single; the first connection's otherwise. */
  primary: WidgetView;
  connections: ConnectionView[];
  panel: PanelAggregate;
  /** Problems with the stored list, for the settings page (translated). */
  problems: string[];
}

export type MultiConfig = WidgetConfig & LegacyConnectionKeys;

export interface MultiSessionDeps extends WidgetSessionDeps {
  /** For tests; createWidgetSession by default. */
  createSession?: (deps: WidgetSessionDeps) => WidgetSession;
}

export interface MultiSession {
  /** Settings plus each connection's secret, keyed by `secretKeys()`; rebuilds only what changed. */
  update(config: MultiConfig, secrets: { [key: string]: SecretInput }): void;
  /** The keyring entries the widget must read, one per enabled connection, in order. */
  secretKeys(): string[];
  setPopupOpen(open: boolean): void;
  setHovered(hovered: boolean): void;
  /** Refreshes every connection (each on its own; none waits for another). */
  refreshNow(): void;
  setViewOptions(options: { sortBy?: SortBy; expandedNodes?: ReadonlyArray<string> }): void;
  view(): MultiView;
  onView(listener: (view: MultiView) => void): void;
  dispose(): void;
}

const COLOUR_RANK: { [c: string]: number } = { positive: 0, neutral: 1, warning: 2, negative: 3 };

const IDLE_SECRET: SecretInput = { secret: "", state: "idle", errorMessage: "", generation: 0 };

interface Entry {
  key: string;
  connection: WidgetConnection;
  session: WidgetSession;
}

/** The aggregate over the connections' views (pure; exported for tests and the bench). */
export function aggregatePanel(
  views: ReadonlyArray<ConnectionView>,
  tr: Translator = plainTranslator,
  trc: ContextTranslator = plainContextTranslator,
): PanelAggregate {
  let sum = 0;
  let count = 0;
  let hasError = false;
  let worst: StatusColor = "positive";
  const lines: string[] = [];
  for (let i = 0; i < views.length; i++) {
    const c = views[i] as ConnectionView;
    const v = c.view;
    for (let j = 0; j < v.nodes.length; j++) {
      const n = v.nodes[j];
      if (n && n.online && n.cpuFraction >= 0) {
        sum += n.cpuFraction;
        count++;
      }
    }
    if (v.hasError || v.phase === "error" || v.stale) hasError = true;
    if ((COLOUR_RANK[v.statusColor] ?? 1) > (COLOUR_RANK[worst] ?? 0)) worst = v.statusColor;
    const state =
      v.phase === "ok" && v.summary
        ? tr(
            "CPU %1 · nodes online %2 of %3",
            v.summary.cpuText,
            v.summary.nodesOnline,
            v.summary.nodesTotal,
          ) + (v.stale ? " · " + tr("stale") : "")
        : v.phase === "error"
          ? v.errorMessage || v.state.title
          : (v.toolTipSubText.split("\n")[0] as string);
    lines.push(tr("%1: %2", c.name, state));
  }
  const cpu = count > 0 ? Math.round((sum / count) * 100) : -1;
  return {
    averageCpuPercent: cpu,
    cpuLabel: cpu >= 0 ? trc("average CPU in the panel", "%1%", cpu) : "\u2014",
    hasError,
    statusColor: views.length === 0 ? "neutral" : worst,
    toolTipMainText: tr("ProxMon: %1 connections", views.length),
    toolTipSubText: lines.join("\n"),
  };
}

/**
 * The KDE Wallet entries a configuration needs, one per enabled connection
 * in order (none for the demo or an empty list): what QML creates one
 * SecretSource for, before or after the first update.
 */
export function connectionSecretKeys(config: MultiConfig): string[] {
  if (config.demoMode === true) return [];
  const list = readConnectionList(config).connections;
  const out: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const c = list[i] as WidgetConnection;
    if (c.enabled) out.push(entryKey(secretAccount(c)));
  }
  return out;
}

/** What a connection's section shows as its error; "" when there is none. */
export function errorTextOf(v: WidgetView): string {
  if (v.stale && v.staleText !== "") return v.staleText;
  if (v.phase !== "error") return "";
  const parts = [v.state.title, v.errorMessage, v.state.explanation];
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = (parts[i] as string).trim();
    if (p !== "" && out.indexOf(p) < 0) out.push(p);
  }
  return out.join("\n");
}

function sessionConfig(base: MultiConfig, c: WidgetConnection, several: boolean): WidgetConfig {
  const out: WidgetConfig = {};
  const keys = Object.keys(base) as Array<keyof MultiConfig>;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as keyof MultiConfig;
    if (k !== "connections") (out as Record<string, unknown>)[k] = base[k];
  }
  const own = sessionKeysOf(c, several);
  out.proxmoxHost = own.proxmoxHost;
  out.proxmoxPort = own.proxmoxPort;
  out.apiTokenId = own.apiTokenId;
  out.tlsMode = own.tlsMode;
  out.tlsFingerprint = own.tlsFingerprint;
  out.tlsCaPem = own.tlsCaPem;
  out.ignoreSsl = false;
  out.addresses = own.addresses;
  if (own.connectionName !== undefined) out.connectionName = own.connectionName;
  return out;
}

export function createMultiSession(deps: MultiSessionDeps): MultiSession {
  const log: Logger = deps.log || function () {};
  const tr = deps.tr || plainTranslator;
  const trc = deps.trc || plainContextTranslator;
  const make = deps.createSession || createWidgetSession;
  const listeners: Array<(view: MultiView) => void> = [];
  let entries: Entry[] = [];
  // Zero connections (not configured, or the demo): one session on the
  // config as given, exactly today's behaviour.
  let fallback: WidgetSession | null = null;
  let problems: string[] = [];
  let popupOpen = false;
  let hovered = false;
  let current: MultiView | null = null;
  let disposed = false;

  function newSession(): WidgetSession {
    const s = make(deps);
    s.setPopupOpen(popupOpen);
    s.setHovered(hovered);
    s.onView(function () {
      publish();
    });
    return s;
  }

  function build(): MultiView {
    if (fallback !== null || entries.length === 0) {
      const primary = fallback ? fallback.view() : (current as MultiView).primary;
      return {
        single: true,
        primary,
        connections: [],
        panel: panelOf(primary),
        problems,
      };
    }
    const views: ConnectionView[] = entries.map((e) => {
      const v = e.session.view();
      return { key: e.key, name: e.connection.name, view: v, errorText: errorTextOf(v) };
    });
    const first = views[0] as ConnectionView;
    if (views.length === 1)
      return {
        single: true,
        primary: first.view,
        connections: views,
        panel: panelOf(first.view),
        problems,
      };
    return {
      single: false,
      primary: first.view,
      connections: views,
      panel: aggregatePanel(views, tr, trc),
      problems,
    };
  }

  function panelOf(v: WidgetView): PanelAggregate {
    return {
      averageCpuPercent: v.averageCpuPercent,
      cpuLabel: v.cpuLabel,
      hasError: v.hasError,
      statusColor: v.statusColor,
      toolTipMainText: v.toolTipMainText,
      toolTipSubText: v.toolTipSubText,
    };
  }

  function publish(): void {
    if (disposed) return;
    current = build();
    const copy = listeners.slice();
    for (let i = 0; i < copy.length; i++) {
      try {
        (copy[i] as (view: MultiView) => void)(current);
      } catch (err) {
        log("warn", "multi-session listener failed: " + String(err));
      }
    }
  }

  function each(fn: (s: WidgetSession) => void): void {
    if (fallback) fn(fallback);
    for (let i = 0; i < entries.length; i++) fn((entries[i] as Entry).session);
  }

  return {
    update(config: MultiConfig, secrets: { [key: string]: SecretInput }): void {
      if (disposed) return;
      const list = config.demoMode === true ? null : readConnectionList(config, tr);
      problems = list ? list.problems : [];
      const enabled = list ? list.connections.filter((c) => c.enabled) : [];
      if (enabled.length === 0) {
        for (let i = 0; i < entries.length; i++) (entries[i] as Entry).session.dispose();
        entries = [];
        if (!fallback) fallback = newSession();
        fallback.update(config, secrets[""] || IDLE_SECRET);
        publish();
        return;
      }
      if (fallback) {
        fallback.dispose();
        fallback = null;
      }
      const several = enabled.length > 1;
      // Sessions are kept by secret key: reordering or renaming a
      // connection does not restart the others.
      const next: Entry[] = [];
      const old = entries.slice();
      for (let i = 0; i < enabled.length; i++) {
        const c = enabled[i] as WidgetConnection;
        const key = entryKey(secretAccount(c));
        let found: Entry | null = null;
        for (let j = 0; j < old.length; j++) {
          if ((old[j] as Entry).key === key) {
            found = old[j] as Entry;
            old.splice(j, 1);
            break;
          }
        }
        const entry: Entry = found
          ? { key, connection: c, session: found.session }
          : { key, connection: c, session: newSession() };
        next.push(entry);
      }
      for (let j = 0; j < old.length; j++) (old[j] as Entry).session.dispose();
      entries = next;
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i] as Entry;
        e.session.update(
          sessionConfig(config, e.connection, several),
          secrets[e.key] || IDLE_SECRET,
        );
      }
      publish();
    },
    secretKeys(): string[] {
      return entries.map((e) => e.key);
    },
    setPopupOpen(open: boolean): void {
      popupOpen = open;
      each((s) => s.setPopupOpen(open));
    },
    setHovered(on: boolean): void {
      hovered = on;
      each((s) => s.setHovered(on));
    },
    refreshNow(): void {
      each((s) => s.refreshNow());
    },
    setViewOptions(options): void {
      each((s) => s.setViewOptions(options));
    },
    view(): MultiView {
      if (current === null) {
        if (!fallback && entries.length === 0) fallback = newSession();
        current = build();
      }
      return current;
    },
    onView(listener): void {
      listeners.push(listener);
    },
    dispose(): void {
      disposed = true;
      each((s) => s.dispose());
      entries = [];
      fallback = null;
      listeners.length = 0;
    },
  };
}
