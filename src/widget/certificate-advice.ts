// What the settings page's Certificate section says under the trust mode:
// the CA text's problem, and whether the mode works without the native
// module. ConfigConnection's certificate section binds to these.

import type { CaPemProblem } from "../api/pem";
import { plainTranslator, type Translator } from "../notify/message";
import { caProblemText, plainContextTranslator, qtDevPackages } from "./texts";

export interface CertificateAdviceInput {
  /** The effective trust mode: "system", "pin", "ca", "insecure". */
  mode: string;
  nativeAvailable: boolean;
  caProblem: CaPemProblem | null;
  /** The package's Plasma major version (Edition.qml): which Qt packages to name; 6 when absent. */
  plasma?: number;
}

export interface CertificateAdvice {
  /** What is wrong with the pasted CA ("" when nothing, or not in CA mode). */
  caProblemText: string;
  /** The CA text is merely empty: a hint, not an error. */
  caProblemIsHint: boolean;
  /** A warning about the mode ("" for none), e.g. that it needs the native module. */
  warning: string;
  /** An information line about the mode ("" for none). */
  info: string;
}

export function certificateAdvice(
  input: CertificateAdviceInput,
  tr: Translator = plainTranslator,
): CertificateAdvice {
  const t = { tr, trc: plainContextTranslator };
  let warning = "";
  let info = "";
  const qt = qtDevPackages(input.plasma);
  if (input.mode === "ca" && !input.nativeAvailable)
    warning = tr(
      "Checking against a CA pasted here needs ProxMon's native TLS module, which is not installed: the widget will not connect in this mode. Run ./install.sh in the ProxMon checkout with cmake, g++, make, %1 and %2 installed, or install the Proxmox CA system-wide and use the system certificate store.",
      qt.debianBase,
      qt.debianDeclarative,
    );
  else if (input.mode === "insecure")
    warning = input.nativeAvailable
      ? tr(
          "Ignoring certificate errors lets anyone on the network path pose as the server and read your API token. Prefer pinning (Test connection, then Trust this certificate) or the Proxmox cluster CA.",
        )
      : tr(
          "Ignoring certificate errors lets anyone on the network path read your API token. It also needs ProxMon's native TLS module, which is not installed: the widget will not connect in this mode.",
        );
  else if (input.mode === "pin" && !input.nativeAvailable)
    warning = tr(
      "Pinning needs ProxMon's native TLS module, which is not installed: the widget will not connect in this mode. Run ./install.sh in the ProxMon checkout with cmake, g++, make, %1 and %2 installed, or install the Proxmox CA and use the system certificate store.",
      qt.debianBase,
      qt.debianDeclarative,
    );
  else if (input.mode === "system")
    info = tr(
      "For the self-signed Proxmox certificate, install the cluster CA system-wide: copy /etc/pve/pve-root-ca.pem to /usr/local/share/ca-certificates/pve-root-ca.crt, run “sudo update-ca-certificates”, then restart plasmashell.",
    );
  const problem = input.mode === "ca" && input.caProblem !== "private-key" ? input.caProblem : null;
  return {
    caProblemText: caProblemText(t, problem),
    caProblemIsHint: problem === "empty",
    warning,
    info,
  };
}
