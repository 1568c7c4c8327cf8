import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEMO_SCENARIO } from "../../src/demo/demo-scenario";
import { DEFAULT_TOKEN, parseScenario, versionAtLeast } from "../../src/sim-engine/scenario";
import { checkSize } from "../../src/sim-engine/validate";

function errorsOf(json: unknown): string[] {
  const r = parseScenario(json);
  if (r.ok) throw new Error("expected the scenario to be rejected");
  return r.errors;
}

const base = {
  cluster: { name: "lab", nodes: [{ name: "pve1" }, { name: "pve2" }] },
  guests: [
    { vmid: 100, name: "web", node: "pve1" },
    { vmid: 101, type: "lxc", name: "dns", node: "pve2" },
  ],
};

describe("parseScenario", () => {
  it("accepts a minimal file and fills PVE-like defaults", () => {
    const r = parseScenario(base);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const s = r.value;
    expect(s.seed).toBe(1);
    expect(s.version.version).toBe("9.1.4");
    expect(s.version.repoid).toMatch(/^[0-9a-f]{16}$/);
    expect(s.api).toEqual({ errorMessageInBody: true, authFailure: "unified" });
    expect(s.cluster.localNode).toBe("pve1");
    expect(s.guests.map((g) => g.status)).toEqual(["running", "running"]);
    expect(s.storage.map((x) => x.storage)).toEqual(["local", "local-lvm"]);
    expect(s.token).toEqual(DEFAULT_TOKEN);
    expect(s.timeline).toEqual([]);
  });

  it("reports every problem with its path", () => {
    const errors = errorsOf({
      seed: -1,
      cluster: { name: "lab", nodes: [{ name: "pve_1" }, { name: "pve2", maxmem: "lots" }] },
      guests: [
        { vmid: 99, node: "pve2" },
        { vmid: 100, node: "pve9" },
        { vmid: 101, node: "pve2", status: "sleeping" },
        { vmid: 102, node: "pve2", type: "lxc", status: "paused" },
        { vmid: 103, node: "pve2", template: true, status: "running" },
        { vmid: 104, node: "pve2", memry: "1G" },
      ],
      token: { id: "root", secret: "x y", privileges: { "/": ["Sys.audit"], vms: ["VM.Audit"] } },
      timeline: [
        { action: "stop", vmid: 100 },
        { at: 10, action: "explode" },
        { at: 10, action: "stop", vmid: 555 },
        { at: 10, action: "migrate", vmid: 100, to: "nowhere" },
        { at: 10, action: "fault", fault: { kind: "teapot" } },
        { at: 10, repeat: 3, action: "quorum-lost" },
      ],
    });
    const expected = [
      "seed: must be at least 0, got -1",
      'cluster.nodes[0].name: "pve_1" is not a node name',
      'cluster.nodes[1].maxmem: expected a size in bytes or like "512M", "64G", "2T", got the string "lots"',
      "guests[0].vmid: must be at least 100, got 99",
      'guests[1].node: "pve9" is not a node of the cluster',
      'guests[2].status: expected one of "running", "stopped", "paused"',
      'guests[3].status: expected one of "running", "stopped", got the string "paused"',
      'guests[4].status: a template is always "stopped"',
      "guests[5].memry: unknown field",
      'token.id: "root" is not a token id like "monitor@pve!proxmon"',
      'token.secret: "x y" is not a secret without spaces',
      'token.privileges["/"][0]: "Sys.audit" is not a privilege like "Sys.Audit"',
      'token.privileges["vms"]: an ACL path must start with "/"',
      "timeline[0].at: expected a number, got undefined",
      'timeline[1].action: expected one of "start"',
      "timeline[2].vmid: no guest 555 in the scenario",
      'timeline[3].to: "nowhere" is not a node of the cluster',
      'timeline[4].fault.kind: expected one of "401", "403"',
      'timeline[5]: "repeat" and "until" need "every"',
    ];
    for (const e of expected) {
      expect(
        errors.some((x) => x.startsWith(e)),
        `missing: ${e}\n got:\n${errors.join("\n")}`,
      ).toBe(true);
    }
  });

  it("rejects what is not a scenario at all", () => {
    expect(errorsOf([])).toEqual(["scenario: expected an object, got an array"]);
    expect(errorsOf({ guests: "many" })[0]).toMatch(
      /^guests: expected an array of guests or a generator/,
    );
    expect(errorsOf({ cluster: { nodes: [], count: 2 } })).toContain(
      'cluster: give either "nodes" or "count", not both',
    );
    expect(errorsOf({ cluster: { name: null, count: 2 } })[0]).toMatch(
      /standalone node, but the cluster has 2 nodes/,
    );
  });

  it("generates nodes and guests deterministically from the seed", () => {
    const spec = { seed: 7, cluster: { count: 4 }, guests: { count: 20, lxcRatio: 0.5 } };
    const a = parseScenario(spec);
    const b = parseScenario(spec);
    expect(a).toEqual(b);
    if (!a.ok) throw new Error(a.errors.join("\n"));
    expect(a.value.cluster.nodes.map((n) => n.name)).toEqual(["pve1", "pve2", "pve3", "pve4"]);
    expect(a.value.guests).toHaveLength(20);
    expect(new Set(a.value.guests.map((g) => g.vmid)).size).toBe(20);
    expect(new Set(a.value.guests.map((g) => g.name)).size).toBe(20);
    const lxc = a.value.guests.filter((g) => g.type === "lxc").length;
    expect(lxc).toBeGreaterThan(3);
    expect(lxc).toBeLessThan(17);
    const other = parseScenario({ ...spec, seed: 8 });
    expect(other).not.toEqual(a);
  });

  it("takes privileges as lists (propagating) or as {priv: 0|1}", () => {
    const r = parseScenario({
      ...base,
      token: {
        id: "monitor@pve!proxmon",
        secret: "s3cret",
        privileges: { "/": ["Sys.Audit"], "/vms/": { "VM.Audit": 1, "VM.PowerMgmt": 0 } },
      },
    });
    if (!r.ok) throw new Error(r.errors.join("\n"));
    expect(r.value.token?.privileges).toEqual({
      "/": { "Sys.Audit": 1 },
      "/vms": { "VM.Audit": 1, "VM.PowerMgmt": 0 },
    });
  });

  it("derives API quirks from the version, and lets them be overridden", () => {
    const v7 = parseScenario({ ...base, version: "7.4-16" });
    if (!v7.ok) throw new Error(v7.errors.join("\n"));
    expect(v7.value.version).toMatchObject({ version: "7.4-16", release: "7.4" });
    expect(v7.value.version.repoid).toMatch(/^[0-9a-f]{8}$/);
    expect(v7.value.api).toEqual({ errorMessageInBody: false, authFailure: "legacy" });
    const forced = parseScenario({ ...base, version: "8.4.14", api: { authFailure: "unified" } });
    if (!forced.ok) throw new Error(forced.errors.join("\n"));
    expect(forced.value.api).toEqual({ errorMessageInBody: true, authFailure: "unified" });
    expect(versionAtLeast("9.1.4", 9, 1, 4)).toBe(true);
    expect(versionAtLeast("9.1.3", 9, 1, 4)).toBe(false);
    expect(versionAtLeast("10.0", 9, 1, 4)).toBe(true);
  });

  it("allows timeline references to guests added later in the timeline", () => {
    const r = parseScenario({
      ...base,
      timeline: [
        { at: 5, action: "start", vmid: 200 },
        { at: 1, action: "add-guest", guest: { vmid: 200, node: "pve1", status: "stopped" } },
        { at: 9, every: 30, until: 100, action: "stop", vmid: 200, comment: "flapping" },
      ],
    });
    expect(r.ok).toBe(true);
  });

  it("reads sizes with binary units", () => {
    const errors: string[] = [];
    expect(checkSize("512M", "x", errors)).toBe(512 * 1024 * 1024);
    expect(checkSize("1.5T", "x", errors)).toBe(1.5 * 1024 ** 4);
    expect(checkSize("4GiB", "x", errors)).toBe(4 * 1024 ** 3);
    expect(checkSize(1000, "x", errors)).toBe(1000);
    expect(errors).toEqual([]);
    expect(checkSize("4 parsecs", "x", errors)).toBeUndefined();
    expect(errors).toHaveLength(1);
  });

  it("parses the built-in demo and the documented example", () => {
    expect(DEMO_SCENARIO.cluster.nodes.map((n) => n.name)).toEqual(["pve1", "pve2", "pve3"]);
    expect(DEMO_SCENARIO.guests.length).toBeGreaterThanOrEqual(14);
    expect(Object.isFrozen(DEMO_SCENARIO.guests[0])).toBe(true);
    const example = JSON.parse(
      readFileSync(new URL("../../examples/scenario-basic.json", import.meta.url), "utf8"),
    );
    const r = parseScenario(example);
    if (!r.ok) throw new Error(r.errors.join("\n"));
    const actions = r.value.timeline.map((e) => e.action.action);
    for (const a of ["stop", "start", "pause", "node-offline", "migrate", "lock"])
      expect(actions).toContain(a);
  });
});
