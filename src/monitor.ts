// The monitor: the one object QML (and the CLI's watch) talks to. It wires a
// client, the snapshot loader and the refresh controller for the current
// settings, and turns their state into the flat view model. A settings
// change builds a fresh pipeline: the old request is aborted, nothing of the
// old server leaks into the new view, and the next snapshot is a baseline.

import { createClient, validateTokenId, type ProxmoxClient } from "./api/client";
import { createFailoverClient, type FailoverClient } from "./api/failover";
import type { HistoryApi } from "./history/reader";
import type { ProxmonError } from "./api/errors";
import type { Transport } from "./api/transport";
import { decodeClusterStatus } from "./model/decode-cluster-status";
import { decodeResources } from "./model/decode-resources";
import { decodeVersion } from "./model/decode-version";
import { assembleSnapshot } from "./model/snapshot";
import type { Snapshot } from "./model/types";
import {
  createRefreshController,
  type RefreshController,
  type RefreshState,
} from "./refresh/controller";
import { createSnapshotLoader, type SnapshotDecoders } from "./refresh/snapshot-loader";
import {
  createNotificationPipeline,
  type NotificationPipeline,
  type NotificationSettings,
} from "./notify/pipeline";
import type { Notification } from "./notify/limiter";
import { plainTranslator, type Translator } from "./notify/message";
import type { Logger, Scheduler } from "./scheduler";
import { createSortKeyCache, type SortBy } from "./view/sort";
import { formatAge } from "./view/format";
import { createAnonymiser } from "./view/anonymise";
import { buildViewModel, createRowCache, nodeKey, type ViewModel } from "./view/view-model";

export const SNAPSHOT_DECODERS: SnapshotDecoders = Object.freeze({
  decodeResources,
  decodeClusterStatus,
  decodeVersion,
  assembleSnapshot,
});

export const DEFAULT_REFRESH_SECONDS = 30;
export const MIN_REFRESH_SECONDS = 5;
export const DEFAULT_TIMEOUT_SECONDS = 10;

export interface MonitorSettings {
  host: string;
  port: number;
  tokenId: string;
  /** Kept only inside the client's closure; never logged or put in the view model. */
  secret: string;
  refreshIntervalSec: number;
  timeoutSec?: number;
  /** Absent: no notifications. */
  notifications?: NotificationSettings;
  /**
   * Several clusters (issue 11): every address of this connection's
   * cluster, in the order they are tried; host and port above are the
   * first. Absent or one entry: no failover.
   */
  addresses?: ReadonlyArray<{ host: string; port: number }>;
  /**
   * The connection's display name when there are several: notifications
   * name it, and it keys the rate limiter (an address that changes by
   * failover keeps its limits). Absent: one connection, texts as before.
   */
  connectionName?: string;
}

export interface ViewOptions {
  sortBy: SortBy;
  anonymise: boolean;
  expandedNodes: ReadonlyArray<string>;
  /** Guest rows for collapsed nodes too, while the popup searches or shows problems. */
  allGuestRows?: boolean;
}

export interface MonitorDeps {
  scheduler: Scheduler;
  /** How requests travel (XHR in QML, https in Node, the demo in memory). */
  transport: Transport;
  random?: () => number;
  log?: Logger;
  /** Delivers desktop notifications (QML shim over KNotification, or the CLI's printer). */
  notify?: (notification: Notification) => void;
  /** i18n from QML; English by default. */
  tr?: Translator;
  /**
   * The transport for one address of a connection with several (each
   * address its own TLS policy: a pin is per node certificate). Absent:
   * every address uses `transport`.
   */
  transportFor?: (address: { host: string; port: number }) => Transport;
}

export type ViewListener = (view: ViewModel) => void;
export type StateListener = (state: RefreshState<Snapshot>) => void;

export interface Monitor {
  /** Applies settings: stops the old pipeline and starts a new one (or the unconfigured state). */
  configure(settings: MonitorSettings): void;
  /** Refreshes now, superseding a request in flight. */
  refreshNow(): void;
  stop(): void;
  setViewOptions(options: Partial<ViewOptions>): void;
  /**
   * Whether anyone can see guest rows (the popup or the desktop's full
   * view is open). While not, views carry node rows, counts and the panel
   * only, and every guestsByNode list is empty: a refresh then builds, sorts
   * and formats no guest row. Opening publishes a view with the rows at
   * once. Default: open.
   */
  setPopupOpen(open: boolean): void;
  /** The view model for `now` (so "updated N s ago" can tick without a refresh). */
  view(): ViewModel;
  state(): RefreshState<Snapshot>;
  /**
   * The key to remember for a node row the user expanded or collapsed: the
   * real "node/<name>", also when the row shows an anonymised stand-in.
   */
  nodeKeyForSetting(rowKey: string): string;
  /** The settings problem that keeps the monitor unconfigured, or null. */
  configurationProblem(): string | null;
  /** "host:port" of the address that answered last (failover), or null before any answer. */
  activeAddress(): { host: string; port: number } | null;
  /**
   * The configured client's GET, for readers beside the refresh (history,
   * issue 12); null while unconfigured. Same host, token and transport.
   */
  historyApi(): HistoryApi | null;
  onView(listener: ViewListener): () => void;
  onState(listener: StateListener): () => void;
  dispose(): void;
}

function emptyState(): RefreshState<Snapshot> {
  return {
    running: false,
    refreshing: false,
    data: null,
    lastSuccessAt: null,
    lastAttemptAt: null,
    error: null,
    consecutiveFailures: 0,
    stale: false,
    nextRefreshAt: null,
  };
}

/** Why these settings cannot be used yet, in words for the "not configured" state. */
export function settingsProblem(
  settings: MonitorSettings,
  tr: Translator = plainTranslator,
): string | null {
  if (!settings.host || settings.host.trim() === "") return tr("No Proxmox host is set.");
  if (!(settings.port >= 1 && settings.port <= 65535))
    return tr("The port must be between 1 and 65535.");
  const tokenProblem = validateTokenId(settings.tokenId || "", tr);
  if (tokenProblem !== null) return tokenProblem;
  if (!settings.secret) return tr("The API token secret is missing.");
  return null;
}

function sameKey(a: unknown[], b: unknown[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return a.length === b.length;
}

function notifyAll<T>(listeners: Array<(value: T) => void>, value: T, log: Logger): void {
  const copy = listeners.slice();
  for (let i = 0; i < copy.length; i++) {
    try {
      (copy[i] as (value: T) => void)(value);
    } catch (err) {
      log("warn", "listener failed: " + String(err));
    }
  }
}

export function createMonitor(deps: MonitorDeps): Monitor {
  const log: Logger = deps.log || function () {};
  const viewListeners: ViewListener[] = [];
  const stateListeners: StateListener[] = [];
  let controller: RefreshController<Snapshot> | null = null;
  let failover: FailoverClient | null = null;
  let api: HistoryApi | null = null;
  let unsubscribe: (() => void) | null = null;
  let problem: string | null = "Not configured yet.";
  let host: string | null = null;
  let options: ViewOptions = { sortBy: "status", anonymise: false, expandedNodes: [] };
  let disposed = false;
  // Names keep their sort keys across refreshes: building them is most of
  // the cost of sorting 10,000 guests in V4.
  const sortKeys = createSortKeyCache();
  // Rows of guests whose values did not change are kept, object for object.
  const rowCache = createRowCache();
  let popupOpen = true;
  // The popup asks for the view every second to tick "updated N s ago";
  // only the age changes then, so the rows are built once per change.
  let cached: { key: unknown[]; view: ViewModel } | null = null;

  function currentState(): RefreshState<Snapshot> {
    return controller ? controller.getState() : emptyState();
  }

  function view(): ViewModel {
    const state = currentState();
    const now = deps.scheduler.now();
    const key: unknown[] = [
      controller,
      state.data,
      state.error,
      state.refreshing,
      state.stale,
      state.lastSuccessAt,
      options,
      problem,
      popupOpen,
    ];
    if (cached !== null && sameKey(cached.key, key)) {
      const ageMs = state.lastSuccessAt === null ? null : Math.max(0, now - state.lastSuccessAt);
      const v = cached.view;
      // Rows are shared, not copied: QML never writes into them.
      return {
        phase: v.phase,
        refreshing: v.refreshing,
        stale: v.stale,
        ageSeconds: ageMs === null ? null : Math.floor(ageMs / 1000),
        age: ageMs === null ? null : formatAge(ageMs),
        errorKind: v.errorKind,
        errorMessage: v.errorMessage,
        errorPath: v.errorPath,
        errorAclPath: v.errorAclPath,
        errorPrivilege: v.errorPrivilege,
        clusterName: v.clusterName,
        quorate: v.quorate,
        version: v.version,
        panel: v.panel,
        summary: v.summary,
        nodes: v.nodes,
        guestsByNode: v.guestsByNode,
      };
    }
    const built = buildViewModel({
      snapshot: state.data,
      refresh: state,
      now,
      sortBy: options.sortBy,
      anonymise: options.anonymise,
      configured: problem === null,
      host,
      expandedNodes: options.expandedNodes,
      // The popup shows guests of expanded nodes only; collapsed cards
      // still get their counts from the node rows.
      guestRowsFor: popupOpen ? (options.allGuestRows === true ? "all" : "expanded") : "none",
      sortKeys,
      tr: deps.tr,
      rowCache,
    });
    cached = { key, view: built };
    return built;
  }

  function publish(): void {
    notifyAll(stateListeners, currentState(), log);
    if (viewListeners.length > 0) notifyAll(viewListeners, view(), log);
  }

  function teardown(): void {
    failover = null;
    if (unsubscribe) unsubscribe();
    unsubscribe = null;
    if (controller) controller.dispose();
    controller = null;
    api = null;
  }

  function deliver(notifications: Notification[]): void {
    const send = deps.notify;
    if (!send) return;
    for (let i = 0; i < notifications.length; i++) {
      const n = notifications[i] as Notification;
      log("debug", "notify [" + n.kind + "] " + n.title);
      try {
        send(n);
      } catch (err) {
        log("warn", "notification delivery failed: " + String(err));
      }
    }
  }

  function describeError(error: ProxmonError | null): string {
    return error ? error.kind + ": " + error.message : "ok";
  }

  return {
    configure(settings: MonitorSettings): void {
      if (disposed) return;
      teardown();
      problem = settingsProblem(settings, deps.tr);
      host = settings.host ? settings.host.trim() : null;
      if (problem !== null) {
        log("info", "not configured: " + problem);
        publish();
        return;
      }
      const clientFor = (address: { host: string; port: number }): ProxmoxClient =>
        createClient({
          transport: deps.transportFor ? deps.transportFor(address) : deps.transport,
          host: address.host.trim(),
          port: address.port,
          tokenId: settings.tokenId.trim(),
          secret: settings.secret,
          timeoutMs: (settings.timeoutSec || DEFAULT_TIMEOUT_SECONDS) * 1000,
          tr: deps.tr,
        });
      const addresses =
        settings.addresses && settings.addresses.length > 0
          ? settings.addresses
          : [{ host: settings.host, port: settings.port }];
      failover = createFailoverClient({
        addresses: addresses.map((a) => ({ host: a.host, port: a.port, client: clientFor(a) })),
        log,
      });
      const client: ProxmoxClient = failover;
      api = client;
      const pipeline: NotificationPipeline | null = settings.notifications
        ? createNotificationPipeline({
            endpoint:
              settings.connectionName !== undefined
                ? "connection:" + settings.connectionName
                : client.baseUrl,
            connectionName: settings.connectionName,
            settings: settings.notifications,
            tokenId: settings.tokenId,
            secret: settings.secret,
            tr: deps.tr,
          })
        : null;
      const loader = createSnapshotLoader(client, SNAPSHOT_DECODERS, { log, tr: deps.tr });
      const seconds = Math.max(
        MIN_REFRESH_SECONDS,
        settings.refreshIntervalSec || DEFAULT_REFRESH_SECONDS,
      );
      const created = createRefreshController<Snapshot>({
        scheduler: deps.scheduler,
        random: deps.random,
        log,
        load: loader.load,
        intervalMs: seconds * 1000,
      });
      controller = created;
      let lastLogged = "";
      let lastSnapshot: Snapshot | null = null;
      unsubscribe = created.subscribe(function (state) {
        if (!state.refreshing) {
          const line = describeError(state.error);
          // Log transitions, not every refresh: the journal stays readable.
          if (line !== lastLogged) {
            log(state.error ? "warn" : "info", "refresh " + line);
            lastLogged = line;
          }
          if (state.data && state.data !== lastSnapshot) {
            lastSnapshot = state.data;
            log(
              "debug",
              "snapshot: " +
                state.data.nodes.length +
                " nodes, " +
                state.data.guests.length +
                " guests",
            );
            if (pipeline) deliver(pipeline.onSnapshot(state.data, deps.scheduler.now()));
          }
        }
        publish();
      });
      log("info", "connecting to " + client.baseUrl + " every " + seconds + " s");
      created.start();
    },
    refreshNow(): void {
      if (controller) controller.refreshNow();
    },
    stop(): void {
      if (controller) controller.stop();
    },
    setViewOptions(next: Partial<ViewOptions>): void {
      options = {
        sortBy: next.sortBy || options.sortBy,
        anonymise: next.anonymise !== undefined ? next.anonymise : options.anonymise,
        expandedNodes: next.expandedNodes || options.expandedNodes,
        allGuestRows: next.allGuestRows !== undefined ? next.allGuestRows : options.allGuestRows,
      };
      if (viewListeners.length > 0) notifyAll(viewListeners, view(), log);
    },
    setPopupOpen(open: boolean): void {
      if (open === popupOpen) return;
      popupOpen = open;
      if (open && viewListeners.length > 0) notifyAll(viewListeners, view(), log);
    },
    view,
    state: currentState,
    nodeKeyForSetting(rowKey: string): string {
      const snapshot = currentState().data;
      if (!options.anonymise || snapshot === null) return rowKey;
      const anonymiser = createAnonymiser(snapshot);
      for (let i = 0; i < snapshot.nodes.length; i++) {
        const real = (snapshot.nodes[i] as Snapshot["nodes"][number]).name;
        if (nodeKey(anonymiser.node(real)) === rowKey) return nodeKey(real);
      }
      return rowKey;
    },
    configurationProblem(): string | null {
      return problem;
    },
    activeAddress(): { host: string; port: number } | null {
      return failover ? failover.answered() : null;
    },
    historyApi(): HistoryApi | null {
      return api;
    },
    onView(listener: ViewListener): () => void {
      viewListeners.push(listener);
      return function () {
        const i = viewListeners.indexOf(listener);
        if (i >= 0) viewListeners.splice(i, 1);
      };
    },
    onState(listener: StateListener): () => void {
      stateListeners.push(listener);
      return function () {
        const i = stateListeners.indexOf(listener);
        if (i >= 0) stateListeners.splice(i, 1);
      };
    },
    dispose(): void {
      teardown();
      disposed = true;
      viewListeners.length = 0;
      stateListeners.length = 0;
    },
  };
}
