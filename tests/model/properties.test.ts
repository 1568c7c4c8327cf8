// Property-based checks: whatever the server sends, the decoders answer with
// the promised shapes, and damage to one field stays in that field.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { decodeResources } from "../../src/model/decode-resources";
import { decodeClusterStatus } from "../../src/model/decode-cluster-status";
import { decodeVersion } from "../../src/model/decode-version";
import { decodeNodeFingerprints, decodeNodes } from "../../src/model/decode-nodes";
import { assembleSnapshot } from "../../src/model/snapshot";
import { expectValidNode, expectValidResources, expectValidSnapshot } from "./helpers";

type Entry = Record<string, unknown>;

const anyInput = fc.oneof(
  fc.jsonValue(),
  fc.anything({
    withBoxedValues: true,
    withNullPrototype: true,
    withObjectString: true,
    withSparseArray: true,
    withMap: true,
    withSet: true,
    withDate: true,
    withTypedArray: true,
  }),
);

// Values a field might plausibly or implausibly hold: right type, stringified
// number, 0/1 flag, or random JSON.
const fieldValue = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, 1, -5.75e-5, "0", "1", "106", " 0.16 ", "", "running", "online", "x"),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.jsonValue({ maxDepth: 2 }),
);

const messyEntry: fc.Arbitrary<Entry> = fc.record(
  {
    id: fc.oneof(
      fc.constantFrom("qemu/100", "lxc/101", "node/pve", "storage/pve/local", "/pool/p", "qemu/x"),
      fieldValue,
    ),
    type: fc.oneof(
      fc.constantFrom("qemu", "lxc", "node", "storage", "pool", "sdn", "network", "openvz"),
      fieldValue,
    ),
    vmid: fc.oneof(fc.integer({ min: -5, max: 1000 }), fieldValue),
    node: fc.oneof(fc.constantFrom("pve", "pve2", "__proto__"), fieldValue),
    storage: fc.oneof(fc.constant("local"), fieldValue),
    name: fieldValue,
    status: fc.oneof(
      fc.constantFrom("running", "stopped", "io-error", "online", "offline"),
      fieldValue,
    ),
    template: fieldValue,
    cpu: fieldValue,
    maxcpu: fieldValue,
    mem: fieldValue,
    maxmem: fieldValue,
    disk: fieldValue,
    maxdisk: fieldValue,
    uptime: fieldValue,
    tags: fc.oneof(fc.constantFrom("a;b", "a,,b c", ";;"), fieldValue),
    pool: fieldValue,
    lock: fieldValue,
    hastate: fieldValue,
    shared: fieldValue,
    content: fieldValue,
    plugintype: fieldValue,
    ssl_fingerprint: fieldValue,
  },
  { requiredKeys: [] },
);

describe("decoders never throw and keep their promises", () => {
  it("on arbitrary values", () => {
    fc.assert(
      fc.property(anyInput, (data) => {
        const r = decodeResources(data);
        if (r !== null) {
          expectValidResources(r);
          expectValidSnapshot(assembleSnapshot({ resources: r }));
        } else {
          expect(Array.isArray(data)).toBe(false);
        }
        const c = decodeClusterStatus(data);
        if (c !== null) {
          expect([true, false, null]).toContain(c.quorate);
          expect(typeof c.standalone).toBe("boolean");
        }
        const v = decodeVersion(data);
        expect(v === null || (typeof v === "string" && v.length > 0)).toBe(true);
        decodeNodes(data)?.forEach(expectValidNode);
        for (const fp of Object.values(decodeNodeFingerprints(data))) {
          expect(fp).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("on lists of entry-like objects with damaged fields", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(messyEntry, anyInput), { maxLength: 30 }), (data) => {
        const r = decodeResources(data);
        expect(r).not.toBeNull();
        if (r === null) return;
        expectValidResources(r);
        const cluster = decodeClusterStatus(data);
        const snapshot = assembleSnapshot({
          resources: r,
          cluster,
          version: decodeVersion(data[0]),
        });
        expectValidSnapshot(snapshot);
        decodeNodes(data)?.forEach(expectValidNode);
      }),
      { numRuns: 500 },
    );
  });
});

// Valid entries as PVE would send them.
const nodeName = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);
const text = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/);
const tag = fc.stringMatching(/^[a-z0-9_][a-z0-9_+.-]{0,10}$/);

const validGuest: fc.Arbitrary<Entry> = fc
  .record(
    {
      type: fc.constantFrom("qemu", "lxc"),
      vmid: fc.integer({ min: 100, max: 999999999 }),
      node: nodeName,
      name: text,
      status: fc.constantFrom("running", "stopped", "paused", "io-error", "unknown"),
      template: fc.constantFrom(0, 1),
      cpu: fc.double({ min: 0, max: 1, noNaN: true }),
      maxcpu: fc.integer({ min: 1, max: 128 }),
      mem: fc.nat(),
      maxmem: fc.nat(),
      disk: fc.nat(),
      maxdisk: fc.nat(),
      uptime: fc.nat(),
      netin: fc.nat(),
      tags: fc.uniqueArray(tag, { minLength: 1, maxLength: 5 }).map((t) => t.join(";")),
      pool: text,
      lock: fc.constantFrom("backup", "migrate", "snapshot"),
      hastate: fc.constantFrom("started", "stopped", "fence"),
    },
    { requiredKeys: ["type", "vmid", "node", "status"] },
  )
  .map((e) => Object.assign({ id: `${String(e.type)}/${String(e.vmid)}` }, e));

const validNode: fc.Arbitrary<Entry> = fc
  .record(
    {
      node: nodeName,
      status: fc.constantFrom("online", "offline", "unknown"),
      cpu: fc.double({ min: 0, max: 1, noNaN: true }),
      maxcpu: fc.integer({ min: 1, max: 512 }),
      mem: fc.nat(),
      maxmem: fc.nat(),
      disk: fc.nat(),
      maxdisk: fc.nat(),
      uptime: fc.nat(),
      level: fc.constantFrom("", "c", "b"),
      "cgroup-mode": fc.constant(2),
      hastate: fc.constantFrom("online", "maintenance"),
    },
    { requiredKeys: ["node", "status"] },
  )
  .map((e) => Object.assign({ id: `node/${String(e.node)}`, type: "node" }, e));

const validStorage: fc.Arbitrary<Entry> = fc
  .record(
    {
      node: nodeName,
      storage: text,
      status: fc.constantFrom("available", "unknown"),
      shared: fc.constantFrom(0, 1),
      plugintype: fc.constantFrom("dir", "zfspool", "rbd"),
      content: fc
        .uniqueArray(fc.constantFrom("images", "rootdir", "iso", "backup"), { minLength: 1 })
        .map((c) => c.join(",")),
      disk: fc.nat(),
      maxdisk: fc.nat(),
    },
    { requiredKeys: ["node", "storage"] },
  )
  .map((e) =>
    Object.assign({ id: `storage/${String(e.node)}/${String(e.storage)}`, type: "storage" }, e),
  );

const validPool: fc.Arbitrary<Entry> = text.map((p) => ({
  id: "/pool/" + p,
  type: "pool",
  pool: p,
  cpu: 0.5,
  mem: 3,
}));

const validEntry = fc.oneof(validGuest, validGuest, validNode, validStorage, validPool);

// Which decoded fields an input field feeds; everything else must not move.
const FIELD_EFFECTS: Record<string, Record<string, string[]>> = {
  qemu: { name: ["name"], storage: [], shared: [], content: [] },
  lxc: { name: ["name"], storage: [], shared: [], content: [] },
  node: {},
  storage: { disk: ["used"], maxdisk: ["total"] },
  pool: {},
};
const ID_FIELDS: Record<string, string[]> = {
  qemu: ["id", "type", "vmid", "node"],
  lxc: ["id", "type", "vmid", "node"],
  node: ["id", "type", "node"],
  storage: ["id", "type", "node", "storage"],
  pool: ["id", "type"],
};

function decodedFieldsOf(type: string, field: string): string[] {
  const effects = FIELD_EFFECTS[type] ?? {};
  if (Object.prototype.hasOwnProperty.call(effects, field)) return effects[field] ?? [];
  return [field];
}

function flatten(r: ReturnType<typeof decodeResources>): Entry[] {
  if (r === null) throw new Error("not a list");
  return ([] as Entry[]).concat(
    r.guests as unknown as Entry[],
    r.nodes as unknown as Entry[],
    r.storage as unknown as Entry[],
  );
}

describe("damage to one field stays in that field", () => {
  it("replacing or deleting a non-id field changes nothing else", () => {
    fc.assert(
      fc.property(
        fc.array(validEntry, { minLength: 1, maxLength: 12 }),
        fc.nat(),
        fc.nat(),
        fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
        (entries, entryPick, fieldPick, replacement) => {
          const index = entryPick % entries.length;
          const target = entries[index] as Entry;
          const type = String(target["type"]);
          const idFields = ID_FIELDS[type] ?? [];
          const candidates = Object.keys(target).filter((k) => idFields.indexOf(k) === -1);
          fc.pre(candidates.length > 0);
          const field = candidates[fieldPick % candidates.length] as string;

          const damaged: Entry = Object.assign({}, target);
          if (replacement === undefined) delete damaged[field];
          else damaged[field] = replacement;
          const mutated = entries.slice();
          mutated[index] = damaged;

          const before = decodeResources(entries);
          const after = decodeResources(mutated);
          if (before === null || after === null) throw new Error("lists must decode");
          expect(after.guests).toHaveLength(before.guests.length);
          expect(after.nodes).toHaveLength(before.nodes.length);
          expect(after.storage).toHaveLength(before.storage.length);
          expectValidResources(after);

          const a = flatten(before);
          const b = flatten(after);
          const touched = decodedFieldsOf(type, field);
          // The damaged entry's decoded twin sits at the same place: order is
          // kept and every entry decodes to at most one result.
          for (let i = 0; i < a.length; i++) {
            const x = a[i] as Entry;
            const y = b[i] as Entry;
            for (const key of Object.keys(x)) {
              if (touched.indexOf(key) !== -1 && !deepEqual(x[key], y[key])) {
                // Only the damaged entry may differ, and only in its own fields.
                expect(isSameEntity(x, target)).toBe(true);
                continue;
              }
              expect(y[key]).toEqual(x[key]);
            }
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it("a missing vmid, type, node name or storage name is recovered from the id", () => {
    fc.assert(
      fc.property(validEntry, fc.nat(), (entry, pick) => {
        const type = String(entry["type"]);
        // A guest's id does not name its node, so there is nothing to recover it from.
        const recoverable =
          type === "node"
            ? ["type", "node"]
            : type === "storage"
              ? ["type", "node", "storage"]
              : ["type", "vmid"];
        const field = recoverable[pick % recoverable.length] as string;
        const damaged: Entry = Object.assign({}, entry);
        delete damaged[field];
        expect(decodeResources([damaged])).toEqual(decodeResources([entry]));
      }),
      { numRuns: 300 },
    );
  });
});

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isSameEntity(decoded: Entry, raw: Entry): boolean {
  if ("vmid" in decoded) return decoded["vmid"] === raw["vmid"];
  if ("storage" in decoded)
    return decoded["storage"] === raw["storage"] && decoded["node"] === raw["node"];
  return decoded["name"] === raw["node"];
}
