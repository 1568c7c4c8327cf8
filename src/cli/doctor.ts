// `proxmon doctor`: walks the path a refresh takes — TCP and TLS, trust,
// the token, the version, the token's privileges — and stops at the first
// thing that breaks, saying what to change. Exit 0 only when the widget
// would see everything it needs.

import {
  classifyWireFailure,
  formatHostPort,
  type ProxmonError,
  type RequestContext,
} from "../api/errors";
import { fetchPeerCertificate, PeerCertificateError } from "../api/transport-nodejs.node";
import type { CertificateInfo } from "../api/transport";
import { decodeResources } from "../model/decode-resources";
import { decodeVersion } from "../model/decode-version";
import { formatFlagHelp, parseArgs, rejectPositionals, type FlagSpec } from "./args";
import { CONNECTION_FLAGS, openApi, type Connection } from "./connection";
import { CONFIG_FLAGS, resolveOneConnection } from "./targets";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, formatError, oneLine, type CliIo } from "./io";
import { decodePermissions, normalisePermissionPath } from "../actions/permissions";
import { reportPowerPermissions } from "./power-doctor";
import { reportBackupFeatures } from "./backups-doctor";

export const DOCTOR_FLAGS: FlagSpec[] = [...CONNECTION_FLAGS, ...CONFIG_FLAGS];

export const DOCTOR_HELP =
  "Usage: proxmon doctor --host HOST --token-id ID [options]\n\n" +
  "Checks, in order: TCP and TLS reachability (with the certificate's fingerprint),\n" +
  "whether the chosen TLS mode trusts it, the token, the Proxmox VE version, and the\n" +
  "token's privileges (GET /access/permissions) against what the widget needs.\n" +
  "Exit status 0 when everything needed is there, 1 otherwise.\n\nOptions:\n" +
  formatFlagHelp(DOCTOR_FLAGS) +
  "\n";

// ---- privileges

/** What GET /access/permissions returns: ACL path -> privilege -> 1 (propagates) or 0. */
export type PermissionMap = Record<string, Record<string, number>>;

export function parsePermissions(data: unknown): PermissionMap | null {
  return decodePermissions(data);
}

/**
 * The privileges in effect on `target`. Each entry of the map is already
 * what holds on that path; walking from "/" down, a deeper entry replaces
 * what came from above, and only propagating privileges reach below the
 * path they are listed on (pve-access-control's rule).
 */
export function effectivePrivileges(map: PermissionMap, target: string): Record<string, number> {
  const goal = normalisePermissionPath(target);
  const parts = goal.split("/").filter((p) => p !== "");
  const prefixes = ["/"];
  for (let i = 0; i < parts.length; i++) prefixes.push("/" + parts.slice(0, i + 1).join("/"));
  let current: Record<string, number> = {};
  for (const prefix of prefixes) {
    const entry = map[prefix];
    if (!entry) continue;
    const next: Record<string, number> = {};
    let any = false;
    for (const priv of Object.keys(entry)) {
      if (prefix === goal || entry[priv] === 1) {
        next[priv] = entry[priv] === 1 ? 1 : 0;
        any = true;
      }
    }
    if (any) current = next;
  }
  return current;
}

export interface Requirement {
  privilege: string;
  path: string;
  what: string;
  /** Without it the widget still works, with less to show. */
  optional: boolean;
}

export const REQUIREMENTS: Requirement[] = [
  {
    privilege: "Sys.Audit",
    path: "/nodes",
    what: "node rows (status, CPU, memory, uptime)",
    optional: false,
  },
  {
    privilege: "Sys.Audit",
    path: "/",
    what: "cluster name and quorum (/cluster/status)",
    optional: false,
  },
  { privilege: "VM.Audit", path: "/vms", what: "VMs and containers", optional: false },
  { privilege: "Datastore.Audit", path: "/storage", what: "storage rows", optional: true },
];

export interface RequirementResult {
  requirement: Requirement;
  ok: boolean;
  /** Deeper paths where the privilege is granted although it is missing on the path itself. */
  partial: string[];
  /** The privilege sits on an ancestor without propagation, so it does not reach the path. */
  notPropagated: string | null;
}

export function checkRequirements(map: PermissionMap): RequirementResult[] {
  return REQUIREMENTS.map((requirement) => {
    const ok = effectivePrivileges(map, requirement.path)[requirement.privilege] !== undefined;
    const partial: string[] = [];
    let notPropagated: string | null = null;
    if (!ok) {
      const below = requirement.path === "/" ? "/" : requirement.path + "/";
      for (const path of Object.keys(map).sort()) {
        const here = map[path] ?? {};
        if (here[requirement.privilege] === undefined) continue;
        if (path !== requirement.path && path.startsWith(below)) partial.push(path);
        if (requirement.privilege === "VM.Audit" && path.startsWith("/pool/")) partial.push(path);
        const isAncestor = path === "/" || requirement.path.startsWith(path + "/");
        if (isAncestor && here[requirement.privilege] === 0) notPropagated = path;
      }
    }
    return { requirement, ok, partial, notPropagated };
  });
}

export function hasNoPrivileges(map: PermissionMap): boolean {
  return Object.keys(map).every((path) => Object.keys(map[path] ?? {}).length === 0);
}

function grantCommand(tokenId: string): string {
  return `pveum acl modify / --tokens '${tokenId}' --roles PVEAuditor`;
}

// ---- report

interface Report {
  failed: boolean;
  /** Class of the first failure, for the one-line summary on stderr. */
  firstKind: string | null;
  count: number;
  ok(text: string): void;
  fail(text: string, kind: string): void;
  warn(text: string): void;
  detail(text: string): void;
}

function createReport(io: CliIo): Report {
  const report: Report = {
    failed: false,
    firstKind: null,
    count: 0,
    ok: (text) => io.out("✓ " + text + "\n"),
    fail: (text, kind) => {
      report.failed = true;
      report.count++;
      if (report.firstKind === null) report.firstKind = kind;
      io.out("✗ " + text + "\n");
    },
    warn: (text) => io.out("! " + text + "\n"),
    detail: (text) => io.out("    " + text + "\n"),
  };
  return report;
}

function describeMode(connection: Connection): string {
  switch (connection.tls.mode) {
    case "system":
      return "system trust store";
    case "ca":
      return "CA file " + (connection.caFile ?? "");
    case "pin":
      return "pinned fingerprint";
    default:
      return "--insecure (not checked)";
  }
}

function certificateLines(report: Report, cert: CertificateInfo, now: number): void {
  report.detail("SHA-256 fingerprint: " + cert.fingerprint256);
  if (cert.subject) report.detail("subject: " + cert.subject);
  if (cert.issuer) report.detail("issuer:  " + cert.issuer);
  if (cert.validFrom || cert.validTo)
    report.detail("valid:   " + cert.validFrom + " to " + cert.validTo);
  const to = Date.parse(cert.validTo);
  const from = Date.parse(cert.validFrom);
  if (!isNaN(to) && to < now)
    report.fail(
      "The certificate expired on " +
        cert.validTo +
        ": renew it on the node (pvecm updatecerts --force, or ACME).",
      "tls",
    );
  else if (!isNaN(from) && from > now)
    report.warn(
      "The certificate is not valid before " +
        cert.validFrom +
        ": check this computer's clock and the node's.",
    );
}

function trustAdvice(
  report: Report,
  connection: Connection,
  error: ProxmonError,
  cert: CertificateInfo | null,
): void {
  const fp = (error.certificate ?? cert)?.fingerprint256;
  if (connection.tls.mode === "pin") {
    report.detail("The server presented " + (fp ?? "another certificate") + ".");
    report.detail(
      "If the node's certificate was renewed, compare with Node → System → Certificates and pin the new value.",
    );
    return;
  }
  report.detail(
    "Compare the fingerprint with Proxmox: Node → System → Certificates (pve-ssl.pem), then either",
  );
  if (fp) report.detail("  pin it:           --fingerprint " + fp);
  report.detail(
    "  or trust the CA:  copy /etc/pve/pve-root-ca.pem from a node and pass --ca /path/to/pve-root-ca.pem",
  );
  if (connection.tls.mode === "ca") {
    report.detail(
      "(The CA in " +
        (connection.caFile ?? "the --ca file") +
        " did not sign this certificate, or it is not valid for this host name.)",
    );
  }
}

async function checkPermissions(
  report: Report,
  connection: Connection,
  data: unknown,
): Promise<void> {
  const map = parsePermissions(data);
  if (map === null) {
    report.fail(
      "GET /access/permissions answered in an unexpected format; cannot check the token's privileges.",
      "bad-response",
    );
    return;
  }
  const id = connection.tokenId;
  if (hasNoPrivileges(map)) {
    report.fail(
      "The token is accepted but has no privileges at all: the widget would show an empty cluster.",
      "permission",
    );
    report.detail(
      "This is the privilege-separation trap: a token created with 'Privilege Separation' ticked",
    );
    report.detail(
      "gets none of its user's rights, only what is granted to the token itself. Either grant it:",
    );
    report.detail("  " + grantCommand(id));
    report.detail(
      "  (GUI: Datacenter → Permissions → Add → API Token Permission, path /, role PVEAuditor, Propagate on)",
    );
    report.detail(
      "or edit the token and untick 'Privilege Separation' (it then has its user's rights).",
    );
    return;
  }
  const results = checkRequirements(map);
  let missingRequired = false;
  for (const r of results) {
    const { privilege, path, what } = r.requirement;
    if (r.ok) {
      report.ok(`${privilege} on ${path}: ${what}`);
      continue;
    }
    const why =
      r.notPropagated !== null
        ? ` (it is set on ${r.notPropagated} without Propagate, so it does not reach ${path})`
        : r.partial.length > 0
          ? ` (granted only on ${r.partial.slice(0, 4).join(", ")}${r.partial.length > 4 ? ", …" : ""}: the rest stays hidden)`
          : "";
    if (r.requirement.optional) {
      report.warn(`${privilege} missing on ${path}: no ${what}${why}`);
    } else {
      missingRequired = true;
      report.fail(`${privilege} missing on ${path}: no ${what}${why}`, "permission");
    }
  }
  if (missingRequired || results.some((r) => !r.ok)) {
    report.detail("Grant the read-only auditor role to the token on / (it holds all of these):");
    report.detail("  " + grantCommand(id));
    report.detail(
      "If the token's user has these rights but the token does not, the token is privilege-separated:",
    );
    report.detail(
      "grant them to the token itself (as above) or untick 'Privilege Separation' on the token.",
    );
  }
}

export async function runDoctor(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, DOCTOR_FLAGS);
  if (args.help) {
    io.out(DOCTOR_HELP);
    return EXIT_OK;
  }
  rejectPositionals(args, "doctor");
  const { connection, secret } = await resolveOneConnection(args, io, "doctor");
  const report = createReport(io);
  const hp = formatHostPort(connection.host, connection.port);
  const timeoutMs = connection.timeoutSec * 1000;
  io.out(`proxmon doctor: ${hp}, token ${connection.tokenId}, TLS: ${describeMode(connection)}\n`);

  // 1. TCP + TLS, without trusting anything yet, so the fingerprint can be shown even when trust fails.
  let cert: CertificateInfo;
  try {
    cert = await fetchPeerCertificate(connection.host, connection.port, timeoutMs);
  } catch (err) {
    const ctx: RequestContext = {
      host: connection.host,
      port: connection.port,
      path: "(TLS handshake)",
      timeoutMs,
      secret,
    };
    const failure =
      err instanceof PeerCertificateError
        ? err.failure
        : { kind: "unreachable" as const, detail: String(err) };
    const error = classifyWireFailure(failure, ctx);
    report.fail(`Reach ${hp}: ${error.kind}: ${oneLine(error.message)}`, error.kind);
    return finish(io, report);
  }
  report.ok(`TCP and TLS: ${hp} answers and presents a certificate`);
  certificateLines(report, cert, Date.now());

  const api = openApi(connection, secret);
  try {
    // 2. Trust and token in one request: /version needs no privilege, only a valid token.
    const version = await api.client.get("/version").result;
    if (!version.ok && version.error.kind === "tls") {
      report.fail(`Trust (${describeMode(connection)}): ${oneLine(version.error.message)}`, "tls");
      trustAdvice(report, connection, version.error, cert);
      return finish(io, report);
    }
    if (!version.ok && (version.error.kind === "unreachable" || version.error.kind === "timeout")) {
      report.fail(
        `Request to ${hp}: ${version.error.kind}: ${oneLine(version.error.message)}`,
        version.error.kind,
      );
      return finish(io, report);
    }
    if (connection.tls.mode === "insecure") report.warn("Trust: not checked (--insecure)");
    else report.ok(`Trust: the certificate is accepted (${describeMode(connection)})`);

    if (!version.ok) {
      const e = version.error;
      if (e.kind === "auth") {
        report.fail(`Token: rejected (401): ${oneLine(e.message)}`, "auth");
        report.detail(
          `Check in Datacenter → Permissions → API Tokens that ${connection.tokenId} exists,`,
        );
        report.detail(
          "is not expired, and that its user is enabled. The secret is shown only once, when the",
        );
        report.detail(
          "token is created; if it is lost, regenerate the token and use the new secret.",
        );
      } else if (e.kind === "config") {
        report.fail(`Settings: ${oneLine(e.message)}`, "config");
      } else {
        report.fail(`Token: GET /version failed: ${e.kind}: ${oneLine(e.message)}`, e.kind);
      }
      return finish(io, report);
    }
    report.ok(`Token: accepted (${connection.tokenId})`);

    // 3. Version.
    const text = decodeVersion(version.value);
    if (text === null) {
      report.warn("Version: /version answered in an unexpected format");
    } else {
      const major = parseInt(text, 10);
      if (major > 0 && major < 7)
        report.warn(
          `Version: Proxmox VE ${text} is older than 7, which ProxMon is not tested with`,
        );
      else report.ok(`Version: Proxmox VE ${text}`);
    }

    // 4. Privileges: for a token, /access/permissions lists the token's own effective rights.
    const permissions = await api.client.get("/access/permissions").result;
    const permissionMap = permissions.ok ? parsePermissions(permissions.value) : null;
    if (!permissions.ok) {
      report.fail(
        `Privileges: GET /access/permissions failed: ${permissions.error.kind}: ${oneLine(permissions.error.message)}`,
        permissions.error.kind,
      );
    } else {
      await checkPermissions(report, connection, permissions.value);
    }

    // 5. What the widget would actually get.
    const resources = await api.client.get("/cluster/resources").result;
    if (!resources.ok) {
      report.fail(
        `GET /cluster/resources failed: ${resources.error.kind}: ${oneLine(resources.error.message)}`,
        resources.error.kind,
      );
    } else {
      const decoded = decodeResources(resources.value);
      if (decoded === null)
        report.fail("GET /cluster/resources answered in an unexpected format", "bad-response");
      else {
        report.ok(
          `Visible: ${decoded.nodes.length} node(s), ${decoded.guests.length} guest(s), ${decoded.storage.length} storage entr${decoded.storage.length === 1 ? "y" : "ies"}`,
        );
        // 6. Power actions (optional): VM.PowerMgmt per guest.
        if (permissionMap !== null) {
          reportPowerPermissions(report, permissionMap, decoded.guests, connection.tokenId);
        }
        // 7. Backups (issue 13): each feature available or not, with the missing privilege.
        await reportBackupFeatures(report, api.client, decoded);
      }
    }
  } finally {
    api.transport.close();
  }
  return finish(io, report);
}

function finish(io: CliIo, report: Report): number {
  if (!report.failed) {
    io.out("All checks passed.\n");
    return EXIT_OK;
  }
  io.out("Some checks failed: see the ✗ lines above.\n");
  // Scripts read stderr: the same "proxmon: <class>: …" line as every other failure.
  io.err(
    formatError(
      report.firstKind ?? "doctor",
      `doctor found ${report.count} problem${report.count === 1 ? "" : "s"} (details on stdout)`,
    ),
  );
  return report.count > 0 && report.firstKind === "config" ? EXIT_USAGE : EXIT_FAILURE;
}
