// A V4 bundle for the tests only (build/qml/features.mjs): core features the
// widget does not load yet — several clusters (issue 11) — run in Qt's real
// engine before their widget parts land. Each moves into the widget's own
// bundles (src/index.ts, or a bundle loaded on demand) together with the QML
// that uses it, so plasmashell never parses code the widget does not call.
// Power actions, history and storage moved into proxmon.mjs with their QML.

// Several clusters (issue 11): the connection list, its migration and
// failover (the multi-connection session is in proxmon.mjs now).
export { createFailoverClient } from "./api/failover";
export { parseHostEntry, secretVariableName } from "./connections/model";
export { readConnectionList, legacyKeysOf } from "./connections/widget-settings";
export { aggregatePanel } from "./widget/multi-session";
export { checkDraft, failoverCandidates, moveConnection } from "./connections/editor";
