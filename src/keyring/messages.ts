// What to tell a person about a keyring operation that failed, by the
// secret store's error kind (src/keyring/secret-store.ts). Shared by the
// widget and its settings dialog, which each run their own Keyring.qml.

import { plainTranslator, type Translator } from "../notify/message";

export interface KeyringFailure {
  kind: string;
  message?: string;
}

export function keyringErrorMessage(
  error: KeyringFailure | null | undefined,
  tr: Translator = plainTranslator,
): string {
  switch (error ? error.kind : "") {
    case "unsupported":
      return tr(
        "Storing the token secret needs Plasma 6.2 or newer: this Plasma has no D-Bus access for widgets (org.kde.plasma.workspace.dbus). Update Plasma to monitor a server; the demo cluster works without a secret.",
      );
    case "unsupported-plasma5":
      return tr(
        "On Plasma 5 the token secret is kept in KDE Wallet through ProxMon's native module, which is not installed: install the widget with ./install.sh (it builds the module against Qt 5; needs cmake, g++ and qtbase5-dev). The demo cluster works without a secret.",
      );
    case "unavailable":
      return tr(
        "The KDE Wallet service is not running, so the token secret cannot be read. Enable KDE Wallet in System Settings → KDE Wallet, then store the secret again in ProxMon's settings.",
      );
    case "disabled":
      return tr(
        "KDE Wallet is disabled, so the token secret cannot be read. Enable it in System Settings → KDE Wallet, then store the secret again in ProxMon's settings.",
      );
    case "denied":
      return tr(
        "Access to KDE Wallet was denied or the wallet stayed locked. Allow ProxMon when the wallet asks, then choose “Try again”.",
      );
    case "locked":
      return tr(
        "Waiting for KDE Wallet: it is still locked. Unlock it when it asks for its password; ProxMon connects by itself as soon as the wallet is open.",
      );
    default:
      return tr(
        "KDE Wallet could not be used: %1",
        error && error.message ? error.message : tr("unknown error"),
      );
  }
}
