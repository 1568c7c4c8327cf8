// Once the widget is gone (its façade destroyed, the session disposed),
// nothing the session started may call into QML again: the translator,
// notifier, timers and transport belong to destroyed objects. A full
// backups read is many requests in a row and was still going, through the
// destroyed translator, after the popup tests destroyed their façades.
import { describe, expect, it } from "vitest";
import { createDemoTransport, DEMO_SCENARIO } from "../../src/demo/transport";
import { demoSettings } from "../../src/demo/settings";
import type { TransportRequest } from "../../src/api/transport";
import { closableClient } from "../../src/api/closable-client";
import { createWidgetSession, type SecretInput } from "../../src/widget/session";
import { createFakeScheduler, flushPromises } from "../helpers/fake-scheduler";

const NO_SECRET: SecretInput = { secret: "", state: "idle", errorMessage: "", generation: 0 };

async function settle(s: ReturnType<typeof createFakeScheduler>, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 50) {
    s.advance(50);
    await flushPromises();
  }
}

describe("after dispose", () => {
  it("a full backups read cut short: no request, translation, timer or notification follows", async () => {
    const fake = createFakeScheduler(Date.UTC(2026, 11, 1, 12, 0, 0));
    const calls = { tr: 0, schedule: 0, notify: 0, sent: [] as string[] };
    const session = createWidgetSession({
      scheduler: {
        now: () => fake.now(),
        schedule(ms, cb) {
          calls.schedule++;
          return fake.schedule(ms, cb);
        },
      },
      createRequest: () => {
        throw new Error("no XHR");
      },
      send: () => undefined,
      loadNative: () => null,
      loadDemo: () => ({
        createTransport: (d) => {
          // Slow answers, so the read is surely in flight at dispose().
          const inner = createDemoTransport({
            scheduler: d.scheduler,
            scenario: DEMO_SCENARIO,
            latencyMs: 200,
          });
          return {
            ...inner,
            send(r: TransportRequest) {
              calls.sent.push(r.url.replace(/^https:\/\/[^/]+\/api2\/json/, "").split("?")[0]!);
              return inner.send(r);
            },
          };
        },
        settings: demoSettings,
      }),
      tr: (template, ...args) => {
        calls.tr++;
        return args.reduce<string>((s, a, i) => s.split("%" + (i + 1)).join(String(a)), template);
      },
      notify: () => {
        calls.notify++;
      },
      utcOffset: () => 0,
    });
    session.update({ demoMode: true, refreshInterval: 30, enableNotifications: true }, NO_SECRET);
    for (let i = 0; i < 200 && calls.sent.indexOf("/cluster/backup") < 0; i++)
      await settle(fake, 50);
    expect(calls.sent).toContain("/cluster/backup");
    session.dispose();
    const after = {
      tr: calls.tr,
      schedule: calls.schedule,
      notify: calls.notify,
      sent: calls.sent.length,
    };
    await settle(fake, 120_000);
    expect(calls.sent.length).toBe(after.sent);
    expect(calls.tr).toBe(after.tr);
    expect(calls.schedule).toBe(after.schedule);
    expect(calls.notify).toBe(after.notify);
  });
});

describe("closableClient", () => {
  it("aborts what is in flight at close and sends nothing afterwards", async () => {
    const aborted: string[] = [];
    const asked: string[] = [];
    let release: (() => void) | null = null;
    const link = closableClient({
      get(path) {
        asked.push(path);
        return {
          result: new Promise((resolve) => {
            release = () => resolve({ ok: true, value: path });
          }),
          abort: () => aborted.push(path),
        };
      },
    });
    const first = link.client.get("/cluster/backup");
    link.close();
    expect(aborted).toEqual(["/cluster/backup"]);
    (release as unknown as () => void)();
    const r = await first.result;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe("aborted");
    const second = await link.client.get("/cluster/tasks").result;
    expect(second.ok).toBe(false);
    expect(asked).toEqual(["/cluster/backup"]);
    expect(link.closed()).toBe(true);
  });
});
