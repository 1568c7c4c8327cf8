// What the popup shows instead of the node list — not configured, connecting,
// or an error — with a message, the next step and the buttons to offer. The
// decision table that StateView.qml used to hold, as a pure function.

import type { CertificateInfo } from "../api/transport";
import type { Phase } from "../view/view-model";
import { caPasteSteps, caSteps, nativeSteps, pinSteps, type Tr } from "./texts";

export interface StateViewInput {
  /** The package's Plasma major version (Edition.qml): which Qt packages the advice names; 6 when absent. */
  plasma?: number;
  /** The phase the widget shows (TLS-blocked is "error", waiting for the keyring "loading"). */
  phase: Phase;
  /** "tls-setup" when the TLS setting cannot be honoured; else the monitor's error class or "". */
  errorKind: string;
  errorMessage: string;
  /** Host and token are set, but the keyring has no secret for them or failed. */
  secretMissing: boolean;
  /** With secretMissing: the wallet is locked or not open yet, and is being waited for. */
  secretWaiting?: boolean;
  secretMessage: string;
  configurationProblem: string;
  demoMode: boolean;
  host: string;
  port: number;
  nativeAvailable: boolean;
  /** The trust mode in force: "system", "pin", "ca", "insecure". */
  tlsMode: string;
  /** With "tls-setup": "native-missing", "bad-fingerprint", "bad-ca". */
  tlsProblem: string;
  certificate: CertificateInfo | null;
  pinnedFingerprint: string;
  errorAclPath: string;
  errorPrivilege: string;
}

export interface StateCertificate {
  fingerprint256: string;
  subject: string;
  issuer: string;
  validText: string;
  /** "Server now:" beside a pin it did not match, else "SHA-256:". */
  fingerprintLabel: string;
}

/** Which button does what: QML maps these names onto its façade's functions. */
export type StateAction = "reloadSecret" | "refreshNow";

export interface StateViewModel {
  /** The busy indicator instead of an icon. */
  busy: boolean;
  icon: string;
  title: string;
  /** The error line in the negative colour ("" for none). */
  message: string;
  explanation: string;
  /** Long step-by-step texts: left-aligned, small font. */
  detailed: boolean;
  certificate: StateCertificate | null;
  pinnedFingerprint: string;
  showConfigure: boolean;
  showDemo: boolean;
  showRetry: boolean;
  retryAction: StateAction;
  showLeaveDemo: boolean;
}

function iconFor(input: StateViewInput, secretMissing: boolean): string {
  if (secretMissing) return "dialog-password";
  if (input.phase === "unconfigured") return "configure";
  if (input.phase === "loading") return "network-connect";
  switch (input.errorKind) {
    case "tls":
    case "tls-setup":
      return "security-low";
    case "auth":
    case "permission":
      return "dialog-password";
    case "timeout":
      return "chronometer";
    default:
      return "network-disconnect";
  }
}

function titleFor(t: Tr, input: StateViewInput, secretMissing: boolean): string {
  const tr = t.tr;
  if (secretMissing)
    return input.secretWaiting ? tr("Waiting for KDE Wallet") : tr("Missing token secret");
  if (input.phase === "unconfigured") return tr("ProxMon is not set up yet");
  if (input.phase === "loading")
    return tr("Connecting to %1…", input.demoMode ? tr("the demo cluster") : input.host);
  switch (input.errorKind) {
    case "tls":
      return input.pinnedFingerprint !== ""
        ? tr("The server's certificate has changed")
        : tr("The server's certificate is not trusted");
    case "tls-setup":
      if (input.tlsProblem === "bad-fingerprint") return tr("The pinned fingerprint is not valid");
      if (input.tlsProblem === "bad-ca")
        return tr("The Proxmox cluster CA in the settings is not valid");
      return tr("The native TLS module is not installed");
    case "auth":
      return tr("The API token was rejected");
    case "permission":
      return tr("The API token lacks a permission");
    case "unreachable":
      return tr("The server cannot be reached");
    case "timeout":
      return tr("The server did not answer in time");
    case "node-unreachable":
      return tr("The node answering the API cannot reach the cluster");
    default:
      return tr("Proxmox VE returned an error");
  }
}

function explanationFor(t: Tr, input: StateViewInput, secretMissing: boolean): string {
  const tr = t.tr;
  if (secretMissing) return input.secretMessage;
  if (input.phase === "unconfigured")
    return tr(
      "%1 Enter the host and an API token (user@realm!tokenname) in the settings, or look around the demo cluster first.",
      input.configurationProblem,
    );
  if (input.phase === "loading") return "";
  const pinOrNative = input.nativeAvailable ? pinSteps(t) : nativeSteps(t, input.plasma);
  switch (input.errorKind) {
    case "tls":
      if (input.pinnedFingerprint !== "")
        return tr(
          "If the certificate was renewed on purpose, compare the new fingerprint with Proxmox (Node → System → Certificates) and trust it in the settings (Test connection → Trust this certificate). Otherwise do not connect: someone may be intercepting the connection.",
        );
      if (input.tlsMode === "ca")
        return (
          tr(
            "The server's certificate was not issued by the Proxmox cluster CA in the settings, or does not name %1. Check that the CA is this cluster's /etc/pve/pve-root-ca.pem; a node with a certificate from another issuer (e.g. Let's Encrypt) needs that issuer's CA.",
            input.host,
          ) +
          "\n\n" +
          caPasteSteps(t) +
          "\n\n" +
          pinSteps(t)
        );
      return caSteps(t, input.host) + "\n\n" + pinOrNative;
    case "tls-setup":
      if (input.tlsProblem === "bad-fingerprint") return pinOrNative;
      if (input.tlsProblem === "bad-ca") return caPasteSteps(t);
      return (
        caSteps(t, input.host) +
        tr("\nThen set Trust to “System certificate store” in the settings.") +
        "\n\n" +
        nativeSteps(t, input.plasma)
      );
    case "auth":
      return tr(
        "Tokens are listed in the Proxmox web UI under Datacenter → Permissions → API Tokens.",
      );
    case "permission":
      return input.errorPrivilege !== ""
        ? tr(
            "Grant the privilege %1 on %2 to the token (or its user when privilege separation is off), e.g. with the PVEAuditor role.",
            input.errorPrivilege,
            input.errorAclPath !== "" ? input.errorAclPath : "/",
          )
        : tr("Give the token the PVEAuditor role on / in Datacenter → Permissions.");
    case "unreachable":
      if (input.nativeAvailable)
        return tr(
          "Check the host name and port (%1:%2), that pveproxy runs, and your network.",
          input.host,
          input.port,
        );
      return (
        tr(
          "Check the host name and port (%1:%2) and your network. If the server uses the self-signed Proxmox certificate, this is also what an untrusted certificate looks like (without the native TLS module ProxMon cannot tell the two apart).",
          input.host,
          input.port,
        ) +
        "\n\n" +
        caSteps(t, input.host) +
        "\n\n" +
        nativeSteps(t, input.plasma)
      );
    case "timeout":
      return tr("ProxMon keeps trying. A busy server or a slow link can cause this.");
    case "node-unreachable":
      return tr("Point ProxMon at another node of the cluster, or check the cluster network.");
    default:
      return "";
  }
}

export function buildStateView(t: Tr, input: StateViewInput): StateViewModel {
  const secretMissing = input.phase === "unconfigured" && input.secretMissing;
  const certificate =
    input.phase === "error" && input.errorKind === "tls" ? input.certificate : null;
  const pinned = certificate !== null ? input.pinnedFingerprint : "";
  const kind = input.errorKind;
  return {
    busy: input.phase === "loading",
    icon: iconFor(input, secretMissing),
    title: titleFor(t, input, secretMissing),
    message: input.phase === "error" ? input.errorMessage : "",
    explanation: explanationFor(t, input, secretMissing),
    detailed: kind === "tls" || kind === "tls-setup" || kind === "unreachable",
    certificate:
      certificate === null
        ? null
        : {
            fingerprint256: certificate.fingerprint256,
            subject: certificate.subject,
            issuer: certificate.issuer,
            validText: t.trc(
              "certificate validity, from – to",
              "%1 – %2",
              certificate.validFrom,
              certificate.validTo,
            ),
            fingerprintLabel: pinned !== "" ? t.tr("Server now:") : t.tr("SHA-256:"),
          },
    pinnedFingerprint: pinned,
    showConfigure: input.phase !== "loading",
    showDemo: input.phase === "unconfigured",
    showRetry: input.phase === "error" || secretMissing,
    retryAction: secretMissing ? "reloadSecret" : "refreshNow",
    showLeaveDemo: input.demoMode,
  };
}
