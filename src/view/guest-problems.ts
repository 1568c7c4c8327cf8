// What the "Problems" view shows and the panel tooltip counts, from one
// snapshot after another (so also while the popup is closed and no guest
// row is built):
//
// - a guest that is stopped now but was seen running before (by this
//   widget, since it started; it leaves the list when it runs again or
//   disappears) — a guest that was always stopped is not a problem;
// - a guest that is paused (also suspended, prelaunch), in io-error or in
//   an unknown state (its node is gone), or locked (backup, migrate…);
// - a node that is not online, and the guests on it (their readings are
//   frozen or unknown): shown under it, but counted once, as the node.
// Templates are never problems.
//
// Extension point: other readers (failed backups, failed tasks: src/backups)
// add their findings as ProblemSources; each is asked on every update and
// its guests and nodes join the list with their own reason.
//
// Keys are the row keys ("qemu/101", guestKey) and node names, as the rows
// carry them. Developer mode anonymises names, never VMIDs or types, so the
// keys match the anonymised rows too; node names are given both ways.

import type { GuestInfo, NodeInfo, Snapshot } from "../model/types";
import { guestKey } from "./view-model";

export type GuestProblemReason =
  | "stopped"
  | "paused"
  | "io-error"
  | "unknown"
  | "locked"
  | "node-offline"
  /** From a ProblemSource (backups, tasks): its own reason word. */
  | (string & { readonly __otherReason?: never });

export interface GuestProblems {
  /** Row key → why. */
  guests: { [key: string]: GuestProblemReason | undefined };
  /** Node name → true when the node is a problem (not online, or a source says so). */
  nodes: { [name: string]: boolean | undefined };
  guestCount: number;
  nodeCount: number;
  /** Changes whenever the sets change, so a filter knows when to look again. */
  generation: number;
}

/** What another reader knows to be wrong. */
export interface ProblemFindings {
  guests: ReadonlyArray<{ key: string; reason: string }>;
  nodes: ReadonlyArray<string>;
}

export type ProblemSource = () => ProblemFindings;

export interface ProblemTracker {
  /** A new snapshot (or the same one again: then nothing is recomputed). */
  update(snapshot: Snapshot | null, sources?: ReadonlyArray<ProblemSource>): GuestProblems;
  /** The last result. */
  current(): GuestProblems;
}

export function emptyProblems(): GuestProblems {
  return { guests: {}, nodes: {}, guestCount: 0, nodeCount: 0, generation: 0 };
}

function guestReason(g: GuestInfo, wasRunning: boolean): GuestProblemReason | null {
  if (g.template) return null;
  switch (g.status) {
    case "running":
      return g.lock ? "locked" : null;
    case "stopped":
      if (g.lock) return "locked";
      return wasRunning ? "stopped" : null;
    case "paused":
    case "suspended":
    case "prelaunch":
      return "paused";
    case "io-error":
      return "io-error";
    default:
      return "unknown";
  }
}

function sameProblems(a: GuestProblems, b: GuestProblems): boolean {
  if (a.guestCount !== b.guestCount || a.nodeCount !== b.nodeCount) return false;
  for (const k in a.guests) if (a.guests[k] !== b.guests[k]) return false;
  for (const k in a.nodes) if (a.nodes[k] !== b.nodes[k]) return false;
  return true;
}

/** One widget's problem list (per widget: plasmashell shares one engine). */
export function createProblemTracker(): ProblemTracker {
  // Row keys of guests seen running (by this tracker), kept while they exist.
  let seenRunning: { [key: string]: boolean | undefined } = Object.create(null);
  let lastSnapshot: Snapshot | null = null;
  let result: GuestProblems = emptyProblems();

  return {
    update(snapshot: Snapshot | null, sources?: ReadonlyArray<ProblemSource>): GuestProblems {
      if (snapshot === lastSnapshot && (sources === undefined || sources.length === 0))
        return result;
      lastSnapshot = snapshot;
      const next: GuestProblems = {
        guests: Object.create(null),
        nodes: Object.create(null),
        guestCount: 0,
        nodeCount: 0,
        generation: result.generation,
      };
      if (snapshot !== null) {
        for (let i = 0; i < snapshot.nodes.length; i++) {
          const node = snapshot.nodes[i] as NodeInfo;
          if (node.status !== "online" && next.nodes[node.name] !== true) {
            next.nodes[node.name] = true;
            next.nodeCount++;
          }
        }
        const seen: { [key: string]: boolean | undefined } = Object.create(null);
        for (let i = 0; i < snapshot.guests.length; i++) {
          const g = snapshot.guests[i] as GuestInfo;
          const key = guestKey(g);
          const own = guestReason(g, seenRunning[key] === true);
          const reason =
            own === null && !g.template && next.nodes[g.node] === true ? "node-offline" : own;
          if (g.status === "running" || (seenRunning[key] === true && reason !== null))
            seen[key] = true;
          if (reason !== null && next.guests[key] === undefined) {
            next.guests[key] = reason;
            // Counted once, as their node.
            if (reason !== "node-offline") next.guestCount++;
          }
        }
        seenRunning = seen;
      }
      const extra = sources || [];
      for (let s = 0; s < extra.length; s++) {
        let findings: ProblemFindings;
        try {
          findings = (extra[s] as ProblemSource)();
        } catch {
          continue;
        }
        for (let i = 0; i < findings.guests.length; i++) {
          const f = findings.guests[i] as { key: string; reason: string };
          if (next.guests[f.key] !== undefined) continue;
          next.guests[f.key] = f.reason;
          next.guestCount++;
        }
        for (let i = 0; i < findings.nodes.length; i++) {
          const name = findings.nodes[i] as string;
          if (next.nodes[name] === true) continue;
          next.nodes[name] = true;
          next.nodeCount++;
        }
      }
      next.generation = sameProblems(next, result) ? result.generation : result.generation + 1;
      if (next.generation !== result.generation) result = next;
      return result;
    },
    current(): GuestProblems {
      return result;
    },
  };
}

/**
 * The same problems with node names as the rows show them (developer mode
 * shows stand-ins): `alias(real)` gives the shown name.
 */
export function aliasNodes(
  problems: GuestProblems,
  alias: (name: string) => string,
): GuestProblems {
  const nodes: { [name: string]: boolean | undefined } = Object.create(null);
  for (const name in problems.nodes) nodes[alias(name)] = true;
  return {
    guests: problems.guests,
    nodes,
    guestCount: problems.guestCount,
    nodeCount: problems.nodeCount,
    generation: problems.generation,
  };
}
