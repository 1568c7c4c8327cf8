// The scenario file: a cluster, its guests, the API token and a timeline of
// things that happen to them. docs/scenario.md is the user-facing reference;
// this is the one place that decides what a file means. Parsing reports
// every problem as "path: what is wrong" so a hand-written file is quick to fix.

import type { PrivilegeMap } from "./acl";
import { normaliseAclPath } from "./acl";
import type { SimCluster } from "./cluster-model";
import { performAction, runPending, stepMetrics } from "./cluster-model";
import type { FaultSpec } from "./faults";
import { parseFault } from "./faults";
import type { Random } from "./random";
import type { TaskSettings } from "./tasks";
import { DEFAULT_TASK_SETTINGS, endTask } from "./tasks";
import { createRandom, pick, randomHex, randomInt } from "./random";
import { parseBackupScenario } from "./backups";
import type { Errors } from "./validate";
import type {
  ActionName,
  ApiQuirks,
  AppliedEvent,
  GuestSpec,
  GuestType,
  NodeSpec,
  ParseResult,
  Scenario,
  SimAction,
  StorageSpec,
  TimelineEntry,
  TokenSpec,
  VersionSpec,
} from "./spec";
import { ACTION_NAMES, DEFAULT_TOKEN, DEFAULT_VERSION, QEMU_STATES } from "./spec";
import {
  checkBoolean,
  checkDisplayName,
  checkEnum,
  checkNumber,
  checkObject,
  checkSize,
  checkString,
  isPlainObject,
  join,
  typeName,
} from "./validate";

export * from "./spec";

const NODE_NAME = /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const TOKEN_ID = /^[^\s:/]+@[A-Za-z][A-Za-z0-9._-]+![A-Za-z][A-Za-z0-9._-]+$/;
const PRIVILEGE = /^[A-Z][A-Za-z]*(\.[A-Z][A-Za-z]*)+$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_+.-]*$/;
const ID_NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;
const LOCK = /^[a-z][a-z-]*$/;

// Realistic home-lab and small-office names for generated guests.
const QEMU_NAMES = [
  "web-01",
  "web-02",
  "db-primary",
  "db-replica",
  "gitlab",
  "nextcloud",
  "win11-desktop",
  "k8s-master",
  "k8s-worker-1",
  "k8s-worker-2",
  "mail",
  "vpn-gw",
  "homeassistant",
  "truenas",
  "ci-runner",
  "monitoring",
  "opnsense",
  "dev-box",
  "win2022-dc",
  "elastic",
];
const LXC_NAMES = [
  "pihole",
  "nginx-proxy",
  "unifi",
  "grafana",
  "prometheus",
  "adguard",
  "vaultwarden",
  "mqtt",
  "syncthing",
  "samba",
  "jellyfin",
  "dns-01",
  "wireguard",
  "uptime-kuma",
];

const CPU_CHOICES = [4, 8, 12, 16, 24, 32];
const MEM_CHOICES_GIB = [16, 32, 64, 128, 256];
const GIB = 1024 * 1024 * 1024;

// ---------------------------------------------------------------------------
// Parsing

const TOP_FIELDS = [
  "$schema",
  "description",
  "seed",
  "version",
  "api",
  "cluster",
  "storage",
  "sdn",
  "pools",
  "guests",
  "token",
  "tokens",
  "timeline",
  "tickSeconds",
  "tasks",
  "backups",
];

export function parseScenario(json: unknown): ParseResult<Scenario> {
  const errors: Errors = [];
  const top = checkObject(json, "scenario", errors, TOP_FIELDS);
  if (!top) return { ok: false, errors };

  const seed =
    top.seed === undefined
      ? 1
      : (checkNumber(top.seed, "seed", errors, { integer: true, min: 0 }) ?? 1);
  const random = createRandom(seed);

  const version = parseVersion(top.version, random, errors);
  const api = parseApiQuirks(top.api, version, errors);
  const cluster = parseCluster(top.cluster, random, errors);
  const nodeNames = cluster.nodes.map((n) => n.name);

  const guests = parseGuests(top.guests, nodeNames, random, errors);
  const storage = parseStorage(top.storage, nodeNames, errors);
  const sdn = parseNameList(top.sdn, "sdn", errors, ["localnetwork"]);
  const pools = parseNameList(top.pools, "pools", errors, []);
  for (const g of guests) if (g.pool !== null && pools.indexOf(g.pool) < 0) pools.push(g.pool);

  let token: TokenSpec | null = DEFAULT_TOKEN;
  if (top.token === null) token = null;
  else if (top.token !== undefined) token = parseToken(top.token, "token", errors) ?? null;
  const tokens: TokenSpec[] = [];
  if (top.tokens !== undefined) {
    if (!Array.isArray(top.tokens))
      errors.push(`tokens: expected a list of tokens, got ${typeName(top.tokens)}`);
    else
      top.tokens.forEach((t: unknown, i: number) => {
        const parsed = parseToken(t, `tokens[${i}]`, errors);
        if (!parsed) return;
        const ids = tokens.map((x) => x.id).concat(token ? [token.id] : []);
        if (ids.indexOf(parsed.id) >= 0)
          errors.push(`tokens[${i}].id: "${parsed.id}" is already a token of this scenario`);
        else tokens.push(parsed);
      });
  }

  const vmids = guests.map((g) => g.vmid);
  const timeline = parseTimeline(top.timeline, { nodes: nodeNames, vmids }, errors);

  const tickSeconds =
    top.tickSeconds === undefined
      ? 10
      : (checkNumber(top.tickSeconds, "tickSeconds", errors, { min: 1, max: 3600 }) ?? 10);

  const tasks = parseTaskSettings(top.tasks, vmids, errors);
  const backups = parseBackupScenario(top.backups, nodeNames, errors);

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      tasks,
      backups,
      seed,
      version,
      api,
      cluster,
      storage,
      sdn,
      pools,
      guests,
      token,
      tokens,
      timeline,
      tickSeconds,
    },
  };
}

/** Throws with every problem listed; for built-in scenarios and tests. */
export function mustParseScenario(json: unknown): Scenario {
  const r = parseScenario(json);
  if (!r.ok) throw new Error("invalid scenario:\n  " + r.errors.join("\n  "));
  return r.value;
}

/** [major, minor, patch] of "9.1.4" or "7.4-16"; unparsable parts are 0. */
export function versionParts(version: string): [number, number, number] {
  const m = /^(\d+)\.(\d+)(?:[.-](\d+))?/.exec(version);
  if (!m) return [0, 0, 0];
  return [parseInt(m[1] ?? "0", 10), parseInt(m[2] ?? "0", 10), parseInt(m[3] ?? "0", 10)];
}

export function versionAtLeast(version: string, major: number, minor: number, patch = 0): boolean {
  const [a, b, c] = versionParts(version);
  if (a !== major) return a > major;
  if (b !== minor) return b > minor;
  return c >= patch;
}

function parseVersion(value: unknown, random: Random, errors: Errors): VersionSpec {
  const make = (version: string, release?: string, repoid?: string): VersionSpec => {
    const [major, minor] = versionParts(version);
    return {
      version,
      release: release ?? `${major}.${minor}`,
      repoid: repoid ?? randomHex(random, major >= 8 ? 16 : 8),
    };
  };
  if (value === undefined) return make(DEFAULT_VERSION);
  const versionPattern = /^\d+\.\d+([.-]\d+)?$/;
  const hint = 'a PVE version like "9.1.4", "8.4.14" or "7.4-16"';
  if (typeof value === "string") {
    return make(checkString(value, "version", errors, versionPattern, hint) ?? DEFAULT_VERSION);
  }
  const o = checkObject(value, "version", errors, ["version", "release", "repoid"]);
  if (!o) return make(DEFAULT_VERSION);
  const v =
    checkString(o.version, "version.version", errors, versionPattern, hint) ?? DEFAULT_VERSION;
  const release =
    o.release === undefined
      ? undefined
      : checkString(o.release, "version.release", errors, /^\d+\.\d+$/, 'like "8.4"');
  const repoid =
    o.repoid === undefined
      ? undefined
      : checkString(
          o.repoid,
          "version.repoid",
          errors,
          /^[0-9a-fA-F]{8,64}$/,
          "8 to 64 hex digits",
        );
  return make(v, release, repoid);
}

function parseApiQuirks(value: unknown, version: VersionSpec, errors: Errors): ApiQuirks {
  const quirks: ApiQuirks = {
    errorMessageInBody: versionAtLeast(version.version, 8, 4),
    authFailure: versionAtLeast(version.version, 9, 1, 4) ? "unified" : "legacy",
  };
  if (value === undefined) return quirks;
  const o = checkObject(value, "api", errors, ["errorMessageInBody", "authFailure"]);
  if (!o) return quirks;
  if (o.errorMessageInBody !== undefined) {
    const b = checkBoolean(o.errorMessageInBody, "api.errorMessageInBody", errors);
    if (b !== undefined) quirks.errorMessageInBody = b;
  }
  if (o.authFailure !== undefined) {
    const a = checkEnum(o.authFailure, "api.authFailure", errors, ["unified", "legacy"] as const);
    if (a) quirks.authFailure = a;
  }
  return quirks;
}

const NODE_FIELDS = [
  "name",
  "online",
  "maxcpu",
  "maxmem",
  "maxdisk",
  "cpu",
  "mem",
  "uptime",
  "ip",
  "level",
];

function parseCluster(value: unknown, random: Random, errors: Errors): Scenario["cluster"] {
  const fallback = { name: "demo", localNode: "pve1", nodes: generateNodes(3, random) };
  if (value === undefined) return fallback;
  const o = checkObject(value, "cluster", errors, ["name", "nodes", "count", "localNode"]);
  if (!o) return fallback;
  let name: string | null = "demo";
  if (o.name === null) name = null;
  else if (o.name !== undefined) {
    name =
      checkString(
        o.name,
        "cluster.name",
        errors,
        /^[A-Za-z0-9][A-Za-z0-9-]{0,14}$/,
        "a cluster name (letters, digits, '-', at most 15)",
      ) ?? "demo";
  }
  let nodes: NodeSpec[] = [];
  if (o.nodes !== undefined && o.count !== undefined) {
    errors.push('cluster: give either "nodes" or "count", not both');
  } else if (o.nodes !== undefined) {
    if (!Array.isArray(o.nodes) || o.nodes.length === 0) {
      errors.push(`cluster.nodes: expected a non-empty array, got ${typeName(o.nodes)}`);
    } else {
      nodes = o.nodes
        .map((n, i) => parseNode(n, `cluster.nodes[${i}]`, i, random, errors))
        .filter((n): n is NodeSpec => n !== undefined);
    }
  } else {
    const count =
      o.count === undefined
        ? 3
        : (checkNumber(o.count, "cluster.count", errors, { integer: true, min: 1, max: 64 }) ?? 3);
    nodes = generateNodes(count, random);
  }
  const seen: Record<string, boolean> = {};
  nodes.forEach((n, i) => {
    if (seen[n.name])
      errors.push(`cluster.nodes[${i}].name: ${JSON.stringify(n.name)} is used twice`);
    seen[n.name] = true;
  });
  if (name === null && nodes.length > 1) {
    errors.push(
      "cluster.name: null means a standalone node, but the cluster has " + nodes.length + " nodes",
    );
  }
  let localNode = nodes[0]?.name ?? "pve1";
  if (o.localNode !== undefined) {
    const l = checkString(o.localNode, "cluster.localNode", errors);
    if (l !== undefined) {
      if (!seen[l]) errors.push(`cluster.localNode: ${JSON.stringify(l)} is not one of the nodes`);
      else localNode = l;
    }
  }
  return { name, localNode, nodes };
}

function parseNode(
  value: unknown,
  path: string,
  index: number,
  random: Random,
  errors: Errors,
): NodeSpec | undefined {
  const o = checkObject(value, path, errors, NODE_FIELDS);
  if (!o) return undefined;
  const before = errors.length;
  const name = checkString(
    o.name,
    join(path, "name"),
    errors,
    NODE_NAME,
    "a node name (letters, digits, '-')",
  );
  const node: NodeSpec = {
    name: name ?? "",
    online:
      o.online === undefined
        ? true
        : (checkBoolean(o.online, join(path, "online"), errors) ?? true),
    maxcpu:
      o.maxcpu === undefined
        ? pick(random, CPU_CHOICES)
        : (checkNumber(o.maxcpu, join(path, "maxcpu"), errors, {
            integer: true,
            min: 1,
            max: 8192,
          }) ?? 1),
    maxmem:
      o.maxmem === undefined
        ? pick(random, MEM_CHOICES_GIB) * GIB
        : (checkSize(o.maxmem, join(path, "maxmem"), errors) ?? 0),
    maxdisk:
      o.maxdisk === undefined
        ? randomInt(random, 60, 480) * GIB
        : (checkSize(o.maxdisk, join(path, "maxdisk"), errors) ?? 0),
    cpu:
      o.cpu === undefined
        ? null
        : (checkNumber(o.cpu, join(path, "cpu"), errors, { min: 0, max: 1 }) ?? null),
    mem: o.mem === undefined ? null : (checkSize(o.mem, join(path, "mem"), errors) ?? null),
    uptime:
      o.uptime === undefined
        ? null
        : (checkNumber(o.uptime, join(path, "uptime"), errors, { integer: true, min: 0 }) ?? null),
    ip:
      o.ip === undefined
        ? `192.168.10.${11 + index}`
        : (checkString(o.ip, join(path, "ip"), errors, /^[0-9a-fA-F.:]+$/, "an IP address") ?? ""),
    level:
      o.level === undefined
        ? ""
        : (checkEnum(o.level, join(path, "level"), errors, ["", "c", "b", "s", "p"] as const) ??
          ""),
  };
  if (node.maxmem === 0 && errors.length === before)
    errors.push(`${join(path, "maxmem")}: must be more than 0`);
  if (node.mem !== null && node.mem > node.maxmem)
    errors.push(`${join(path, "mem")}: larger than maxmem`);
  return errors.length === before ? node : undefined;
}

function generateNodes(count: number, random: Random): NodeSpec[] {
  const nodes: NodeSpec[] = [];
  for (let i = 0; i < count; i++) {
    nodes.push({
      name: `pve${i + 1}`,
      online: true,
      maxcpu: pick(random, CPU_CHOICES),
      maxmem: pick(random, MEM_CHOICES_GIB) * GIB,
      maxdisk: randomInt(random, 60, 480) * GIB,
      cpu: null,
      mem: null,
      uptime: null,
      ip: `192.168.10.${11 + i}`,
      level: "",
    });
  }
  return nodes;
}

const GUEST_FIELDS = [
  "vmid",
  "type",
  "name",
  "node",
  "status",
  "template",
  "tags",
  "pool",
  "lock",
  "hastate",
  "maxcpu",
  "maxmem",
  "maxdisk",
  "cpu",
  "mem",
  "uptime",
];

function parseGuests(value: unknown, nodes: string[], random: Random, errors: Errors): GuestSpec[] {
  if (value === undefined)
    return generateGuests(
      { count: 8, lxcRatio: 0.3, stoppedRatio: 0.15, firstVmid: 100 },
      nodes,
      random,
    );
  if (isPlainObject(value)) {
    const o = checkObject(value, "guests", errors, [
      "count",
      "lxcRatio",
      "stoppedRatio",
      "firstVmid",
    ]);
    if (!o) return [];
    const count =
      checkNumber(o.count, "guests.count", errors, { integer: true, min: 0, max: 100000 }) ?? 0;
    const lxcRatio =
      o.lxcRatio === undefined
        ? 0.3
        : (checkNumber(o.lxcRatio, "guests.lxcRatio", errors, { min: 0, max: 1 }) ?? 0.3);
    const stoppedRatio =
      o.stoppedRatio === undefined
        ? 0.15
        : (checkNumber(o.stoppedRatio, "guests.stoppedRatio", errors, { min: 0, max: 1 }) ?? 0.15);
    const firstVmid =
      o.firstVmid === undefined
        ? 100
        : (checkNumber(o.firstVmid, "guests.firstVmid", errors, {
            integer: true,
            min: 100,
            max: 999999999,
          }) ?? 100);
    return generateGuests({ count, lxcRatio, stoppedRatio, firstVmid }, nodes, random);
  }
  if (!Array.isArray(value)) {
    errors.push(
      `guests: expected an array of guests or a generator {"count": N, "lxcRatio": 0.3}, got ${typeName(value)}`,
    );
    return [];
  }
  const guests: GuestSpec[] = [];
  const seen: Record<number, boolean> = {};
  value.forEach((g, i) => {
    const guest = parseGuest(g, `guests[${i}]`, nodes, errors);
    if (!guest) return;
    if (seen[guest.vmid]) {
      errors.push(`guests[${i}].vmid: ${guest.vmid} is used twice`);
      return;
    }
    seen[guest.vmid] = true;
    guests.push(guest);
  });
  return guests;
}

export function parseGuest(
  value: unknown,
  path: string,
  nodes: string[],
  errors: Errors,
): GuestSpec | undefined {
  const o = checkObject(value, path, errors, GUEST_FIELDS);
  if (!o) return undefined;
  const before = errors.length;
  const vmid = checkNumber(o.vmid, join(path, "vmid"), errors, {
    integer: true,
    min: 100,
    max: 999999999,
  });
  const type =
    o.type === undefined
      ? "qemu"
      : (checkEnum(o.type, join(path, "type"), errors, ["qemu", "lxc"] as const) ?? "qemu");
  const node = checkString(o.node, join(path, "node"), errors);
  if (node !== undefined && nodes.indexOf(node) < 0) {
    errors.push(
      `${join(path, "node")}: ${JSON.stringify(node)} is not a node of the cluster (${nodes.join(", ")})`,
    );
  }
  const template =
    o.template === undefined
      ? false
      : (checkBoolean(o.template, join(path, "template"), errors) ?? false);
  const states: readonly string[] = type === "lxc" ? ["running", "stopped"] : QEMU_STATES;
  const status =
    o.status === undefined
      ? template
        ? "stopped"
        : "running"
      : (checkEnum(o.status, join(path, "status"), errors, states) ?? "stopped");
  if (template && status !== "stopped")
    errors.push(`${join(path, "status")}: a template is always "stopped"`);
  let name: string | null = null;
  if (o.name !== undefined && o.name !== null) {
    name = checkDisplayName(o.name, join(path, "name"), errors) ?? null;
  }
  const big = type === "qemu";
  const guest: GuestSpec = {
    vmid: vmid ?? 0,
    type,
    name,
    node: node ?? "",
    status,
    template,
    tags: o.tags === undefined ? [] : parseTags(o.tags, join(path, "tags"), errors),
    pool: optionalName(o.pool, join(path, "pool"), errors),
    lock:
      o.lock === undefined || o.lock === null
        ? null
        : (checkString(o.lock, join(path, "lock"), errors, LOCK, 'a lock name like "backup"') ??
          null),
    hastate:
      o.hastate === undefined || o.hastate === null
        ? null
        : (checkString(
            o.hastate,
            join(path, "hastate"),
            errors,
            LOCK,
            'an HA state like "started"',
          ) ?? null),
    maxcpu:
      o.maxcpu === undefined
        ? big
          ? 2
          : 1
        : (checkNumber(o.maxcpu, join(path, "maxcpu"), errors, { min: 0.01, max: 8192 }) ?? 1),
    maxmem:
      o.maxmem === undefined
        ? big
          ? 2 * GIB
          : GIB / 2
        : (checkSize(o.maxmem, join(path, "maxmem"), errors) ?? 0),
    maxdisk:
      o.maxdisk === undefined
        ? big
          ? 32 * GIB
          : 8 * GIB
        : (checkSize(o.maxdisk, join(path, "maxdisk"), errors) ?? 0),
    cpu:
      o.cpu === undefined
        ? null
        : (checkNumber(o.cpu, join(path, "cpu"), errors, { min: 0, max: 1 }) ?? null),
    mem: o.mem === undefined ? null : (checkSize(o.mem, join(path, "mem"), errors) ?? null),
    uptime:
      o.uptime === undefined
        ? null
        : (checkNumber(o.uptime, join(path, "uptime"), errors, { integer: true, min: 0 }) ?? null),
  };
  if (guest.mem !== null && guest.mem > guest.maxmem)
    errors.push(`${join(path, "mem")}: larger than maxmem`);
  return errors.length === before ? guest : undefined;
}

function parseTags(value: unknown, path: string, errors: Errors): string[] {
  let list: unknown[];
  if (typeof value === "string") list = value.split(/[;, ]+/).filter((t) => t !== "");
  else if (Array.isArray(value)) list = value;
  else {
    errors.push(`${path}: expected a list of tags or "a;b", got ${typeName(value)}`);
    return [];
  }
  const tags: string[] = [];
  list.forEach((t, i) => {
    const tag = checkString(t, `${path}[${i}]`, errors, TAG, "a tag (letters, digits, _ + . -)");
    if (tag !== undefined && tags.indexOf(tag) < 0) tags.push(tag);
  });
  return tags;
}

function optionalName(value: unknown, path: string, errors: Errors): string | null {
  if (value === undefined || value === null) return null;
  return (
    checkString(
      value,
      path,
      errors,
      ID_NAME,
      "a name (letter first, then letters, digits, _ . -)",
    ) ?? null
  );
}

interface GuestGenerator {
  count: number;
  lxcRatio: number;
  stoppedRatio: number;
  firstVmid: number;
}

function generateGuests(gen: GuestGenerator, nodes: string[], random: Random): GuestSpec[] {
  const guests: GuestSpec[] = [];
  const used: Record<string, number> = {};
  for (let i = 0; i < gen.count && nodes.length > 0; i++) {
    const type: GuestType = random() < gen.lxcRatio ? "lxc" : "qemu";
    const names = type === "lxc" ? LXC_NAMES : QEMU_NAMES;
    let name = pick(random, names);
    used[name] = (used[name] ?? 0) + 1;
    if ((used[name] ?? 0) > 1) name = `${name}-${used[name]}`;
    const qemu = type === "qemu";
    guests.push({
      vmid: gen.firstVmid + i,
      type,
      name,
      node: nodes[i % nodes.length] ?? "",
      status: random() < gen.stoppedRatio ? "stopped" : "running",
      template: false,
      tags: [],
      pool: null,
      lock: null,
      hastate: null,
      maxcpu: qemu ? pick(random, [1, 2, 2, 4, 4, 8]) : pick(random, [1, 1, 2]),
      maxmem: qemu ? pick(random, [1, 2, 4, 4, 8, 16]) * GIB : pick(random, [0.5, 0.5, 1, 2]) * GIB,
      maxdisk: qemu ? pick(random, [16, 32, 32, 64, 128]) * GIB : pick(random, [4, 8, 8, 16]) * GIB,
      cpu: null,
      mem: null,
      uptime: null,
    });
  }
  return guests;
}

const STORAGE_FIELDS = [
  "storage",
  "type",
  "content",
  "shared",
  "nodes",
  "maxdisk",
  "disk",
  "growth",
];

function parseStorage(value: unknown, nodes: string[], errors: Errors): StorageSpec[] {
  if (value === undefined) {
    return [
      {
        storage: "local",
        plugintype: "dir",
        content: ["backup", "iso", "vztmpl"],
        shared: false,
        nodes: null,
        maxdisk: null,
        disk: null,
      },
      {
        storage: "local-lvm",
        plugintype: "lvmthin",
        content: ["images", "rootdir"],
        shared: false,
        nodes: null,
        maxdisk: null,
        disk: null,
      },
    ];
  }
  if (!Array.isArray(value)) {
    errors.push(`storage: expected an array, got ${typeName(value)}`);
    return [];
  }
  const out: StorageSpec[] = [];
  value.forEach((s, i) => {
    const path = `storage[${i}]`;
    const o = checkObject(s, path, errors, STORAGE_FIELDS);
    if (!o) return;
    const before = errors.length;
    const storage =
      checkString(o.storage, join(path, "storage"), errors, ID_NAME, "a storage id") ?? "";
    const plugintype =
      o.type === undefined
        ? "dir"
        : (checkString(
            o.type,
            join(path, "type"),
            errors,
            /^[a-z0-9]+$/,
            'a storage type like "nfs"',
          ) ?? "dir");
    let content: string[] = ["images", "rootdir"];
    if (o.content !== undefined) {
      if (typeof o.content === "string") content = o.content.split(",").filter((c) => c !== "");
      else if (Array.isArray(o.content) && o.content.every((c) => typeof c === "string"))
        content = o.content as string[];
      else
        errors.push(
          `${join(path, "content")}: expected "images,rootdir" or a list, got ${typeName(o.content)}`,
        );
    }
    let onNodes: string[] | null = null;
    if (o.nodes !== undefined) {
      if (!Array.isArray(o.nodes))
        errors.push(`${join(path, "nodes")}: expected a list of node names`);
      else {
        onNodes = [];
        o.nodes.forEach((n, j) => {
          const name = checkString(n, `${join(path, "nodes")}[${j}]`, errors);
          if (name === undefined) return;
          if (nodes.indexOf(name) < 0)
            errors.push(
              `${join(path, "nodes")}[${j}]: ${JSON.stringify(name)} is not a node of the cluster`,
            );
          else onNodes?.push(name);
        });
      }
    }
    const spec: StorageSpec = {
      storage,
      plugintype,
      content,
      shared:
        o.shared === undefined
          ? false
          : (checkBoolean(o.shared, join(path, "shared"), errors) ?? false),
      nodes: onNodes,
      maxdisk:
        o.maxdisk === undefined
          ? null
          : (checkSize(o.maxdisk, join(path, "maxdisk"), errors) ?? null),
      disk: o.disk === undefined ? null : (checkSize(o.disk, join(path, "disk"), errors) ?? null),
      growth:
        o.growth === undefined
          ? null
          : (checkNumber(o.growth, join(path, "growth"), errors, { min: 0, max: 1 }) ?? null),
    };
    if (out.some((x) => x.storage === storage))
      errors.push(`${join(path, "storage")}: ${JSON.stringify(storage)} is used twice`);
    if (errors.length === before) out.push(spec);
  });
  return out;
}

function parseNameList(value: unknown, path: string, errors: Errors, fallback: string[]): string[] {
  if (value === undefined) return fallback.slice();
  if (!Array.isArray(value)) {
    errors.push(`${path}: expected a list of names, got ${typeName(value)}`);
    return [];
  }
  const out: string[] = [];
  value.forEach((v, i) => {
    const s = checkString(
      v,
      `${path}[${i}]`,
      errors,
      ID_NAME,
      "a name (letter first, then letters, digits, _ . -)",
    );
    if (s !== undefined && out.indexOf(s) < 0) out.push(s);
  });
  return out;
}

const TASK_KEY = /^(\d+)(?::(start|stop|shutdown|reboot|reset|suspend|resume))?$/;

function parseTaskSettings(value: unknown, vmids: number[], errors: Errors): TaskSettings {
  if (value === undefined) return DEFAULT_TASK_SETTINGS;
  const o = checkObject(value, "tasks", errors, ["seconds", "haSeconds", "exitstatus"]);
  if (!o) return DEFAULT_TASK_SETTINGS;
  const seconds =
    o.seconds === undefined
      ? DEFAULT_TASK_SETTINGS.seconds
      : (checkNumber(o.seconds, "tasks.seconds", errors, { min: 0, max: 86400 }) ?? 0);
  const haSeconds =
    o.haSeconds === undefined
      ? DEFAULT_TASK_SETTINGS.haSeconds
      : (checkNumber(o.haSeconds, "tasks.haSeconds", errors, { min: 0, max: 86400 }) ?? 0);
  const exitstatus: Record<string, string> = {};
  if (o.exitstatus !== undefined) {
    if (!isPlainObject(o.exitstatus)) {
      errors.push(
        `tasks.exitstatus: expected {"vmid" or "vmid:action": "exit status"}, got ${typeName(o.exitstatus)}`,
      );
    } else {
      for (const key of Object.keys(o.exitstatus)) {
        const where = `tasks.exitstatus[${JSON.stringify(key)}]`;
        const m = TASK_KEY.exec(key);
        if (!m) {
          errors.push(
            `${where}: the key must be a VMID, or VMID:action (start, stop, shutdown, reboot, reset, suspend, resume)`,
          );
          continue;
        }
        if (vmids.indexOf(Number(m[1])) < 0)
          errors.push(`${where}: no guest ${m[1]} in the scenario`);
        const text = checkString(o.exitstatus[key], where, errors, /^[^\n]+$/, "one line of text");
        if (text !== undefined) exitstatus[key] = text;
      }
    }
  }
  return { seconds, haSeconds, exitstatus };
}

export function parseToken(value: unknown, path: string, errors: Errors): TokenSpec | undefined {
  const o = checkObject(value, path, errors, ["id", "secret", "privileges"]);
  if (!o) return undefined;
  const before = errors.length;
  const id = checkString(
    o.id,
    join(path, "id"),
    errors,
    TOKEN_ID,
    'a token id like "monitor@pve!proxmon"',
  );
  const secret = checkString(
    o.secret,
    join(path, "secret"),
    errors,
    /^[^\s;]+$/,
    "a secret without spaces or ';'",
  );
  const privileges: PrivilegeMap = {};
  if (o.privileges === undefined) {
    privileges["/"] = {
      "Sys.Audit": 1,
      "VM.Audit": 1,
      "Datastore.Audit": 1,
      "Pool.Audit": 1,
      "SDN.Audit": 1,
    };
  } else {
    const p = isPlainObject(o.privileges) ? o.privileges : undefined;
    if (!p) {
      errors.push(
        `${join(path, "privileges")}: expected {"/path": ["Priv", ...]}, got ${typeName(o.privileges)}`,
      );
    } else {
      for (const aclPath of Object.keys(p)) {
        const where = `${join(path, "privileges")}[${JSON.stringify(aclPath)}]`;
        if (aclPath.charAt(0) !== "/") {
          errors.push(`${where}: an ACL path must start with "/"`);
          continue;
        }
        const privs: Record<string, number> = {};
        const entry = p[aclPath];
        if (Array.isArray(entry)) {
          entry.forEach((priv, i) => {
            const name = checkString(
              priv,
              `${where}[${i}]`,
              errors,
              PRIVILEGE,
              'a privilege like "Sys.Audit"',
            );
            if (name !== undefined) privs[name] = 1;
          });
        } else if (isPlainObject(entry)) {
          for (const priv of Object.keys(entry)) {
            if (!PRIVILEGE.test(priv))
              errors.push(`${where}.${priv}: not a privilege name like "Sys.Audit"`);
            const flag = checkBoolean(entry[priv], `${where}.${priv}`, errors);
            if (flag !== undefined) privs[priv] = flag ? 1 : 0;
          }
        } else {
          errors.push(
            `${where}: expected a list of privileges (propagating) or {"Priv": 1|0}, got ${typeName(entry)}`,
          );
        }
        privileges[normaliseAclPath(aclPath)] = privs;
      }
    }
  }
  if (errors.length !== before || id === undefined || secret === undefined) return undefined;
  return { id, secret, privileges };
}

// ---------------------------------------------------------------------------
// Actions and the timeline

export interface ActionRefs {
  nodes: string[];
  vmids: number[];
}

const ACTION_FIELDS: Record<ActionName, string[]> = {
  start: ["vmid"],
  stop: ["vmid"],
  shutdown: ["vmid"],
  reboot: ["vmid"],
  pause: ["vmid"],
  resume: ["vmid"],
  suspend: ["vmid"],
  hibernate: ["vmid"],
  reset: ["vmid"],
  "node-offline": ["node", "reason"],
  "node-online": ["node"],
  migrate: ["vmid", "to", "duration"],
  lock: ["vmid", "lock", "duration"],
  unlock: ["vmid"],
  "quorum-lost": [],
  "quorum-regained": [],
  "add-guest": ["guest"],
  "remove-guest": ["vmid"],
  set: ["vmid", "node", "cpu", "mem", "name", "tags", "hastate", "status"],
  fault: ["fault"],
  "clear-faults": ["id"],
};

/**
 * One action, as written in a timeline entry or sent to POST /__sim/action.
 * `extraFields` are the entry's own keys ("at", "every", ...).
 */
export function parseAction(
  value: unknown,
  path: string,
  refs: ActionRefs,
  errors: Errors,
  extraFields: string[] = [],
): SimAction | undefined {
  if (!isPlainObject(value)) {
    errors.push(`${path}: expected an object, got ${typeName(value)}`);
    return undefined;
  }
  const name = checkEnum(value.action, join(path, "action"), errors, ACTION_NAMES);
  if (!name) return undefined;
  const o = checkObject(value, path, errors, ["action"].concat(extraFields, ACTION_FIELDS[name]));
  if (!o) return undefined;
  const before = errors.length;
  const vmidOf = (key: string): number => {
    const v = checkNumber(o[key], join(path, key), errors, {
      integer: true,
      min: 100,
      max: 999999999,
    });
    if (v !== undefined && refs.vmids.indexOf(v) < 0) {
      errors.push(
        `${join(path, key)}: no guest ${v} in the scenario (nor added by an earlier "add-guest")`,
      );
    }
    return v ?? 0;
  };
  const nodeOf = (key: string): string => {
    const n = checkString(o[key], join(path, key), errors);
    if (n !== undefined && refs.nodes.indexOf(n) < 0) {
      errors.push(
        `${join(path, key)}: ${JSON.stringify(n)} is not a node of the cluster (${refs.nodes.join(", ")})`,
      );
    }
    return n ?? "";
  };
  const seconds = (key: string): number | null =>
    o[key] === undefined || o[key] === null
      ? null
      : (checkNumber(o[key], join(path, key), errors, { min: 0 }) ?? null);

  let action: SimAction;
  switch (name) {
    case "node-offline":
      action = {
        action: name,
        node: nodeOf("node"),
        reason:
          o.reason === undefined
            ? "crash"
            : (checkEnum(o.reason, join(path, "reason"), errors, ["crash", "network"] as const) ??
              "crash"),
      };
      break;
    case "node-online":
      action = { action: name, node: nodeOf("node") };
      break;
    case "migrate":
      action = {
        action: name,
        vmid: vmidOf("vmid"),
        to: nodeOf("to"),
        duration: seconds("duration") ?? 0,
      };
      break;
    case "lock":
      action = {
        action: name,
        vmid: vmidOf("vmid"),
        lock:
          checkString(o.lock, join(path, "lock"), errors, LOCK, 'a lock name like "backup"') ?? "",
        duration: seconds("duration"),
      };
      break;
    case "unlock":
    case "remove-guest":
      action = { action: name, vmid: vmidOf("vmid") };
      break;
    case "quorum-lost":
    case "quorum-regained":
      action = { action: name };
      break;
    case "add-guest": {
      const guest = parseGuest(o.guest, join(path, "guest"), refs.nodes, errors);
      action = { action: name, guest: guest ?? (undefined as unknown as GuestSpec) };
      break;
    }
    case "set": {
      const set: Extract<SimAction, { action: "set" }> = { action: "set", vmid: null, node: null };
      if ((o.vmid === undefined) === (o.node === undefined)) {
        errors.push(`${path}: "set" needs exactly one of "vmid" or "node"`);
      } else if (o.vmid !== undefined) set.vmid = vmidOf("vmid");
      else set.node = nodeOf("node");
      const fraction = (key: "cpu" | "mem"): void => {
        if (o[key] === undefined) return;
        set[key] =
          o[key] === null ? null : checkNumber(o[key], join(path, key), errors, { min: 0, max: 1 });
      };
      fraction("cpu");
      fraction("mem");
      if (o.name !== undefined) set.name = checkDisplayName(o.name, join(path, "name"), errors);
      if (o.tags !== undefined) set.tags = parseTags(o.tags, join(path, "tags"), errors);
      if (o.hastate !== undefined) {
        set.hastate =
          o.hastate === null
            ? null
            : checkString(o.hastate, join(path, "hastate"), errors, LOCK, "an HA state");
      }
      if (o.status !== undefined)
        set.status = checkEnum(o.status, join(path, "status"), errors, QEMU_STATES);
      if (
        set.node !== null &&
        (set.name !== undefined ||
          set.tags !== undefined ||
          set.hastate !== undefined ||
          set.status !== undefined)
      ) {
        errors.push(`${path}: a node only takes "cpu" and "mem"`);
      }
      action = set;
      break;
    }
    case "fault": {
      const f = parseFault(o.fault, join(path, "fault"), errors);
      action = {
        action: name,
        fault: f ? f.spec : (undefined as unknown as FaultSpec),
        id: f ? f.id : null,
      };
      break;
    }
    case "clear-faults":
      action = {
        action: name,
        id:
          o.id === undefined || o.id === null
            ? null
            : (checkString(o.id, join(path, "id"), errors) ?? null),
      };
      break;
    default:
      action = { action: name, vmid: vmidOf("vmid") };
  }
  return errors.length === before ? action : undefined;
}

const ENTRY_FIELDS = ["at", "every", "repeat", "until", "comment"];

function parseTimeline(value: unknown, refs: ActionRefs, errors: Errors): TimelineEntry[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    errors.push(`timeline: expected an array, got ${typeName(value)}`);
    return [];
  }
  // Guests added somewhere in the timeline may be referred to anywhere in it;
  // whether they exist yet at that moment is the run's business.
  const known: ActionRefs = { nodes: refs.nodes, vmids: refs.vmids.slice() };
  for (const raw of value) {
    if (
      isPlainObject(raw) &&
      raw.action === "add-guest" &&
      isPlainObject(raw.guest) &&
      typeof raw.guest.vmid === "number"
    ) {
      known.vmids.push(raw.guest.vmid);
    }
  }
  const entries: TimelineEntry[] = [];
  value.forEach((raw, i) => {
    const path = `timeline[${i}]`;
    if (!isPlainObject(raw)) {
      errors.push(`${path}: expected an object, got ${typeName(raw)}`);
      return;
    }
    const before = errors.length;
    const at = checkNumber(raw.at, join(path, "at"), errors, { min: 0 });
    const every =
      raw.every === undefined
        ? null
        : (checkNumber(raw.every, join(path, "every"), errors, { min: 1 }) ?? null);
    const repeat =
      raw.repeat === undefined
        ? null
        : (checkNumber(raw.repeat, join(path, "repeat"), errors, { integer: true, min: 1 }) ??
          null);
    const until =
      raw.until === undefined
        ? null
        : (checkNumber(raw.until, join(path, "until"), errors, { min: 0 }) ?? null);
    if (raw.comment !== undefined) checkString(raw.comment, join(path, "comment"), errors);
    if ((repeat !== null || until !== null) && every === null && raw.every === undefined) {
      errors.push(`${path}: "repeat" and "until" need "every"`);
    }
    if (until !== null && at !== undefined && until < at)
      errors.push(`${join(path, "until")}: earlier than "at"`);
    const action = parseAction(raw, path, known, errors, ENTRY_FIELDS);
    if (errors.length === before && at !== undefined && action) {
      entries.push({ at, every, repeat, until, action });
    }
  });
  return entries;
}

// ---------------------------------------------------------------------------
// Running the timeline

/** Upper bound of events handled in one call, against a scenario that would loop. */
const MAX_EVENTS_PER_CALL = 100000;

/**
 * Brings the cluster to `elapsedSeconds` since start: metrics move tick by
 * tick and every timeline occurrence (and follow-up, such as the end of a
 * timed lock) due by then happens in time order. Going backwards does nothing.
 * The outcome depends only on the scenario and the final time, not on how
 * often this is called on the way.
 */
export function applyTimeline(cluster: SimCluster, elapsedSeconds: number): AppliedEvent[] {
  const applied: AppliedEvent[] = [];
  if (!(elapsedSeconds > cluster.elapsed)) return applied;
  const state = cluster.timeline;
  for (let guard = 0; guard < MAX_EVENTS_PER_CALL; guard++) {
    let bestTime = Infinity;
    let bestEntry = -1;
    for (let i = 0; i < state.entries.length; i++) {
      const t = state.next[i];
      if (t !== null && t !== undefined && t < bestTime) {
        bestTime = t;
        bestEntry = i;
      }
    }
    let bestPending = -1;
    for (let i = 0; i < cluster.pending.length; i++) {
      const p = cluster.pending[i];
      // Ties go to follow-ups: a lock that ends at t happens before a new one at t.
      if (p && (p.at < bestTime || (p.at === bestTime && bestPending < 0))) {
        bestTime = p.at;
        bestPending = i;
      }
    }
    if (bestTime > elapsedSeconds || (bestEntry < 0 && bestPending < 0)) break;
    stepMetrics(cluster, bestTime);
    cluster.elapsed = Math.max(cluster.elapsed, bestTime);
    let event: AppliedEvent | undefined;
    if (bestPending >= 0) {
      const pending = cluster.pending[bestPending];
      cluster.pending.splice(bestPending, 1);
      if (pending) {
        const done =
          pending.op === "task-end" ? endTask(cluster, pending) : runPending(cluster, pending);
        event = { at: bestTime, action: done.action, error: done.error };
      }
    } else {
      const entry = state.entries[bestEntry];
      state.counts[bestEntry] = (state.counts[bestEntry] ?? 0) + 1;
      state.next[bestEntry] = entry ? nextOccurrence(entry, state.counts[bestEntry] ?? 0) : null;
      if (entry)
        event = { at: bestTime, action: entry.action, error: performAction(cluster, entry.action) };
    }
    if (!event) continue;
    applied.push(event);
    remember(cluster, event);
  }
  stepMetrics(cluster, elapsedSeconds);
  cluster.elapsed = elapsedSeconds;
  return applied;
}

/** When an entry happens next after `done` occurrences; null when it is over. */
export function nextOccurrence(entry: TimelineEntry, done: number): number | null {
  if (done === 0) return entry.at;
  if (entry.every === null) return null;
  if (entry.repeat !== null && done >= entry.repeat) return null;
  const t = entry.at + done * entry.every;
  if (entry.until !== null && t > entry.until) return null;
  return t;
}

/** Keeps the last events for the control endpoint's state view. */
function remember(cluster: SimCluster, event: AppliedEvent): void {
  cluster.log.push(event);
  if (cluster.log.length > 200) cluster.log.splice(0, cluster.log.length - 200);
}

/**
 * An action from outside the timeline (control endpoint, tests), done at the
 * cluster's current second; call applyTimeline first to bring it up to date.
 */
export function applyActionNow(cluster: SimCluster, action: SimAction): AppliedEvent {
  const event: AppliedEvent = {
    at: cluster.elapsed,
    action,
    error: performAction(cluster, action),
  };
  remember(cluster, event);
  return event;
}
