// The settings page's secret section: what the wallet holds, in words.

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
