import { describe, expect, it } from "vitest";
import { createNotificationLimiter, rateKey, type LimiterOptions } from "../../src/notify/limiter";
import { createChangeTracker, type ChangeEvent } from "../../src/notify/diff";
import { plainTranslator } from "../../src/notify/message";
import { ev, snap } from "./helpers";

const SEC = 1000;
const T0 = 1_700_000_000_000;
const at = (sec: number) => T0 + sec * SEC;

function limiter(extra: Partial<LimiterOptions> = {}) {
  return createNotificationLimiter({ endpoint: "https://pve-a:8006", ...extra });
}

const offline = (name: string): ChangeEvent => ({
  kind: "node-offline",
  key: "node/" + name,
  name,
  node: name,
  status: "offline",
  previousStatus: "online",
});

describe("single notifications and rate limit", () => {
  it("sends one plain notification for one change", () => {
    const l = limiter();
    const out = l.process([ev("guest-started", 101, { name: "web-01" })], at(0));
    expect(out).toEqual([
      {
        kind: "single",
        urgency: "normal",
        title: "web-01 started",
        body: "web-01 (101) started on pve1",
        events: [expect.objectContaining({ vmid: 101 })],
        suppressedCount: 0,
        suppressed: [],
        guests: [101],
      },
    ]);
  });

  it("returns nothing for no changes", () => {
    expect(limiter().process([], at(0))).toEqual([]);
  });

  it("holds back a repeat of the same transition and folds it into the next notification", () => {
    const l = limiter();
    expect(l.process([ev("guest-started", 101)], at(0))).toHaveLength(1);
    expect(l.process([ev("guest-stopped", 101)], at(10))).toHaveLength(1);
    expect(l.process([ev("guest-started", 101)], at(20))).toEqual([]);
    expect(l.pendingCount()).toBe(1);
    const out = l.process([ev("guest-started", 102)], at(30));
    expect(out).toHaveLength(1);
    expect(out[0]?.suppressedCount).toBe(1);
    expect(out[0]?.suppressed.map((e) => e.vmid)).toEqual([101]);
    expect(out[0]?.body).toBe("vm102 (102) started on pve1\n+1 more change");
    expect(l.pendingCount()).toBe(0);
  });

  it("lets the same transition through again once the interval has passed", () => {
    const l = limiter({ minIntervalSec: 60 });
    l.process([ev("guest-started", 101)], at(0));
    l.process([ev("guest-stopped", 101)], at(1));
    expect(l.process([ev("guest-started", 101)], at(59))).toEqual([]);
    expect(l.process([ev("guest-stopped", 101)], at(61))[0]?.suppressedCount).toBe(1);
  });

  it("does not rate-limit at all with minIntervalSec 0", () => {
    const l = limiter({ minIntervalSec: 0, flapping: { changes: 0 } });
    for (let i = 0; i < 10; i++) {
      expect(l.process([ev(i % 2 ? "guest-stopped" : "guest-started", 101)], at(i))).toHaveLength(
        1,
      );
    }
    expect(l.pendingCount()).toBe(0);
  });

  it("never holds back a node going offline", () => {
    const l = limiter({ flapping: { changes: 0 } });
    expect(l.process([offline("pve2")], at(0))[0]?.urgency).toBe("high");
    l.process([{ ...offline("pve2"), kind: "node-online", status: "online" }], at(10));
    const again = l.process([offline("pve2")], at(20));
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({
      urgency: "high",
      title: "Node pve2 offline",
      body: "Node pve2 is offline",
    });
  });
});

describe("flush and summaries", () => {
  it("summarises held-back changes once the interval has passed since the first", () => {
    const l = limiter();
    l.process([ev("guest-started", 101), ev("guest-started", 102)], at(0));
    l.process([ev("guest-started", 101)], at(30));
    l.process([ev("guest-started", 102)], at(40));
    expect(l.pendingCount()).toBe(2);
    expect(l.flush(at(100))).toEqual([]);
    const out = l.flush(at(150));
    expect(out).toEqual([
      {
        kind: "summary",
        urgency: "normal",
        title: "2 more changes",
        body: "vm101 (101) started on pve1\nvm102 (102) started on pve1",
        events: [expect.objectContaining({ vmid: 101 }), expect.objectContaining({ vmid: 102 })],
        suppressedCount: 2,
        suppressed: [
          expect.objectContaining({ vmid: 101 }),
          expect.objectContaining({ vmid: 102 }),
        ],
        guests: [101, 102],
      },
    ]);
    expect(l.pendingCount()).toBe(0);
    expect(l.flush(at(400))).toEqual([]);
  });

  it("uses the singular for one held-back change and lists at most maxLines", () => {
    const l = limiter({ maxLines: 2, flapping: { changes: 0 } });
    l.process([ev("guest-started", 101)], at(0));
    l.process([ev("guest-started", 101)], at(1));
    expect(l.flush(at(200))[0]?.title).toBe("1 more change");

    const m = limiter({ maxLines: 2, flapping: { changes: 0 } });
    const five = [1, 2, 3, 4, 5].map((i) => ev("guest-stopped", 100 + i));
    m.process(five, at(0));
    m.process(five, at(1));
    const s = m.flush(at(200))[0];
    expect(s?.title).toBe("5 more changes");
    expect(s?.body.split("\n")).toEqual([
      "vm101 (101) stopped on pve1",
      "vm102 (102) stopped on pve1",
      "and 3 more",
    ]);
  });

  it("counts what it can no longer list, never dropping it", () => {
    const l = limiter({ flapping: { changes: 0 } });
    const many = Array.from({ length: 150 }, (_, i) => ev("guest-started", 1000 + i));
    l.process(many, at(0));
    l.process(many, at(1));
    const s = l.flush(at(200))[0];
    expect(s?.suppressedCount).toBe(150);
    expect(s?.suppressed.length).toBeLessThan(150);
    expect(s?.body.split("\n").pop()).toBe("and 145 more");
  });

  it("a process() call with nothing new acts as a flush", () => {
    const l = limiter();
    l.process([ev("guest-started", 101)], at(0));
    l.process([ev("guest-started", 101)], at(5));
    expect(l.process([], at(200))[0]?.kind).toBe("summary");
  });
});

describe("endpoints", () => {
  it("builds distinct keys for the same VMID on two endpoints", () => {
    const e = ev("guest-started", 101);
    expect(rateKey("https://a:8006", e)).not.toBe(rateKey("https://b:8006", e));
    expect(rateKey("a", e)).not.toBe(rateKey("a", { ...e, kind: "guest-stopped" }));
  });

  it("does not let one cluster's change hold back the same VMID on another", () => {
    const l = limiter();
    expect(l.process([ev("guest-started", 101)], at(0), "https://a:8006")).toHaveLength(1);
    expect(l.process([ev("guest-started", 101)], at(1), "https://b:8006")).toHaveLength(1);
    expect(l.process([ev("guest-started", 101)], at(2), "https://a:8006")).toEqual([]);
    expect(l.pendingCount()).toBe(1);
  });

  it("keeps separate limiters independent", () => {
    const a = limiter({ endpoint: "a" });
    const b = limiter({ endpoint: "b" });
    a.process([ev("guest-started", 101)], at(0));
    expect(b.process([ev("guest-started", 101)], at(1))).toHaveLength(1);
  });
});

describe("grouping", () => {
  it("groups several changes of one refresh into one notification", () => {
    const l = limiter();
    const out = l.process(
      [ev("guest-started", 101), ev("guest-stopped", 102, { name: "db" }), ev("guest-paused", 103)],
      at(0),
    );
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      kind: "group",
      urgency: "normal",
      title: "3 guests changed",
      body: "vm101 (101) started on pve1\ndb (102) stopped on pve1\nvm103 (103) paused on pve1",
      guests: [101, 102, 103],
    });
  });

  it("lists at most five lines, then 'and N more'", () => {
    const events = Array.from({ length: 8 }, (_, i) => ev("guest-stopped", 101 + i));
    const out = limiter().process(events, at(0));
    const lines = out[0]?.body.split("\n") ?? [];
    expect(lines).toHaveLength(6);
    expect(lines[5]).toBe("and 3 more");
    expect(out[0]?.events).toHaveLength(8);
  });

  it("leads with a high-urgency change", () => {
    const out = limiter().process(
      [ev("guest-stopped", 101), ev("guest-stopped", 102), offline("pve2")],
      at(0),
    );
    expect(out[0]).toMatchObject({
      kind: "group",
      urgency: "high",
      title: "Node pve2 offline (+2 more)",
    });
    expect(out[0]?.body.split("\n")[0]).toBe("Node pve2 is offline");
  });

  it("titles mixed node and guest changes by count", () => {
    const online: ChangeEvent = { ...offline("pve2"), kind: "node-online", status: "online" };
    const out = limiter().process([online, ev("guest-started", 101)], at(0));
    expect(out[0]?.title).toBe("2 changes");
  });
});

describe("flapping", () => {
  const flip = (i: number) =>
    ev(i % 2 === 0 ? "guest-started" : "guest-stopped", 101, {
      status: i % 2 === 0 ? "running" : "stopped",
    });

  it("sends one flapping notice, mutes the guest, then says when it is stable again", () => {
    const l = limiter();
    const sent = [0, 1, 2, 3].map((i) => l.process([flip(i)], at(i * 30)));
    expect(sent.map((o) => o.map((n) => n.kind))).toEqual([
      ["single"],
      ["single"],
      [],
      ["flapping"],
    ]);
    const notice = sent[3]?.[0];
    expect(notice).toMatchObject({
      title: "vm101 is flapping",
      suppressedCount: 1,
      guests: [101],
      body: "vm101 (101) changed state 4 times within 10 minutes; muted until it has been stable for 10 minutes\n+1 more change",
    });
    // Muted: neither notified nor held back for a summary.
    for (let i = 4; i < 9; i++) expect(l.process([flip(i)], at(i * 30))).toEqual([]);
    expect(l.pendingCount()).toBe(0);
    const last = 8 * 30;
    expect(l.flush(at(last + 599))).toEqual([]);
    expect(l.flush(at(last + 600))).toEqual([
      expect.objectContaining({
        kind: "stable",
        urgency: "low",
        title: "vm101 is stable again",
        body: "vm101 (101) is stable again: now running (5 changes were not shown)",
        guests: [101],
      }),
    ]);
    expect(l.flush(at(last + 1200))).toEqual([]);
    // Back to normal afterwards.
    expect(l.process([flip(9)], at(last + 1300))[0]?.kind).toBe("single");
  });

  it("does not call changes spread wider than the window flapping", () => {
    const l = limiter({ minIntervalSec: 0 });
    const kinds = [0, 1, 2, 3, 4, 5].map((i) => l.process([flip(i)], at(i * 250))[0]?.kind);
    expect(kinds).toEqual(["single", "single", "single", "single", "single", "single"]);
  });

  it("folds a stable notice into a group with new changes of others", () => {
    const l = limiter({ flapping: { changes: 2, windowSec: 60, quietSec: 60 } });
    l.process([flip(0)], at(0));
    expect(l.process([flip(1)], at(10))[0]?.kind).toBe("flapping");
    const out = l.process([ev("guest-started", 202)], at(100));
    expect(out).toHaveLength(1);
    expect(out[0]?.kind).toBe("group");
    expect(out[0]?.body).toBe(
      "vm202 (202) started on pve1\nvm101 (101) is stable again: now stopped",
    );
    expect(out[0]?.title).toBe("2 guests changed");
  });

  it("tracks flapping per subject across a real tracker timeline", () => {
    const tracker = createChangeTracker();
    const l = limiter();
    const kinds: string[] = [];
    const statuses = ["running", "stopped", "running", "stopped", "running", "stopped", "running"];
    statuses.forEach((s, i) => {
      const events = tracker.update(snap({ guests: [{ vmid: 101, status: s }] }));
      for (const n of l.process(events, at(i * 20))) kinds.push(n.kind);
    });
    expect(kinds).toEqual(["single", "single", "flapping"]);
    expect(l.flush(at(6 * 20 + 600)).map((n) => n.body)).toEqual([
      "vm101 (101) is stable again: now running (2 changes were not shown)",
    ]);
  });
});

describe("translation and reset", () => {
  it("routes every text through the translator", () => {
    const seen: string[] = [];
    const tr = (t: string, ...a: Array<string | number>) => {
      seen.push(t);
      return "<" + plainTranslator(t, ...a) + ">";
    };
    const out = limiter({ tr }).process(
      [ev("guest-started", 101), ev("guest-stopped", 102)],
      at(0),
    );
    expect(out[0]?.title).toBe("<2 guests changed>");
    expect(out[0]?.body).toBe("<vm101 (101) started on pve1>\n<vm102 (102) stopped on pve1>");
    expect(seen).toContain("%1 started on %2");
  });

  it("reset() forgets held-back changes, rate keys and flapping", () => {
    const l = limiter();
    l.process([ev("guest-started", 101)], at(0));
    l.process([ev("guest-started", 101)], at(1));
    l.reset();
    expect(l.pendingCount()).toBe(0);
    expect(l.process([ev("guest-started", 101)], at(2))).toHaveLength(1);
  });
});
