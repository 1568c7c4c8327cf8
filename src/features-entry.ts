// A V4 bundle for the tests only (build/qml/features.mjs): core functions
// of several clusters (issue 11) that the widget's bundles use internally
// but do not export to QML, run in Qt's real engine by tests/qml. Anything
// QML itself calls belongs in src/index.ts (or settings-page.ts) instead.

export { createFailoverClient } from "./api/failover";
export { parseHostEntry, secretVariableName } from "./connections/model";
export { readConnectionList, legacyKeysOf } from "./connections/widget-settings";
export { aggregatePanel } from "./widget/multi-session";
export { checkDraft, failoverCandidates, moveConnection } from "./connections/editor";
