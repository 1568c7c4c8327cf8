import { describe, expect, it } from "vitest";
import { anonymiseSnapshot, createAnonymiser } from "../../src/view/anonymise";
import { guest, node, snapshot, store } from "./sample";

describe("anonymise", () => {
  const source = snapshot({
    nodes: [node("pve10"), node("pve2"), node("Alpha")],
    guests: [
      guest(101, {
        name: "smith-mail",
        node: "pve2",
        tags: ["prod", "customer-x"],
        pool: "family",
      }),
      guest(102, { name: "nextcloud", type: "lxc", node: "pve10", tags: ["prod"] }),
    ],
    storage: [store("nas-smith", "pve2"), store("local", "pve10")],
  });

  it("replaces every name with a numbered stand-in, keeping numbers and states", () => {
    const a = anonymiseSnapshot(source);
    expect(a.cluster).toEqual({ name: "cluster", quorate: true, version: "8.4.14" });
    expect(a.nodes.map((n) => n.name)).toEqual(["node-3", "node-2", "node-1"]);
    expect(a.guests.map((g) => [g.name, g.node, g.tags, g.pool])).toEqual([
      ["vm-101", "node-2", ["tag-2", "tag-1"], "pool-1"],
      ["ct-102", "node-3", ["tag-2"], null],
    ]);
    expect(a.storage.map((s) => [s.storage, s.node])).toEqual([
      ["storage-2", "node-2"],
      ["storage-1", "node-3"],
    ]);
    expect(a.nodes[0]!.cpu).toBe(source.nodes[0]!.cpu);
    expect(a.guests[0]!.status).toBe("running");
  });

  it("is deterministic: the same content gives the same names, whatever the order", () => {
    const shuffled = snapshot({
      nodes: source.nodes.slice().reverse(),
      guests: source.guests.slice().reverse(),
      storage: source.storage.slice().reverse(),
    });
    const a = anonymiseSnapshot(source);
    const b = anonymiseSnapshot(shuffled);
    expect(b.nodes.map((n) => n.name)).toEqual(a.nodes.map((n) => n.name).reverse());
    expect(anonymiseSnapshot(source)).toEqual(a);
  });

  it("does not touch the input", () => {
    const before = JSON.stringify(source);
    anonymiseSnapshot(source);
    expect(JSON.stringify(source)).toBe(before);
  });

  it("keeps a null cluster name null (standalone node)", () => {
    const a = anonymiseSnapshot(
      snapshot({ cluster: { name: null, quorate: null, version: null } }),
    );
    expect(a.cluster.name).toBeNull();
  });

  it("scrubs host and names from free text, whole words only", () => {
    const an = createAnonymiser(source);
    expect(
      an.text(
        "Cannot reach pve2.example.lan:8006; /nodes/pve2 and pve10 (pve20 is fine) homelab smith-mail",
        "pve2.example.lan",
      ),
    ).toBe(
      "Cannot reach pve.example.com:8006; /nodes/node-2 and node-3 (pve20 is fine) cluster vm-101",
    );
  });

  it("gives unknown names a stable stand-in that is not the name", () => {
    const an = createAnonymiser(source);
    const x = an.node("secret-node");
    expect(x).toMatch(/^node-x[0-9a-f]{4}$/);
    expect(an.node("secret-node")).toBe(x);
    expect(an.guestName({ type: "lxc", vmid: 7 })).toBe("ct-7");
  });
});
