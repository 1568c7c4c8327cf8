// The cluster in a handful of numbers, for the panel and the summary line.
// Templates are not guests anyone runs: they are left out of the guest
// counts and reported on their own. CPU and memory cover online nodes only;
// an offline node's last reading is history, not load.

import type { Snapshot } from "../model/types";

export interface Aggregate {
  nodesOnline: number;
  nodesTotal: number;
  /** Non-template guests. */
  guestsRunning: number;
  guestsTotal: number;
  templates: number;
  vmsRunning: number;
  vmsTotal: number;
  ctsRunning: number;
  ctsTotal: number;
  /** Mean CPU fraction of online nodes with a reading; null when there is none. */
  averageCpu: number | null;
  /** Sums over online nodes that report both values; null when none does. */
  memUsed: number | null;
  memTotal: number | null;
  /** memUsed / memTotal; null when unknown or the total is 0. */
  memFraction: number | null;
}

export function aggregate(snapshot: Snapshot): Aggregate {
  let nodesOnline = 0;
  let cpuSum = 0;
  let cpuCount = 0;
  let memUsed = 0;
  let memTotal = 0;
  let memCount = 0;
  for (let i = 0; i < snapshot.nodes.length; i++) {
    const node = snapshot.nodes[i];
    if (!node || node.status !== "online") continue;
    nodesOnline++;
    if (node.cpu !== null && isFinite(node.cpu)) {
      cpuSum += node.cpu;
      cpuCount++;
    }
    if (node.mem !== null && node.maxmem !== null && isFinite(node.mem) && isFinite(node.maxmem)) {
      memUsed += node.mem;
      memTotal += node.maxmem;
      memCount++;
    }
  }

  let templates = 0;
  let vmsRunning = 0;
  let vmsTotal = 0;
  let ctsRunning = 0;
  let ctsTotal = 0;
  for (let i = 0; i < snapshot.guests.length; i++) {
    const guest = snapshot.guests[i];
    if (!guest) continue;
    if (guest.template) {
      templates++;
      continue;
    }
    const running = guest.status === "running" ? 1 : 0;
    if (guest.type === "qemu") {
      vmsTotal++;
      vmsRunning += running;
    } else {
      ctsTotal++;
      ctsRunning += running;
    }
  }

  return {
    nodesOnline,
    nodesTotal: snapshot.nodes.length,
    guestsRunning: vmsRunning + ctsRunning,
    guestsTotal: vmsTotal + ctsTotal,
    templates,
    vmsRunning,
    vmsTotal,
    ctsRunning,
    ctsTotal,
    averageCpu: cpuCount > 0 ? cpuSum / cpuCount : null,
    memUsed: memCount > 0 ? memUsed : null,
    memTotal: memCount > 0 ? memTotal : null,
    memFraction: memCount > 0 && memTotal > 0 ? memUsed / memTotal : null,
  };
}
