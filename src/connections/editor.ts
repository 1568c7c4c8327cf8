// What the settings page's Connections list needs besides drawing (issue
// 11): checking one connection as typed, list edits (add, remove, move),
// and the failover addresses Proxmox itself knows of — every node's `ip`
// from GET /cluster/status — to offer next to the hosts already entered.
// Pure; runs in V4 (settings.mjs). The answer to /cluster/status is hostile
// input: bounded, and only well-formed addresses come out.

import { validateTokenId } from "../api/client";
import { normaliseFingerprint } from "../api/tls-policy";
import { plainTranslator, type Translator } from "../notify/message";
import { formatAddress, MAX_HOSTS, nameProblem, parseHostEntry, type HostAddress } from "./model";
import type { WidgetConnection } from "./widget-settings";

/** Nodes a cluster can have, with room to spare; a longer list is cut. */
const MAX_STATUS_ENTRIES = 1000;

function isIpv4(text: string): boolean {
  const parts = text.split(".");
  if (parts.length !== 4) return false;
  for (let i = 0; i < 4; i++) {
    const p = parts[i] as string;
    if (p === "" || p.length > 3) return false;
    for (let j = 0; j < p.length; j++) {
      const c = p.charCodeAt(j);
      if (c < 48 || c > 57) return false;
    }
    if (parseInt(p, 10) > 255) return false;
  }
  return true;
}

function isIpv6(text: string): boolean {
  if (text.length < 2 || text.length > 45 || text.indexOf(":") < 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i).toLowerCase();
    if (!((c >= "0" && c <= "9") || (c >= "a" && c <= "f") || c === ":" || c === ".")) return false;
  }
  return true;
}

export interface FailoverCandidate {
  /** The node's name, for the list ("pve2 — 10.0.0.12"). */
  node: string;
  /** What would be added to `hosts`: the address, with the connection's port when not 8006. */
  entry: string;
}

/**
 * The node addresses /cluster/status reports that the connection does not
 * list yet, in the answer's order, with the port of its first address.
 */
export function failoverCandidates(
  clusterStatus: unknown,
  hosts: ReadonlyArray<HostAddress>,
): FailoverCandidate[] {
  if (!Array.isArray(clusterStatus)) return [];
  const port = hosts.length > 0 ? (hosts[0] as HostAddress).port : 8006;
  const have: string[] = [];
  for (let i = 0; i < hosts.length; i++)
    have.push(formatAddress(hosts[i] as HostAddress).toLowerCase());
  const out: FailoverCandidate[] = [];
  const n = Math.min(clusterStatus.length, MAX_STATUS_ENTRIES);
  for (let i = 0; i < n; i++) {
    const item: unknown = clusterStatus[i];
    if (typeof item !== "object" || item === null) continue;
    const o = item as Record<string, unknown>;
    if (o.type !== "node" || typeof o.ip !== "string" || typeof o.name !== "string") continue;
    const ip = o.ip.trim();
    if (!isIpv4(ip) && !isIpv6(ip)) continue;
    const key = formatAddress({ host: ip, port }).toLowerCase();
    if (have.indexOf(key) >= 0) continue;
    have.push(key);
    const entry = port === 8006 ? ip : formatAddress({ host: ip, port });
    out.push({ node: o.name.slice(0, 64), entry });
    if (out.length + hosts.length >= MAX_HOSTS) break;
  }
  return out;
}

/** One connection as typed in the settings: the texts, before they are parsed. */
export interface ConnectionDraft {
  name: string;
  /** One entry per line (or comma). */
  hostsText: string;
  tokenId: string;
  tlsMode: string;
  tlsCaPem: string;
  /** Pins per host entry as typed. */
  fingerprints: { [entry: string]: string };
  enabled: boolean;
  /** The power actions' own token ID (Settings → Actions "separate"); "" for none. */
  actionsTokenId?: string;
}

/** What the rest of the settings say that changes the checks of a draft. */
export interface DraftOptions {
  /** Settings → Actions' mode (main.xml actionsMode): with "separate" the actions token ID is checked too. */
  actionsMode?: string;
}

export interface DraftCheck {
  /** The connection to store, or null while a problem remains. */
  connection: WidgetConnection | null;
  /** Every problem, translated, in field order. */
  problems: string[];
  /** Entries that still need a pin (tlsMode "pin"), for the per-address fields. */
  unpinned: string[];
}

/** Checks a draft against the other connections' names; never throws. */
export function checkDraft(
  draft: ConnectionDraft,
  otherNames: ReadonlyArray<string>,
  tr: Translator = plainTranslator,
  options: DraftOptions = {},
): DraftCheck {
  const problems: string[] = [];
  const name = draft.name.trim();
  const np = nameProblem(name, tr);
  if (np !== null) problems.push(np);
  else {
    for (let i = 0; i < otherNames.length; i++)
      if ((otherNames[i] as string).trim().toLowerCase() === name.toLowerCase()) {
        problems.push(tr("the name is used twice"));
        break;
      }
  }
  const hosts: HostAddress[] = [];
  const seen: string[] = [];
  const parts = draft.hostsText.split(/[\n,]/);
  for (let i = 0; i < parts.length && i < MAX_HOSTS * 2; i++) {
    const raw = (parts[i] as string).trim();
    if (raw === "") continue;
    const parsed = parseHostEntry(raw, tr);
    if (!parsed.ok) {
      problems.push(parsed.error);
      continue;
    }
    const key = formatAddress(parsed.value).toLowerCase();
    if (seen.indexOf(key) >= 0) continue;
    seen.push(key);
    hosts.push(parsed.value);
  }
  if (hosts.length === 0) problems.push(tr("no host address is set"));
  if (hosts.length > MAX_HOSTS) problems.push(tr("at most %1 addresses", MAX_HOSTS));
  const tokenProblem = validateTokenId(draft.tokenId, tr);
  if (tokenProblem !== null) problems.push(tokenProblem);
  // Empty is allowed (that connection's guests then say what to set up);
  // checked only when the field is shown, so a hidden value never blocks Apply.
  const actionsTokenId = String(draft.actionsTokenId || "").trim();
  if (options.actionsMode === "separate" && actionsTokenId !== "") {
    const actionsProblem = validateTokenId(actionsTokenId, tr);
    if (actionsProblem !== null) problems.push(tr("Actions token: %1", actionsProblem));
  }
  const mode =
    draft.tlsMode === "pin" || draft.tlsMode === "ca" || draft.tlsMode === "insecure"
      ? draft.tlsMode
      : "system";
  const fingerprints: { [entry: string]: string } = {};
  const unpinned: string[] = [];
  if (mode === "pin") {
    for (let i = 0; i < hosts.length; i++) {
      const entry = (hosts[i] as HostAddress).entry;
      const fp = normaliseFingerprint(draft.fingerprints[entry] || "");
      if (fp === null) unpinned.push(entry);
      else fingerprints[entry] = fp;
    }
    if (unpinned.length > 0)
      problems.push(
        tr(
          "Pin a fingerprint for every address (%1), or trust the cluster CA instead.",
          unpinned.join(", "),
        ),
      );
  }
  return {
    connection:
      problems.length === 0
        ? {
            name,
            hosts,
            tokenId: draft.tokenId.trim(),
            tlsMode: mode,
            tlsCaPem: mode === "ca" ? draft.tlsCaPem : "",
            fingerprints,
            enabled: draft.enabled,
            actionsTokenId,
          }
        : null,
    problems,
    unpinned,
  };
}

/** The list with item `from` moved to `to` (both clamped); a new array. */
export function moveConnection<T>(list: ReadonlyArray<T>, from: number, to: number): T[] {
  const out = list.slice();
  if (from < 0 || from >= out.length) return out;
  const target = Math.max(0, Math.min(out.length - 1, to));
  const item = out.splice(from, 1)[0] as T;
  out.splice(target, 0, item);
  return out;
}

/** The list without item `index`; a new array. */
export function removeConnection<T>(list: ReadonlyArray<T>, index: number): T[] {
  const out = list.slice();
  if (index >= 0 && index < out.length) out.splice(index, 1);
  return out;
}
