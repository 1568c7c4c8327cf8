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
  | "quorum-regained";

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
    key: guestKey(m.type, m.vmid),
    vmid: m.vmid,
    guestType: m.type,
    name: m.name,
    node: m.node,
    tags: m.tags.slice(),
  };
}

export function createChangeTracker(options: ChangeTrackerOptions = {}): ChangeTracker {
  const graceRefreshes = Math.max(0, Math.floor(options.backupGraceRefreshes ?? 1));
  let baseline = true;
  let quorate: boolean | null = null;
  let nodes = new Map<string, NodeStatus>();
  let guests = new Map<string, GuestMemory>();

  function reset(): void {
    baseline = true;
    quorate = null;
    nodes = new Map();
    guests = new Map();
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

  function updateNodes(snapshot: Snapshot, out: ChangeEvent[]): Set<string> {
    const offline = new Set<string>();
    const next = new Map<string, NodeStatus>();
    for (const n of snapshot.nodes) {
      if (next.has(n.name)) continue;
      if (n.status === "offline") offline.add(n.name);
      const last = nodes.get(n.name);
      if (n.status === "unknown") {
        // Keep what we knew so a later definite status is compared with it.
        if (last !== undefined) next.set(n.name, last);
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
      next.set(n.name, n.status);
    }
    nodes = next;
    return offline;
  }

  function learnGuest(g: GuestInfo, offline: Set<string>): GuestMemory {
    const knowable = g.lock !== BACKUP_LOCK && !offline.has(g.node);
    return {
      vmid: g.vmid,
      type: g.type,
      name: g.name,
      node: g.node,
      tags: g.tags.slice(),
      known: knowable && statusPhase(g.status) !== null ? g.status : null,
      inBackup: g.lock === BACKUP_LOCK,
      grace: 0,
    };
  }

  /** Updates m from g; returns the event this refresh produced for the guest, if any. */
  function advanceGuest(m: GuestMemory, g: GuestInfo, offline: Set<string>): ChangeEvent | null {
    const fromNode = m.node;
    const moved = g.node !== m.node;
    // PVE omits the name (and the decoder substitutes a default) while the
    // status is unknown: keep the real one we saw before.
    if (g.status !== "unknown") m.name = g.name;
    if (g.status !== "unknown" || g.tags.length > 0) m.tags = g.tags.slice();
    m.node = g.node;

    const locked = g.lock === BACKUP_LOCK;
    if (locked) {
      m.inBackup = true;
      m.grace = 0;
    } else if (m.inBackup) {
      m.inBackup = false;
      m.grace = graceRefreshes;
    }

    let phase = offline.has(g.node) || locked ? null : statusPhase(g.status);
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

  function updateGuests(snapshot: Snapshot, offline: Set<string>, out: ChangeEvent[]): void {
    const next = new Map<string, GuestMemory>();
    const events: ChangeEvent[] = [];
    for (const g of snapshot.guests) {
      const key = guestKey(g.type, g.vmid);
      if (next.has(key)) continue;
      const m = guests.get(key);
      if (m === undefined) {
        const learned = learnGuest(g, offline);
        next.set(key, learned);
        if (!baseline) {
          const ev = guestEvent("guest-added", learned);
          if (learned.known !== null) ev.status = learned.known;
          events.push(ev);
        }
        continue;
      }
      next.set(key, m);
      const ev = advanceGuest(m, g, offline);
      if (ev !== null) events.push(ev);
    }
    guests.forEach((m, key) => {
      if (next.has(key)) return;
      const ev = guestEvent("guest-removed", m);
      if (m.known !== null) ev.previousStatus = m.known;
      events.push(ev);
    });
    guests = next;
    // A stable order makes grouped notifications and tests deterministic.
    events.sort((a, b) => (a.vmid ?? 0) - (b.vmid ?? 0) || (a.key < b.key ? -1 : 1));
    for (const ev of events) out.push(ev);
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
