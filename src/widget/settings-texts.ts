// The settings page's secret section: what the wallet holds, in words.

import {
  readConnectionList,
  type LegacyConnectionKeys,
  type WidgetConnection,
} from "../connections/widget-settings";
import { plainTranslator, type Translator } from "../notify/message";

export interface KeyringTexts {
  /** A status line under the field ("" when nothing is known yet or on error). */
  status: string;
  placeholder: string;
}

/** keyringState: "", "checking", "stored", "absent", "saving", "error". */
export function keyringTexts(keyringState: string, tr: Translator = plainTranslator): KeyringTexts {
  let status = "";
  switch (keyringState) {
    case "checking":
      status = tr("Keyring: checking…");
      break;
    case "saving":
      status = tr("Keyring: saving…");
      break;
    case "stored":
      status = tr("Keyring: a secret is stored for this host, port and token ID.");
      break;
    case "absent":
      status = tr("Keyring: no secret stored for this host, port and token ID.");
      break;
  }
  return {
    status,
    placeholder:
      keyringState === "stored"
        ? tr("Stored in KDE Wallet; type to replace it")
        : tr("The secret shown when the token was created"),
  };
}

/**
 * Settings → Actions with several connections: the token ID and secret on
 * that page are the first connection's (the old `actionsTokenId` key);
 * every other connection has its own on its Connections entry. "" with one
 * connection or none, where the page is all there is.
 */
export function actionsPageNote(
  keys: LegacyConnectionKeys,
  tr: Translator = plainTranslator,
): string {
  const list = readConnectionList(keys, tr).connections;
  if (list.length < 2) return "";
  return tr(
    "With a separate token, each connection has its own actions token. These fields are the first connection's (%1); set the others' with their secrets in Settings → Connections.",
    (list[0] as WidgetConnection).name,
  );
}
