// Small hand-made snapshots for the view tests: plausible readings on top of
// the shared builders, so each test states only what it is about.

import type { GuestInfo, NodeInfo, Snapshot, StorageInfo } from "../../src/model/types";
import { guestInfo, nodeInfo, storageInfo } from "../helpers/snapshots";

const GiB = 1024 ** 3;

export function node(name: string, patch: Partial<NodeInfo> = {}): NodeInfo {
  return nodeInfo(name, {
    cpu: 0.25,
    maxcpu: 16,
    mem: 16 * GiB,
    maxmem: 64 * GiB,
    disk: 10 * GiB,
    maxdisk: 100 * GiB,
    uptime: 3 * 86400 + 4 * 3600 + 5 * 60,
    ...patch,
  });
}

export function guest(vmid: number, patch: Partial<GuestInfo> = {}): GuestInfo {
  return guestInfo(vmid, {
    cpu: 0.05,
    maxcpu: 2,
    mem: 512 * 1024 ** 2,
    maxmem: 2 * GiB,
    maxdisk: 32 * GiB,
    uptime: 4 * 3600 + 12 * 60,
    ...patch,
  });
}

export function store(
  storage: string,
  nodeName: string,
  patch: Partial<StorageInfo> = {},
): StorageInfo {
  return storageInfo(storage, nodeName, {
    plugintype: "dir",
    content: ["images"],
    used: 1 * GiB,
    total: 10 * GiB,
    ...patch,
  });
}

export function snapshot(patch: Partial<Snapshot> = {}): Snapshot {
  return {
    cluster: { name: "homelab", quorate: true, version: "8.4.14" },
    nodes: [
      node("pve1"),
      node("pve2", { cpu: 0.75 }),
      node("pve3", {
        status: "offline",
        cpu: null,
        mem: null,
        maxmem: null,
        disk: null,
        maxdisk: null,
        uptime: null,
      }),
    ],
    guests: [
      guest(101, { name: "web-10", tags: ["prod", "web"] }),
      guest(102, { name: "web-2", type: "lxc", status: "stopped", cpu: 0, mem: 0, uptime: 0 }),
      guest(103, { name: "db", node: "pve2", status: "paused", lock: "backup" }),
      guest(9000, { name: "debian-template", template: true, status: "stopped" }),
      guest(104, {
        name: "ghost",
        node: "pve3",
        status: "unknown",
        cpu: null,
        mem: null,
        uptime: null,
      }),
    ],
    storage: [store("local", "pve1"), store("nas-smith", "pve2", { shared: true })],
    ...patch,
  };
}

export { GiB };
