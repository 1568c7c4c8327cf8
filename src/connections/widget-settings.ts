// The widget's list of connections (issue 11) and the migration from the
// single-connection settings. Pure; runs in V4.
//
// Where it lives: one new config key, `connections`, a JSON text (KConfigXT
// has no list of records), holding
//   [{"name", "hosts": ["pve1.lan", "10.0.0.12:8006"], "tokenId",
//     "tlsMode": "system"|"pin"|"ca"|"insecure", "tlsCaPem",
//     "fingerprints": {"<host entry>": "AB:…"}, "enabled", "actionsTokenId"}]
// Never a secret: each connection's secret stays in KDE Wallet under the
// key it has today, "<tokenId>@<first host>:<port>" (secretAccount), and
// its power-actions token's secret (Settings → Actions, "separate") under
// "<actionsTokenId>@<first host>:<port>" (actionsAccount).
//
// The actions token ID: the first connection's is the old `actionsTokenId`
// key (Settings → Actions edits it, and the Connections page writes it
// there for whichever connection is first), so an existing setup keeps its
// actions token with no user action; every other connection's is its
// entry's `actionsTokenId`.
//
// Migration, with no user action: while `connections` is empty (every
// existing installation) the old keys — proxmoxHost, proxmoxPort,
// apiTokenId, tlsMode, tlsFingerprint, tlsCaPem, ignoreSsl — are the first
// and only connection, read exactly as the widget reads them today, so its
// secret is found where it is. Writing a list also writes its first
// connection back into the old keys (legacyKeysOf), so they stay readable
// and a downgrade keeps the first connection working.

import { effectiveTlsMode } from "../api/trust";
import { normaliseFingerprint } from "../api/tls-policy";
import { plainTranslator, type Translator } from "../notify/message";
import {
  DEFAULT_API_PORT,
  MAX_HOSTS,
  formatAddress,
  nameProblem,
  parseHostEntry,
  type HostAddress,
} from "./model";

export type WidgetTlsMode = "system" | "pin" | "ca" | "insecure";

export interface WidgetConnection {
  name: string;
  hosts: HostAddress[];
  tokenId: string;
  tlsMode: WidgetTlsMode;
  /** "ca": the cluster CA's PEM text (public; the settings page refuses private keys). */
  tlsCaPem: string;
  /** "pin": normalised fingerprint per host entry as written. */
  fingerprints: { [entry: string]: string };
  enabled: boolean;
  /** The power actions' own token ("separate" mode); "" when none is set. Never its secret. */
  actionsTokenId: string;
}

/** The single-connection keys of main.xml this migration reads. */
export interface LegacyConnectionKeys {
  proxmoxHost?: string;
  proxmoxPort?: number;
  apiTokenId?: string;
  tlsMode?: string;
  tlsFingerprint?: string;
  tlsCaPem?: string;
  ignoreSsl?: boolean;
  /** Settings → Actions' token ID: the first connection's actions token. */
  actionsTokenId?: string;
  /** The new key: JSON text of the list; empty or absent before issue 11. */
  connections?: string;
}

export interface ConnectionList {
  connections: WidgetConnection[];
  /** True when the list came from the old keys (nothing stored in `connections` yet). */
  fromLegacyKeys: boolean;
  /** Entries of a stored list that could not be used, each "Connection N: why" (translated). */
  problems: string[];
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** "pve1.lan", or "pve1.lan:8443", "[fe80::1]:8443": how the old host and port read as one entry. */
export function legacyHostEntry(host: string, port: number): string {
  const h = host.trim();
  if (port === DEFAULT_API_PORT) return h;
  return formatAddress({ host: h.charAt(0) === "[" ? h.slice(1, -1) : h, port });
}

/** The first connection as the old keys describe it; null when no host is set (not configured). */
export function migrateLegacyKeys(keys: LegacyConnectionKeys): WidgetConnection | null {
  const host = str(keys.proxmoxHost).trim();
  if (host === "") return null;
  const port = typeof keys.proxmoxPort === "number" ? keys.proxmoxPort : DEFAULT_API_PORT;
  const bare =
    host.charAt(0) === "[" && host.charAt(host.length - 1) === "]" ? host.slice(1, -1) : host;
  const entry = legacyHostEntry(bare, port);
  const mode = effectiveTlsMode({
    tlsMode: str(keys.tlsMode),
    tlsFingerprint: str(keys.tlsFingerprint),
    tlsCaPem: str(keys.tlsCaPem),
    ignoreSsl: keys.ignoreSsl === true,
  });
  const fingerprints: { [entry: string]: string } = {};
  // Kept as stored (even when not a valid fingerprint): the session then
  // shows today's "pinned fingerprint is not a SHA-256" state, not a new one.
  if (mode === "pin") fingerprints[entry] = str(keys.tlsFingerprint);
  return {
    // The host names it until the user gives a name; with one connection
    // the name is shown nowhere (the popup has no extra level).
    name: host,
    hosts: [{ entry, host: bare, port }],
    tokenId: str(keys.apiTokenId).trim(),
    tlsMode: mode,
    tlsCaPem: str(keys.tlsCaPem),
    fingerprints,
    enabled: true,
    actionsTokenId: str(keys.actionsTokenId).trim(),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const MODES: ReadonlyArray<string> = ["system", "pin", "ca", "insecure"];

function readStored(
  item: unknown,
  index: number,
  tr: Translator,
): { ok: true; value: WidgetConnection } | { ok: false; error: string } {
  const label = tr("Connection %1", index + 1);
  if (!isObject(item)) return { ok: false, error: tr("%1: %2", label, tr("not readable")) };
  const name = str(item.name).trim();
  const np = nameProblem(name, tr);
  if (np !== null) return { ok: false, error: tr("%1: %2", label, np) };
  const rawHosts = Array.isArray(item.hosts) ? item.hosts.slice(0, MAX_HOSTS) : [];
  const hosts: HostAddress[] = [];
  for (let i = 0; i < rawHosts.length; i++) {
    const parsed = parseHostEntry(str(rawHosts[i]), tr);
    if (!parsed.ok) return { ok: false, error: tr("%1: %2", name, parsed.error) };
    hosts.push(parsed.value);
  }
  if (hosts.length === 0)
    return { ok: false, error: tr("%1: %2", name, tr("no host address is set")) };
  const mode =
    MODES.indexOf(str(item.tlsMode)) >= 0 ? (str(item.tlsMode) as WidgetTlsMode) : "system";
  const fingerprints: { [entry: string]: string } = {};
  const fps = isObject(item.fingerprints) ? item.fingerprints : {};
  for (let i = 0; i < hosts.length; i++) {
    const entry = (hosts[i] as HostAddress).entry;
    const fp = str(fps[entry]);
    if (fp !== "") fingerprints[entry] = normaliseFingerprint(fp) || fp;
  }
  return {
    ok: true,
    value: {
      name,
      hosts,
      tokenId: str(item.tokenId).trim(),
      tlsMode: mode,
      tlsCaPem: str(item.tlsCaPem),
      fingerprints,
      enabled: item.enabled !== false,
      actionsTokenId: str(item.actionsTokenId).trim(),
    },
  };
}

/**
 * The connections the widget watches: the stored list, or — while none is
 * stored — the old single-connection keys as the first connection.
 */
export function readConnectionList(
  keys: LegacyConnectionKeys,
  tr: Translator = plainTranslator,
): ConnectionList {
  const text = str(keys.connections).trim();
  if (text === "") {
    const first = migrateLegacyKeys(keys);
    return { connections: first ? [first] : [], fromLegacyKeys: true, problems: [] };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed)) {
    // A broken list must not lose the user's cluster: fall back to the old keys.
    const first = migrateLegacyKeys(keys);
    return {
      connections: first ? [first] : [],
      fromLegacyKeys: true,
      problems: [tr("The stored list of connections is not readable; using the main connection.")],
    };
  }
  const out: WidgetConnection[] = [];
  const problems: string[] = [];
  const seen: string[] = [];
  for (let i = 0; i < parsed.length; i++) {
    const r = readStored(parsed[i], i, tr);
    if (!r.ok) {
      problems.push(r.error);
      continue;
    }
    const lower = r.value.name.toLowerCase();
    if (seen.indexOf(lower) >= 0) {
      problems.push(tr("%1: %2", r.value.name, tr("the name is used twice")));
      continue;
    }
    seen.push(lower);
    out.push(r.value);
  }
  // The first connection's actions token is the old key's (see the top).
  if (out.length > 0) (out[0] as WidgetConnection).actionsTokenId = str(keys.actionsTokenId).trim();
  return { connections: out, fromLegacyKeys: false, problems };
}

/** The `connections` key's text for a list (what the settings page writes). */
export function serialiseConnectionList(list: ReadonlyArray<WidgetConnection>): string {
  return JSON.stringify(
    list.map((c) => ({
      name: c.name,
      hosts: c.hosts.map((h) => h.entry),
      tokenId: c.tokenId,
      tlsMode: c.tlsMode,
      tlsCaPem: c.tlsMode === "ca" ? c.tlsCaPem : "",
      fingerprints: c.tlsMode === "pin" ? c.fingerprints : {},
      enabled: c.enabled,
      actionsTokenId: c.actionsTokenId || "",
    })),
  );
}

/** The old keys for the first connection, written beside the list so they stay readable. */
export function legacyKeysOf(
  first: WidgetConnection,
): Required<Omit<LegacyConnectionKeys, "connections">> {
  const head = first.hosts[0] as HostAddress;
  return {
    actionsTokenId: first.actionsTokenId || "",
    proxmoxHost: head.host,
    proxmoxPort: head.port,
    apiTokenId: first.tokenId,
    tlsMode: first.tlsMode,
    tlsFingerprint: first.tlsMode === "pin" ? first.fingerprints[head.entry] || "" : "",
    tlsCaPem: first.tlsMode === "ca" ? first.tlsCaPem : "",
    ignoreSsl: false,
  };
}

/** The KDE Wallet account of a connection's secret: keyed as today, by its first address. */
export function secretAccount(c: WidgetConnection): {
  tokenId: string;
  host: string;
  port: number;
} {
  const head = c.hosts[0] as HostAddress;
  return { tokenId: c.tokenId, host: head.host, port: head.port };
}

/**
 * The KDE Wallet account of a connection's actions token secret: the same
 * scheme as the monitoring token's (its own token ID, the first address);
 * null when the connection has no actions token ID.
 */
export function actionsAccount(c: WidgetConnection): {
  tokenId: string;
  host: string;
  port: number;
} | null {
  const id = (c.actionsTokenId || "").trim();
  if (id === "") return null;
  const head = c.hosts[0] as HostAddress;
  return { tokenId: id, host: head.host, port: head.port };
}

/**
 * The single-connection settings one session reads (src/widget/session.ts),
 * for one connection of the list: the first address in the old keys, every
 * address (with its pin) for failover, and the name when there are several.
 */
export function sessionKeysOf(
  c: WidgetConnection,
  several: boolean,
): {
  proxmoxHost: string;
  proxmoxPort: number;
  apiTokenId: string;
  tlsMode: string;
  tlsFingerprint: string;
  tlsCaPem: string;
  ignoreSsl: boolean;
  actionsTokenId: string;
  connectionName?: string;
  addresses: Array<{ host: string; port: number; tlsFingerprint?: string }>;
} {
  const legacy = legacyKeysOf(c);
  const out: ReturnType<typeof sessionKeysOf> = {
    proxmoxHost: legacy.proxmoxHost,
    proxmoxPort: legacy.proxmoxPort,
    apiTokenId: legacy.apiTokenId,
    tlsMode: legacy.tlsMode,
    tlsFingerprint: legacy.tlsFingerprint,
    tlsCaPem: legacy.tlsCaPem,
    ignoreSsl: false,
    actionsTokenId: legacy.actionsTokenId,
    addresses: c.hosts.map((h) =>
      c.tlsMode === "pin"
        ? { host: h.host, port: h.port, tlsFingerprint: c.fingerprints[h.entry] || "" }
        : { host: h.host, port: h.port },
    ),
  };
  if (several) out.connectionName = c.name;
  return out;
}
