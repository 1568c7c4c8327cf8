// Turns a stream of snapshots into the changes a person would call news.
//
// The tracker compares each snapshot with what it *last knew* rather than
// with the previous snapshot alone, because the API often has no knowledge
// for a while: a guest on an offline node reads "unknown", a guest under a
// backup lock shows the backup's own start/stop, and a stale RRD entry can
// lag the config by a pvestatd cycle. Comparing with the last known status
// keeps those gaps from turning into "stopped"/"started" pairs.
//
// Decisions:
// - Guests are identified by type and VMID ("qemu/101"), never by node: a
//   guest that moves is the same guest and yields ONE "guest-migrated" event.
//   If its status is known right after the move, the event carries it as
//   `status` (with the last known one as `previousStatus`) and no separate
//   started/stopped event is emitted for that refresh; a status that is still
//   unknown after the move is learned later and reported then if it differs.
// - Only three status phases are news: running, stopped, and paused-like
//   (paused, suspended, io-error, …). Transitional or unrecognised statuses
//   (prelaunch, inmigrate, unknown, …) carry no knowledge: they are neither
//   reported nor remembered. Changes within a phase (paused → suspended) are
//   remembered silently.
// - A guest whose node is offline in the same snapshot is treated as unknown
//   even if the API still shows stale values for it.
// - While a guest holds lock "backup" its status is not learned, and for
//   `backupGraceRefreshes` refreshes after the lock clears a status that
//   differs from the pre-backup one is held back (the RRD status can trail
//   the config lock by up to ~10 s). A difference that persists past the
//   grace is reported. Other locks never suppress anything.
// - Node "unknown" and quorum null are "no knowledge" as well. Nodes that
//   appear or vanish from the list are learned silently.
// - The first snapshot after creation or reset() is the baseline: no events.

import type { GuestInfo, GuestStatus, GuestType, NodeStatus, Snapshot } from "../model/types";

export type ChangeKind =
  | "guest-started"
  | "guest-stopped"
  | "guest-paused"
  | "guest-resumed"
  | "guest-migrated"
  | "guest-added"
  | "guest-removed"
  | "node-offline"
  | "node-online"
  | "quorum-lost"
  | "quorum-regained"
  // History and storage (issue 12): made by src/history/storage-alerts.ts.
  | "storage-warning"
  | "storage-critical"
  | "storage-recovered";

export interface ChangeEvent {
  kind: ChangeKind;
  /** Stable subject id: "qemu/101", "lxc/200", "node/pve1" or "cluster/quorum". */
  key: string;
  vmid?: number;
  guestType?: GuestType;
  /** Guest name, node name for node events, cluster name (when known) for quorum events. */
  name?: string;
  /** Node the guest is on now (for a removed guest: the node it was last seen on). */
  node?: string;
  fromNode?: string;
  toNode?: string;
  status?: GuestStatus | NodeStatus;
  previousStatus?: GuestStatus | NodeStatus;
  tags?: string[];
  /** Storage events: the storage id; its usage in percent, and the threshold crossed. */
  storage?: string;
  percent?: number;
  threshold?: number;
}

export type StatusPhase = "running" | "stopped" | "paused";

/** Where a raw guest status stands for notification purposes; null = no knowledge. */
export function statusPhase(status: GuestStatus | null | undefined): StatusPhase | null {
  switch (status) {
    case "running":
      return "running";
    case "stopped":
      return "stopped";
    // QEMU run states in which the guest exists but does not run.
    case "paused":
    case "suspended":
    case "io-error":
    case "guest-panicked":
    case "internal-error":
    case "watchdog":
    case "debug":
      return "paused";
    default:
      return null;
  }
}

export interface ChangeTrackerOptions {
  /** Refreshes after a backup lock clears during which a status flip is held back. Default 1. */
  backupGraceRefreshes?: number;
}

export interface ChangeTracker {
  /** Feeds the next snapshot and returns what changed since the last known state. */
  update(snapshot: Snapshot): ChangeEvent[];
  /** Forgets everything: the next update is a baseline again (e.g. after a settings change). */
  reset(): void;
}

interface GuestMemory {
  /** "qemu/101": the identity, so a guest that moves stays the same guest. */
  key: string;
  vmid: number;
  type: GuestType;
  name: string;
  node: string;
  tags: string[];
  /** Last status that carried knowledge; null until one is seen. */
  known: GuestStatus | null;
  inBackup: boolean;
  /** Refreshes left in which a flip away from `known` is held back after a backup. */
  grace: number;
  /** The update that last saw the guest, to find duplicates and removals without a second index. */
  seen: number;
  /** Position in that update's guest order. */
  at: number;
}

// Dictionaries are null-prototype objects rather than Map/Set: in Qt's V4
// a Map with thousands of entries is two orders of magnitude slower to
// fill than a plain object, and the widget feeds every guest on every
// refresh.
interface Dict<T> {
  [key: string]: T | undefined;
}

function dict<T>(): Dict<T> {
  return Object.create(null) as Dict<T>;
}

const BACKUP_LOCK = "backup";
const QUORUM_KEY = "cluster/quorum";

function guestKey(type: GuestType, vmid: number): string {
  return type + "/" + vmid;
}

function transitionKind(from: StatusPhase, to: StatusPhase): ChangeKind {
  if (to === "running") return from === "paused" ? "guest-resumed" : "guest-started";
  if (to === "paused") return "guest-paused";
  return "guest-stopped";
}

function guestEvent(kind: ChangeKind, m: GuestMemory): ChangeEvent {
  return {
    kind,
    key: m.key,
    vmid: m.vmid,
    guestType: m.type,
    name: m.name,
    node: m.node,
    tags: m.tags.slice(),
  };
}

function sameStrings(a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// Most guests have no tags; their memories share one empty list (memories
// replace their list, never change it), instead of one each.
const NO_TAGS: ReadonlyArray<string> = Object.freeze([]);

function copyTags(tags: ReadonlyArray<string>): string[] {
  return (tags.length === 0 ? NO_TAGS : tags.slice()) as string[];
}

function compareEvents(a: ChangeEvent, b: ChangeEvent): number {
  return (a.vmid ?? 0) - (b.vmid ?? 0) || (a.key < b.key ? -1 : 1);
}

export function createChangeTracker(options: ChangeTrackerOptions = {}): ChangeTracker {
  const graceRefreshes = Math.max(0, Math.floor(options.backupGraceRefreshes ?? 1));
  let baseline = true;
  let quorate: boolean | null = null;
  let nodes = dict<NodeStatus>();
  let guests = dict<GuestMemory>();
  // The guests of the last update in snapshot order. PVE lists guests in a
  // stable order, so walking this alongside the next snapshot finds almost
  // every guest without building its key or looking it up.
  let order: GuestMemory[] = [];
  let updates = 0;

  function reset(): void {
    baseline = true;
    quorate = null;
    nodes = dict();
    guests = dict();
    order = [];
  }

  function updateQuorum(snapshot: Snapshot, out: ChangeEvent[]): void {
    const now = snapshot.cluster.quorate;
    if (now === null) return;
    if (quorate !== null && now !== quorate) {
      const ev: ChangeEvent = { kind: now ? "quorum-regained" : "quorum-lost", key: QUORUM_KEY };
      if (snapshot.cluster.name !== null) ev.name = snapshot.cluster.name;
      out.push(ev);
    }
    quorate = now;
  }

  /** Returns the offline nodes' names, or null when none is offline. */
  function updateNodes(snapshot: Snapshot, out: ChangeEvent[]): Dict<true> | null {
    let offline: Dict<true> | null = null;
    const next = dict<NodeStatus>();
    const listed = dict<true>();
    for (let i = 0; i < snapshot.nodes.length; i++) {
      const n = snapshot.nodes[i] as Snapshot["nodes"][number];
      if (listed[n.name] === true) continue;
      listed[n.name] = true;
      if (n.status === "offline") {
        if (offline === null) offline = dict();
        offline[n.name] = true;
      }
      const last = nodes[n.name];
      if (n.status === "unknown") {
        // Keep what we knew so a later definite status is compared with it.
        if (last !== undefined) next[n.name] = last;
        continue;
      }
      if (last !== undefined && last !== n.status) {
        out.push({
          kind: n.status === "offline" ? "node-offline" : "node-online",
          key: "node/" + n.name,
          name: n.name,
          node: n.name,
          status: n.status,
          previousStatus: last,
        });
      }
      next[n.name] = n.status;
    }
    nodes = next;
    return offline;
  }

  function learnGuest(g: GuestInfo, key: string, offline: Dict<true> | null): GuestMemory {
    const knowable = g.lock !== BACKUP_LOCK && !(offline !== null && offline[g.node] === true);
    return {
      key,
      vmid: g.vmid,
      type: g.type,
      name: g.name,
      node: g.node,
      tags: copyTags(g.tags),
      known: knowable && statusPhase(g.status) !== null ? g.status : null,
      inBackup: g.lock === BACKUP_LOCK,
      grace: 0,
      seen: updates,
      at: -1,
    };
  }

  /** Updates m from g; returns the event this refresh produced for the guest, if any. */
  function advanceGuest(
    m: GuestMemory,
    g: GuestInfo,
    offline: Dict<true> | null,
  ): ChangeEvent | null {
    const fromNode = m.node;
    const moved = g.node !== m.node;
    // PVE omits the name (and the decoder substitutes a default) while the
    // status is unknown: keep the real one we saw before.
    if (g.status !== "unknown") m.name = g.name;
    // Copied only when different: the memory must not share the snapshot's
    // array, and a copy per guest per refresh is most of this loop's garbage.
    if ((g.status !== "unknown" || g.tags.length > 0) && !sameStrings(m.tags, g.tags))
      m.tags = copyTags(g.tags);
    m.node = g.node;

    const locked = g.lock === BACKUP_LOCK;
    if (locked) {
      m.inBackup = true;
      m.grace = 0;
    } else if (m.inBackup) {
      m.inBackup = false;
      m.grace = graceRefreshes;
    }

    let phase =
      (offline !== null && offline[g.node] === true) || locked ? null : statusPhase(g.status);
    const knownPhase = statusPhase(m.known);
    if (phase !== null && m.grace > 0) {
      if (phase === knownPhase) {
        m.grace = 0;
      } else {
        m.grace -= 1;
        phase = null;
      }
    }

    if (moved) {
      const ev = guestEvent("guest-migrated", m);
      ev.fromNode = fromNode;
      ev.toNode = g.node;
      if (m.known !== null) ev.previousStatus = m.known;
      if (phase !== null) {
        ev.status = g.status;
        m.known = g.status;
      }
      return ev;
    }

    if (phase === null) return null;
    const previous = m.known;
    m.known = g.status;
    if (previous === null || knownPhase === null || knownPhase === phase) return null;
    const ev = guestEvent(transitionKind(knownPhase, phase), m);
    ev.status = g.status;
    ev.previousStatus = previous;
    return ev;
  }

  function updateGuests(snapshot: Snapshot, offline: Dict<true> | null, out: ChangeEvent[]): void {
    const stamp = ++updates;
    const next: GuestMemory[] = [];
    const events: ChangeEvent[] = [];
    let expected = 0;
    for (let i = 0; i < snapshot.guests.length; i++) {
      const g = snapshot.guests[i] as GuestInfo;
      let m = order[expected];
      if (m !== undefined && m.vmid === g.vmid && m.type === g.type && m.seen !== stamp) {
        expected++;
      } else {
        const key = guestKey(g.type, g.vmid);
        m = guests[key];
        if (m === undefined) {
          const learned = learnGuest(g, key, offline);
          learned.at = next.length;
          guests[key] = learned;
          next.push(learned);
          if (!baseline) {
            const ev = guestEvent("guest-added", learned);
            if (learned.known !== null) ev.status = learned.known;
            events.push(ev);
          }
          continue;
        }
        // A guest listed twice counts once, as first listed.
        if (m.seen === stamp) continue;
        // Back in step after an insertion or removal further up the list.
        expected = m.at + 1;
      }
      m.seen = stamp;
      m.at = next.length;
      next.push(m);
      const ev = advanceGuest(m, g, offline);
      if (ev !== null) events.push(ev);
    }
    for (let i = 0; i < order.length; i++) {
      const m = order[i] as GuestMemory;
      if (m.seen === stamp) continue;
      delete guests[m.key];
      const ev = guestEvent("guest-removed", m);
      if (m.known !== null) ev.previousStatus = m.known;
      events.push(ev);
    }
    order = next;
    // A stable order makes grouped notifications and tests deterministic.
    events.sort(compareEvents);
    for (let i = 0; i < events.length; i++) out.push(events[i] as ChangeEvent);
  }

  function update(snapshot: Snapshot): ChangeEvent[] {
    const out: ChangeEvent[] = [];
    updateQuorum(snapshot, out);
    const offline = updateNodes(snapshot, out);
    updateGuests(snapshot, offline, out);
    if (baseline) {
      baseline = false;
      return [];
    }
    return out;
  }

  return { update, reset };
}

/**
 * One-step diff without long-term memory: "last known" is only what
 * `previous` showed. Prefer a ChangeTracker for a running monitor.
 * previous === null is a baseline and yields no events.
 */
export function diffSnapshots(previous: Snapshot | null, current: Snapshot): ChangeEvent[] {
  if (previous === null) return [];
  const tracker = createChangeTracker();
  tracker.update(previous);
  return tracker.update(current);
}
