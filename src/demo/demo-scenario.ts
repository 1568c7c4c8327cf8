// The cluster behind "Try the demo cluster": three nodes and a home-lab's
// worth of guests, with something happening every few minutes (a nightly
// style backup lock, a CI runner that comes and goes, a container that
// migrates back and forth) so the widget visibly reacts without a server.

import type { Scenario } from "../sim-engine/scenario";
import { mustParseScenario } from "../sim-engine/scenario";

/** The scenario as a file would hold it; docs/scenario.md explains each field. */
export const DEMO_SCENARIO_JSON = {
  description: "ProxMon demo: a three-node home lab",
  seed: 20240607,
  version: { version: "9.1.4", release: "9.1", repoid: "5d2a9b6c1f3e8a70" },
  cluster: {
    name: "homelab",
    nodes: [
      {
        name: "pve1",
        maxcpu: 16,
        maxmem: "64G",
        maxdisk: "94G",
        ip: "192.168.10.11",
        uptime: 3456000,
      },
      {
        name: "pve2",
        maxcpu: 12,
        maxmem: "32G",
        maxdisk: "94G",
        ip: "192.168.10.12",
        uptime: 3455200,
      },
      {
        name: "pve3",
        maxcpu: 8,
        maxmem: "32G",
        maxdisk: "68G",
        ip: "192.168.10.13",
        uptime: 1209600,
      },
    ],
  },
  storage: [
    { storage: "local", type: "dir", content: "backup,iso,vztmpl" },
    { storage: "local-lvm", type: "lvmthin", content: "images,rootdir" },
    {
      storage: "nas-backup",
      type: "nfs",
      content: "backup",
      shared: true,
      maxdisk: "4T",
      disk: "1.7T",
    },
  ],
  sdn: ["localnetwork"],
  guests: [
    {
      vmid: 100,
      name: "web-01",
      node: "pve1",
      maxcpu: 2,
      maxmem: "4G",
      maxdisk: "32G",
      tags: ["prod", "web"],
      pool: "prod",
      cpu: 0.12,
    },
    {
      vmid: 101,
      name: "web-02",
      node: "pve1",
      maxcpu: 2,
      maxmem: "4G",
      maxdisk: "32G",
      tags: ["prod", "web"],
      pool: "prod",
      cpu: 0.1,
    },
    {
      vmid: 102,
      name: "db-primary",
      node: "pve1",
      maxcpu: 4,
      maxmem: "16G",
      maxdisk: "200G",
      tags: ["db", "prod"],
      pool: "prod",
      hastate: "started",
      cpu: 0.22,
      mem: "12G",
    },
    {
      vmid: 103,
      name: "gitlab",
      node: "pve1",
      maxcpu: 4,
      maxmem: "8G",
      maxdisk: "100G",
      tags: ["dev"],
      cpu: 0.15,
    },
    {
      vmid: 104,
      type: "lxc",
      name: "pihole",
      node: "pve1",
      maxcpu: 1,
      maxmem: "512M",
      maxdisk: "8G",
      tags: ["dns", "infra"],
      cpu: 0.02,
    },
    {
      vmid: 105,
      type: "lxc",
      name: "nginx-proxy",
      node: "pve1",
      maxcpu: 1,
      maxmem: "1G",
      maxdisk: "8G",
      tags: ["infra"],
      cpu: 0.04,
    },
    {
      vmid: 106,
      name: "db-replica",
      node: "pve2",
      maxcpu: 4,
      maxmem: "16G",
      maxdisk: "200G",
      tags: ["db", "prod"],
      pool: "prod",
      hastate: "started",
      cpu: 0.08,
      mem: "11G",
    },
    {
      vmid: 107,
      name: "nextcloud",
      node: "pve2",
      maxcpu: 2,
      maxmem: "6G",
      maxdisk: "500G",
      tags: ["apps"],
      cpu: 0.06,
    },
    {
      vmid: 108,
      name: "win11-desktop",
      node: "pve2",
      status: "paused",
      maxcpu: 4,
      maxmem: "8G",
      maxdisk: "128G",
      mem: "6G",
    },
    {
      vmid: 109,
      type: "lxc",
      name: "grafana",
      node: "pve2",
      maxcpu: 1,
      maxmem: "1G",
      maxdisk: "8G",
      tags: ["monitoring"],
      cpu: 0.03,
    },
    {
      vmid: 110,
      type: "lxc",
      name: "uptime-kuma",
      node: "pve2",
      status: "stopped",
      maxcpu: 1,
      maxmem: "512M",
      maxdisk: "4G",
      tags: ["monitoring"],
    },
    {
      vmid: 111,
      name: "ci-runner",
      node: "pve3",
      maxcpu: 4,
      maxmem: "8G",
      maxdisk: "64G",
      tags: ["dev"],
      cpu: 0.35,
    },
    {
      vmid: 112,
      type: "lxc",
      name: "jellyfin",
      node: "pve3",
      maxcpu: 2,
      maxmem: "4G",
      maxdisk: "16G",
      tags: ["media"],
      cpu: 0.09,
    },
    {
      vmid: 113,
      type: "lxc",
      name: "vaultwarden",
      node: "pve3",
      maxcpu: 1,
      maxmem: "512M",
      maxdisk: "4G",
      tags: ["apps"],
      cpu: 0.01,
    },
    {
      vmid: 9000,
      name: "debian-12-template",
      node: "pve3",
      template: true,
      maxcpu: 2,
      maxmem: "2G",
      maxdisk: "8G",
    },
  ],
  token: {
    id: "demo@pve!proxmon",
    secret: "00000000-0000-4000-8000-00000000de00",
    // VM.PowerMgmt so the demo can show power actions end to end.
    privileges: {
      "/": ["Sys.Audit", "VM.Audit", "VM.PowerMgmt", "Datastore.Audit", "Pool.Audit", "SDN.Audit"],
    },
  },
  timeline: [
    {
      at: 120,
      every: 600,
      action: "lock",
      vmid: 103,
      lock: "backup",
      duration: 90,
      comment: "gitlab backup",
    },
    { at: 180, every: 300, action: "stop", vmid: 111, comment: "CI runner idles out" },
    { at: 240, every: 300, action: "start", vmid: 111 },
    { at: 420, every: 1200, action: "migrate", vmid: 113, to: "pve2", duration: 20 },
    { at: 1020, every: 1200, action: "migrate", vmid: 113, to: "pve3", duration: 20 },
    { at: 500, every: 900, action: "set", vmid: 102, cpu: 0.92, comment: "a heavy query" },
    { at: 560, every: 900, action: "set", vmid: 102, cpu: null },
  ],
  // Backups (issue 13): a nightly job for nearly everyone, one guest in no
  // job, one whose last backup failed, one last backed up weeks ago.
  backups: {
    jobs: [
      {
        id: "backup-nightly",
        schedule: "02:00",
        all: true,
        exclude: "108,111,112,9000",
        storage: "nas-backup",
      },
      { id: "backup-media", schedule: "sun 04:00", vmid: "112", storage: "local", enabled: false },
    ],
    runs: [
      {
        node: "pve1",
        vmids: [100, 101, 102, 103, 104, 105],
        at: -7200,
        seconds: 600,
        storage: "nas-backup",
        job: "backup-nightly",
        failures: { "104": "command 'lxc-freeze -n 104' failed: exit code 1" },
      },
      {
        node: "pve2",
        vmids: [106, 107, 109, 110],
        at: -7000,
        seconds: 500,
        storage: "nas-backup",
        job: "backup-nightly",
      },
      { node: "pve3", vmids: [113], at: -6800, seconds: 60, storage: "nas-backup" },
      { node: "pve3", vmids: [112], at: -2592000, seconds: 900, storage: "local" },
    ],
  },
};

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value as object))
      deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/**
 * Parsed once and frozen: every widget instance in plasmashell shares this
 * module, and createSimCluster copies what it changes.
 */
export const DEMO_SCENARIO: Scenario = deepFreeze(
  mustParseScenario(deepFreeze(DEMO_SCENARIO_JSON)),
);
