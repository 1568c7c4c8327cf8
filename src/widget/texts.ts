// The advice texts the popup and the settings page share, each written once.
// Every text goes through the injected translator with its English template
// as the first, literal argument, so translation extraction finds it.

import type { CaPemProblem } from "../api/pem";
import { plainTranslator, type Translator } from "../notify/message";
import type { AgeParts } from "../view/format";

/** i18nc: a context that tells translators which sense is meant. */
export type ContextTranslator = (
  context: string,
  template: string,
  ...args: Array<string | number>
) => string;

export const plainContextTranslator: ContextTranslator = function (_context, template, ...args) {
  return plainTranslator(template, ...args);
};

export interface Tr {
  tr: Translator;
  trc: ContextTranslator;
}

/** The two ways out of an untrusted Proxmox certificate, as steps to copy. */
export function caSteps(t: Tr, host: string): string {
  return t.tr(
    "Install the Proxmox CA system-wide (the system then trusts every node of the cluster):\n  scp root@%1:/etc/pve/pve-root-ca.pem pve-root-ca.crt\n  sudo cp pve-root-ca.crt /usr/local/share/ca-certificates/pve-root-ca.crt\n  sudo update-ca-certificates\n  systemctl --user restart plasma-plasmashell",
    host !== "" ? host : "pve",
  );
}

/**
 * The Qt development packages ./install.sh builds the native modules with:
 * Qt 6 for the Plasma 6 package, Qt 5.15 for the Plasma 5.27 one (native/qt5).
 * `plasma` is Edition.qml's major version; 6 when absent.
 */
export interface QtDevPackages {
  /** Debian, Ubuntu, KDE neon: the two package names. */
  debianBase: string;
  debianDeclarative: string;
  fedora: string;
  arch: string;
}

export function qtDevPackages(plasma?: number): QtDevPackages {
  return plasma === 5
    ? {
        debianBase: "qtbase5-dev",
        debianDeclarative: "qtdeclarative5-dev",
        fedora: "qt5-qtbase-devel qt5-qtdeclarative-devel",
        arch: "qt5-base qt5-declarative",
      }
    : {
        debianBase: "qt6-base-dev",
        debianDeclarative: "qt6-declarative-dev",
        fedora: "qt6-qtbase-devel qt6-qtdeclarative-devel",
        arch: "qt6-base qt6-declarative",
      };
}

export function nativeSteps(t: Tr, plasma?: number): string {
  const p = qtDevPackages(plasma);
  return t.tr(
    "Or install ProxMon's native TLS module, which can pin the certificate: with cmake, g++, make, %1 and %2 installed (Fedora: %3; Arch: %4), run ./install.sh in the ProxMon checkout, then restart plasmashell.",
    p.debianBase,
    p.debianDeclarative,
    p.fedora,
    p.arch,
  );
}

export function pinSteps(t: Tr): string {
  return t.tr(
    "Or pin this certificate: compare its fingerprint with Proxmox (Node → System → Certificates), then in the settings choose Test connection → Trust this certificate.",
  );
}

export function caPasteSteps(t: Tr): string {
  return t.tr(
    "On any node of the cluster run “cat /etc/pve/pve-root-ca.pem” and paste all of its output, the BEGIN and END lines included, into the settings (Connection → Trust: Proxmox cluster CA).",
  );
}

/** What is wrong with the CA text in the settings ("" when nothing). */
export function caProblemText(t: Tr, problem: CaPemProblem | null): string {
  switch (problem) {
    case "empty":
      return t.tr(
        "Paste the cluster CA: run “cat /etc/pve/pve-root-ca.pem” on any Proxmox node and paste all of its output, the BEGIN and END lines included.",
      );
    case "no-certificate":
      return t.tr(
        "This is not a certificate: the text needs a block from “-----BEGIN CERTIFICATE-----” to “-----END CERTIFICATE-----”, as in /etc/pve/pve-root-ca.pem.",
      );
    case "too-long":
      return t.tr(
        "This text is far longer than a CA certificate. Paste only /etc/pve/pve-root-ca.pem.",
      );
    case "bad-certificate":
      return t.tr(
        "A certificate block is incomplete or damaged. Copy /etc/pve/pve-root-ca.pem again, the BEGIN and END lines included.",
      );
    case "private-key":
      return t.tr(
        "The Proxmox cluster CA setting holds a private key, which must never leave the Proxmox node. Nothing was sent. Remove it from the settings and paste only /etc/pve/pve-root-ca.pem.",
      );
    default:
      return "";
  }
}

/** "12 s ago" and its siblings, translated. */
export function ageText(t: Tr, age: AgeParts | null): string {
  if (age === null) return "";
  switch (age.unit) {
    case "seconds":
      return t.trc("how long ago", "%1 s ago", age.value);
    case "minutes":
      return t.trc("how long ago", "%1 min ago", age.value);
    case "hours":
      return t.trc("how long ago", "%1 h ago", age.value);
    default:
      return t.trc("how long ago", "%1 d ago", age.value);
  }
}
