// Settings → Connections (issue 11): what the page shows and decides, so
// ConfigConnections.qml only draws. The page holds a list of drafts (the
// connections as typed, src/connections/editor.ts) and, in QML, one typed
// secret per draft that never reaches the configuration; everything it
// writes comes from `pageState`: the `connections` key's text and, beside
// it, the first connection in the single-connection keys (legacyKeysOf), so
// the old keys stay readable. Pure; runs in V4 (settings.mjs).

import { validateTokenId } from "../api/client";
import { plainTranslator, type Translator } from "../notify/message";
import {
  checkDraft,
  failoverCandidates,
  type ConnectionDraft,
  type DraftOptions,
  type DraftCheck,
  type FailoverCandidate,
} from "./editor";
import { formatAddress, MAX_HOSTS, parseHostEntry, type HostAddress } from "./model";
import {
  legacyKeysOf,
  readConnectionList,
  serialiseConnectionList,
  type LegacyConnectionKeys,
  type WidgetConnection,
} from "./widget-settings";

/** A stored connection as the page edits it. */
export function draftOf(c: WidgetConnection): ConnectionDraft {
  const fingerprints: { [entry: string]: string } = {};
  const keys = Object.keys(c.fingerprints);
  for (let i = 0; i < keys.length; i++)
    fingerprints[keys[i] as string] = c.fingerprints[keys[i] as string] as string;
  return {
    name: c.name,
    hostsText: c.hosts.map((h) => h.entry).join("\n"),
    tokenId: c.tokenId,
    tlsMode: c.tlsMode,
    tlsCaPem: c.tlsCaPem,
    fingerprints,
    enabled: c.enabled,
    actionsTokenId: c.actionsTokenId,
  };
}

/**
 * The page's drafts from the settings as stored: the list, or (before any
 * list was written) the single connection of the old keys, so the page
 * shows what the widget watches. `problems`: what was wrong with the list.
 */
export function draftsFromSettings(
  keys: LegacyConnectionKeys,
  tr: Translator = plainTranslator,
): { drafts: ConnectionDraft[]; problems: string[]; fromLegacyKeys: boolean } {
  const list = readConnectionList(keys, tr);
  return {
    drafts: list.connections.map(draftOf),
    problems: list.problems,
    fromLegacyKeys: list.fromLegacyKeys,
  };
}

/** A new, empty connection with a name no other draft has ("Connection 2"). */
export function newDraft(
  drafts: ReadonlyArray<ConnectionDraft>,
  tr: Translator = plainTranslator,
): ConnectionDraft {
  const taken: string[] = drafts.map((d) => d.name.trim().toLowerCase());
  let n = drafts.length + 1;
  let name = tr("Connection %1", n);
  while (taken.indexOf(name.toLowerCase()) >= 0) name = tr("Connection %1", ++n);
  return {
    name,
    hostsText: "",
    tokenId: drafts.length > 0 ? (drafts[drafts.length - 1] as ConnectionDraft).tokenId : "",
    tlsMode: "system",
    tlsCaPem: "",
    fingerprints: {},
    enabled: true,
    actionsTokenId: "",
  };
}

function copyDraft(d: ConnectionDraft): ConnectionDraft {
  const fingerprints: { [entry: string]: string } = {};
  const keys = Object.keys(d.fingerprints || {});
  for (let i = 0; i < keys.length; i++)
    fingerprints[keys[i] as string] = d.fingerprints[keys[i] as string] as string;
  return {
    name: String(d.name),
    hostsText: String(d.hostsText),
    tokenId: String(d.tokenId),
    tlsMode: String(d.tlsMode),
    tlsCaPem: String(d.tlsCaPem || ""),
    fingerprints,
    enabled: d.enabled !== false,
    actionsTokenId: String(d.actionsTokenId || ""),
  };
}

export type DraftField =
  "name" | "hostsText" | "tokenId" | "tlsMode" | "tlsCaPem" | "enabled" | "actionsTokenId";

/** The draft with one field changed; a new object (QML rebinds on it). */
export function withField(d: ConnectionDraft, field: DraftField, value: unknown): ConnectionDraft {
  const out = copyDraft(d);
  if (field === "enabled") out.enabled = value === true;
  else (out as unknown as Record<string, string>)[field] = String(value);
  return out;
}

/** The draft with the pin of one address set ("" removes it). */
export function withPin(d: ConnectionDraft, entry: string, fingerprint: string): ConnectionDraft {
  const out = copyDraft(d);
  if (fingerprint.trim() === "") delete out.fingerprints[entry];
  else out.fingerprints[entry] = fingerprint.trim();
  return out;
}

/** "Trust this certificate" for one address: its pin, and the mode becomes "pin". */
export function trustAddress(
  d: ConnectionDraft,
  entry: string,
  fingerprint: string,
): ConnectionDraft {
  const out = withPin(d, entry, fingerprint);
  out.tlsMode = "pin";
  return out;
}

/** The draft with one more address at the end of its failover order. */
export function withAddress(d: ConnectionDraft, entry: string): ConnectionDraft {
  const out = copyDraft(d);
  const text = out.hostsText.replace(/\s+$/, "");
  out.hostsText = text === "" ? entry : text + "\n" + entry;
  return out;
}

/** The array with item `index` replaced; a new array. */
export function replaceAt<T>(list: ReadonlyArray<T>, index: number, item: T): T[] {
  const out = list.slice();
  if (index >= 0 && index < out.length) out[index] = item;
  return out;
}

export interface AddressRow {
  entry: string;
  host: string;
  port: number;
  /** The pin typed for this address ("" when none). */
  pin: string;
  /** "1. pve1.lan" — its place in the failover order. */
  label: string;
}

/** The draft's well-formed addresses, in failover order (for the per-address pins and tests). */
export function addressRows(d: ConnectionDraft): AddressRow[] {
  const out: AddressRow[] = [];
  const seen: string[] = [];
  const parts = String(d.hostsText).split(/[\n,]/);
  for (let i = 0; i < parts.length && out.length < MAX_HOSTS; i++) {
    const raw = (parts[i] as string).trim();
    if (raw === "") continue;
    const parsed = parseHostEntry(raw);
    if (!parsed.ok) continue;
    const key = formatAddress(parsed.value).toLowerCase();
    if (seen.indexOf(key) >= 0) continue;
    seen.push(key);
    out.push({
      entry: parsed.value.entry,
      host: parsed.value.host,
      port: parsed.value.port,
      pin: (d.fingerprints && d.fingerprints[parsed.value.entry]) || "",
      label: out.length + 1 + ". " + parsed.value.entry,
    });
  }
  return out;
}

/** The KDE Wallet account of a draft's secret (keyed as the widget reads it), or null while incomplete. */
export function draftAccount(
  d: ConnectionDraft,
): { host: string; port: number; tokenId: string } | null {
  const rows = addressRows(d);
  const tokenId = String(d.tokenId).trim();
  if (rows.length === 0 || tokenId === "") return null;
  const head = rows[0] as AddressRow;
  return { host: head.host, port: head.port, tokenId };
}

/**
 * The KDE Wallet account of a draft's actions token secret: the same
 * scheme as the monitoring token's, "<actionsTokenId>@<first host>:<port>";
 * null while the draft has no address or no valid actions token ID.
 */
export function draftActionsAccount(
  d: ConnectionDraft,
): { host: string; port: number; tokenId: string } | null {
  const rows = addressRows(d);
  const tokenId = String(d.actionsTokenId || "").trim();
  if (rows.length === 0 || tokenId === "" || validateTokenId(tokenId) !== null) return null;
  const head = rows[0] as AddressRow;
  return { host: head.host, port: head.port, tokenId };
}

export interface CandidateRow extends FailoverCandidate {
  text: string;
}

/** Node addresses of the tested cluster the draft does not list yet ("Add pve2 (10.0.0.12)"). */
export function candidateRows(
  d: ConnectionDraft,
  clusterStatus: unknown,
  tr: Translator = plainTranslator,
): CandidateRow[] {
  const hosts: HostAddress[] = addressRows(d).map((r) => ({
    entry: r.entry,
    host: r.host,
    port: r.port,
  }));
  return failoverCandidates(clusterStatus, hosts).map((c) => ({
    node: c.node,
    entry: c.entry,
    text: tr("Add %1 (%2)", c.node, c.entry),
  }));
}

export interface ListRow {
  name: string;
  /** "pve1.lan, pve2.lan · monitor@pve!proxmon", or what is missing. */
  subtitle: string;
  enabled: boolean;
  hasProblem: boolean;
}

export interface PageState {
  rows: ListRow[];
  checks: DraftCheck[];
  /** Every draft is complete: the page may write. */
  valid: boolean;
  /** The `connections` key's text ("[]" for an empty list); "" while not valid. */
  connectionsText: string;
  /** The first connection in the old keys; null when there is none or the list is not valid. */
  legacy: ReturnType<typeof legacyKeysOf> | null;
  /** What stops saving, one line per connection with a problem. */
  summary: string;
  /** Power actions use a separate token: each connection shows its actions token ID and secret. */
  actionsSeparate: boolean;
}

/** Checks every draft against the others' names; what the list and the Apply button show. */
export function pageState(
  drafts: ReadonlyArray<ConnectionDraft>,
  tr: Translator = plainTranslator,
  options: DraftOptions = {},
): PageState {
  const checks: DraftCheck[] = [];
  const rows: ListRow[] = [];
  const stored: WidgetConnection[] = [];
  const lines: string[] = [];
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i] as ConnectionDraft;
    const others: string[] = [];
    for (let j = 0; j < drafts.length; j++)
      if (j !== i) others.push((drafts[j] as ConnectionDraft).name);
    const check = checkDraft(d, others, tr, options);
    checks.push(check);
    const addresses = addressRows(d).map((r) => r.entry);
    const subtitle =
      addresses.length === 0
        ? tr("no host address is set")
        : String(d.tokenId).trim() === ""
          ? addresses.join(", ")
          : tr("%1 · %2", addresses.join(", "), String(d.tokenId).trim());
    rows.push({
      name: String(d.name).trim() === "" ? tr("(no name)") : String(d.name).trim(),
      subtitle,
      enabled: d.enabled !== false,
      hasProblem: check.connection === null,
    });
    if (check.connection) stored.push(check.connection);
    else lines.push(tr("%1: %2", (rows[i] as ListRow).name, check.problems.join("; ")));
  }
  const valid = lines.length === 0;
  return {
    rows,
    checks,
    valid,
    connectionsText: valid ? serialiseConnectionList(stored) : "",
    legacy: valid && stored.length > 0 ? legacyKeysOf(stored[0] as WidgetConnection) : null,
    summary: valid ? "" : tr("Not saved until this is fixed:") + "\n" + lines.join("\n"),
    actionsSeparate: options.actionsMode === "separate",
  };
}
