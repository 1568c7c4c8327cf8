// A V4 bundle for the tests only (build/qml/features.mjs): core features the
// widget does not load yet — power actions (issue 10), history and storage
// (issue 12) — run in Qt's real engine before their widget parts land. Each
// moves into the widget's own bundles (src/index.ts, or a bundle loaded on
// demand) together with the QML that uses it, so plasmashell never parses
// code the widget does not call.

export { createActionRunner } from "./actions/runner";
export { actionChoices } from "./actions/rules";
export { parseUpid } from "./actions/request";
