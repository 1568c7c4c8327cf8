// The settings page's "Test connection" and trust on first use: one test run
// against the fields as they are (not the saved settings), the certificate a
// refused connection presented, and a second opinion from /nodes on which
// node it belongs to. ConfigConnection.qml shows `state()` and calls these.

import type { CertificateInfo } from "../api/transport";
import { createClient } from "../api/client";
import type { Transport } from "../api/transport";
import { checkNodeFingerprint, planTls, type TlsSettings } from "../api/trust";
import { createMonitor, type Monitor } from "../monitor";
import { plainTranslator, type Translator } from "../notify/message";
import type { Logger } from "../scheduler";
import {
  caProblemText,
  plainContextTranslator,
  qtDevPackages,
  type ContextTranslator,
  type Tr,
} from "./texts";
import {
  nativeTransportFor,
  transportFor,
  type NativeModule,
  type TransportDeps,
} from "./transport-choice";

export interface ConnectionTestDeps extends Omit<TransportDeps, "native"> {
  /** Finds the native TLS module when a test starts (NativeLoader.qml); null: not installed. */
  loadNative: () => NativeModule | null;
  /** Reads the stored secret for this one test (Keyring.qml); done(secret or null, error text). */
  readStoredSecret: (done: (secret: string | null, errorText: string) => void) => void;
  tr?: Translator;
  trc?: ContextTranslator;
  log?: Logger;
  /** The package's Plasma major version (Edition.qml): which Qt packages to name; 6 when absent. */
  plasma?: number;
}

export interface ConnectionTestInput {
  host: string;
  port: number;
  tokenId: string;
  /** What the field holds ("" when empty). */
  secret: string;
  /** The wallet holds a secret for this account (used when the field is empty). */
  secretStored: boolean;
  tls: TlsSettings;
}

export type TestStatus = "" | "running" | "ok" | "error";
export type NodeCheckStatus = "" | "checking" | "match" | "no-match" | "unknown";

export interface ConnectionTestState {
  status: TestStatus;
  text: string;
  certificate: CertificateInfo | null;
  pinned: string;
  /** Lines for the certificate box ("" when there is none). */
  pinnedLine: string;
  fingerprintLine: string;
  detailsText: string;
  nodeCheck: NodeCheckStatus;
  nodeName: string;
  nodeCheckText: string;
  /** Failed the way an untrusted certificate does, with no module to see it. */
  needsWayOut: boolean;
  wayOutText: string;
  /**
   * After a successful test: GET /cluster/status as it answered (null until
   * then, or when the token may not read it), for the failover addresses
   * the Connections page offers (src/connections/editor.ts).
   */
  clusterStatus: unknown;
}

export interface ConnectionTest {
  run(input: ConnectionTestInput): void;
  /** The fingerprint to pin ("" when no certificate was shown); clears the result. */
  trust(): string;
  state(): ConnectionTestState;
  onChange(listener: (state: ConnectionTestState) => void): void;
  dispose(): void;
}

/** Nothing tested yet: what the page shows before the test object exists. */
export function blankConnectionTestState(): ConnectionTestState {
  return {
    status: "",
    text: "",
    certificate: null,
    pinned: "",
    pinnedLine: "",
    fingerprintLine: "",
    detailsText: "",
    nodeCheck: "",
    nodeName: "",
    nodeCheckText: "",
    needsWayOut: false,
    wayOutText: "",
    clusterStatus: null,
  };
}

export function createConnectionTest(deps: ConnectionTestDeps): ConnectionTest {
  const t: Tr = { tr: deps.tr || plainTranslator, trc: deps.trc || plainContextTranslator };
  const tr = t.tr;
  const log: Logger = deps.log || function () {};
  let listener: ((state: ConnectionTestState) => void) | null = null;
  let monitor: Monitor | null = null;
  let nodeCheck: { abort(): void } | null = null;
  let run = 0;
  let status: TestStatus = "";
  let message = "";
  let certificate: CertificateInfo | null = null;
  let pinned = "";
  let nodeStatus: NodeCheckStatus = "";
  let nodeName = "";
  let wayOut = false;
  let native: NativeModule | null = null;
  let clusterStatus: unknown = null;
  let statusCall: { abort(): void } | null = null;

  function nodeCheckText(): string {
    switch (nodeStatus) {
      case "checking":
        return tr("Asking Proxmox which node this certificate belongs to…");
      case "match":
        return tr("Proxmox reports this fingerprint for node %1.", nodeName);
      case "no-match":
        return tr(
          "No node of this cluster reports this fingerprint: do not trust it unless you know why (e.g. a reverse proxy in front of Proxmox).",
        );
      case "unknown":
        return tr(
          "The token cannot read /nodes, so Proxmox could not confirm the fingerprint: compare it with Proxmox (Node → System → Certificates).",
        );
      default:
        return "";
    }
  }

  function state(): ConnectionTestState {
    const c = certificate;
    return {
      status,
      text: message,
      certificate: c,
      pinned,
      pinnedLine: c && pinned !== "" ? tr("Pinned:      %1", pinned) : "",
      fingerprintLine: !c
        ? ""
        : pinned !== ""
          ? tr("Server now:  %1", c.fingerprint256)
          : tr("SHA-256: %1", c.fingerprint256),
      detailsText: c
        ? tr("Subject: %1\nIssuer: %2\nValid: %3 – %4", c.subject, c.issuer, c.validFrom, c.validTo)
        : "",
      nodeCheck: nodeStatus,
      nodeName,
      nodeCheckText: nodeCheckText(),
      needsWayOut: wayOut,
      wayOutText: wayOut
        ? tr(
            "Without ProxMon's native TLS module the certificate cannot be shown or pinned. Two ways out: install the Proxmox CA system-wide (copy /etc/pve/pve-root-ca.pem from the server to /usr/local/share/ca-certificates/pve-root-ca.crt, run “sudo update-ca-certificates”, then “systemctl --user restart plasma-plasmashell”), or install the native module: run ./install.sh in the ProxMon checkout with cmake, g++, make, %1 and %2 installed.",
            qtDevPackages(deps.plasma).debianBase,
            qtDevPackages(deps.plasma).debianDeclarative,
          )
        : "",
      clusterStatus,
    };
  }

  function changed(): void {
    if (!listener) return;
    try {
      listener(state());
    } catch (err) {
      log("warn", "connection test listener failed: " + String(err));
    }
  }

  function stopMonitor(): void {
    if (monitor) monitor.dispose();
    monitor = null;
  }

  function clearTrust(): void {
    if (nodeCheck) nodeCheck.abort();
    nodeCheck = null;
    if (statusCall) statusCall.abort();
    statusCall = null;
    clusterStatus = null;
    certificate = null;
    pinned = "";
    nodeStatus = "";
    nodeName = "";
    wayOut = false;
  }

  function checkNodes(input: ConnectionTestInput, fingerprint: string, secret: string, id: number) {
    if (!native || secret === "") return;
    nodeStatus = "checking";
    nodeCheck = checkNodeFingerprint(
      {
        transport: nativeTransportFor(native, { mode: "pin", fingerprint256: fingerprint }),
        host: input.host.trim(),
        port: input.port,
        tokenId: input.tokenId.trim(),
        secret,
        timeoutMs: 10000,
      },
      fingerprint,
      function (check) {
        if (id !== run || !certificate || certificate.fingerprint256 !== fingerprint) return;
        nodeCheck = null;
        nodeStatus = check.outcome;
        nodeName = check.node || "";
        changed();
      },
    );
  }

  // The cluster's nodes and their addresses, on the connection the test just proved.
  function readClusterStatus(
    input: ConnectionTestInput,
    transport: Transport,
    secret: string,
    id: number,
  ): void {
    const call = createClient({
      transport,
      host: input.host.trim(),
      port: input.port,
      tokenId: input.tokenId.trim(),
      secret,
      timeoutMs: 10000,
      tr: deps.tr,
    }).get("/cluster/status");
    statusCall = call;
    void call.result.then(function (result) {
      if (id !== run || statusCall !== call) return;
      statusCall = null;
      if (!result.ok) return;
      clusterStatus = result.value;
      changed();
    });
  }

  function start(input: ConnectionTestInput, secret: string, id: number): void {
    stopMonitor();
    clearTrust();
    native = deps.loadNative();
    const plan = planTls(input.tls, native !== null, deps.plasma === 5);
    if (plan.transport === "blocked") {
      status = "error";
      wayOut = plan.problem === "native-missing";
      message =
        plan.problem === "bad-fingerprint"
          ? tr(
              "The pinned fingerprint is not a SHA-256 fingerprint (32 bytes as hex, e.g. AB:CD:…).",
            )
          : plan.problem === "bad-ca"
            ? caProblemText(t, plan.caProblem || "empty")
            : tr(
                "This trust setting needs ProxMon's native TLS module, which is not installed. Nothing was sent.",
              );
      changed();
      return;
    }
    const transport = transportFor(plan, {
      scheduler: deps.scheduler,
      createRequest: deps.createRequest,
      send: deps.send,
      native,
    })!;
    const created = createMonitor({
      scheduler: deps.scheduler,
      transport,
      tr: deps.tr,
    });
    monitor = created;
    created.onView(function (v) {
      if (created !== monitor || id !== run) return;
      if (v.phase === "ok") {
        const s = v.summary;
        status = "ok";
        message = tr(
          "Connected to Proxmox VE %1: %2 nodes online, %3 guests running.",
          v.version || "?",
          s ? s.nodesText : "?",
          s ? s.guestsText : "?",
        );
        readClusterStatus(input, transport, secret, id);
      } else if (v.phase === "error" || v.phase === "unconfigured") {
        const error = created.state().error;
        status = "error";
        message = v.errorMessage || created.configurationProblem() || tr("The test failed.");
        if (error && error.kind === "tls" && error.certificate) {
          certificate = error.certificate;
          pinned = error.pinnedFingerprint256 || "";
          checkNodes(input, error.certificate.fingerprint256, secret, id);
        } else if (error && error.kind === "unreachable" && !native && plan.mode === "system") {
          wayOut = true;
        }
      } else {
        return;
      }
      // One answer is all a test needs; stop before the next refresh.
      deps.scheduler.schedule(0, function () {
        if (created === monitor) stopMonitor();
      });
      changed();
    });
    status = "running";
    message = tr("Connecting…");
    changed();
    created.configure({
      host: input.host.trim(),
      port: input.port,
      tokenId: input.tokenId.trim(),
      secret,
      refreshIntervalSec: 3600,
      timeoutSec: 10,
    });
  }

  return {
    run(input: ConnectionTestInput): void {
      const id = ++run;
      if (input.secret === "" && input.secretStored) {
        // Read for this one test; the monitor keeps it only while it runs.
        stopMonitor();
        clearTrust();
        status = "running";
        message = tr("Reading the token secret from KDE Wallet…");
        changed();
        deps.readStoredSecret(function (secret, errorText) {
          if (id !== run) return;
          if (secret !== null) {
            start(input, secret, id);
            return;
          }
          status = "error";
          message =
            errorText !== ""
              ? errorText
              : tr("No token secret is stored for this host, port and token ID.");
          changed();
        });
        return;
      }
      start(input, input.secret, id);
    },
    trust(): string {
      const fingerprint = certificate ? certificate.fingerprint256 : "";
      if (fingerprint === "") return "";
      clearTrust();
      status = "";
      message = "";
      changed();
      return fingerprint;
    },
    state,
    onChange(next): void {
      listener = next;
    },
    dispose(): void {
      run++;
      stopMonitor();
      clearTrust();
      listener = null;
    },
  };
}
