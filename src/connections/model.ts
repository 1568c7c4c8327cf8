// Several Proxmox installations in one widget (and one `proxmon`): the list
// of connections, each a display name, one or more addresses of the same
// cluster, its token ID, its TLS trust and an enabled switch. This file is
// pure (it runs in V4 too): parsing host entries, validating a list with
// messages that name the entry, and the secret variable a name maps to.
//
// Decisions:
// - A host entry is "name", "name:port", "1.2.3.4:port", "[v6]:port" or a
//   bare IPv6 literal; port 8006 when it names none. The entry as written
//   stays the key of its fingerprint (`fingerprints` keys are the `hosts`
//   entries exactly as written), so two spellings of one address are two
//   entries.
// - Trust is per connection: system (no key), one cluster CA for every
//   address, one pinned fingerprint per address (a pin is per node
//   certificate, so a pin for "the cluster" cannot exist), or insecure.
//   With fingerprints every address needs its pin: an address without one
//   could not be checked, and the token must never go to it unchecked.
// - Names must be unique after mapping to their secret variable
//   (PROXMON_TOKEN_SECRET_<NAME>): "home-lab" and "home_lab" would read the
//   same secret, which is refused rather than guessed.

import { plainTranslator, type Translator } from "../notify/message";

export const DEFAULT_API_PORT = 8006;
export const SECRET_VARIABLE = "PROXMON_TOKEN_SECRET";
/** Longest display name accepted; it shows in a panel tooltip and a notification title. */
export const MAX_NAME_LENGTH = 64;
/** Per connection; more addresses than nodes in any real cluster. */
export const MAX_HOSTS = 32;

export interface HostAddress {
  /** As written in the settings or config file (the key of its fingerprint). */
  entry: string;
  /** Without brackets: "pve1.lan", "10.0.0.12", "fe80::1". */
  host: string;
  port: number;
}

export type ConnectionTrust =
  | { mode: "system" }
  /** caPem: the PEM text (widget); caFile: the path (CLI config file, read by the CLI). */
  | { mode: "ca"; caPem: string; caFile: string }
  /** Normalised "AA:BB:…" per host entry as written. */
  | { mode: "pin"; fingerprints: { [entry: string]: string } }
  | { mode: "insecure" };

export interface ConnectionSpec {
  name: string;
  hosts: HostAddress[];
  tokenId: string;
  trust: ConnectionTrust;
  enabled: boolean;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

function hasWhitespaceOrControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x20 || (code >= 0x7f && code <= 0xa0) || code === 0x2028 || code === 0x2029) {
      return true;
    }
  }
  return false;
}

function isDigits(text: string): boolean {
  if (text === "" || text.length > 5) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * "pve1.lan" → pve1.lan:8006, "10.0.0.12:8443", "[fe80::1]:8006", "fe80::1".
 * Returns the address or a message (translated; the entry is quoted capped).
 */
export function parseHostEntry(
  raw: string,
  tr: Translator = plainTranslator,
): { ok: true; value: HostAddress } | { ok: false; error: string } {
  const entry = typeof raw === "string" ? raw.trim() : "";
  const shown = entry.length > 60 ? entry.slice(0, 59) + "…" : entry;
  if (entry === "") return { ok: false, error: tr("an empty host entry") };
  if (entry.indexOf("://") >= 0 || entry.indexOf("/") >= 0)
    return {
      ok: false,
      error: tr(
        '"%1": give only the host name or address (and :port), without https:// or a path',
        shown,
      ),
    };
  if (hasWhitespaceOrControl(entry))
    return { ok: false, error: tr('"%1" must not contain spaces', shown) };
  let host = entry;
  let portText = "";
  if (entry.charAt(0) === "[") {
    const close = entry.indexOf("]");
    if (close < 0) return { ok: false, error: tr('"%1" lacks the closing "]"', shown) };
    host = entry.slice(1, close);
    const rest = entry.slice(close + 1);
    if (rest !== "") {
      if (rest.charAt(0) !== ":")
        return { ok: false, error: tr('"%1": only ":port" may follow "]"', shown) };
      portText = rest.slice(1);
      if (portText === "")
        return { ok: false, error: tr('"%1" ends in ":" without a port', shown) };
    }
    if (host === "" || host.indexOf(":") < 0)
      return { ok: false, error: tr('"%1": brackets are for IPv6 addresses only', shown) };
  } else {
    const colons = entry.split(":").length - 1;
    if (colons === 1) {
      const at = entry.indexOf(":");
      host = entry.slice(0, at);
      portText = entry.slice(at + 1);
      if (host === "") return { ok: false, error: tr('"%1" names no host before the port', shown) };
      if (portText === "")
        return { ok: false, error: tr('"%1" ends in ":" without a port', shown) };
    }
    // Two or more colons: a bare IPv6 literal, port 8006.
  }
  let port = DEFAULT_API_PORT;
  if (portText !== "") {
    port = isDigits(portText) ? parseInt(portText, 10) : -1;
    if (!(port >= 1 && port <= 65535))
      return { ok: false, error: tr('"%1": the port must be a number from 1 to 65535', shown) };
  }
  return { ok: true, value: { entry, host, port } };
}

/** "HOST:PORT" as `status --json` prints the address that answered ("[fe80::1]:8006" for IPv6). */
export function formatAddress(address: { host: string; port: number }): string {
  const host = address.host.indexOf(":") >= 0 ? "[" + address.host + "]" : address.host;
  return host + ":" + address.port;
}

/**
 * PROXMON_TOKEN_SECRET_<NAME>: the name upper-cased, every character other
 * than A–Z and 0–9 as "_" ("home-lab" → PROXMON_TOKEN_SECRET_HOME_LAB).
 */
export function secretVariableName(name: string): string {
  let out = "";
  for (let i = 0; i < name.length; i++) {
    const c = name.charAt(i);
    const up = c >= "a" && c <= "z" ? c.toUpperCase() : c;
    out += (up >= "A" && up <= "Z") || (up >= "0" && up <= "9") ? up : "_";
  }
  return SECRET_VARIABLE + "_" + out;
}

/** Why a display name cannot be used, or null. */
export function nameProblem(name: string, tr: Translator = plainTranslator): string | null {
  if (name.trim() === "") return tr("the name must not be empty");
  if (name.length > MAX_NAME_LENGTH)
    return tr("the name is longer than %1 characters", MAX_NAME_LENGTH);
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029)
      return tr("the name must not contain control characters or line breaks");
  }
  return null;
}

/** The connection called `name` (exact first, then case-insensitive), or null. */
export function findConnection(
  connections: ReadonlyArray<ConnectionSpec>,
  name: string,
): ConnectionSpec | null {
  for (let i = 0; i < connections.length; i++)
    if ((connections[i] as ConnectionSpec).name === name) return connections[i] as ConnectionSpec;
  const lower = name.toLowerCase();
  for (let i = 0; i < connections.length; i++)
    if ((connections[i] as ConnectionSpec).name.toLowerCase() === lower)
      return connections[i] as ConnectionSpec;
  return null;
}
