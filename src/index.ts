// The bundle's public face: everything QML calls, and nothing more. The
// widget imports contents/code/proxmon.mjs (built from this file) once per
// QML engine, and plasmashell shares that engine between widget instances,
// so this module exports only factories and pure functions — no state lives
// here. The demo cluster is a bundle of its own (src/demo/entry.ts →
// contents/code/demo.mjs), loaded only when the user chooses it.

// The widget and its settings page.
export { createWidgetSession } from "./widget/session";
export { createConnectionTest } from "./widget/connection-test";
export { certificateAdvice } from "./widget/certificate-advice";
export { keyringTexts } from "./widget/settings-texts";
export { syncOps } from "./view/list-sync";
export { createSecretStore } from "./keyring/secret-store";
export { validateTokenId } from "./api/client";
export { checkCaPem, countCaCertificates } from "./api/pem";
export { effectiveTlsMode } from "./api/trust";
export { parseFilter, isEmptyWhitelist } from "./notify/filter";
export { MIN_REFRESH_SECONDS, DEFAULT_REFRESH_SECONDS } from "./monitor";

// The layers below, for the V4 tests (tests/qml/tst_bundle.qml).
export { createMonitor } from "./monitor";
export { createXhrTransport } from "./api/transport-xhr";
export { createClient } from "./api/client";
export { normaliseFingerprint } from "./api/tls-policy";
export { formatAge, formatBytes, formatUptime } from "./view/format";
export { decodeResources } from "./model/decode-resources";
export { assembleSnapshot } from "./model/snapshot";
