import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  MAX_PATTERN_LENGTH,
  MAX_PATTERNS,
  MAX_TEXT_LENGTH,
  isEmptyWhitelist,
  matchesFilter,
  parseFilter,
  shouldNotify,
  wildcardMatch,
  type NotifySettings,
  type StepCounter,
} from "../../src/notify/filter";
import type { ChangeEvent } from "../../src/notify/diff";
import { ev } from "./helpers";

const web = ev("guest-started", 101, { name: "Web-01", tags: ["prod", "frontend"], node: "pve1" });
const db = ev("guest-stopped", 205, { name: "db", tags: ["Prod-DB"], node: "pve2" });
const big = ev("guest-started", 1011, { name: "batch", node: "pve3" });

function matches(filter: string, event: ChangeEvent): boolean {
  return matchesFilter(event, parseFilter(filter));
}

describe("wildcardMatch", () => {
  it.each([
    ["", "", true],
    ["", "a", false],
    ["*", "", true],
    ["*", "anything", true],
    ["?", "", false],
    ["?", "x", true],
    ["a*b", "ab", true],
    ["a*b", "axxxb", true],
    ["a*b", "axxxbc", false],
    ["a?c", "abc", true],
    ["a?c", "ac", false],
    ["*a*a*b", "xaxab", true],
    ["*a*a*b", "xaxa", false],
    ["*.lan", "web.lan", true],
  ])("%j vs %j -> %s", (p, t, expected) => {
    expect(wildcardMatch(p, t)).toBe(expected);
  });
});

describe("pattern kinds", () => {
  it("matches names case-insensitively, with * and ?", () => {
    expect(matches("web-01", web)).toBe(true);
    expect(matches("WEB-01", web)).toBe(true);
    expect(matches("web-*", web)).toBe(true);
    expect(matches("web-0?", web)).toBe(true);
    expect(matches("web", web)).toBe(false);
    expect(matches("*-01", db)).toBe(false);
  });

  it("matches a VMID exactly", () => {
    expect(matches("101", web)).toBe(true);
    expect(matches("101", big)).toBe(false);
    expect(matches("10", web)).toBe(false);
  });

  it("matches numeric wildcards against the VMID as text", () => {
    expect(matches("10?", web)).toBe(true);
    expect(matches("1*", web)).toBe(true);
    expect(matches("1*", big)).toBe(true);
    expect(matches("2??", db)).toBe(true);
    expect(matches("2??", web)).toBe(false);
  });

  it("does not match non-numeric wildcards against the VMID", () => {
    // "???" would match the text "101" but it is a name pattern only.
    expect(matches("???", web)).toBe(false);
    expect(matches("??", db)).toBe(true);
  });

  it("matches inclusive VMID ranges, with or without spaces", () => {
    expect(matches("100-199", web)).toBe(true);
    expect(matches("101-101", web)).toBe(true);
    expect(matches("100 - 199", web)).toBe(true);
    expect(matches("100-199", db)).toBe(false);
    expect(matches("1000-1999", big)).toBe(true);
  });

  it("matches tags, with wildcards, case-insensitively", () => {
    expect(matches("tag:prod", web)).toBe(true);
    expect(matches("tag:prod", db)).toBe(false);
    expect(matches("tag:prod*", db)).toBe(true);
    expect(matches("TAG:FRONT*", web)).toBe(true);
    expect(matches("tag:*", big)).toBe(false);
  });

  it("matches nodes, and either end of a migration", () => {
    expect(matches("node:pve1", web)).toBe(true);
    expect(matches("node:pve?", db)).toBe(true);
    expect(matches("node:pve1", db)).toBe(false);
    const moved = ev("guest-migrated", 101, { node: "pve2", fromNode: "pve1", toNode: "pve2" });
    expect(matches("node:pve1", moved)).toBe(true);
    expect(matches("node:pve2", moved)).toBe(true);
    expect(matches("node:pve3", moved)).toBe(false);
  });

  it("splits on commas and newlines and skips blanks", () => {
    const f = parseFilter(" web-01 ,\r\n\n tag:db ,, 200-299\n");
    expect(f.problems).toEqual([]);
    expect(f.patterns.map((p) => p.kind)).toEqual(["name", "tag", "range"]);
    expect(matchesFilter(db, f)).toBe(true);
    expect(matchesFilter(big, f)).toBe(false);
  });

  it("collapses runs of stars", () => {
    expect(parseFilter("a***b").patterns[0]).toMatchObject({ kind: "name", pattern: "a*b" });
  });
});

describe("problems", () => {
  it("reports a reversed range and ignores it", () => {
    const f = parseFilter("200-100");
    expect(f.patterns).toEqual([]);
    expect(f.problems).toEqual([
      {
        code: "reversed-range",
        entry: "200-100",
        message: "Range 200-100 is reversed: did you mean 100-200?",
      },
    ]);
  });

  it("reports unknown prefixes and empty values", () => {
    const f = parseFilter("pool:prod, tag:, node:  ");
    expect(f.patterns).toEqual([]);
    expect(f.problems.map((p) => p.code)).toEqual(["unknown-prefix", "empty-value", "empty-value"]);
    expect(f.problems[0]?.message).toBe(
      'Unknown prefix "pool:" in "pool:prod" (use tag:, node:, storage: or cluster:)',
    );
  });

  it("reports ranges of numbers that cannot be VMIDs", () => {
    expect(parseFilter("1-10000000000").problems[0]?.code).toBe("bad-range");
  });

  it("reports over-long entries and too many entries", () => {
    const long = "a".repeat(MAX_PATTERN_LENGTH + 1);
    const f = parseFilter(long + ",ok");
    expect(f.problems[0]?.code).toBe("too-long");
    expect(f.problems[0]?.entry.length).toBeLessThan(80);
    expect(f.patterns).toHaveLength(1);

    const many = Array.from({ length: MAX_PATTERNS + 5 }, (_, i) => "g" + i).join(",");
    const g = parseFilter(many);
    expect(g.patterns).toHaveLength(MAX_PATTERNS);
    expect(g.problems.map((p) => p.code)).toEqual(["too-many"]);
  });

  it("passes problem messages through the translator", () => {
    const f = parseFilter("9-1", (t, ...a) => "T(" + t + "|" + a.join(",") + ")");
    expect(f.problems[0]?.message).toBe("T(Range %1 is reversed: did you mean %2-%3?|9-1,1,9)");
  });
});

describe("isEmptyWhitelist", () => {
  it("is true for a whitelist with no usable entry", () => {
    expect(isEmptyWhitelist({ mode: "whitelist", patterns: "" })).toBe(true);
    expect(isEmptyWhitelist({ mode: "whitelist", patterns: " ,\n" })).toBe(true);
    expect(isEmptyWhitelist({ mode: "whitelist", patterns: "200-100, foo:bar" })).toBe(true);
  });
  it("is false otherwise", () => {
    expect(isEmptyWhitelist({ mode: "whitelist", patterns: "web*" })).toBe(false);
    expect(isEmptyWhitelist({ mode: "blacklist", patterns: "" })).toBe(false);
    expect(isEmptyWhitelist({ mode: "all", patterns: "" })).toBe(false);
  });
});

describe("shouldNotify", () => {
  const on: NotifySettings = {
    mode: "all",
    patterns: "",
    notifyOnStart: true,
    notifyOnStop: true,
    notifyOnNodeChange: true,
  };
  const off: NotifySettings = {
    ...on,
    notifyOnStart: false,
    notifyOnStop: false,
    notifyOnNodeChange: false,
  };
  const node = (kind: ChangeEvent["kind"]): ChangeEvent => ({
    kind,
    key: "node/pve2",
    name: "pve2",
    node: "pve2",
  });
  const quorum = (kind: ChangeEvent["kind"]): ChangeEvent => ({ kind, key: "cluster/quorum" });

  it("gates each kind by its toggle", () => {
    const cases: Array<[ChangeEvent, keyof NotifySettings]> = [
      [ev("guest-started", 1), "notifyOnStart"],
      [ev("guest-resumed", 1), "notifyOnStart"],
      [ev("guest-stopped", 1), "notifyOnStop"],
      [ev("guest-paused", 1), "notifyOnStop"],
      [ev("guest-added", 1), "notifyOnNodeChange"],
      [ev("guest-removed", 1), "notifyOnNodeChange"],
      [
        ev("guest-migrated", 1, { status: "running", previousStatus: "running" }),
        "notifyOnNodeChange",
      ],
      [node("node-offline"), "notifyOnNodeChange"],
      [node("node-online"), "notifyOnNodeChange"],
      [quorum("quorum-lost"), "notifyOnNodeChange"],
      [quorum("quorum-regained"), "notifyOnNodeChange"],
    ];
    for (const [event, toggle] of cases) {
      expect(shouldNotify(event, on), event.kind).toBe(true);
      expect(shouldNotify(event, off), event.kind).toBe(false);
      expect(shouldNotify(event, { ...off, [toggle]: true }), event.kind).toBe(true);
    }
  });

  it("lets a migration that changed the status through the matching start/stop toggle", () => {
    const stoppedWhileMoving = ev("guest-migrated", 1, {
      status: "stopped",
      previousStatus: "running",
    });
    const startedWhileMoving = ev("guest-migrated", 1, {
      status: "running",
      previousStatus: "stopped",
    });
    expect(shouldNotify(stoppedWhileMoving, { ...off, notifyOnStop: true })).toBe(true);
    expect(shouldNotify(stoppedWhileMoving, { ...off, notifyOnStart: true })).toBe(false);
    expect(shouldNotify(startedWhileMoving, { ...off, notifyOnStart: true })).toBe(true);
    expect(
      shouldNotify(ev("guest-migrated", 1, { status: "running" }), { ...off, notifyOnStart: true }),
    ).toBe(false);
  });

  it("applies whitelist and blacklist to guest events only", () => {
    const white = { ...on, mode: "whitelist" as const, patterns: "web*" };
    const black = { ...on, mode: "blacklist" as const, patterns: "web*" };
    expect(shouldNotify(web, white)).toBe(true);
    expect(shouldNotify(db, white)).toBe(false);
    expect(shouldNotify(web, black)).toBe(false);
    expect(shouldNotify(db, black)).toBe(true);
    const blackNode = { ...on, mode: "blacklist" as const, patterns: "node:pve2, *" };
    expect(shouldNotify(node("node-offline"), blackNode)).toBe(true);
    expect(shouldNotify(quorum("quorum-lost"), { ...on, mode: "whitelist", patterns: "" })).toBe(
      true,
    );
  });

  it("notifies no guest with an empty whitelist", () => {
    expect(shouldNotify(web, { ...on, mode: "whitelist", patterns: "" })).toBe(false);
  });

  it("treats an unrecognised mode as all", () => {
    const odd = { ...on, mode: "sometimes" as unknown as NotifySettings["mode"], patterns: "web*" };
    expect(shouldNotify(db, odd)).toBe(true);
  });

  it("accepts a precompiled filter", () => {
    const compiled = parseFilter("tag:prod");
    expect(shouldNotify(web, { ...on, mode: "whitelist", patterns: "ignored" }, compiled)).toBe(
      true,
    );
  });
});

describe("matching cost", () => {
  function steps(pattern: string, text: string): { result: boolean; steps: number } {
    const c: StepCounter = { steps: 0 };
    return { result: wildcardMatch(pattern, text, c), steps: c.steps };
  }

  it("stays linear for many stars with single-character segments", () => {
    const text = "a".repeat(MAX_TEXT_LENGTH);
    const r = steps("*a*a*a*a*a*a*b", text);
    expect(r.result).toBe(false);
    expect(r.steps).toBeLessThanOrEqual(3 * text.length);
  });

  it("stays linear with stars and question marks interleaved", () => {
    const text = "a".repeat(MAX_TEXT_LENGTH);
    const r = steps("*?*?*?*?*b", text);
    expect(r.result).toBe(false);
    expect(r.steps).toBeLessThanOrEqual(3 * text.length);
  });

  it("hits the documented O(n·m) bound for a long last segment, and no more", () => {
    const text = "a".repeat(MAX_TEXT_LENGTH);
    const pattern = "*" + "a".repeat(100) + "b";
    const r = steps(pattern, text);
    expect(r.result).toBe(false);
    expect(r.steps).toBeGreaterThan(text.length * 50);
    expect(r.steps).toBeLessThanOrEqual((pattern.length + 1) * (text.length + 1));
  });

  it("keeps the worst case bounded through the caps: long names are cut before matching", () => {
    const longName = "a".repeat(100_000);
    const f = parseFilter("*" + "a".repeat(MAX_PATTERN_LENGTH - 2) + "b");
    const c: StepCounter = { steps: 0 };
    expect(matchesFilter(ev("guest-started", 1, { name: longName }), f, c)).toBe(false);
    expect(c.steps).toBeLessThanOrEqual((MAX_PATTERN_LENGTH + 1) * (MAX_TEXT_LENGTH + 1));
  });

  it("never exceeds (m+1)(n+1) steps on random inputs", () => {
    const alpha = fc.constantFrom("a", "b", "*", "?");
    fc.assert(
      fc.property(
        fc.string({ unit: alpha, maxLength: 40 }),
        fc.string({ unit: fc.constantFrom("a", "b"), maxLength: 60 }),
        (p, t) => {
          const r = steps(p, t);
          expect(r.steps).toBeLessThanOrEqual((p.length + 1) * (t.length + 1));
        },
      ),
    );
  });
});

describe("agrees with a RegExp reference (test-only)", () => {
  function reference(pattern: string, text: string): boolean {
    let src = "^";
    for (const ch of pattern) {
      if (ch === "*") src += "[\\s\\S]*";
      else if (ch === "?") src += "[\\s\\S]";
      else src += ch.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
    }
    return new RegExp(src + "$").test(text);
  }

  it("on small random patterns and texts", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("a", "b", ".", "*", "?", "("), maxLength: 8 }),
        fc.string({ unit: fc.constantFrom("a", "b", ".", "("), maxLength: 12 }),
        (p, t) => {
          expect(wildcardMatch(p, t)).toBe(reference(p, t));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
