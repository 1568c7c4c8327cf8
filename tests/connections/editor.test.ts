// The settings page's connection checks (issue 11): a draft as typed, list
// edits, and the failover addresses offered from /cluster/status.
import { describe, expect, it } from "vitest";

import {
  checkDraft,
  failoverCandidates,
  moveConnection,
  removeConnection,
  type ConnectionDraft,
} from "../../src/connections/editor";
import { parseHostEntry } from "../../src/connections/model";

const FP = "AB:".repeat(31) + "AB";

function host(entry: string) {
  const r = parseHostEntry(entry);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe("failover addresses from /cluster/status", () => {
  const status = [
    { type: "cluster", name: "home", quorate: 1 },
    { type: "node", name: "pve1", ip: "10.0.0.11", online: 1 },
    { type: "node", name: "pve2", ip: "10.0.0.12", online: 1 },
    { type: "node", name: "pve3", ip: "fd00::13", online: 0 },
    { type: "node", name: "evil", ip: "10.0.0.1/../x" },
    { type: "node", name: "dup", ip: "10.0.0.12" },
    "junk",
  ];

  it("offers every node address not listed yet, with the connection's port", () => {
    expect(failoverCandidates(status, [host("10.0.0.11")])).toEqual([
      { node: "pve2", entry: "10.0.0.12" },
      { node: "pve3", entry: "fd00::13" },
    ]);
    expect(failoverCandidates(status, [host("pve1.lan:8443")]).map((c) => c.entry)).toEqual([
      "10.0.0.11:8443",
      "10.0.0.12:8443",
      "[fd00::13]:8443",
    ]);
  });

  it("reads hostile answers as nothing", () => {
    expect(failoverCandidates(null, [])).toEqual([]);
    expect(failoverCandidates({ data: [] }, [])).toEqual([]);
  });
});

const DRAFT: ConnectionDraft = {
  name: "home",
  hostsText: "pve1.lan\n10.0.0.12:8006, pve1.lan",
  tokenId: "monitor@pve!proxmon",
  tlsMode: "pin",
  tlsCaPem: "",
  fingerprints: { "pve1.lan": FP.toLowerCase() },
  enabled: true,
};

describe("a connection as typed", () => {
  it("names each address still without a pin", () => {
    const r = checkDraft(DRAFT, ["office"]);
    expect(r.connection).toBeNull();
    expect(r.unpinned).toEqual(["10.0.0.12:8006"]);
    expect(r.problems).toEqual([
      "Pin a fingerprint for every address (10.0.0.12:8006), or trust the cluster CA instead.",
    ]);
  });

  it("gives the connection to store once everything is right", () => {
    const r = checkDraft(
      { ...DRAFT, fingerprints: { ...DRAFT.fingerprints, "10.0.0.12:8006": FP } },
      [],
    );
    expect(r.problems).toEqual([]);
    expect(r.connection?.hosts.map((h) => h.entry)).toEqual(["pve1.lan", "10.0.0.12:8006"]);
    expect(r.connection?.fingerprints["pve1.lan"]).toBe(FP);
  });

  it("lists name, host and token problems together", () => {
    const r = checkDraft(
      { ...DRAFT, name: "Office", hostsText: "https://x", tokenId: "", tlsMode: "system" },
      ["office"],
    );
    expect(r.problems).toHaveLength(4);
    expect(r.problems[0]).toBe("the name is used twice");
  });

  it("moves and removes without touching the input", () => {
    const list = ["a", "b", "c"];
    expect(moveConnection(list, 2, 0)).toEqual(["c", "a", "b"]);
    expect(moveConnection(list, 0, 9)).toEqual(["b", "c", "a"]);
    expect(removeConnection(list, 1)).toEqual(["a", "c"]);
    expect(list).toEqual(["a", "b", "c"]);
  });
});
