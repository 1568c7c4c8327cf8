// Tiny snapshot builders for notification timelines: only the fields the
// diff looks at are interesting, the rest get neutral values.

import type { ChangeEvent } from "../../src/notify/diff";
import type { GuestInfo, GuestType, NodeInfo, NodeStatus, Snapshot } from "../../src/model/types";
import { guestInfo, nodeInfo, snapshot } from "../helpers/snapshots";

export interface GuestSpec {
  vmid: number;
  status: string;
  node?: string;
  type?: GuestType;
  name?: string;
  lock?: string | null;
  tags?: string[];
}

export function guest(spec: GuestSpec): GuestInfo {
  const type = spec.type ?? "qemu";
  return guestInfo(spec.vmid, {
    type,
    name: spec.name ?? (type === "qemu" ? "vm" + spec.vmid : "ct" + spec.vmid),
    node: spec.node ?? "pve1",
    status: spec.status,
    tags: spec.tags ?? [],
    lock: spec.lock ?? null,
  });
}

export function node(name: string, status: NodeStatus = "online"): NodeInfo {
  return nodeInfo(name, { status });
}

export interface SnapSpec {
  nodes?: Record<string, NodeStatus>;
  guests?: GuestSpec[];
  quorate?: boolean | null;
  cluster?: string | null;
}

export function snap(spec: SnapSpec = {}): Snapshot {
  const nodes = spec.nodes ?? { pve1: "online", pve2: "online" };
  return snapshot({
    cluster: {
      name: spec.cluster === undefined ? "lab" : spec.cluster,
      quorate: spec.quorate === undefined ? true : spec.quorate,
      version: "8.4.1",
    },
    nodes: Object.keys(nodes).map((n) => node(n, nodes[n])),
    guests: (spec.guests ?? []).map(guest),
  });
}

/** "kind key" strings: compact to assert on. */
export function brief(events: ChangeEvent[]): string[] {
  return events.map((e) => e.kind + " " + e.key);
}

export function ev(
  kind: ChangeEvent["kind"],
  vmid: number,
  extra: Partial<ChangeEvent> = {},
): ChangeEvent {
  return {
    kind,
    key: "qemu/" + vmid,
    vmid,
    guestType: "qemu",
    name: "vm" + vmid,
    node: "pve1",
    tags: [],
    ...extra,
  };
}
