// Settings → Connections (issue 11): the drafts the page edits, what it
// writes, and the failover addresses it offers after a test.
import { describe, expect, it } from "vitest";

import { moveConnection, removeConnection } from "../../src/connections/editor";
import {
  addressRows,
  candidateRows,
  draftAccount,
  draftsFromSettings,
  newDraft,
  pageState,
  replaceAt,
  trustAddress,
  withAddress,
  withField,
  withPin,
} from "../../src/connections/page";
import { readConnectionList, secretAccount } from "../../src/connections/widget-settings";
import { entryKey } from "../../src/keyring/secret-store";

const TOKEN = "monitor@pve!proxmon";
const FP_A = "AA:".repeat(31) + "AA";
const FP_B = "BB:".repeat(31) + "BB";
const LEGACY = {
  proxmoxHost: "pve1.lan",
  proxmoxPort: 8006,
  apiTokenId: TOKEN,
  tlsMode: "system",
  tlsFingerprint: "",
  tlsCaPem: "",
  ignoreSsl: false,
};

describe("the Connections page", () => {
  it("shows the single connection of the old keys before any list was written", () => {
    const page = draftsFromSettings({ ...LEGACY, connections: "" });
    expect(page.fromLegacyKeys).toBe(true);
    expect(page.drafts).toEqual([
      {
        name: "pve1.lan",
        hostsText: "pve1.lan",
        tokenId: TOKEN,
        tlsMode: "system",
        tlsCaPem: "",
        fingerprints: {},
        enabled: true,
      },
    ]);
    expect(draftsFromSettings({ connections: "" }).drafts).toEqual([]);
  });

  it("writes the list and the first connection into the old keys; reading it back gives the same", () => {
    let drafts = draftsFromSettings(LEGACY).drafts;
    drafts = drafts.concat([newDraft(drafts)]);
    expect(drafts[1]?.name).toBe("Connection 2");
    // The new one takes the token ID of the one before (usually the same monitor token).
    expect(drafts[1]?.tokenId).toBe(TOKEN);
    drafts = replaceAt(drafts, 1, withField(drafts[1]!, "name", "office"));
    drafts = replaceAt(drafts, 1, withField(drafts[1]!, "hostsText", "pve.office:8443\n10.1.0.2"));
    let state = pageState(drafts);
    expect(state.valid).toBe(true);
    expect(state.summary).toBe("");
    expect(state.rows.map((r) => [r.name, r.subtitle, r.enabled])).toEqual([
      ["pve1.lan", "pve1.lan · " + TOKEN, true],
      ["office", "pve.office:8443, 10.1.0.2 · " + TOKEN, true],
    ]);
    const back = readConnectionList({ ...state.legacy!, connections: state.connectionsText });
    expect(back.problems).toEqual([]);
    expect(back.connections.map((c) => c.name)).toEqual(["pve1.lan", "office"]);
    expect(back.connections[1]?.hosts.map((h) => [h.host, h.port])).toEqual([
      ["pve.office", 8443],
      ["10.1.0.2", 8006],
    ]);
    expect(state.legacy).toMatchObject({ proxmoxHost: "pve1.lan", proxmoxPort: 8006 });

    // Reordered: the first connection in the old keys follows.
    drafts = moveConnection(drafts, 1, 0);
    state = pageState(drafts);
    expect(state.legacy).toMatchObject({ proxmoxHost: "pve.office", proxmoxPort: 8443 });
    // Disabled: kept, not watched.
    drafts = replaceAt(drafts, 0, withField(drafts[0]!, "enabled", false));
    state = pageState(drafts);
    expect(readConnectionList({ connections: state.connectionsText }).connections[0]?.enabled).toBe(
      false,
    );
    // Removing every connection writes an empty list, not the old keys again.
    drafts = removeConnection(removeConnection(drafts, 0), 0);
    state = pageState(drafts);
    expect(state.connectionsText).toBe("[]");
    expect(state.legacy).toBeNull();
    expect(readConnectionList({ ...LEGACY, connections: "[]" }).connections).toEqual([]);
  });

  it("names the problems per connection and writes nothing while one remains", () => {
    const drafts = [newDraft([]), withField(newDraft([]), "hostsText", "pve1.lan")];
    const state = pageState(drafts);
    expect(state.valid).toBe(false);
    expect(state.connectionsText).toBe("");
    expect(state.rows.map((r) => r.hasProblem)).toEqual([true, true]);
    expect(state.rows[0]?.subtitle).toBe("no host address is set");
    expect(state.summary.split("\n")[0]).toBe("Not saved until this is fixed:");
    expect(state.summary).toContain("the name is used twice");
    expect(state.checks[0]?.problems).toContain("no host address is set");
  });

  it("pins per address: each address has its own, and trusting one switches to pins", () => {
    let d = withField(
      withField(newDraft([]), "tokenId", TOKEN),
      "hostsText",
      "pve1.lan\npve2.lan, pve1.lan\nbad host",
    );
    expect(addressRows(d).map((r) => r.label)).toEqual(["1. pve1.lan", "2. pve2.lan"]);
    d = trustAddress(d, "pve1.lan", FP_A);
    expect(d.tlsMode).toBe("pin");
    expect(addressRows(d).map((r) => r.pin)).toEqual([FP_A, ""]);
    d = withField(d, "hostsText", "pve1.lan\npve2.lan");
    let check = pageState([d]).checks[0]!;
    expect(check.unpinned).toEqual(["pve2.lan"]);
    d = withPin(d, "pve2.lan", FP_B.toLowerCase());
    check = pageState([d]).checks[0]!;
    expect(check.connection?.fingerprints).toEqual({ "pve1.lan": FP_A, "pve2.lan": FP_B });
    expect(withPin(d, "pve2.lan", "").fingerprints).toEqual({ "pve1.lan": FP_A });
  });

  it("keys the secret as the widget reads it: token ID and first address", () => {
    const d = withField(
      withField(newDraft([]), "hostsText", "pve.office:8443\npve2"),
      "tokenId",
      TOKEN,
    );
    const account = draftAccount(d)!;
    const stored = pageState([withField(d, "name", "office")]).connectionsText;
    const c = readConnectionList({ connections: stored }).connections[0]!;
    expect(entryKey(account)).toBe(entryKey(secretAccount(c)));
    expect(draftAccount(newDraft([]))).toBeNull();
  });

  it("offers the tested cluster's other nodes as failover addresses, and adds one", () => {
    let d = withField(newDraft([]), "hostsText", "10.0.0.11:8443");
    const status = [
      { type: "cluster", name: "home", quorate: 1 },
      { type: "node", name: "pve1", ip: "10.0.0.11" },
      { type: "node", name: "pve2", ip: "10.0.0.12" },
      { type: "node", name: "evil", ip: "10.0.0.13; rm -rf" },
    ];
    const offered = candidateRows(d, status);
    expect(offered).toEqual([
      { node: "pve2", entry: "10.0.0.12:8443", text: "Add pve2 (10.0.0.12:8443)" },
    ]);
    d = withAddress(d, offered[0]!.entry);
    expect(d.hostsText).toBe("10.0.0.11:8443\n10.0.0.12:8443");
    expect(candidateRows(d, status)).toEqual([]);
    expect(candidateRows(d, null)).toEqual([]);
    expect(withAddress(newDraft([]), "a").hostsText).toBe("a");
  });
});
