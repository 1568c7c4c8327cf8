// The bundle's public face: everything QML calls, and nothing more. The
// widget imports contents/code/proxmon.mjs (built from this file) once per
// QML engine, and plasmashell shares that engine between widget instances,
// so this module exports only factories and pure functions — no state lives
// here. The demo cluster (src/demo/entry.ts → contents/code/demo.mjs) and the
// settings dialog's code (src/settings-page.ts → contents/code/settings.mjs)
// are bundles of their own, so the widget's engine never parses them.

// The widget (WidgetFacade.qml, NodeCard.qml, Keyring.qml, ConfigBehavior.qml).
export { createWidgetSession, initialWidgetView } from "./widget/session";
export { syncOps, rowPatch, applyListOps } from "./view/list-sync";
export { createSecretStore } from "./keyring/secret-store";
export { keyringErrorMessage } from "./keyring/messages";
export { parseFilter, isEmptyWhitelist } from "./notify/filter";
// Settings → Behavior's list of snoozed guests and nodes (issue 13).
export { snoozeSettingsRows, removeSnoozeEntry } from "./widget/snooze-menu";
export { emptyBackupsView } from "./widget/backups-view";
// History and storage (issue 12): Settings → Appearance, and the V4 tests.
export { panelLabel, panelLabelChoices } from "./history/panel-label";
export { createHistoryReader } from "./history/reader";
export { decodeResourceRrd } from "./history/rrd";
export { groupStorage } from "./history/storage";
export { forecastFull } from "./history/forecast";

// The layers below, for the V4 tests (tests/qml/tst_bundle.qml).
export { createMonitor } from "./monitor";
export { createXhrTransport } from "./api/transport-xhr";
export { createClient, validateTokenId } from "./api/client";
export { normaliseFingerprint } from "./api/tls-policy";
export { formatAge, formatBytes, formatUptime } from "./view/format";
export { decodeResources } from "./model/decode-resources";
export { assembleSnapshot } from "./model/snapshot";
export { redactTokenId } from "./notify/message";
// Power actions (the session runs them; src/widget/guest-actions.ts).
export { createActionRunner } from "./actions/runner";
export { actionChoices } from "./actions/rules";
export { parseUpid } from "./actions/request";

// The keyring's waiting and retrying (SecretSource.qml).
export { createSecretSource } from "./keyring/secret-source";

// Several connections (issue 11): the widget's session over every enabled
// connection, and what its façade and sections wire (WidgetFacade.qml).
export {
  createMultiSession,
  connectionSecretKeys,
  connectionSecretAccounts,
  accountKeys,
  gatherSecrets,
  extraActionAccounts,
  gatherActionSecrets,
  expandedPrefix,
  expandedNodesOf,
  toggleExpandedNode,
  toggleEntry,
} from "./widget/multi-session";
export {
  movePopupFocus,
  locatePopupFocus,
  focusInConnection,
  focusAction,
} from "./view/popup-navigation";
