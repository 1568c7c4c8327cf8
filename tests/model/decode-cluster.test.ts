import { describe, it, expect } from "vitest";
import { decodeClusterStatus } from "../../src/model/decode-cluster-status";
import { decodeVersion } from "../../src/model/decode-version";
import {
  decodeNodeFingerprints,
  decodeNodes,
  normaliseFingerprint,
} from "../../src/model/decode-nodes";
import { nodeInfo } from "../helpers/snapshots";
import { expectValidNode, fixtureData } from "./helpers";

describe("decodeClusterStatus", () => {
  it("reads name and quorum from the go-proxmox capture", () => {
    expect(decodeClusterStatus(fixtureData("go-proxmox__pve7x_cluster_status.json"))).toEqual({
      name: "clustername",
      quorate: true,
      standalone: false,
    });
  });

  it("reports a lost quorum as false, not unknown", () => {
    const data = [{ type: "cluster", id: "cluster", name: "c", quorate: 0, nodes: 3 }];
    expect(decodeClusterStatus(data)).toEqual({ name: "c", quorate: false, standalone: false });
  });

  it("treats a list without a cluster entry as a standalone node", () => {
    const standalone = [
      { type: "node", id: "node/pve", name: "pve", nodeid: 0, online: 1, local: 1, level: "" },
    ];
    expect(decodeClusterStatus(standalone)).toEqual({
      name: null,
      quorate: null,
      standalone: true,
    });
    expect(decodeClusterStatus([])).toEqual({ name: null, quorate: null, standalone: true });
  });

  it("degrades a damaged cluster entry field by field", () => {
    expect(decodeClusterStatus([null, { type: "cluster", name: 5, quorate: "yes" }])).toEqual({
      name: null,
      quorate: null,
      standalone: false,
    });
  });

  it("is null when the payload is not a list", () => {
    for (const v of [null, {}, "x", 1, { data: [] }]) expect(decodeClusterStatus(v)).toBeNull();
  });
});

describe("decodeVersion", () => {
  it("reads PVE 7 and PVE 8/9 version strings", () => {
    expect(decodeVersion({ version: "7.4-16", release: "7.4", repoid: "0f39f621" })).toBe("7.4-16");
    expect(decodeVersion({ version: "8.4.14", release: "8.4", repoid: "b502d23c55afcba1" })).toBe(
      "8.4.14",
    );
  });

  it("falls back to the release, then to null", () => {
    expect(decodeVersion({ release: "9.1", repoid: "x" })).toBe("9.1");
    expect(decodeVersion({ version: 8, release: null })).toBeNull();
    for (const v of [null, [], "8.4.14", 8, undefined]) expect(decodeVersion(v)).toBeNull();
  });

  it("cleans and bounds the text", () => {
    expect(decodeVersion({ version: "9.0.3\n\u001b[31m" })).toBe("9.0.3 [31m");
    expect(decodeVersion({ version: "9".repeat(1000) })).toHaveLength(64);
  });
});

describe("decodeNodes (GET /nodes)", () => {
  const data = fixtureData("go-proxmox__pve7x_nodes.json");

  it("decodes the go-proxmox capture", () => {
    const nodes = decodeNodes(data);
    expect(nodes?.map((n) => n.name)).toEqual(["node1", "node2", "node3", "node4"]);
    expect(nodes?.[0]).toEqual(
      nodeInfo("node1", {
        status: "online",
        cpu: 0.00348605577689243,
        maxcpu: 12,
        mem: 11508809728,
        maxmem: 33568288768,
        disk: 2310930432,
        maxdisk: 940743983104,
        uptime: 2236708,
      }),
    );
    nodes?.forEach(expectValidNode);
  });

  it("handles offline and damaged entries", () => {
    expect(
      decodeNodes([
        { node: "a", status: "offline", id: "node/a", type: "node", level: "" },
        { status: "online" },
        "node/b",
        { id: "node/c", status: 1, cpu: 2 },
      ]),
    ).toEqual([nodeInfo("a", { status: "offline" }), nodeInfo("c", { status: "unknown", cpu: 1 })]);
  });

  it("is null when the payload is not a list", () => {
    expect(decodeNodes({ node: "a" })).toBeNull();
  });
});

describe("decodeNodeFingerprints", () => {
  it("maps node names to their certificate fingerprints", () => {
    const fps = decodeNodeFingerprints(fixtureData("go-proxmox__pve7x_nodes.json"));
    expect(Object.keys(fps)).toEqual(["node1", "node2", "node3", "node4"]);
    expect(fps["node1"]).toBe(
      "80:D4:F2:DF:64:95:CD:8D:A0:82:82:AC:48:BA:C0:7A:1B:6B:87:8B:FE:B9:83:1C:95:4E:79:58:77:99:69:F5",
    );
  });

  it("normalises case and separators", () => {
    const upper =
      "0D:78:80:CD:64:8E:96:E5:31:87:1C:45:3C:62:93:2F:23:4C:D5:02:42:FE:C8:40:DC:AF:3D:2A:F8:B4:F6:CE";
    expect(normaliseFingerprint(upper.toLowerCase())).toBe(upper);
    expect(normaliseFingerprint(upper.split(":").join(""))).toBe(upper);
    expect(normaliseFingerprint(" " + upper + " ")).toBe(upper);
  });

  it("rejects anything that is not a SHA-256", () => {
    const sha1 = "AB:".repeat(19) + "AB";
    for (const v of [sha1, "ZZ".repeat(32), "AB".repeat(33), "AB-".repeat(32), "", 5, null]) {
      expect(normaliseFingerprint(v)).toBeNull();
    }
  });

  it("skips unusable entries and keeps the first of a repeated name", () => {
    const fp = (c: string) => (c + c + ":").repeat(31) + c + c;
    const fps = decodeNodeFingerprints([
      { node: "a", ssl_fingerprint: fp("a") },
      { node: "a", ssl_fingerprint: fp("b") },
      { node: "b", ssl_fingerprint: "nope" },
      { ssl_fingerprint: fp("c") },
      { id: "node/d", ssl_fingerprint: fp("d") },
      { node: "__proto__", ssl_fingerprint: fp("e") },
    ]);
    expect(Object.keys(fps)).toEqual(["a", "d", "__proto__"]);
    expect(fps["a"]).toBe(fp("A"));
    expect(fps["__proto__"]).toBe(fp("E"));
    expect(decodeNodeFingerprints(null)).toEqual({});
  });
});
