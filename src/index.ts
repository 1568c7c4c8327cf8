// The bundle's public face: everything QML may call. The widget imports
// contents/code/proxmon.mjs (built from this file) once per QML engine, and
// plasmashell shares that engine between widget instances, so this module
// exports only factories and pure functions — no state lives here.

export {
  createMonitor,
  settingsProblem,
  DEFAULT_REFRESH_SECONDS,
  MIN_REFRESH_SECONDS,
  DEFAULT_TIMEOUT_SECONDS,
  type Monitor,
  type MonitorDeps,
  type MonitorSettings,
  type ViewOptions,
} from "./monitor";
export { createXhrTransport, type XhrTransportDeps } from "./api/transport-xhr";
export { createClient, validateTokenId, formatBaseUrl } from "./api/client";
export { normaliseFingerprint, fingerprintsEqual } from "./api/tls-policy";
export { createDemoTransport, DEMO_HOST, DEMO_PORT, DEMO_SCENARIO } from "./demo/transport";
export { demoSettings } from "./demo/settings";
export { syncOps, rowsEqual } from "./view/list-sync";
export {
  formatAge,
  ageText,
  formatBytes,
  formatPercent,
  formatUptime,
  uptimeParts,
} from "./view/format";
export { parseFilter, isEmptyWhitelist } from "./notify/filter";
export { DEFAULT_NOTIFICATION_SETTINGS, type NotificationSettings } from "./notify/pipeline";
export { redactTokenId } from "./notify/message";
export { decodeResources } from "./model/decode-resources";
export { assembleSnapshot } from "./model/snapshot";
export {
  createSecretStore,
  entryKey,
  type SecretStore,
  type WalletBus,
  type Account,
} from "./keyring/secret-store";
export {
  createNativeTransport,
  nativeTlsSpec,
  type NativeTransportDeps,
  type NativeRequestSpec,
  type NativeResult,
} from "./api/transport-native";
export { type TlsPolicy } from "./api/tls-policy";
export {
  checkCaPem,
  extractCaPem,
  countCaCertificates,
  MAX_CA_PEM_CHARS,
  type CaPemProblem,
} from "./api/pem";
export {
  matchNodeFingerprint,
  checkNodeFingerprint,
  effectiveTlsMode,
  planTls,
  withTlsDiagnosis,
  type TlsPlan,
  type TlsSettings,
  type NodeFingerprintCheck,
} from "./api/trust";
export { decodeNodeFingerprints } from "./model/decode-nodes";

// ---- Power actions (issue 10): the core the widget's action UI builds on.
// createActionRunner(deps) takes the client, scheduler and translator like
// createMonitor; everything else here is pure.
export {
  createActionRunner,
  refusedResult,
  DEFAULT_POLL_DELAYS_MS,
  DEFAULT_WAIT_TIMEOUT_MS,
  type ActionRunner,
  type ActionRunnerDeps,
  type ActionApi,
  type ActionResult,
  type ActionOutcome,
  type ActionProgress,
  type ActionPhase,
  type ActionEvent,
  type RunOptions,
} from "./actions/runner";
export {
  POWER_ACTIONS,
  actionChoices,
  actionLabel,
  checkAction,
  isDestructive,
  isHaManaged,
  isPowerAction,
  targetStatus,
  type PowerAction,
  type ActionGuest,
  type ActionChoice,
  type ActionCheck,
} from "./actions/rules";
export {
  decodePermissions,
  fetchPermissions,
  guestPermission,
  POWER_PRIVILEGE,
  type PermissionMap,
  type PowerPermission,
} from "./actions/permissions";
export { parseUpid, classifyExitStatus, type Upid } from "./actions/request";
// ---- end of power actions

// ---- History and storage (issue 12): the core the widget's graphs, storage
// section and panel label build on. createHistoryReader(deps) takes the
// client and scheduler like createMonitor; everything else here is pure.
export {
  createHistoryReader,
  MIN_INTERVAL_SECONDS,
  type HistoryReader,
  type HistoryReaderDeps,
  type HistoryApi,
  type HistorySeries,
  type HistoryChange,
  type HistoryPoint,
  type HistoryStats,
} from "./history/reader";
export {
  decodeResourceRrd,
  decodeStorageRrd,
  targetKey,
  rrdPath,
  isTimeframe,
  TIMEFRAMES,
  type Timeframe,
  type HistoryTarget,
  type ResourcePoint,
  type StoragePoint,
} from "./history/rrd";
export {
  groupStorage,
  storageRows,
  fullestStorage,
  usageFraction,
  type StorageRow,
  type StorageGroups,
  type StorageState,
} from "./history/storage";
export { forecastFull, FORECAST_HORIZON_DAYS, type StorageForecast } from "./history/forecast";
export {
  DEFAULT_STORAGE_ALERTS,
  normaliseAlertSettings,
  type StorageAlertSettings,
} from "./history/storage-alerts";
export {
  panelLabel,
  panelLabelChoices,
  panelLabelMode,
  PANEL_LABEL_MODES,
  DEFAULT_PANEL_LABEL_MODE,
  type PanelLabel,
  type PanelLabelMode,
} from "./history/panel-label";
// ---- end of history and storage
