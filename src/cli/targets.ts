// Which connections a command talks to (issue 11). Without a config file it
// is today's one connection from --host/--token-id (or PROXMON_*); with one
// ($XDG_CONFIG_HOME/proxmon/config.json, or --config FILE) it is every
// enabled connection in it, or the one --connection names.
//
// Decisions:
// - --config FILE is explicit: connection flags (--host, --port,
//   --token-id) next to it are refused, and so are the TLS flags (trust is
//   per connection, in the file).
// - The default file is used only when no host is given: an existing
//   `--host` or PROXMON_HOST setup keeps working exactly as before even
//   after a config file appears. TLS flags are refused with it too.
// - --connection needs a config file; it picks a connection even when that
//   one is disabled (you asked for it by name).
// - The secret per connection: PROXMON_TOKEN_SECRET_<NAME>, else
//   PROXMON_TOKEN_SECRET, else a prompt naming the connection (from a pipe:
//   one line, used by every connection that needs it).

import { existsSync } from "node:fs";

import type { TlsPolicy } from "../api/tls-policy";
import { createFailoverClient, type FailoverClient } from "../api/failover";
import { createClient } from "../api/client";
import { createNodejsTransport, type NodejsTransport } from "../api/transport-nodejs.node";
import {
  SECRET_VARIABLE,
  findConnection,
  secretVariableName,
  type ConnectionSpec,
} from "../connections/model";
import { booleanFlag, parseSeconds, stringFlag, type FlagSpec, type ParsedArgs } from "./args";
import { defaultConfigPath, loadConfigFile } from "./config-file";
import { DEFAULT_TIMEOUT_SEC, resolveConnection, type Connection } from "./connection";
import { CliError, usageError, type CliIo } from "./io";
import { readSecret } from "./secret";

export const CONFIG_FLAGS: FlagSpec[] = [
  {
    name: "config",
    kind: "string",
    value: "FILE",
    help: "connections file (default $XDG_CONFIG_HOME/proxmon/config.json, used when no --host is given)",
  },
  {
    name: "connection",
    kind: "string",
    value: "NAME",
    help: "only this connection of the config file",
  },
];

export interface TargetAddress {
  /** As written in the config file ("pve1.lan", "10.0.0.12:8006"), or the --host value. */
  entry: string;
  host: string;
  port: number;
  tls: TlsPolicy;
}

export interface Target {
  /** The connection's name; the host for a --host connection. */
  name: string;
  tokenId: string;
  timeoutSec: number;
  /** In the order they are tried; at least one. */
  addresses: TargetAddress[];
  /** The --ca path or the config file's ca, for messages. */
  caFile: string | null;
}

export interface Targets {
  /** "flags": today's --host connection; "config": from a config file. */
  source: "flags" | "config";
  configFile: string | null;
  targets: Target[];
}

const CONNECTION_FLAG_NAMES = ["host", "port", "token-id"];
const TLS_FLAG_NAMES = ["ca", "fingerprint", "insecure"];

function given(args: ParsedArgs, name: string): boolean {
  return args.flags[name] !== undefined;
}

function tlsOf(spec: ConnectionSpec, entry: string): TlsPolicy {
  const trust = spec.trust;
  if (trust.mode === "ca") return { mode: "ca", caPem: trust.caPem };
  if (trust.mode === "insecure") return { mode: "insecure" };
  if (trust.mode === "pin")
    return { mode: "pin", fingerprint256: trust.fingerprints[entry] as string };
  return { mode: "system" };
}

export function targetFromSpec(spec: ConnectionSpec, timeoutSec: number): Target {
  return {
    name: spec.name,
    tokenId: spec.tokenId,
    timeoutSec,
    addresses: spec.hosts.map((h) => ({
      entry: h.entry,
      host: h.host,
      port: h.port,
      tls: tlsOf(spec, h.entry),
    })),
    caFile: spec.trust.mode === "ca" ? spec.trust.caFile : null,
  };
}

/** The one-address Connection the single-connection code paths take (TLS advice, forecasts). */
export function connectionOf(target: Target, address?: { host: string; port: number }): Connection {
  let chosen = target.addresses[0] as TargetAddress;
  if (address) {
    for (const a of target.addresses)
      if (a.host === address.host && a.port === address.port) chosen = a;
  }
  return {
    host: chosen.host,
    port: chosen.port,
    tokenId: target.tokenId,
    timeoutSec: target.timeoutSec,
    tls: chosen.tls,
    caFile: target.caFile,
  };
}

function timeoutOf(args: ParsedArgs): number {
  const text = stringFlag(args, "timeout");
  return text === undefined ? DEFAULT_TIMEOUT_SEC : parseSeconds(text, "--timeout", 0.1, 3600);
}

export function resolveTargets(
  args: ParsedArgs,
  env: Record<string, string | undefined>,
  fileExists: (path: string) => boolean = existsSync,
): Targets {
  const explicit = stringFlag(args, "config");
  const hostGiven = given(args, "host") || (env.PROXMON_HOST ?? "").trim() !== "";
  let file: string | null = null;
  if (explicit !== undefined) {
    if (explicit.trim() === "") throw usageError("--config needs a file name");
    const clash = CONNECTION_FLAG_NAMES.filter((n) => given(args, n));
    if (clash.length > 0)
      throw usageError(
        `--${clash.join(", --")} cannot be combined with --config: the connections come from the file`,
      );
    file = explicit;
  } else if (!hostGiven) {
    const path = defaultConfigPath(env);
    if (fileExists(path)) file = path;
  }
  const wanted = stringFlag(args, "connection");
  if (file === null) {
    if (wanted !== undefined)
      throw usageError(
        `--connection needs a config file (${defaultConfigPath(env)} or --config FILE)`,
      );
    const c = resolveConnection(args, env);
    return {
      source: "flags",
      configFile: null,
      targets: [
        {
          name: c.host,
          tokenId: c.tokenId,
          timeoutSec: c.timeoutSec,
          addresses: [{ entry: c.host, host: c.host, port: c.port, tls: c.tls }],
          caFile: c.caFile,
        },
      ],
    };
  }
  const tlsClash = TLS_FLAG_NAMES.filter((n) =>
    n === "insecure" ? booleanFlag(args, n) : given(args, n),
  );
  if (tlsClash.length > 0)
    throw usageError(
      `--${tlsClash.join(", --")} cannot be used with a config file (${file}): trust is per connection; set "ca", "fingerprints" or "insecure" there`,
    );
  const specs = loadConfigFile(file);
  const timeoutSec = timeoutOf(args);
  let chosen: ConnectionSpec[];
  if (wanted !== undefined) {
    const one = findConnection(specs, wanted.trim());
    if (one === null)
      throw new CliError(
        "config",
        `no connection named "${wanted.trim().slice(0, 64)}" in ${file} (there: ${specs.map((s) => s.name).join(", ")})`,
      );
    chosen = [one];
  } else {
    chosen = specs.filter((s) => s.enabled);
    if (chosen.length === 0)
      throw new CliError(
        "config",
        `every connection in ${file} is disabled; enable one or pick one with --connection NAME`,
      );
  }
  return {
    source: "config",
    configFile: file,
    targets: chosen.map((s) => targetFromSpec(s, timeoutSec)),
  };
}

/**
 * The secret of each target, in their order. Environment first; then one
 * prompt per connection on a terminal, or one line from a pipe shared by all.
 */
export async function readSecrets(io: CliIo, targets: Targets): Promise<string[]> {
  if (targets.source === "flags") return [await readSecret(io)];
  const out: string[] = [];
  let piped: string | null = null;
  for (const t of targets.targets) {
    const own = io.env[secretVariableName(t.name)];
    if (own !== undefined && own.trim() !== "") {
      out.push(own.trim());
      io.setSecret(own.trim());
      continue;
    }
    const shared = io.env[SECRET_VARIABLE];
    if (shared !== undefined && shared.trim() !== "") {
      out.push(shared.trim());
      io.setSecret(shared.trim());
      continue;
    }
    if (!io.stdin.isTTY && piped !== null) {
      out.push(piped);
      continue;
    }
    const secret = await readSecret(io, {
      label: targets.targets.length > 1 ? t.name : undefined,
      variable: secretVariableName(t.name),
    });
    if (!io.stdin.isTTY) piped = secret;
    out.push(secret);
  }
  return out;
}

export interface TargetApi {
  client: FailoverClient;
  close(): void;
}

/** One Node transport per address (its own TLS policy), behind a failover client. */
export function openTargetApi(target: Target, secret: string): TargetApi {
  const transports: NodejsTransport[] = [];
  const client = createFailoverClient({
    addresses: target.addresses.map((a) => {
      const transport = createNodejsTransport({ tls: a.tls });
      transports.push(transport);
      return {
        host: a.host,
        port: a.port,
        client: createClient({
          transport,
          host: a.host,
          port: a.port,
          tokenId: target.tokenId,
          secret,
          timeoutMs: target.timeoutSec * 1000,
        }),
      };
    }),
  });
  return {
    client,
    close(): void {
      for (const t of transports) t.close();
    },
  };
}

/** "proxmon: WARNING" once per insecure connection, naming it when there are several. */
export function warnInsecureTargets(targets: Targets, io: CliIo): void {
  for (const t of targets.targets) {
    if (!t.addresses.some((a) => a.tls.mode === "insecure")) continue;
    const who = targets.source === "config" ? `connection "${t.name}": ` : "--insecure: ";
    io.err(
      `proxmon: WARNING: ${who}the server's certificate is NOT checked. Anyone on the network path can pose as the server and read the API token. ` +
        (targets.source === "config"
          ? 'Use "fingerprints" or "ca" instead.\n'
          : "Use --fingerprint or --ca instead.\n"),
    );
  }
}

/**
 * For the commands that talk to one connection (doctor, backups, history,
 * power actions): today's flags, or one connection of the config file —
 * the only one, or the one --connection names. Its first address is used
 * (doctor checks exactly that address; a power action never fails over).
 */
export async function resolveOneConnection(
  args: ParsedArgs,
  io: CliIo,
  command: string,
): Promise<{ connection: Connection; secret: string }> {
  const targets = resolveTargets(args, io.env);
  if (targets.targets.length > 1)
    throw usageError(
      `${command} works on one connection: pick one with --connection NAME (${targets.targets.map((t) => t.name).join(", ")})`,
    );
  warnInsecureTargets(targets, io);
  const secrets = await readSecrets(io, targets);
  return { connection: connectionOf(targets.targets[0] as Target), secret: secrets[0] as string };
}
