// The connection flags shared by status, doctor and watch, and what they
// turn into: a TLS policy, a Node transport and a client. Flags win over
// the PROXMON_* environment variables, which win over defaults.

import { readFileSync } from "node:fs";

import { createClient, validateTokenId, type ProxmoxClient } from "../api/client";
import type { ProxmonError } from "../api/errors";
import { normaliseFingerprint, type TlsPolicy } from "../api/tls-policy";
import { createNodejsTransport, type NodejsTransport } from "../api/transport-nodejs.node";
import {
  stringFlag,
  booleanFlag,
  parseInteger,
  parseSeconds,
  type FlagSpec,
  type ParsedArgs,
} from "./args";
import { CliError, formatError, oneLine, usageError, type CliIo } from "./io";

export const DEFAULT_PORT = 8006;
export const DEFAULT_TIMEOUT_SEC = 10;

export const CONNECTION_FLAGS: FlagSpec[] = [
  {
    name: "host",
    kind: "string",
    value: "HOST",
    help: "Proxmox node name or address (env PROXMON_HOST)",
  },
  { name: "port", kind: "string", value: "N", help: "API port (env PROXMON_PORT; default 8006)" },
  {
    name: "token-id",
    kind: "string",
    value: "ID",
    help: "API token, user@realm!tokenname (env PROXMON_TOKEN_ID)",
  },
  { name: "timeout", kind: "string", value: "SECONDS", help: "per-request timeout (default 10)" },
  {
    name: "ca",
    kind: "string",
    value: "FILE",
    help: "trust this CA (PEM), e.g. a copy of /etc/pve/pve-root-ca.pem",
  },
  {
    name: "fingerprint",
    kind: "string",
    value: "SHA256",
    help: "pin the server certificate's SHA-256 fingerprint",
  },
  {
    name: "insecure",
    kind: "boolean",
    help: "do not check the certificate at all (warns on stderr)",
  },
];

export type TlsMode = "system" | "ca" | "pin" | "insecure";

export interface Connection {
  host: string;
  port: number;
  tokenId: string;
  timeoutSec: number;
  tls: TlsPolicy;
  /** The --ca path as given, for messages. */
  caFile: string | null;
}

function validateHost(host: string): string | null {
  if (host === "") return "no host: pass --host or set PROXMON_HOST";
  if (host.indexOf("://") >= 0 || host.indexOf("/") >= 0) {
    return "--host takes only the host name or address, without https:// or a path";
  }
  if (/\s/.test(host)) return "--host must not contain spaces";
  if (host.split(":").length === 2 && host.charAt(0) !== "[") {
    return "give the port with --port, not after the host";
  }
  return null;
}

function tlsPolicy(args: ParsedArgs): { policy: TlsPolicy; caFile: string | null } {
  const ca = stringFlag(args, "ca");
  const fingerprint = stringFlag(args, "fingerprint");
  const insecure = booleanFlag(args, "insecure");
  const chosen = [ca !== undefined, fingerprint !== undefined, insecure].filter(Boolean).length;
  if (chosen > 1) throw usageError("use only one of --ca, --fingerprint and --insecure");
  if (insecure) return { policy: { mode: "insecure" }, caFile: null };
  if (fingerprint !== undefined) {
    const normal = normaliseFingerprint(fingerprint);
    if (normal === null) {
      throw usageError(
        "--fingerprint must be a SHA-256 fingerprint: 32 hex pairs like AA:BB:… (as shown under Node → System → Certificates)",
      );
    }
    return { policy: { mode: "pin", fingerprint256: normal }, caFile: null };
  }
  if (ca !== undefined) {
    let pem: string;
    try {
      pem = readFileSync(ca, "utf8");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new CliError(
        "config",
        `cannot read the CA file ${ca} (${code ?? (err as Error).message})`,
      );
    }
    if (pem.indexOf("-----BEGIN CERTIFICATE-----") < 0) {
      throw new CliError(
        "config",
        `${ca} holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)`,
      );
    }
    return { policy: { mode: "ca", caPem: pem }, caFile: ca };
  }
  return { policy: { mode: "system" }, caFile: null };
}

export function resolveConnection(
  args: ParsedArgs,
  env: Record<string, string | undefined>,
): Connection {
  const host = (stringFlag(args, "host") ?? env.PROXMON_HOST ?? "").trim();
  const hostProblem = validateHost(host);
  if (hostProblem) throw usageError(hostProblem);
  const portText = stringFlag(args, "port") ?? env.PROXMON_PORT;
  const port =
    portText === undefined || portText === ""
      ? DEFAULT_PORT
      : parseInteger(portText, "--port", 1, 65535);
  const tokenId = (stringFlag(args, "token-id") ?? env.PROXMON_TOKEN_ID ?? "").trim();
  if (tokenId === "")
    throw usageError("no token ID: pass --token-id user@realm!tokenname or set PROXMON_TOKEN_ID");
  const tokenProblem = validateTokenId(tokenId);
  if (tokenProblem) throw new CliError("config", tokenProblem);
  const timeoutText = stringFlag(args, "timeout");
  const timeoutSec =
    timeoutText === undefined
      ? DEFAULT_TIMEOUT_SEC
      : parseSeconds(timeoutText, "--timeout", 0.1, 3600);
  const { policy, caFile } = tlsPolicy(args);
  return { host, port, tokenId, timeoutSec, tls: policy, caFile };
}

export function warnIfInsecure(connection: Connection, io: CliIo): void {
  if (connection.tls.mode !== "insecure") return;
  io.err(
    "proxmon: WARNING: --insecure: the server's certificate is NOT checked. Anyone on the network path can pose as the server and read the API token. " +
      "Use --fingerprint or --ca instead.\n",
  );
}

export interface Api {
  client: ProxmoxClient;
  transport: NodejsTransport;
}

export function openApi(connection: Connection, secret: string): Api {
  const transport = createNodejsTransport({ tls: connection.tls });
  const client = createClient({
    transport,
    host: connection.host,
    port: connection.port,
    tokenId: connection.tokenId,
    secret,
    timeoutMs: connection.timeoutSec * 1000,
  });
  return { client, transport };
}

/** The "what now" a terminal user needs after a TLS refusal: the exact flags to type. */
export function tlsAdvice(error: ProxmonError, connection: Connection): string {
  const cert = error.certificate;
  if (error.kind !== "tls" || !cert) return "";
  if (connection.tls.mode === "pin") {
    return ` If you have checked it, pin it with --fingerprint ${cert.fingerprint256}`;
  }
  if (connection.tls.mode === "ca") {
    return (
      ` If you have checked it, pin it with --fingerprint ${cert.fingerprint256}` +
      ", or give --ca this cluster's /etc/pve/pve-root-ca.pem."
    );
  }
  return (
    ` Pin it with --fingerprint ${cert.fingerprint256}` +
    " or trust the cluster CA with --ca FILE (a copy of /etc/pve/pve-root-ca.pem)."
  );
}

/** A classified API error as the CLI's one-line exception. */
export function apiError(error: ProxmonError, connection: Connection): CliError {
  return new CliError(error.kind, oneLine(error.message) + tlsAdvice(error, connection));
}

export function printError(io: CliIo, err: CliError): void {
  io.err(formatError(err.kind, err.message));
}
