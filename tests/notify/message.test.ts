import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  MAX_LINE_LENGTH,
  MAX_NAME_LENGTH,
  composeMessage,
  describeEvent,
  eventTitle,
  formatDuration,
  guestLabel,
  plainTranslator,
  composeStaleNotice,
  endsSentence,
  asSentence,
  redactTokenId,
} from "../../src/notify/message";
import type { ChangeEvent } from "../../src/notify/diff";
import { ev } from "./helpers";

describe("describeEvent and eventTitle", () => {
  const cases: Array<[ChangeEvent, string, string]> = [
    [
      ev("guest-started", 101, { name: "web-01" }),
      "web-01 (101) started on pve1",
      "web-01 started",
    ],
    [
      ev("guest-stopped", 101, { name: "web-01" }),
      "web-01 (101) stopped on pve1",
      "web-01 stopped",
    ],
    [ev("guest-paused", 101, { status: "paused" }), "vm101 (101) paused on pve1", "vm101 paused"],
    [
      ev("guest-paused", 101, { status: "io-error" }),
      "vm101 (101) paused on pve1 (I/O error)",
      "vm101 paused",
    ],
    [ev("guest-resumed", 101), "vm101 (101) resumed on pve1", "vm101 resumed"],
    [
      ev("guest-migrated", 102, {
        name: "db",
        fromNode: "pve1",
        toNode: "pve2",
        status: "running",
        previousStatus: "running",
      }),
      "db (102) moved from pve1 to pve2",
      "db moved to pve2",
    ],
    [
      ev("guest-migrated", 102, {
        name: "db",
        fromNode: "pve1",
        toNode: "pve2",
        status: "stopped",
        previousStatus: "running",
      }),
      "db (102) moved from pve1 to pve2 and is now stopped",
      "db moved to pve2",
    ],
    [
      ev("guest-added", 103, { status: "running" }),
      "vm103 (103) was added on pve1 (running)",
      "vm103 added",
    ],
    [ev("guest-added", 103), "vm103 (103) was added on pve1", "vm103 added"],
    [ev("guest-removed", 103), "vm103 (103) was removed from pve1", "vm103 removed"],
    [
      { kind: "node-offline", key: "node/pve2", name: "pve2", node: "pve2" },
      "Node pve2 is offline",
      "Node pve2 offline",
    ],
    [
      { kind: "node-online", key: "node/pve2", name: "pve2", node: "pve2" },
      "Node pve2 is back online",
      "Node pve2 online",
    ],
    [{ kind: "quorum-lost", key: "cluster/quorum" }, "Cluster lost quorum", "Quorum lost"],
    [
      { kind: "quorum-lost", key: "cluster/quorum", name: "lab" },
      "Cluster lab lost quorum",
      "Quorum lost",
    ],
    [
      { kind: "quorum-regained", key: "cluster/quorum" },
      "Cluster has quorum again",
      "Quorum regained",
    ],
  ];
  it.each(cases)("%#: %s", (event, line, title) => {
    expect(describeEvent(event)).toBe(line);
    expect(eventTitle(event)).toBe(title);
  });

  it("does not repeat the VMID for PVE's default names", () => {
    expect(guestLabel(ev("guest-started", 101, { name: "VM 101" }))).toBe("VM 101");
    expect(guestLabel(ev("guest-started", 200, { name: "CT200", guestType: "lxc" }))).toBe("CT200");
    expect(guestLabel(ev("guest-started", 200, { name: "CT201" }))).toBe("CT201 (200)");
  });

  it("caps long names and lines", () => {
    const name = "x".repeat(500);
    const line = describeEvent(ev("guest-started", 101, { name, node: "n".repeat(500) }));
    expect(line.length).toBeLessThanOrEqual(MAX_LINE_LENGTH);
    expect(guestLabel(ev("guest-started", 101, { name }))).toBe(
      "x".repeat(MAX_NAME_LENGTH - 1) + "… (101)",
    );
    expect(eventTitle(ev("guest-started", 101, { name })).length).toBeLessThan(100);
  });
});

describe("composeMessage", () => {
  it("returns null when there is nothing to say", () => {
    expect(composeMessage({ events: [], flapping: [], stable: [], suppressedCount: 3 })).toBeNull();
  });
  it("titles a node-only group by count", () => {
    const a: ChangeEvent = { kind: "node-online", key: "node/a", name: "a" };
    const b: ChangeEvent = { kind: "node-online", key: "node/b", name: "b" };
    expect(
      composeMessage({ events: [a, b], flapping: [], stable: [], suppressedCount: 0 }),
    ).toEqual({
      kind: "group",
      title: "2 changes",
      body: "Node a is back online\nNode b is back online",
    });
  });
  it("describes node flapping and quorum stability", () => {
    const node: ChangeEvent = {
      kind: "node-offline",
      key: "node/pve3",
      name: "pve3",
      status: "offline",
    };
    const f = composeMessage({
      events: [],
      flapping: [{ event: node, changes: 4, windowSec: 90, quietSec: 60 }],
      stable: [],
      suppressedCount: 0,
    });
    expect(f).toEqual({
      kind: "flapping",
      title: "Node pve3 is flapping",
      body: "Node pve3 changed state 4 times within 90 seconds; muted until it has been stable for 1 minute",
    });
    const q: ChangeEvent = { kind: "quorum-regained", key: "cluster/quorum", name: "lab" };
    expect(
      composeMessage({
        events: [],
        flapping: [],
        stable: [{ event: q, mutedChanges: 1 }],
        suppressedCount: 0,
      }),
    ).toEqual({
      kind: "stable",
      title: "Quorum of cluster lab is stable again",
      body: "Quorum of cluster lab is stable again: now quorate (1 change was not shown)",
    });
  });
});

describe("plainTranslator and formatDuration", () => {
  it("substitutes placeholders once, left to right", () => {
    expect(plainTranslator("%1 and %2", "a", 2)).toBe("a and 2");
    expect(plainTranslator("%2 then %1", "x", "y")).toBe("y then x");
    expect(plainTranslator("%1", "%2", "no")).toBe("%2");
    expect(plainTranslator("100% of %1", "cpu")).toBe("100% of cpu");
    expect(plainTranslator("%3 missing", "a")).toBe("%3 missing");
    const args = Array.from({ length: 11 }, (_, i) => "a" + (i + 1));
    expect(plainTranslator("%11 %1", ...args)).toBe("a11 a1");
  });
  it("formats durations in minutes when whole, else seconds", () => {
    expect(formatDuration(600)).toBe("10 minutes");
    expect(formatDuration(60)).toBe("1 minute");
    expect(formatDuration(90)).toBe("90 seconds");
    expect(formatDuration(1)).toBe("1 second");
  });
});

describe("redactTokenId", () => {
  const id = "monitor@pve!proxmon";
  it("hides the token name but keeps the user", () => {
    expect(redactTokenId("401 for monitor@pve!proxmon on pve1", id)).toBe(
      "401 for monitor@pve!… on pve1",
    );
    expect(redactTokenId("a MONITOR@PVE!ProxMon b monitor@pve!proxmon", id)).toBe(
      "a monitor@pve!… b monitor@pve!…",
    );
  });
  it("hides the secret when given", () => {
    const secret = "0b1c2d3e-aaaa-bbbb-cccc-111122223333";
    expect(redactTokenId("PVEAPIToken=" + id + "=" + secret, id, secret)).toBe(
      "PVEAPIToken=monitor@pve!…=…",
    );
  });
  it("hides secret and token name with invisible format characters inserted", () => {
    const secret = "0b1c2d3e-aaaa-bbbb-cccc-111122223333";
    const split =
      secret.slice(0, 6) + "\u00ad" + secret.slice(6, 30) + "\u034f\u2060" + secret.slice(30);
    expect(redactTokenId("guest " + split + " stopped", id, secret)).toBe("guest … stopped");
    expect(redactTokenId("by monitor@pve!pro\u200bx\ufeffmon", id)).toBe("by monitor@pve!…");
  });
  it("leaves text alone without a well-formed token id", () => {
    expect(redactTokenId("root@pam failed", "root@pam")).toBe("root@pam failed");
    expect(redactTokenId("x!", "x!")).toBe("x!");
    expect(redactTokenId("!x", "!x")).toBe("!x");
    expect(redactTokenId("short", id, "short")).toBe("short");
  });
  it("never leaves the token id in the output", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("a", "!", " ", id, "monitor@pve"), { maxLength: 8 }),
        (parts) => {
          expect(redactTokenId(parts.join(""), id)).not.toContain(id);
        },
      ),
    );
  });
});

describe("composeStaleNotice", () => {
  const doubled = /[.!?…]["'»”’)\]]*\.$|\.\.$/;
  it("does not add a full stop after the error's own", () => {
    const error =
      "Proxmox failed on /cluster/resources (500 boom). Details are in the server's log (journalctl -u pveproxy -u pvedaemon).";
    const notice = composeStaleNotice("2 min ago", error);
    expect(notice).toBe("Showing data from 2 min ago. The last refresh failed: " + error);
    expect(notice).not.toMatch(doubled);
  });
  it("ends every notice in exactly one full stop, whatever the error ends in", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 30 }),
        fc.constantFrom("", ".", "!", "?", "…", ").", ".)", ")", '."', "  ", ". "),
        fc.constantFrom("", "5 s ago"),
        (text, ending, age) => {
          const notice = composeStaleNotice(age, text + ending);
          const core = (text + ending).trim();
          if (core === "" || endsSentence(core)) expect(notice.endsWith(core)).toBe(true);
          else expect(notice.endsWith(core + ".")).toBe(true);
          if (!/[.!?…]/.test(text)) expect(notice).not.toMatch(doubled);
        },
      ),
    );
  });
  it("endsSentence and asSentence", () => {
    expect(endsSentence("done.")).toBe(true);
    expect(endsSentence("(see the log).")).toBe(true);
    expect(endsSentence("done.)")).toBe(true);
    expect(endsSentence("status 500 (x)")).toBe(false);
    expect(endsSentence(")")).toBe(false);
    expect(asSentence("refused")).toBe("refused.");
    expect(asSentence("refused.")).toBe("refused.");
    expect(asSentence("  ")).toBe("");
  });
});
