// The settings dialog's bundle, contents/code/settings.mjs: what the
// Connection page calls (Test connection, trust on first use, its advice
// texts). The dialog runs in an engine of its own, so none of this is
// parsed in plasmashell's widget engine. No state at module level.

export { createConnectionTest, blankConnectionTestState } from "./widget/connection-test";
export { certificateAdvice } from "./widget/certificate-advice";
export { actionsPageNote, keyringTexts } from "./widget/settings-texts";
export { validateTokenId } from "./api/client";
export { checkCaPem, countCaCertificates } from "./api/pem";
export { effectiveTlsMode } from "./api/trust";
export { MIN_REFRESH_SECONDS, DEFAULT_REFRESH_SECONDS } from "./monitor";
// Settings → Connections (issue 11): the list of connections, each checked
// as typed, with failover addresses from the tested cluster.
export {
  addressRows,
  candidateRows,
  draftAccount,
  draftActionsAccount,
  draftsFromSettings,
  newDraft,
  pageState,
  replaceAt,
  trustAddress,
  withAddress,
  withField,
  withPin,
} from "./connections/page";
export { moveConnection, removeConnection } from "./connections/editor";
