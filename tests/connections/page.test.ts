// Settings → Connections (issue 11): the drafts the page edits, what it
// writes, and the failover addresses it offers after a test.
import { describe, expect, it } from "vitest";

import { moveConnection, removeConnection } from "../../src/connections/editor";
import {
  addressRows,
  candidateRows,
  draftAccount,
  draftActionsAccount,
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
        actionsTokenId: "",
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

  it("each connection's actions token ID: stored in the list, the first's in the old key", () => {
    // An existing setup: the old keys with Settings → Actions' token ID.
    let drafts = draftsFromSettings({ ...LEGACY, actionsTokenId: " ops@pve!proxmon " }).drafts;
    expect(drafts[0]?.actionsTokenId).toBe("ops@pve!proxmon");
    drafts = drafts.concat([
      withField(
        withField(newDraft(drafts), "hostsText", "pve.office:8443"),
        "actionsTokenId",
        "ops@pve!office",
      ),
    ]);
    // A new connection has none of its own until one is typed.
    expect(newDraft(drafts).actionsTokenId).toBe("");
    const state = pageState(drafts, undefined, { actionsMode: "separate" });
    expect(state.valid).toBe(true);
    expect(state.actionsSeparate).toBe(true);
    expect(state.legacy?.actionsTokenId).toBe("ops@pve!proxmon");
    // Never a secret in the list: only token IDs.
    expect(state.connectionsText).not.toContain("secret");
    const stored = JSON.parse(state.connectionsText) as Array<{ actionsTokenId: string }>;
    expect(stored.map((c) => c.actionsTokenId)).toEqual(["ops@pve!proxmon", "ops@pve!office"]);
    // Round trip: what the page wrote reads back as the same drafts.
    const back = draftsFromSettings({ ...state.legacy!, connections: state.connectionsText });
    expect(back.drafts.map((d) => d.actionsTokenId)).toEqual(["ops@pve!proxmon", "ops@pve!office"]);
    expect(back.drafts).toEqual(drafts);
    // The old key is the first connection's, also when the list says otherwise
    // (Settings → Actions changed it after the list was written).
    const list = readConnectionList({
      ...state.legacy!,
      actionsTokenId: "ops@pve!renamed",
      connections: state.connectionsText,
    });
    expect(list.connections.map((c) => c.actionsTokenId)).toEqual([
      "ops@pve!renamed",
      "ops@pve!office",
    ]);
    // Reordered: office is first now, and its actions token goes into the old key.
    const moved = pageState(moveConnection(drafts, 1, 0), undefined, { actionsMode: "separate" });
    expect(moved.legacy?.actionsTokenId).toBe("ops@pve!office");
    // A list written before actions tokens per connection: the others have none.
    const older = readConnectionList({
      ...LEGACY,
      actionsTokenId: "ops@pve!proxmon",
      connections: JSON.stringify([
        { name: "a", hosts: ["a"], tokenId: TOKEN },
        { name: "b", hosts: ["b"], tokenId: TOKEN },
      ]),
    });
    expect(older.connections.map((c) => c.actionsTokenId)).toEqual(["ops@pve!proxmon", ""]);
  });

  it("checks an actions token ID like the monitoring one, only with a separate token", () => {
    const d = withField(
      withField(withField(newDraft([]), "tokenId", TOKEN), "hostsText", "pve1.lan"),
      "actionsTokenId",
      "ops@pve",
    );
    const separate = pageState([d], undefined, { actionsMode: "separate" });
    expect(separate.valid).toBe(false);
    expect(separate.checks[0]?.problems).toEqual([
      "Actions token: The token ID needs the token name after '!': user@realm!tokenname (e.g. monitor@pve!proxmon).",
    ]);
    // Hidden (actions off or on the monitoring token): it never blocks Apply.
    expect(pageState([d]).valid).toBe(true);
    expect(pageState([d], undefined, { actionsMode: "monitoring" }).actionsSeparate).toBe(false);
    // Empty is allowed: that connection's guests then say what to set up.
    expect(
      pageState([withField(d, "actionsTokenId", " ")], undefined, { actionsMode: "separate" })
        .valid,
    ).toBe(true);
  });

  it("keys the actions secret like the monitoring token's: actions token ID @ first address : port", () => {
    const d = withField(
      withField(withField(newDraft([]), "tokenId", TOKEN), "hostsText", "pve.office:8443\npve2"),
      "actionsTokenId",
      " ops@pve!office ",
    );
    expect(draftActionsAccount(d)).toEqual({
      host: "pve.office",
      port: 8443,
      tokenId: "ops@pve!office",
    });
    expect(entryKey(draftActionsAccount(d)!)).toBe("ops@pve!office@pve.office:8443");
    expect(draftAccount(d)).toEqual({ host: "pve.office", port: 8443, tokenId: TOKEN });
    expect(draftActionsAccount(withField(d, "actionsTokenId", ""))).toBeNull();
    expect(draftActionsAccount(withField(d, "actionsTokenId", "ops"))).toBeNull();
    expect(draftActionsAccount(withField(d, "hostsText", ""))).toBeNull();
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
