// Several connections in one widget (issue 11): one complete WidgetSession
// per enabled connection — its own monitor, refresh controller, backoff,
// staleness, error state and failover — and the panel's aggregate over
// them. A slow or failing connection never delays another: nothing here
// waits on a session; each publishes when it has something.
//
// A single connection looks exactly like today: `single` is true and
// `primary` is that session's own view, object for object, with no extra
// level. With several, the panel shows the chosen label over all of them
// (average CPU over every online node of every connection, memory and
// guests summed, the fullest storage of all), an error badge when any
// connection fails, and the tooltip lists each connection.
//
// Not here (the widget half, QML): one SecretSource per connection keyed by
// `secretKeys()`, the popup's collapsible section per connection bound to
// `connections[i].view`, and the settings page's Connections list.

import { combinedPanelText } from "../history/panel-label";
import { entryKey } from "../keyring/secret-store";
import type { Translator } from "../notify/message";
import { plainTranslator } from "../notify/message";
import type { Logger } from "../scheduler";
import type { SortBy } from "../view/sort";
import type { StatusColor } from "../view/view-model";
import {
  actionsAccount,
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
import type { ChartUpdate } from "./history-view";

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
  /** The panel item's text: today's label alone, the average CPU with several. */
  panelText: string;
  panelIconOnly: boolean;
  /** Any connection refreshing: the icon dims. */
  refreshing: boolean;
  /** Every connection's data is stale: the panel item fades. */
  stale: boolean;
}

export interface MultiView {
  /** Zero or one connection: the popup and panel are exactly today's (`primary`). */
  single: boolean;
  /** The only session's view when single; the first connection's otherwise. */
  primary: WidgetView;
  /** The key of the session behind `primary` ("" for the session without a connection). */
  primaryKey: string;
  connections: ConnectionView[];
  panel: PanelAggregate;
  /** The popup's heading: today's when single; the count and the failing ones with several. */
  headerTitle: string;
  headerSubtitle: string;
  /** The popup's footer: today's when single; empty with several (each section shows its age). */
  footerText: string;
  updatedText: string;
  /** Problems with the stored list, for the settings page (translated). */
  problems: string[];
}

export type MultiConfig = WidgetConfig & LegacyConnectionKeys;

export interface MultiSessionDeps extends WidgetSessionDeps {
  /** For tests; createWidgetSession by default. */
  createSession?: (deps: WidgetSessionDeps) => WidgetSession;
}

export interface MultiSession {
  /**
   * Settings plus each connection's secret, keyed by `secretKeys()`;
   * rebuilds only what changed. `actionSecret` is the first connection's
   * actions token secret (and the session's without a connection);
   * `actionSecrets` every other connection's, by the same keys
   * (`gatherActionSecrets`).
   */
  update(
    config: MultiConfig,
    secrets: { [key: string]: SecretInput },
    actionSecret?: SecretInput,
    actionSecrets?: { [key: string]: SecretInput },
  ): void;
  /** The keyring entries the widget must read, one per enabled connection, in order. */
  secretKeys(): string[];
  setPopupOpen(open: boolean): void;
  setHovered(hovered: boolean): void;
  /** Refreshes every connection (each on its own; none waits for another). */
  refreshNow(): void;
  /** Every connection's search (the popup's one search field). */
  setSearch(text: string): void;
  /** Expanded nodes as stored: with several connections each entry carries its connection's prefix. */
  setViewOptions(options: { sortBy?: SortBy; expandedNodes?: ReadonlyArray<string> }): void;
  /** The session of a connection by key; "" is the primary one (what a single connection binds to). */
  sessionFor(key: string): WidgetSession | null;
  view(): MultiView;
  onView(listener: (view: MultiView) => void): void;
  /** A session's rows while its list is shown, with the session's key. */
  onRows(listener: (key: string, view: WidgetView) => void): void;
  /** A session's chart updates, with the session's key. */
  onHistory(listener: (key: string, update: ChartUpdate) => void): void;
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
  const cpuLabel = cpu >= 0 ? trc("average CPU in the panel", "%1%", cpu) : "\u2014";
  // One label setting for the widget: every session holds the same mode.
  const mode = views.length > 0 ? (views[0] as ConnectionView).view.panelMode : "average-cpu";
  return {
    averageCpuPercent: cpu,
    cpuLabel,
    hasError,
    statusColor: views.length === 0 ? "neutral" : worst,
    toolTipMainText: tr("ProxMon: %1 connections", views.length),
    toolTipSubText: lines.join("\n"),
    panelText: combinedPanelText(
      views.map((c) => c.view.panelPart),
      mode,
      cpuLabel,
      tr,
    ),
    panelIconOnly: views.length > 0 && (views[0] as ConnectionView).view.panelIconOnly,
    refreshing: views.some((c) => c.view.refreshing),
    stale: views.length > 0 && views.every((c) => c.view.stale),
  };
}

/** The popup's heading over several connections: how many, and how many fail. */
export function multiHeader(
  views: ReadonlyArray<ConnectionView>,
  tr: Translator = plainTranslator,
): { headerTitle: string; headerSubtitle: string } {
  let failing = 0;
  for (let i = 0; i < views.length; i++) {
    const v = (views[i] as ConnectionView).view;
    if (v.hasError || v.phase === "error" || v.stale) failing++;
  }
  return {
    headerTitle: tr("ProxMon: %1 connections", views.length),
    headerSubtitle:
      failing === 0
        ? tr("all connections answer")
        : tr("%1 of %2 connections fail", failing, views.length),
  };
}

/**
 * The prefix a connection's expanded-node entries carry when there are
 * several (its key has no spaces: token IDs and hosts cannot hold one).
 * A single connection stores its node keys bare, as today.
 */
export function expandedPrefix(key: string): string {
  return key === "" ? "" : key + " ";
}

/** A connection's expanded node keys out of the stored list (prefix "": the bare entries). */
export function expandedNodesOf(list: ReadonlyArray<string>, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const e = String(list[i]);
    if (prefix === "") {
      if (e.indexOf(" ") < 0) out.push(e);
    } else if (e.length > prefix.length && e.slice(0, prefix.length) === prefix)
      out.push(e.slice(prefix.length));
  }
  return out;
}

/** The stored list with one entry added when absent, removed when present; a new array. */
export function toggleEntry(list: ReadonlyArray<string>, entry: string): string[] {
  const out: string[] = [];
  let found = false;
  for (let i = 0; i < list.length; i++) {
    const e = String(list[i]);
    if (e === entry) found = true;
    else out.push(e);
  }
  if (!found) out.push(entry);
  return out;
}

/** The stored expanded-node list with a connection's node opened or closed. */
export function toggleExpandedNode(
  list: ReadonlyArray<string>,
  prefix: string,
  nodeKey: string,
): string[] {
  return toggleEntry(list, prefix + nodeKey);
}

/** The wallet accounts to read, one per enabled connection in order, each with its key. */
export function connectionSecretAccounts(
  config: MultiConfig,
): Array<{ key: string; host: string; port: number; tokenId: string }> {
  if (config.demoMode === true) return [];
  const list = readConnectionList(config).connections;
  const out: Array<{ key: string; host: string; port: number; tokenId: string }> = [];
  for (let i = 0; i < list.length; i++) {
    const c = list[i] as WidgetConnection;
    if (!c.enabled) continue;
    const a = secretAccount(c);
    out.push({ key: entryKey(a), host: a.host, port: a.port, tokenId: a.tokenId });
  }
  return out;
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

function sessionConfig(
  base: MultiConfig,
  c: WidgetConnection,
  key: string,
  several: boolean,
): WidgetConfig {
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
  out.actionsTokenId = own.actionsTokenId;
  out.addresses = own.addresses;
  if (own.connectionName !== undefined) out.connectionName = own.connectionName;
  if (several) out.expandedNodes = expandedNodesOf(base.expandedNodes || [], expandedPrefix(key));
  return out;
}

export function createMultiSession(deps: MultiSessionDeps): MultiSession {
  const log: Logger = deps.log || function () {};
  const tr = deps.tr || plainTranslator;
  const trc = deps.trc || plainContextTranslator;
  const make = deps.createSession || createWidgetSession;
  const listeners: Array<(view: MultiView) => void> = [];
  const rowListeners: Array<(key: string, view: WidgetView) => void> = [];
  const historyListeners: Array<(key: string, update: ChartUpdate) => void> = [];
  let entries: Entry[] = [];
  // Zero connections (not configured, or the demo): one session on the
  // config as given, exactly today's behaviour.
  let fallback: WidgetSession | null = null;
  let problems: string[] = [];
  let popupOpen = false;
  let hovered = false;
  let current: MultiView | null = null;
  let disposed = false;

  function forward<A>(list: Array<(key: string, a: A) => void>, key: string, a: A): void {
    const copy = list.slice();
    for (let i = 0; i < copy.length; i++) {
      try {
        (copy[i] as (key: string, a: A) => void)(key, a);
      } catch (err) {
        log("warn", "multi-session listener failed: " + String(err));
      }
    }
  }

  // With several connections each session's journal lines name their
  // connection ("[office] refresh unreachable"); one connection logs as today.
  function sessionDeps(key: string): WidgetSessionDeps {
    if (key === "" || !deps.log) return deps;
    const own: WidgetSessionDeps = Object.create(deps) as WidgetSessionDeps;
    own.log = function (level, message) {
      let name = "";
      if (entries.length > 1)
        for (let i = 0; i < entries.length; i++)
          if ((entries[i] as Entry).key === key) name = (entries[i] as Entry).connection.name;
      log(level, name === "" ? message : "[" + name + "] " + message);
    };
    return own;
  }

  function newSession(key: string): WidgetSession {
    const s = make(sessionDeps(key));
    s.setPopupOpen(popupOpen);
    s.setHovered(hovered);
    s.onView(function () {
      publish();
    });
    // Optional in stand-ins: a test's session may have no lists or charts.
    if (typeof s.onRows === "function")
      s.onRows(function (v) {
        if (!disposed) forward(rowListeners, key, v);
      });
    if (typeof s.onHistory === "function")
      s.onHistory(function (u) {
        if (!disposed) forward(historyListeners, key, u);
      });
    return s;
  }

  function build(): MultiView {
    if (fallback !== null || entries.length === 0) {
      const primary = fallback ? fallback.view() : (current as MultiView).primary;
      return {
        single: true,
        primary,
        primaryKey: "",
        connections: [],
        panel: panelOf(primary),
        headerTitle: primary.headerTitle,
        headerSubtitle: primary.headerSubtitle,
        footerText: primary.footerText,
        updatedText: primary.updatedText,
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
        primaryKey: first.key,
        connections: views,
        panel: panelOf(first.view),
        headerTitle: first.view.headerTitle,
        headerSubtitle: first.view.headerSubtitle,
        footerText: first.view.footerText,
        updatedText: first.view.updatedText,
        problems,
      };
    const header = multiHeader(views, tr);
    return {
      single: false,
      primary: first.view,
      primaryKey: first.key,
      connections: views,
      panel: aggregatePanel(views, tr, trc),
      headerTitle: header.headerTitle,
      headerSubtitle: header.headerSubtitle,
      footerText: "",
      updatedText: "",
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
      panelText: v.panelText,
      panelIconOnly: v.panelIconOnly,
      refreshing: v.refreshing,
      stale: v.stale,
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
    update(
      config: MultiConfig,
      secrets: { [key: string]: SecretInput },
      actionSecret?: SecretInput,
      actionSecrets?: { [key: string]: SecretInput },
    ): void {
      if (disposed) return;
      const list = config.demoMode === true ? null : readConnectionList(config, tr);
      problems = list ? list.problems : [];
      const enabled = list ? list.connections.filter((c) => c.enabled) : [];
      if (enabled.length === 0) {
        for (let i = 0; i < entries.length; i++) (entries[i] as Entry).session.dispose();
        entries = [];
        if (!fallback) fallback = newSession("");
        fallback.update(config, secrets[""] || IDLE_SECRET, actionSecret);
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
          : { key, connection: c, session: newSession(key) };
        next.push(entry);
      }
      for (let j = 0; j < old.length; j++) (old[j] as Entry).session.dispose();
      entries = next;
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i] as Entry;
        e.session.update(
          sessionConfig(config, e.connection, e.key, several),
          secrets[e.key] || IDLE_SECRET,
          // Each connection's actions token secret is its own (its own wallet
          // entry); the first one's comes from today's source.
          i === 0 ? actionSecret : (actionSecrets && actionSecrets[e.key]) || IDLE_SECRET,
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
    setSearch(text: string): void {
      each((s) => s.setSearch(text));
    },
    setViewOptions(options): void {
      if (entries.length < 2 || options.expandedNodes === undefined) {
        each((s) => s.setViewOptions(options));
        return;
      }
      const stored = options.expandedNodes;
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i] as Entry;
        const own: { sortBy?: SortBy; expandedNodes?: ReadonlyArray<string> } = {
          expandedNodes: expandedNodesOf(stored, expandedPrefix(e.key)),
        };
        if (options.sortBy !== undefined) own.sortBy = options.sortBy;
        e.session.setViewOptions(own);
      }
    },
    sessionFor(key: string): WidgetSession | null {
      if (key === "")
        return fallback || (entries.length > 0 ? (entries[0] as Entry).session : null);
      for (let i = 0; i < entries.length; i++)
        if ((entries[i] as Entry).key === key) return (entries[i] as Entry).session;
      return null;
    },
    view(): MultiView {
      if (current === null) {
        if (!fallback && entries.length === 0) fallback = newSession("");
        current = build();
      }
      return current;
    },
    onView(listener): void {
      listeners.push(listener);
    },
    onRows(listener): void {
      rowListeners.push(listener);
    },
    onHistory(listener): void {
      historyListeners.push(listener);
    },
    dispose(): void {
      disposed = true;
      each((s) => s.dispose());
      entries = [];
      fallback = null;
      listeners.length = 0;
      rowListeners.length = 0;
      historyListeners.length = 0;
    },
  };
}

/** What a SecretSource (QML) shows; the façade hands these to `update`. */
export interface SecretLike {
  secret: string;
  state: string;
  errorMessage: string;
  generation: number;
}

function secretInputOf(s: SecretLike | null | undefined): SecretInput {
  if (!s) return IDLE_SECRET;
  return {
    secret: String(s.secret || ""),
    state: String(s.state || "idle"),
    errorMessage: String(s.errorMessage || ""),
    generation: Number(s.generation) || 0,
  };
}

/**
 * The secrets for `update`, keyed as `connectionSecretKeys`: the first
 * connection (and the session without one, "") reads today's SecretSource,
 * every other connection its own, found by key; a source not there yet is
 * idle (that connection waits; the others do not).
 */
export function gatherSecrets(
  keys: ReadonlyArray<string>,
  first: SecretLike | null,
  others: { [key: string]: SecretLike | null | undefined },
): { [key: string]: SecretInput } {
  const out: { [key: string]: SecretInput } = { "": secretInputOf(first) };
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    out[k] = i === 0 ? secretInputOf(first) : secretInputOf(others[k]);
  }
  return out;
}

/** A connection's actions token account: its wallet entry (`key`) and the connection's key. */
export interface ActionAccount {
  /** The wallet entry, "<actionsTokenId>@<first host>:<port>". */
  key: string;
  /** The connection's key (its monitoring entry, as `connectionSecretKeys`). */
  connectionKey: string;
  host: string;
  port: number;
  tokenId: string;
}

/**
 * The actions token secrets to read besides the first connection's (which
 * today's SecretSource reads, named by the session's `actionsTokenId`):
 * one per further enabled connection that has an actions token ID, only
 * while power actions use a separate token.
 */
export function extraActionAccounts(config: MultiConfig): ActionAccount[] {
  if (config.demoMode === true || config.actionsMode !== "separate") return [];
  const list = readConnectionList(config).connections.filter((c) => c.enabled);
  const out: ActionAccount[] = [];
  for (let i = 1; i < list.length; i++) {
    const c = list[i] as WidgetConnection;
    const a = actionsAccount(c);
    if (a === null) continue;
    out.push({
      key: entryKey(a),
      connectionKey: entryKey(secretAccount(c)),
      host: a.host,
      port: a.port,
      tokenId: a.tokenId,
    });
  }
  return out;
}

/** The actions secrets for `update`, by connection key, from the sources by wallet entry. */
export function gatherActionSecrets(
  accounts: ReadonlyArray<ActionAccount>,
  sources: { [key: string]: SecretLike | null | undefined },
): { [key: string]: SecretInput } {
  const out: { [key: string]: SecretInput } = {};
  for (let i = 0; i < accounts.length; i++) {
    const a = accounts[i] as ActionAccount;
    out[a.connectionKey] = secretInputOf(sources[a.key]);
  }
  return out;
}

/** The keys of a list of accounts as one text: whether the wallet entries to read changed. */
export function accountKeys(accounts: ReadonlyArray<{ key: string }> | null | undefined): string {
  const out: string[] = [];
  const n = accounts ? accounts.length : 0;
  for (let i = 0; i < n; i++)
    out.push(String(((accounts as ReadonlyArray<{ key: string }>)[i] as { key: string }).key));
  return out.join("\n");
}
