// The CLI's config file, $XDG_CONFIG_HOME/proxmon/config.json or --config
// FILE: `{"connections": [{"name", "hosts", "tokenId", "ca" | "fingerprints"
// | "insecure", "enabled"?}]}`, checked completely (every problem listed,
// each naming where it is) before anything is sent. It never holds a
// secret: a field that looks like one is refused without echoing it. The
// messages are the CLI's, in English like the rest of its errors.

import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

import { validateTokenId } from "../api/client";
import { normaliseFingerprint } from "../api/tls-policy";
import {
  MAX_HOSTS,
  SECRET_VARIABLE,
  formatAddress,
  nameProblem,
  parseHostEntry,
  secretVariableName,
  type ConnectionSpec,
  type ConnectionTrust,
  type HostAddress,
  type ParseResult,
} from "../connections/model";
import { plainTranslator } from "../notify/message";
import { CliError } from "./io";

/** The CLI speaks English: %1… filled in, nothing looked up. */
const fmt = plainTranslator;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const FILE_KEYS: ReadonlyArray<string> = Object.freeze([
  "name",
  "hosts",
  "tokenId",
  "ca",
  "fingerprints",
  "insecure",
  "enabled",
]);

/** Words that mean someone is about to put the secret into a file. */
const SECRET_KEYS: ReadonlyArray<string> = Object.freeze([
  "secret",
  "tokensecret",
  "token_secret",
  "token-secret",
  "password",
  "apisecret",
]);

function quoted(text: string): string {
  return '"' + (text.length > 40 ? text.slice(0, 39) + "…" : text) + '"';
}

/**
 * Validates one connection as the CLI's config file writes it
 * (`{"name", "hosts", "tokenId", "ca" | "fingerprints" | "insecure", "enabled"?}`).
 * Every problem is "connections[i].field: what is wrong".
 */
function parseFileConnection(value: unknown, at: string, errors: string[]): ConnectionSpec | null {
  if (!isObject(value)) {
    errors.push(fmt("%1: expected an object", at));
    return null;
  }
  const before = errors.length;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (SECRET_KEYS.indexOf(key.toLowerCase()) >= 0) {
      // The value is never echoed.
      errors.push(
        fmt(
          "%1.%2: the config file never holds a token secret; set it in the environment (%3) instead",
          at,
          key,
          typeof value.name === "string"
            ? secretVariableName(value.name)
            : SECRET_VARIABLE + "_<NAME>",
        ),
      );
    } else if (FILE_KEYS.indexOf(key) < 0) {
      errors.push(
        fmt("%1.%2: unknown field (expected %3)", at, key.slice(0, 40), FILE_KEYS.join(", ")),
      );
    }
  }
  let name = "";
  if (typeof value.name !== "string") errors.push(fmt("%1.name: expected a string", at));
  else {
    name = value.name.trim();
    const problem = nameProblem(value.name);
    if (problem !== null) errors.push(at + ".name: " + problem);
  }
  const hosts: HostAddress[] = [];
  if (!Array.isArray(value.hosts) || value.hosts.length === 0) {
    errors.push(fmt("%1.hosts: expected a list of one or more host names or addresses", at));
  } else if (value.hosts.length > MAX_HOSTS) {
    errors.push(fmt("%1.hosts: at most %2 addresses", at, MAX_HOSTS));
  } else {
    const seen: string[] = [];
    for (let i = 0; i < value.hosts.length; i++) {
      const raw: unknown = value.hosts[i];
      const where = at + ".hosts[" + i + "]";
      if (typeof raw !== "string") {
        errors.push(fmt("%1: expected a string", where));
        continue;
      }
      const parsed = parseHostEntry(raw);
      if (!parsed.ok) {
        errors.push(where + ": " + parsed.error);
        continue;
      }
      const key = formatAddress(parsed.value).toLowerCase();
      if (seen.indexOf(key) >= 0) {
        errors.push(fmt("%1: %2 is listed twice", where, quoted(parsed.value.entry)));
        continue;
      }
      seen.push(key);
      hosts.push(parsed.value);
    }
  }
  let tokenId = "";
  if (typeof value.tokenId !== "string") errors.push(fmt("%1.tokenId: expected a string", at));
  else {
    tokenId = value.tokenId.trim();
    const problem = validateTokenId(tokenId);
    if (problem !== null) errors.push(at + ".tokenId: " + problem);
  }
  const trust = parseFileTrust(value, at, hosts, errors);
  let enabled = true;
  if (value.enabled !== undefined) {
    if (typeof value.enabled !== "boolean")
      errors.push(fmt("%1.enabled: expected true or false", at));
    else enabled = value.enabled;
  }
  if (errors.length > before || trust === null) return null;
  return { name, hosts, tokenId, trust, enabled };
}

function parseFileTrust(
  value: Record<string, unknown>,
  at: string,
  hosts: HostAddress[],
  errors: string[],
): ConnectionTrust | null {
  const given = ["ca", "fingerprints", "insecure"].filter((k) => value[k] !== undefined);
  if (given.length > 1) {
    errors.push(
      fmt("%1: give only one of %2 (trust is one choice per connection)", at, given.join(", ")),
    );
    return null;
  }
  if (value.ca !== undefined) {
    if (typeof value.ca !== "string" || value.ca.trim() === "") {
      errors.push(fmt("%1.ca: expected the path of the cluster CA file (pve-root-ca.pem)", at));
      return null;
    }
    return { mode: "ca", caPem: "", caFile: value.ca };
  }
  if (value.insecure !== undefined) {
    if (value.insecure !== true) {
      errors.push(fmt("%1.insecure: only true is meaningful; leave it out for system trust", at));
      return null;
    }
    return { mode: "insecure" };
  }
  if (value.fingerprints !== undefined) {
    const fps = value.fingerprints;
    if (!isObject(fps)) {
      errors.push(
        fmt("%1.fingerprints: expected an object of host entry → SHA-256 fingerprint", at),
      );
      return null;
    }
    const out: { [entry: string]: string } = {};
    let bad = false;
    const entries = hosts.map((h) => h.entry);
    const keys = Object.keys(fps);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const where = at + ".fingerprints[" + quoted(key) + "]";
      if (entries.indexOf(key) < 0) {
        errors.push(fmt("%1: not one of the hosts entries exactly as written", where));
        bad = true;
        continue;
      }
      const fp = fps[key];
      const normal = typeof fp === "string" ? normaliseFingerprint(fp) : null;
      if (normal === null) {
        errors.push(fmt("%1: expected a SHA-256 fingerprint, 32 hex pairs like AB:CD:…", where));
        bad = true;
        continue;
      }
      out[key] = normal;
    }
    for (let i = 0; i < hosts.length; i++) {
      const h = hosts[i] as HostAddress;
      if (out[h.entry] === undefined && keys.indexOf(h.entry) < 0) {
        errors.push(
          fmt(
            "%1.fingerprints: no fingerprint for %2; pin every address (one per node certificate) or use the cluster CA (ca)",
            at,
            quoted(h.entry),
          ),
        );
        bad = true;
      }
    }
    return bad ? null : { mode: "pin", fingerprints: out };
  }
  return { mode: "system" };
}

/** Refuses two connections whose names map to one secret variable (the same name twice included). */
export function secretVariableClashes(names: ReadonlyArray<string>): string[] {
  const errors: string[] = [];
  const seen: { [variable: string]: number } = {};
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (name === "") continue;
    const variable = secretVariableName(name);
    const first = seen[variable];
    if (first !== undefined) {
      errors.push(
        fmt(
          "connections[%1].name: %2 and connections[%3] (%4) both read their secret from %5; give them names that differ in letters or digits",
          i,
          quoted(name),
          first,
          quoted(names[first] as string),
          variable,
        ),
      );
    } else {
      seen[variable] = i;
    }
  }
  return errors;
}

/**
 * The CLI's config file, `{"connections": [...]}`, checked completely:
 * every problem is listed, each naming where it is.
 */
export function parseConnectionsFile(json: unknown): ParseResult<ConnectionSpec[]> {
  const errors: string[] = [];
  if (!isObject(json))
    return { ok: false, errors: [fmt('expected an object {"connections": [...]}')] };
  const keys = Object.keys(json);
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] !== "connections")
      errors.push(
        fmt("%1: unknown field (expected connections)", (keys[i] as string).slice(0, 40)),
      );
  }
  const list = json.connections;
  if (!Array.isArray(list) || list.length === 0) {
    errors.push(fmt("connections: expected a list of one or more connections"));
    return { ok: false, errors };
  }
  const out: ConnectionSpec[] = [];
  const names: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const item: unknown = list[i];
    const spec = parseFileConnection(item, "connections[" + i + "]", errors);
    if (spec) out.push(spec);
    names.push(isObject(item) && typeof item.name === "string" ? item.name.trim() : "");
  }
  const clashes = secretVariableClashes(names);
  for (let i = 0; i < clashes.length; i++) errors.push(clashes[i] as string);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: out };
}

/** $XDG_CONFIG_HOME/proxmon/config.json, ~/.config/proxmon/config.json without it. */
export function defaultConfigPath(env: Record<string, string | undefined>): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base =
    xdg !== undefined && xdg.trim() !== "" && xdg.charAt(0) === "/"
      ? xdg
      : join(env.HOME || homedir(), ".config");
  return join(base, "proxmon", "config.json");
}

/**
 * Reads and validates a config file; throws a "config" CliError listing
 * every problem. `ca` paths are read here (relative ones against the
 * config file's folder), so a connection comes out with its PEM.
 */
export function loadConfigFile(file: string): ConnectionSpec[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(
      "config",
      `cannot read the config file ${file} (${code ?? (err as Error).message})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CliError("config", `${file} is not valid JSON (${(err as Error).message})`);
  }
  const parsed = parseConnectionsFile(json);
  if (!parsed.ok) {
    throw new CliError("config", `${file} is not valid:\n  ${parsed.errors.join("\n  ")}`);
  }
  const dir = file.lastIndexOf("/") >= 0 ? file.slice(0, file.lastIndexOf("/")) || "/" : ".";
  return parsed.value.map((c, i) => {
    if (c.trust.mode !== "ca") return c;
    const path = c.trust.caFile.charAt(0) === "/" ? c.trust.caFile : join(dir, c.trust.caFile);
    let pem: string;
    try {
      pem = readFileSync(path, "utf8");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new CliError(
        "config",
        `${file}: connections[${i}].ca: cannot read ${path} (${code ?? (err as Error).message})`,
      );
    }
    if (pem.indexOf("-----BEGIN CERTIFICATE-----") < 0) {
      throw new CliError(
        "config",
        `${file}: connections[${i}].ca: ${path} holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)`,
      );
    }
    if (pem.indexOf("PRIVATE KEY-----") >= 0) {
      throw new CliError(
        "config",
        `${file}: connections[${i}].ca: ${path} holds a private key; give the CA certificate only (pve-root-ca.pem, not pve-root-ca.key)`,
      );
    }
    return { ...c, trust: { mode: "ca", caPem: pem, caFile: path } };
  });
}
