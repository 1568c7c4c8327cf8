// Shared by the model tests: fixture loading and the invariants every
// decoded value must satisfy whatever the input was.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { GuestInfo, NodeInfo, Snapshot, StorageInfo } from "../../src/model/types";

const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));

/** The `data` payload of a captured response (envelope removed when there is one). */
export function fixtureData(name: string): unknown {
  const parsed = JSON.parse(readFileSync(FIXTURES + name, "utf8")) as unknown;
  if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) && "data" in parsed) {
    return (parsed as { data: unknown }).data;
  }
  return parsed;
}

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

export function expectSafeText(s: unknown): void {
  expect(typeof s).toBe("string");
  const t = s as string;
  expect(t.length).toBeGreaterThan(0);
  expect(t.length).toBeLessThanOrEqual(200);
  expect(t).toBe(t.trim());
  expect(UNSAFE.test(t)).toBe(false);
}

function expectOptionalText(s: unknown): void {
  if (s !== null) expectSafeText(s);
}

function expectAmount(n: unknown): void {
  if (n === null) return;
  expect(typeof n).toBe("number");
  expect(Number.isFinite(n)).toBe(true);
  expect(n as number).toBeGreaterThanOrEqual(0);
  expect(Object.is(n, -0)).toBe(false);
}

function expectFraction(n: unknown): void {
  expectAmount(n);
  if (n !== null) expect(n as number).toBeLessThanOrEqual(1);
}

export function expectValidNode(node: NodeInfo): void {
  expectSafeText(node.name);
  expect(["online", "offline", "unknown"]).toContain(node.status);
  expectFraction(node.cpu);
  for (const n of [node.maxcpu, node.mem, node.maxmem, node.disk, node.maxdisk, node.uptime]) {
    expectAmount(n);
  }
  expectOptionalText(node.hastate);
}

export function expectValidGuest(guest: GuestInfo): void {
  expect(Number.isInteger(guest.vmid)).toBe(true);
  expect(guest.vmid).toBeGreaterThan(0);
  expect(["qemu", "lxc"]).toContain(guest.type);
  expectSafeText(guest.name);
  expectSafeText(guest.node);
  expect(guest.status).toMatch(/^[a-z-]{1,32}$/);
  expect(typeof guest.template).toBe("boolean");
  expectFraction(guest.cpu);
  for (const n of [
    guest.maxcpu,
    guest.mem,
    guest.maxmem,
    guest.disk,
    guest.maxdisk,
    guest.uptime,
  ]) {
    expectAmount(n);
  }
  expect(Array.isArray(guest.tags)).toBe(true);
  expect(new Set(guest.tags).size).toBe(guest.tags.length);
  for (const tag of guest.tags) {
    expectSafeText(tag);
    expect(tag).not.toMatch(/[;,\s]/);
  }
  expectOptionalText(guest.pool);
  expectOptionalText(guest.lock);
  expectOptionalText(guest.hastate);
}

export function expectValidStorage(store: StorageInfo): void {
  expectSafeText(store.storage);
  expectSafeText(store.node);
  expectSafeText(store.status);
  expect(typeof store.shared).toBe("boolean");
  expectOptionalText(store.plugintype);
  expect(new Set(store.content).size).toBe(store.content.length);
  for (const c of store.content) {
    expectSafeText(c);
    expect(c).not.toContain(",");
  }
  expectAmount(store.used);
  expectAmount(store.total);
}

export function expectValidResources(r: {
  nodes: NodeInfo[];
  guests: GuestInfo[];
  storage: StorageInfo[];
}): void {
  r.nodes.forEach(expectValidNode);
  r.guests.forEach(expectValidGuest);
  r.storage.forEach(expectValidStorage);
}

export function expectValidSnapshot(s: Snapshot): void {
  expectValidResources(s);
  expect(new Set(s.nodes.map((n) => n.name)).size).toBe(s.nodes.length);
  expect(new Set(s.guests.map((g) => g.vmid)).size).toBe(s.guests.length);
  expect(new Set(s.storage.map((x) => x.node + "\u0000" + x.storage)).size).toBe(s.storage.length);
  expectOptionalText(s.cluster.name);
  expect([true, false, null]).toContain(s.cluster.quorate);
  if (s.cluster.version !== null) expect(typeof s.cluster.version).toBe("string");
}
