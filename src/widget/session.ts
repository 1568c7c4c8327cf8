// One widget instance's session: the plasmoid's settings and keyring state in,
// one complete view model out. It owns the TLS plan and the choice of
// transport, the states the monitor does not know (TLS setting unusable,
// token secret missing or still being read), the state view's decision
// table, the tooltip and every text the popup shows, all through the injected
// translator. QML only hands in what must be QML (timers, XMLHttpRequest, the
// native module, notifications, i18n) and binds to what comes out.

import type { CertificateInfo, Transport } from "../api/transport";
import { planTls, type TlsPlan } from "../api/trust";
import { createClient, validateTokenId } from "../api/client";
import {
  createMonitor,
  DEFAULT_TIMEOUT_SECONDS,
  MIN_REFRESH_SECONDS,
  type Monitor,
  type MonitorSettings,
} from "../monitor";
import type { Notification } from "../notify/limiter";
import { composeStaleNotice, plainTranslator, type Translator } from "../notify/message";
import { DEFAULT_NOTIFICATION_SETTINGS, type NotificationSettings } from "../notify/pipeline";
import type { Cancel, Logger, Scheduler } from "../scheduler";
import type { HistoryTarget } from "../history/rrd";
import type { Snapshot } from "../model/types";
import { createAnonymiser } from "../view/anonymise";
import type { SortBy } from "../view/sort";
import type { GuestRow, NodeRow, Phase, StatusColor, Summary, ViewModel } from "../view/view-model";
import { buildStateView, type StateViewModel } from "./state-view";
import type { ProblemSource } from "../view/guest-problems";
import { createPopupFilter, type PopupFilterView } from "./popup-filter";
import {
  ageText,
  caProblemText,
  plainContextTranslator,
  type ContextTranslator,
  type Tr,
} from "./texts";
import { transportFor, type NativeModule, type TransportDeps } from "./transport-choice";
import {
  actionsModeOf,
  createGuestActions,
  type ActionMenuEntry,
  type ActionsConnection,
  type RowActionState,
} from "./guest-actions";
import type { BackupsView } from "./backups-view";
import { cutOffAtDispose } from "./after-dispose";
import { createSessionHealth, type HealthConfig } from "./session-health";
import type { SnoozeMenuEntry } from "./snooze-menu";
import {
  panelLabel,
  panelLabelChoices,
  type LabelPart,
  type PanelLabelMode,
} from "../history/panel-label";
import { fullestStorage } from "../history/storage";
import { normaliseAlertSettings, type StorageAlertSettings } from "../history/storage-alerts";
import {
  createHistoryView,
  type ChartRow,
  type ChartTops,
  type ChartUpdate,
  type GuestDetailView,
  type HistoryView,
} from "./history-view";
import { buildStorageSection, storageTargets, type StorageSectionView } from "./storage-view";

/** What demo.mjs gives once loaded (src/demo/entry.ts). */
export interface DemoModule {
  createTransport(deps: { scheduler: Scheduler }): Transport;
  settings(refreshIntervalSec: number): MonitorSettings;
}

/** The plasmoid's settings, as Plasmoid.configuration holds them (main.xml). */
export interface WidgetConfig extends HealthConfig {
  demoMode?: boolean;
  developerMode?: boolean;
  proxmoxHost?: string;
  proxmoxPort?: number;
  apiTokenId?: string;
  refreshInterval?: number;
  defaultSorting?: string;
  expandedNodes?: ReadonlyArray<string>;
  tlsMode?: string;
  tlsFingerprint?: string;
  tlsCaPem?: string;
  ignoreSsl?: boolean;
  enableNotifications?: boolean;
  notifyMode?: string;
  notifyFilter?: string;
  notifyOnStart?: boolean;
  notifyOnStop?: boolean;
  notifyOnNodeChange?: boolean;
  notifyRateLimitEnabled?: boolean;
  notifyRateLimitSeconds?: number;
  /**
   * Several clusters (issue 11), set by the multi-connection session
   * (src/widget/multi-session.ts), never by Plasmoid.configuration itself:
   * the connection's display name (names notifications, keys the rate
   * limiter) and every address of its cluster in failover order, each with
   * its own pin when the trust is a pinned fingerprint.
   */
  connectionName?: string;
  addresses?: ReadonlyArray<{ host: string; port: number; tlsFingerprint?: string }>;
  /** Power actions (issue 10): "off" (default), "monitoring", "separate". */
  actionsMode?: string;
  /** The separate actions token's ID; its secret is in KDE Wallet (SecretSource.qml). */
  actionsTokenId?: string;
  /** The popup's view: "all", "running" or "problems" (src/view/guest-filter.ts). */
  popupView?: string;
  /** "normal" or "compact" rows. */
  rowDensity?: string;
  // History and storage (issue 12).
  panelLabelMode?: string;
  storageWarnPercent?: number;
  storageCriticalPercent?: number;
}

/** SecretSource.qml's outward state. */
export interface SecretInput {
  secret: string;
  /** "idle", "reading", "ok", "missing", "waiting" (wallet not open yet), "error". */
  state: string;
  errorMessage: string;
  generation: number;
}

export interface WidgetSessionDeps extends Omit<TransportDeps, "native"> {
  /**
   * Finds the native TLS module (NativeLoader.qml) on the first update, not
   * while QML is still creating the façade; null when it is not installed.
   */
  loadNative: () => NativeModule | null;
  /** The package's Plasma major version (Edition.qml): which Qt packages the advice names; 6 when absent. */
  plasma?: number;
  /** Loads demo.mjs on first use; null when it cannot be loaded. */
  loadDemo: () => DemoModule | null;
  notify?: (notification: Notification) => void;
  log?: Logger;
  tr?: Translator;
  trc?: ContextTranslator;
  /** Writes the `snoozes` setting (expired entries dropped); backups, issue 13. */
  saveSnoozes?: (list: string[]) => void;
  /** Minutes east of UTC at an epoch second; default: the system's. */
  utcOffset?: (epochSec: number) => number;
}

/** Everything the popup, the panel item and the tooltip show. Always complete. */
export interface WidgetView extends PopupFilterView {
  phase: Phase;
  refreshing: boolean;
  stale: boolean;
  hasError: boolean;
  errorKind: string;
  errorMessage: string;
  demoMode: boolean;
  developerMode: boolean;
  host: string;
  port: number;
  tokenId: string;
  webUrl: string;
  clusterName: string;
  /** 1 quorate, 0 not, -1 unknown. */
  quorate: number;
  version: string;
  averageCpuPercent: number;
  panelLabel: string;
  /** The panel item's text: "12%" or "—". */
  cpuLabel: string;
  statusColor: StatusColor;
  summary: Summary | null;
  ageText: string;
  headerTitle: string;
  headerSubtitle: string;
  footerText: string;
  updatedText: string;
  staleText: string;
  tlsInsecure: boolean;
  nativeAvailable: boolean;
  toolTipMainText: string;
  toolTipSubText: string;
  state: StateViewModel;
  nodes: NodeRow[];
  guestsByNode: { [node: string]: GuestRow[] };
  /** Power actions are on: guest rows get a menu and a hover button. */
  actionsEnabled: boolean;
  /** Row key → its confirmation or running task (src/widget/guest-actions.ts); only rows that have one. */
  guestActions: { [key: string]: RowActionState };
  /** The separate actions token whose secret SecretSource.qml should read; "" when none is needed. */
  actionsTokenId: string;
  /** Backups and cluster health (src/widget/backups-view.ts). */
  backups: BackupsView;
  // History and storage (issue 12).
  /** The panel's text in the chosen label mode; "" with "icon only". */
  panelText: string;
  panelIconOnly: boolean;
  /** The label mode in effect, and what this connection adds to a label over several. */
  panelMode: PanelLabelMode;
  panelPart: LabelPart;
  /** Settings → Appearance: the label modes, translated. */
  panelLabelChoices: Array<{ value: string; text: string }>;
  storage: StorageSectionView;
  guestDetail: GuestDetailView;
}

export type WidgetViewListener = (view: WidgetView) => void;

export interface WidgetSession {
  /** New settings or keyring state; rebuilds the pipeline only when the connection changed. */
  update(config: WidgetConfig, secret: SecretInput, actionSecret?: SecretInput): void;
  /** The popup (or the desktop's full representation) is shown: tick the age, sync the lists. */
  setPopupOpen(open: boolean): void;
  /** The panel item is hovered (its tooltip shows the age). */
  setHovered(hovered: boolean): void;
  refreshNow(): void;
  /** The popup's search text (not remembered); re-publishes the filtered lists. */
  setSearch(text: string): void;
  /**
   * Extension point of the Problems view: failed backups, failed tasks…
   * (src/view/guest-problems.ts ProblemSource); asked on every publish.
   */
  addProblemSource(source: ProblemSource): void;
  /** Re-publishes with the current options (also with `{}`). */
  setViewOptions(options: { sortBy?: SortBy; expandedNodes?: ReadonlyArray<string> }): void;
  /** The node key to remember for a row the user toggled (real, also in developer mode). */
  nodeKeyForSetting(rowKey: string): string;
  /** A guest row's action menu, computed when it opens ([] with actions off). */
  actionMenu(rowKey: string): ActionMenuEntry[];
  /** A menu entry was chosen: power entries ask for confirmation in the row; links return their URL. */
  chooseAction(rowKey: string, id: string): string;
  confirmAction(rowKey: string): void;
  cancelAction(rowKey: string): void;
  view(): WidgetView;
  /** A guest's or node's snooze/maintenance menu ("guest", "101" or "node", "pve2"). */
  snoozeMenu(kind: string, id: string): SnoozeMenuEntry[];
  /** The `snoozes` setting after a menu choice (the façade writes it). */
  snooze(kind: string, id: string, action: string): string[];
  /** Every change, for the bindings. */
  onView(listener: WidgetViewListener): void;
  /** Only while the popup is open (and once when it opens): for the list models. */
  onRows(listener: WidgetViewListener): void;
  // History (issue 12): what QML has on screen, and the rows its charts draw.
  /** A node card's sparklines were created (true) or destroyed (false). */
  showNodeHistory(rowKey: string, shown: boolean): void;
  /** Expands or collapses a guest's detail (one at a time). */
  toggleGuestDetail(rowKey: string): void;
  setHistoryTimeframe(timeframe: string): void;
  historyRows(rowKey: string): ChartRow[];
  historyHover(rowKey: string, index: number, metric: string): string;
  historyTops(rowKey: string): ChartTops;
  /** History requests sent and not yet answered (tests wait for 0 before comparing delegates). */
  historyInFlight(): number;
  onHistory(listener: (update: ChartUpdate) => void): void;
  dispose(): void;
}

const SORTS: ReadonlyArray<string> = ["status", "name", "id"];

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function notificationSettings(c: WidgetConfig): NotificationSettings {
  const d = DEFAULT_NOTIFICATION_SETTINGS;
  return {
    enabled: c.enableNotifications === true,
    mode: (text(c.notifyMode) || d.mode) as NotificationSettings["mode"],
    patterns: text(c.notifyFilter),
    notifyOnStart: c.notifyOnStart !== undefined ? c.notifyOnStart : d.notifyOnStart,
    notifyOnStop: c.notifyOnStop !== undefined ? c.notifyOnStop : d.notifyOnStop,
    notifyOnNodeChange:
      c.notifyOnNodeChange !== undefined ? c.notifyOnNodeChange : d.notifyOnNodeChange,
    rateLimitEnabled:
      c.notifyRateLimitEnabled !== undefined ? c.notifyRateLimitEnabled : d.rateLimitEnabled,
    rateLimitSeconds:
      typeof c.notifyRateLimitSeconds === "number" ? c.notifyRateLimitSeconds : d.rateLimitSeconds,
    storageAlerts: storageAlertSettings(c),
  };
}

/** A transport that refuses every request as a TLS failure, before anything is sent. */
function refusingTransport(detail: string): Transport {
  return {
    send() {
      return {
        result: Promise.resolve({ ok: false as const, failure: { kind: "tls" as const, detail } }),
        abort: () => undefined,
      };
    },
  };
}

/** Settings → Notifications: the filling-up thresholds, made sane (issue 12). */
function storageAlertSettings(c: WidgetConfig): StorageAlertSettings {
  return normaliseAlertSettings({
    warnPercent: c.storageWarnPercent,
    criticalPercent: c.storageCriticalPercent,
  });
}

/** This connection's share of a panel label over several (multi-session.ts). */
function panelPartOf(snapshot: Snapshot | null, summary: Summary | null): LabelPart {
  if (snapshot === null) return { aggregate: null, fullest: null };
  const f = fullestStorage(snapshot);
  return {
    aggregate: summary,
    fullest:
      f !== null && f.fraction !== null ? { storage: f.storage, fraction: f.fraction } : null,
  };
}

/** The web UI's address, "https://host:port/" (IPv6 in brackets). */
function webUrlOf(host: string, port: number): string {
  return "https://" + (host.indexOf(":") >= 0 ? "[" + host + "]" : host) + ":" + port + "/";
}

export function createWidgetSession(given: WidgetSessionDeps): WidgetSession {
  let disposed = false;
  const deps = cutOffAtDispose(given, () => disposed);
  const log: Logger = deps.log || function () {};
  const t: Tr = { tr: deps.tr || plainTranslator, trc: deps.trc || plainContextTranslator };
  const tr = t.tr;
  const viewListeners: WidgetViewListener[] = [];
  const rowListeners: WidgetViewListener[] = [];
  let config: WidgetConfig = {};
  let secret: SecretInput = { secret: "", state: "idle", errorMessage: "", generation: 0 };
  let actionSecret: SecretInput = secret;
  let transport: Transport | null = null;
  let actionsKey = "";
  let actionsClient: ActionsConnection["client"] = null;
  let demoModule: DemoModule | null = null;
  let monitor: Monitor | null = null;
  let transportKey = "";
  let connectionKey = "";
  let plan: TlsPlan | null = null;
  let demoFailed = false;
  let popupOpen = false;
  let hovered = false;
  let cancelTick: Cancel | null = null;
  let developerLogged = false;
  let certificate: CertificateInfo | null = null;
  let pinned = "";
  let lastStateLine = "";
  // Undefined until the first update asked NativeLoader.
  let native: NativeModule | null | undefined = undefined;
  // Search, views and problems (src/widget/popup-filter.ts).
  const popupFilter = createPopupFilter(t);
  // Whether the monitor builds guest rows of collapsed nodes (for a search).
  let monitorAllRows = false;
  let transportNow: Transport | null = null;
  let settingsNow: MonitorSettings | null = null;
  const health = createSessionHealth({
    scheduler: deps.scheduler,
    t: { tr: deps.tr || plainTranslator, trc: deps.trc || plainContextTranslator },
    log,
    notify: deps.notify,
    saveSnoozes: deps.saveSnoozes,
    offset: deps.utcOffset || ((sec) => -new Date(sec * 1000).getTimezoneOffset()),
    // What a backup read or a snooze changes shows only in the popup (the
    // Backups section, chips, problems): with it closed, the monitor's own
    // publish after each refresh keeps the panel current, and a second
    // publish per refresh would rebuild the whole view for nothing.
    onChange: () => {
      if (popupOpen) publish();
    },
  });
  const history: HistoryView = createHistoryView({ scheduler: deps.scheduler, log, tr });

  function nativeModule(): NativeModule | null {
    if (native === undefined) native = deps.loadNative();
    return native;
  }

  const demoMode = (): boolean => config.demoMode === true;
  const host = (): string => text(config.proxmoxHost).trim();
  const port = (): number => (typeof config.proxmoxPort === "number" ? config.proxmoxPort : 8006);
  const tokenId = (): string => text(config.apiTokenId).trim();
  const refreshSeconds = (): number =>
    Math.max(
      MIN_REFRESH_SECONDS,
      typeof config.refreshInterval === "number" ? config.refreshInterval : 30,
    );
  const sortBy = (): SortBy =>
    (SORTS.indexOf(text(config.defaultSorting)) >= 0 ? config.defaultSorting : "status") as SortBy;

  function tlsSettings() {
    return {
      tlsMode: text(config.tlsMode) || "system",
      tlsFingerprint: text(config.tlsFingerprint),
      tlsCaPem: text(config.tlsCaPem),
      ignoreSsl: config.ignoreSsl === true,
    };
  }

  function viewOptions() {
    return {
      sortBy: sortBy(),
      anonymise: config.developerMode === true,
      expandedNodes: config.expandedNodes ? config.expandedNodes.slice() : [],
    };
  }

  function blocked(): boolean {
    return !demoMode() && plan !== null && plan.transport === "blocked";
  }

  function monitorSettings(demo: DemoModule | null): MonitorSettings {
    const base: MonitorSettings = demo
      ? demo.settings(refreshSeconds())
      : {
          host: host(),
          port: port(),
          tokenId: tokenId(),
          secret: secret.secret,
          refreshIntervalSec: refreshSeconds(),
          timeoutSec: DEFAULT_TIMEOUT_SECONDS,
        };
    base.notifications = notificationSettings(config);
    if (!demo && config.addresses && config.addresses.length > 1)
      base.addresses = config.addresses.map((a) => ({ host: a.host, port: a.port }));
    if (!demo && config.connectionName !== undefined) base.connectionName = config.connectionName;
    return base;
  }

  /**
   * Failover (issue 11): the transport for one address of the connection.
   * A pin is per node certificate, so with pinning each address gets its
   * own plan; one without a usable pin gets no transport and is refused as
   * a TLS failure (never failed over, nothing sent).
   */
  function addressTransport(
    address: { host: string; port: number },
    fallback: Transport,
  ): Transport {
    const p = plan;
    if (p === null || p.mode !== "pin") return fallback;
    const list = config.addresses || [];
    let pin = "";
    for (let i = 0; i < list.length; i++) {
      const a = list[i] as { host: string; port: number; tlsFingerprint?: string };
      if (a.host === address.host && a.port === address.port) pin = a.tlsFingerprint || "";
    }
    const own = planTls(
      { ...tlsSettings(), tlsFingerprint: pin },
      nativeModule() !== null,
      deps.plasma === 5,
    );
    const transport =
      own.transport === "blocked"
        ? null
        : transportFor(own, {
            scheduler: deps.scheduler,
            createRequest: deps.createRequest,
            send: deps.send,
            native: nativeModule(),
          });
    return transport || refusingTransport(tr("No usable pinned fingerprint for this address."));
  }

  function dropMonitor(): void {
    if (monitor) monitor.dispose();
    monitor = null;
    transportKey = "";
    transport = null;
    transportNow = null;
    health.configure(config, null, null, null);
  }

  const actions = createGuestActions({
    scheduler: deps.scheduler,
    tr,
    log,
    notify: deps.notify,
    onChange: () => publish(),
    refreshNow: () => {
      if (monitor) monitor.refreshNow();
    },
    guests: () => {
      const data = monitor ? monitor.state().data : null;
      return data ? data.guests : null;
    },
  });

  /** The connection the power actions use: the monitoring token's, or the separate one's. */
  function configureActions(): void {
    const mode = actionsModeOf(config.actionsMode);
    const base = monitorSettings(demoModule);
    const separate = mode === "separate" && demoModule === null;
    const id = separate ? text(config.actionsTokenId).trim() : base.tokenId;
    const key = separate ? actionSecret.secret : base.secret;
    // With several connections each has its own actions token, set on its
    // Connections entry; the texts name the connection and that page.
    const name = text(config.connectionName);
    const problem =
      mode === "off"
        ? ""
        : transport === null || monitor === null
          ? tr("Not connected.")
          : separate && id === ""
            ? name !== ""
              ? tr("No actions token is set for %1 (Settings → Connections).", name)
              : tr("No actions token is set (Settings → Actions).")
            : separate && validateTokenId(id) !== null
              ? name !== ""
                ? tr("The actions token ID of %1 is not valid (Settings → Connections).", name)
                : tr("The actions token ID is not valid (Settings → Actions).")
              : key === ""
                ? separate && name !== ""
                  ? tr(
                      "The actions token's secret for %1 is not in KDE Wallet (Settings → Connections).",
                      name,
                    )
                  : tr("The actions token's secret is not in KDE Wallet (Settings → Actions).")
                : "";
    const identity = JSON.stringify([
      mode,
      transportKey,
      base.host,
      base.port,
      id,
      separate ? actionSecret.generation : secret.generation,
      problem,
    ]);
    if (identity !== actionsKey) {
      actionsKey = identity;
      actionsClient =
        mode !== "off" && problem === ""
          ? createClient({
              transport: transport as Transport,
              host: base.host,
              port: base.port,
              tokenId: id,
              secret: key,
              timeoutMs: DEFAULT_TIMEOUT_SECONDS * 1000,
              tr: deps.tr,
            })
          : null;
      if (mode !== "off") log("info", "actions: " + mode + (problem === "" ? "" : " (not ready)"));
    }
    const connection: ActionsConnection = {
      mode,
      client: actionsClient,
      key: identity,
      problem,
      webUrl: demoModule || host() === "" ? "" : webUrlOf(host(), port()),
      notifySuccess: config.enableNotifications === true,
      anonymise: config.developerMode === true,
      tokenIds: [base.tokenId, id],
      secrets: [base.secret, key],
    };
    actions.configure(connection);
  }

  function reconfigure(): void {
    const demo = demoMode() ? deps.loadDemo() : null;
    demoModule = demo;
    demoFailed = demoMode() && demo === null;
    plan = demoMode() ? null : planTls(tlsSettings(), nativeModule() !== null, deps.plasma === 5);
    if (demoFailed) {
      dropMonitor();
      log("warn", "demo: contents/code/demo.mjs could not be loaded");
      return;
    }
    if (plan !== null && plan.transport === "blocked") {
      dropMonitor();
      certificate = null;
      pinned = "";
      log(
        "warn",
        "tls: " +
          plan.mode +
          " mode cannot be used (" +
          plan.problem +
          (plan.caProblem ? ": " + plan.caProblem : "") +
          "); nothing is sent",
      );
      return;
    }
    const key = demo ? "demo" : JSON.stringify(plan);
    if (!monitor || key !== transportKey) {
      dropMonitor();
      transportKey = key;
      transport = demo
        ? demo.createTransport({ scheduler: deps.scheduler })
        : (transportFor(plan as TlsPlan, {
            scheduler: deps.scheduler,
            createRequest: deps.createRequest,
            send: deps.send,
            native: nativeModule(),
          }) as Transport);
      if (plan)
        log(
          plan.mode === "insecure" ? "warn" : "info",
          "tls: " +
            plan.mode +
            " mode via " +
            (plan.transport === "native" ? "the native module" : "XMLHttpRequest") +
            (plan.mode === "insecure" ? " — certificate checks are off" : "") +
            (nativeModule() ? "" : " (native module not installed)"),
        );
      const addresses = !demo && config.addresses && config.addresses.length > 1;
      const current = transport;
      transportNow = transport;
      monitor = createMonitor({
        scheduler: deps.scheduler,
        transport,
        transportFor: addresses ? (address) => addressTransport(address, current) : undefined,
        log,
        // A guest whose power action reports its own result gets no second,
        // plain state-change notification (src/widget/guest-actions.ts);
        // what is left goes through snoozes and maintenance (session-health.ts).
        notify: deps.notify
          ? (n) => {
              if (!actions.absorb(n)) health.notifyFromMonitor(n);
            }
          : undefined,
        tr: deps.tr,
      });
      monitorAllRows = false;
      monitor.onView(onMonitorView);
      // Guest rows are built only while someone can see them.
      monitor.setPopupOpen(popupOpen);
    }
    monitor.setViewOptions(viewOptions());
    log("info", demo ? "demo mode" : "configuring " + (host() || "(no host)"));
    settingsNow = monitorSettings(demo);
    monitor.configure(settingsNow);
    health.configure(config, monitor, transportNow, settingsNow);
  }

  function onMonitorView(v: ViewModel): void {
    const error = monitor && v.errorKind === "tls" ? monitor.state().error : null;
    const cert = error && error.certificate ? error.certificate : null;
    const pin = error && error.pinnedFingerprint256 ? error.pinnedFingerprint256 : "";
    if (
      cert &&
      (!certificate || certificate.fingerprint256 !== cert.fingerprint256 || pin !== pinned)
    )
      log(
        "warn",
        "tls: server certificate SHA-256 " +
          cert.fingerprint256 +
          (pin !== "" ? ", pinned " + pin : ""),
      );
    certificate = cert;
    pinned = pin;
    publish(v);
  }

  function secretState() {
    const needed =
      !demoMode() && host() !== "" && tokenId() !== "" && validateTokenId(tokenId()) === null;
    const available = secret.secret !== "";
    return {
      pending: needed && !available && (secret.state === "idle" || secret.state === "reading"),
      missing:
        needed &&
        !available &&
        (secret.state === "missing" || secret.state === "error" || secret.state === "waiting"),
      // The wallet is locked or not open yet: the keyring keeps asking, and
      // the widget starts by itself once it opens (src/keyring/secret-source.ts).
      waiting: needed && !available && secret.state === "waiting",
    };
  }

  function tlsBlockedMessage(p: TlsPlan): string {
    if (p.transport !== "blocked") return "";
    if (p.problem === "bad-fingerprint")
      return tr(
        "The pinned fingerprint is not a SHA-256 fingerprint (32 bytes as hex, e.g. AB:CD:…). Test the connection in the settings and trust the certificate shown, or paste the fingerprint from Proxmox (Node → System → Certificates).",
      );
    if (p.problem === "bad-ca")
      return p.caProblem === "private-key"
        ? caProblemText(t, "private-key")
        : tr(
            "The Proxmox cluster CA setting does not hold a usable certificate. Paste the output of “cat /etc/pve/pve-root-ca.pem” (run on any node) in the settings. Nothing was sent to the server.",
          );
    if (p.mode === "pin")
      return tr(
        "The pinned fingerprint can only be checked by ProxMon's native TLS module, which is not installed. Nothing was sent to the server.",
      );
    if (p.mode === "ca")
      return tr(
        "Checking the certificate against the Proxmox cluster CA in the settings needs ProxMon's native TLS module, which is not installed. Nothing was sent to the server.",
      );
    return tr(
      "Ignoring certificate errors needs ProxMon's native TLS module, which is not installed. Nothing was sent to the server.",
    );
  }

  // The open guest detail is a row of its own right below its guest
  // ({key: "detail/qemu/101", rowKind: "guestDetail", guestKey}), so the
  // card's list model places it and QML picks its delegate by rowKind.
  function withGuestDetail(byNode: { [node: string]: GuestRow[] }): {
    [node: string]: GuestRow[];
  } {
    const open = history.detail().key;
    if (open === "") return byNode;
    const out: { [node: string]: GuestRow[] } = {};
    for (const node in byNode) {
      const rows = byNode[node] as GuestRow[];
      let at = -1;
      for (let i = 0; i < rows.length && at < 0; i++)
        if ((rows[i] as GuestRow).key === open) at = i;
      if (at < 0) {
        out[node] = rows;
        continue;
      }
      const detail = { key: "detail/" + open, rowKind: "guestDetail", guestKey: open };
      out[node] = rows
        .slice(0, at + 1)
        .concat([detail as unknown as GuestRow])
        .concat(rows.slice(at + 1));
    }
    return out;
  }

  // The Storage section is drawn only in the popup (or the desktop's full
  // view); with it closed one empty section stands in, so that a refresh
  // builds no lines nobody sees.
  const hiddenStorage = buildStorageSection(null, history.storagePoints, undefined, tr);
  function storageSection(snapshot: Snapshot | null): StorageSectionView {
    if (!popupOpen) return hiddenStorage;
    return buildStorageSection(snapshot, history.storagePoints, storageAlertSettings(config), tr);
  }

  function build(v: ViewModel | null): WidgetView {
    const isBlocked = blocked();
    const secrets = secretState();
    const mv = isBlocked || demoFailed ? null : v;
    const phase: Phase =
      isBlocked || demoFailed
        ? "error"
        : !mv || (mv.phase === "unconfigured" && secrets.pending)
          ? "loading"
          : mv.phase;
    const errorKind = isBlocked
      ? "tls-setup"
      : demoFailed
        ? "demo"
        : mv && mv.errorKind
          ? mv.errorKind
          : "";
    const errorMessage = isBlocked
      ? tlsBlockedMessage(plan as TlsPlan)
      : demoFailed
        ? tr("The demo cluster could not be loaded (contents/code/demo.mjs).")
        : mv && mv.errorMessage
          ? mv.errorMessage
          : "";
    const stale = mv ? mv.stale : false;
    const age = ageText(t, mv ? mv.age : null);
    const summary = mv ? mv.summary : null;
    const demo = demoMode();
    const clusterName = mv && mv.clusterName ? mv.clusterName : "";
    const quorate = mv && mv.quorate !== null ? (mv.quorate ? 1 : 0) : -1;
    const version = mv && mv.version ? mv.version : "";
    const cpu = mv && mv.panel.averageCpuPercent !== null ? mv.panel.averageCpuPercent : -1;
    const mode = plan ? plan.mode : "system";
    const nativeAvailable = native !== undefined && native !== null;
    const secretMessage = !secrets.missing
      ? ""
      : secret.state === "error" || secret.state === "waiting"
        ? secret.errorMessage
        : tr(
            "No token secret for this host, port and token ID is stored in KDE Wallet. Enter it in the settings (Connection → Token secret) and choose Apply or “Update Keyring”.",
          );
    const configurationProblem = monitor ? monitor.configurationProblem() || "" : "";
    const state = buildStateView(t, {
      plasma: deps.plasma,
      phase,
      errorKind,
      errorMessage,
      secretMissing: secrets.missing,
      secretWaiting: secrets.waiting,
      secretMessage,
      configurationProblem,
      demoMode: demo,
      host: host(),
      port: port(),
      nativeAvailable,
      tlsMode: mode,
      tlsProblem: isBlocked && plan && plan.transport === "blocked" ? plan.problem : "",
      certificate: isBlocked ? null : certificate,
      pinnedFingerprint: isBlocked ? "" : pinned,
      errorAclPath: mv && mv.errorAclPath ? mv.errorAclPath : "",
      errorPrivilege: mv && mv.errorPrivilege ? mv.errorPrivilege : "",
    });
    const subtitle: string[] = [];
    if (quorate === 1) subtitle.push(tr("Quorate"));
    else if (quorate === 0) subtitle.push(tr("No quorum"));
    if (version !== "") subtitle.push(tr("PVE %1", version));
    if (demo) subtitle.push(tr("demo"));
    const h = host();
    const filtered = popupFilter.view(
      {
        popupView: config.popupView,
        rowDensity: config.rowDensity,
        anonymise: config.developerMode === true,
        snapshot: monitor && mv ? monitor.state().data : null,
      },
      mv,
    );
    const real = mv && monitor ? monitor.state().data : null;
    // Developer mode shows stand-in names everywhere, storage and label included.
    const snapshot =
      real !== null && config.developerMode === true ? createAnonymiser(real).snapshot() : real;
    const label = panelLabel(mv && mv.phase === "ok" ? snapshot : null, config.panelLabelMode, tr);
    return {
      ...filtered,
      phase,
      refreshing: mv ? mv.refreshing : false,
      stale,
      hasError: isBlocked || demoFailed || (mv ? mv.panel.hasError : false),
      errorKind,
      errorMessage,
      demoMode: demo,
      developerMode: config.developerMode === true,
      host: h,
      port: port(),
      tokenId: tokenId(),
      webUrl: demo || h === "" ? "" : webUrlOf(h, port()),
      clusterName,
      quorate,
      version,
      averageCpuPercent: cpu,
      panelLabel: mv ? mv.panel.label : "\u2014",
      cpuLabel: cpu >= 0 ? t.trc("average CPU in the panel", "%1%", cpu) : "\u2014",
      statusColor:
        isBlocked || demoFailed
          ? "negative"
          : mv
            ? health.panelColor(mv.panel.statusColor, stale, quorate)
            : "neutral",
      summary,
      ageText: age,
      headerTitle: clusterName !== "" ? clusterName : demo ? tr("Demo cluster") : tr("Proxmox VE"),
      headerSubtitle: subtitle.join(" · "),
      footerText: summary
        ? tr(
            "Nodes %1 · Guests %2 · CPU %3 · RAM %4",
            summary.nodesText,
            summary.guestsText,
            summary.cpuText,
            summary.memText,
          )
        : "",
      updatedText: age !== "" ? tr("updated %1", age) : "",
      staleText: stale ? composeStaleNotice(age, errorMessage, tr) : "",
      tlsInsecure: !demo && mode === "insecure" && !isBlocked,
      nativeAvailable,
      toolTipMainText: demo
        ? tr("ProxMon (demo cluster)")
        : clusterName !== ""
          ? tr("Proxmox cluster %1", clusterName)
          : tr("ProxMon"),
      toolTipSubText: toolTip(phase, secrets, errorMessage, summary, age, stale, filtered),
      state,
      actionsEnabled: actions.enabled(),
      guestActions: actions.rows(),
      actionsTokenId:
        actionsModeOf(config.actionsMode) === "separate" && !demo
          ? text(config.actionsTokenId).trim()
          : "",
      backups: health.view(config.developerMode === true, popupOpen),
      // The open guest detail is a row of its own, right after its guest.
      guestsByNode: withGuestDetail(filtered.guestsByNode),
      // The default mode keeps the panel's own "12%" (cpuLabel).
      panelText:
        label.mode === "icon-only"
          ? ""
          : label.mode === "average-cpu" || !(mv && mv.phase === "ok")
            ? cpu >= 0
              ? t.trc("average CPU in the panel", "%1%", cpu)
              : "\u2014"
            : label.text,
      panelIconOnly: label.mode === "icon-only",
      panelMode: label.mode,
      panelPart: panelPartOf(mv && mv.phase === "ok" ? snapshot : null, summary),
      panelLabelChoices: panelLabelChoices(tr),
      storage: storageSection(snapshot),
      guestDetail: history.detail(),
    };
  }

  function toolTip(
    phase: Phase,
    secrets: { missing: boolean; waiting: boolean },
    errorMessage: string,
    summary: Summary | null,
    age: string,
    stale: boolean,
    filtered: PopupFilterView,
  ): string {
    if (phase === "unconfigured")
      return secrets.waiting
        ? tr("Waiting for KDE Wallet")
        : secrets.missing
          ? tr("Missing token secret")
          : tr("Not configured");
    if (phase === "loading") return tr("Connecting…");
    if (phase === "error") return errorMessage;
    const lines: string[] = [];
    if (summary) {
      lines.push(tr("Nodes online: %1 of %2", summary.nodesOnline, summary.nodesTotal));
      lines.push(tr("Guests running: %1 of %2", summary.guestsRunning, summary.guestsTotal));
      lines.push(tr("Average CPU: %1", summary.cpuText));
    }
    if (filtered.problemsText !== "") lines.push(filtered.problemsText);
    if (age !== "") lines.push(tr("Last update: %1", age));
    if (stale) lines.push(tr("The last refresh failed: %1", errorMessage));
    return lines.join("\n");
  }

  let current: WidgetView = build(null);

  // A storage's week series arrived: publish only when a forecast changed.
  history.onStorage(() => {
    const next = storageSection(monitor ? monitor.state().data : null);
    if (JSON.stringify(next.lines) !== JSON.stringify(current.storage.lines)) publish();
  });

  function logState(view: WidgetView): void {
    if (view.phase !== "error") {
      lastStateLine = "";
      return;
    }
    // Developer mode logs what the state view says, so a test (or a bug
    // report) shows the text a user saw without a screenshot.
    const line = (
      "state view: " +
      view.state.title +
      " | " +
      view.errorMessage +
      " | " +
      view.state.explanation
    )
      .split("\n")
      .map((s) => s.trim())
      .filter((s) => s !== "")
      .join(" / ");
    if (line !== lastStateLine) log("debug", line);
    lastStateLine = line;
  }

  function emit(listeners: WidgetViewListener[], view: WidgetView): void {
    const copy = listeners.slice();
    for (let i = 0; i < copy.length; i++) {
      try {
        (copy[i] as WidgetViewListener)(view);
      } catch (err) {
        log("warn", "view listener failed: " + String(err));
      }
    }
  }

  function publish(v?: ViewModel): void {
    if (disposed) return;
    // A search or the Problems view needs guest rows of collapsed nodes too.
    const all = popupFilter.needsAllRows(config.popupView);
    if (monitor && all !== monitorAllRows) {
      monitorAllRows = all;
      monitor.setViewOptions({ allGuestRows: all });
      return;
    }
    history.setApi(monitor ? monitor.historyApi() : null);
    history.setStorageTargets(popupOpen && monitor ? storageTargets(monitor.state().data) : []);
    current = build(v !== undefined ? v : monitor ? monitor.view() : null);
    logState(current);
    emit(viewListeners, current);
    if (popupOpen) emit(rowListeners, current);
  }

  function tick(): void {
    cancelTick = null;
    if (!popupOpen && !hovered) return;
    publish();
    cancelTick = deps.scheduler.schedule(1000, tick);
  }

  function ticking(): void {
    const wanted = popupOpen || hovered;
    if (wanted && cancelTick === null) cancelTick = deps.scheduler.schedule(1000, tick);
    if (!wanted && cancelTick !== null) {
      cancelTick();
      cancelTick = null;
    }
  }

  return {
    update(
      nextConfig: WidgetConfig,
      nextSecret: SecretInput,
      nextActionSecret?: SecretInput,
    ): void {
      if (disposed) return;
      config = nextConfig;
      secret = nextSecret;
      if (nextActionSecret) actionSecret = nextActionSecret;
      const developer = config.developerMode === true;
      if (developer !== developerLogged)
        log("info", developer ? "developer mode on" : "developer mode off");
      developerLogged = developer;
      const key = JSON.stringify([
        demoMode(),
        host(),
        port(),
        tokenId(),
        refreshSeconds(),
        secret.generation,
        tlsSettings(),
        notificationSettings(config),
        config.connectionName,
        config.addresses,
      ]);
      if (key !== connectionKey || (monitor === null && !blocked() && !demoFailed)) {
        connectionKey = key;
        reconfigure();
      } else if (monitor) {
        monitor.setViewOptions(viewOptions());
        health.configure(config, monitor, transportNow, settingsNow);
      }
      configureActions();
      publish();
    },
    setPopupOpen(open: boolean): void {
      if (open === popupOpen) return;
      popupOpen = open;
      ticking();
      history.setPopupOpen(open);
      // Opening makes the monitor build the rows and publish them at once.
      if (monitor) monitor.setPopupOpen(open);
      else if (open) publish();
    },
    setHovered(on: boolean): void {
      if (on === hovered) return;
      hovered = on;
      ticking();
      if (on) publish();
    },
    refreshNow(): void {
      if (monitor) monitor.refreshNow();
    },
    setSearch(text: string): void {
      if (!popupFilter.setSearch(text)) return;
      publish();
    },
    addProblemSource(source: ProblemSource): void {
      popupFilter.addProblemSource(source);
      publish();
    },
    setViewOptions(options): void {
      if (monitor) monitor.setViewOptions(options);
      else publish();
    },
    nodeKeyForSetting(rowKey: string): string {
      return monitor ? monitor.nodeKeyForSetting(rowKey) : rowKey;
    },
    actionMenu: (rowKey) => actions.menu(rowKey),
    chooseAction: (rowKey, id) => actions.choose(rowKey, id),
    confirmAction: (rowKey) => actions.confirm(rowKey),
    cancelAction: (rowKey) => actions.cancel(rowKey),
    view(): WidgetView {
      return current;
    },
    snoozeMenu: (kind, id) => health.snoozeMenu(kind, id),
    snooze: (kind, id, action) => health.snooze(kind, id, action),
    onView(listener: WidgetViewListener): void {
      viewListeners.push(listener);
    },
    onRows(listener: WidgetViewListener): void {
      rowListeners.push(listener);
    },
    showNodeHistory(rowKey: string, shown: boolean): void {
      const real = monitor ? monitor.nodeKeyForSetting(rowKey) : rowKey;
      const name = real.indexOf("node/") === 0 ? real.slice(5) : "";
      history.showNode(rowKey, name !== "" ? { kind: "node", node: name } : null, shown);
    },
    toggleGuestDetail(rowKey: string): void {
      const snapshot = monitor ? monitor.state().data : null;
      let target: HistoryTarget | null = null;
      if (snapshot) {
        for (let i = 0; i < snapshot.guests.length; i++) {
          const g = snapshot.guests[i] as Snapshot["guests"][number];
          if (g.type + "/" + g.vmid === rowKey) {
            target = { kind: g.type, node: g.node, vmid: g.vmid };
            break;
          }
        }
      }
      history.toggleGuest(rowKey, target);
      publish();
    },
    setHistoryTimeframe(timeframe: string): void {
      history.setTimeframe(timeframe);
      publish();
    },
    historyRows(rowKey: string): ChartRow[] {
      return history.rows(rowKey);
    },
    historyHover(rowKey: string, index: number, metric: string): string {
      return history.hoverText(rowKey, index, metric);
    },
    historyInFlight(): number {
      const reader = history.reader();
      if (!reader) return 0;
      return reader.stats().inFlight;
    },
    historyTops(rowKey: string): ChartTops {
      return history.tops(rowKey);
    },
    onHistory(listener: (update: ChartUpdate) => void): void {
      history.onUpdate(listener);
    },
    dispose(): void {
      disposed = true;
      actions.dispose();
      history.dispose();
      if (cancelTick) cancelTick();
      cancelTick = null;
      dropMonitor();
      health.dispose();
      viewListeners.length = 0;
      rowListeners.length = 0;
    },
  };
}

/**
 * The view before the session exists (QML binds to it while the façade is
 * still being created): connecting, complete, every text through `tr`.
 */
export function initialWidgetView(tr?: Translator, trc?: ContextTranslator): WidgetView {
  const session = createWidgetSession({
    scheduler: { now: () => 0, schedule: () => () => {} },
    createRequest: () => {
      throw new Error("no request before the session exists");
    },
    send: () => {},
    loadNative: () => null,
    loadDemo: () => null,
    tr,
    trc,
  });
  const view = session.view();
  session.dispose();
  return view;
}
