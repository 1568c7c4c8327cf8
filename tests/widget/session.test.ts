// The widget session end to end on a fake clock: the demo bundle's entry,
// the TLS plan with and without the native module (a stand-in that answers
// like NativeTransport.qml), the keyring states, the state view and the
// popup-only ticking.
import { describe, expect, it } from "vitest";
import type { NativeResult, NativeRequestSpec } from "../../src/api/transport-native";
import { createDemoModule } from "../../src/demo/entry";
import type { Notification } from "../../src/notify/limiter";
import {
  createWidgetSession,
  initialWidgetView,
  type SecretInput,
  type WidgetConfig,
  type WidgetView,
} from "../../src/widget/session";
import type { NativeModule } from "../../src/widget/transport-choice";
import { createFakeScheduler, flushPromises } from "../helpers/fake-scheduler";

const FP = "AB:".repeat(31) + "AB";
const OTHER = "CD:".repeat(31) + "CD";
const CERT = {
  fingerprint256: OTHER,
  subject: "CN=pve",
  issuer: "CN=PVE Cluster Manager CA",
  validFrom: "2025-01-01",
  validTo: "2027-01-01",
};
const NO_SECRET: SecretInput = { secret: "", state: "idle", errorMessage: "", generation: 0 };
const SECRET: SecretInput = {
  secret: "4f1c2d3e-0000-4000-8000-00000000abcd",
  state: "ok",
  errorMessage: "",
  generation: 1,
};
const LIVE: WidgetConfig = {
  proxmoxHost: "pve.example",
  proxmoxPort: 8006,
  apiTokenId: "monitor@pve!proxmon",
  refreshInterval: 30,
};

/** A native module that refuses every connection with the server's certificate. */
function refusingNative(pinned = ""): NativeModule & { specs: NativeRequestSpec[] } {
  const specs: NativeRequestSpec[] = [];
  const request = (spec: NativeRequestSpec, onDone: (r: NativeResult) => void) => {
    specs.push(spec);
    const answer: NativeResult =
      pinned !== ""
        ? {
            ok: false,
            kind: "tls",
            detail: "certificate fingerprint mismatch",
            pinMismatch: true,
            expectedFingerprint256: pinned,
            certificate: CERT,
            tlsErrors: [],
          }
        : {
            ok: false,
            kind: "tls",
            detail: "self signed",
            certificate: CERT,
            tlsErrors: [{ name: "SelfSignedCertificateInChain", message: "self signed" }],
          };
    Promise.resolve().then(() => onDone(answer));
    return { abort() {} };
  };
  return { specs, request, requestFresh: request };
}

function setup(native: NativeModule | null = null) {
  const scheduler = createFakeScheduler(1_700_000_000_000);
  const logs: string[] = [];
  const notifications: Notification[] = [];
  const xhrs: unknown[] = [];
  let demoLoads = 0;
  const session = createWidgetSession({
    scheduler,
    createRequest: () => {
      throw new Error("no XHR in this test");
    },
    send: (xhr) => xhrs.push(xhr),
    loadNative: () => native,
    loadDemo: () => {
      demoLoads++;
      return createDemoModule();
    },
    notify: (n) => notifications.push(n),
    log: (level, message) => logs.push(level + " " + message),
    // Marks translated text, so a test sees that every text went through tr.
    tr: (template, ...args) =>
      "«" +
      args.reduce<string>((s, a, i) => s.split("%" + (i + 1)).join(String(a)), template) +
      "»",
  });
  const views: WidgetView[] = [];
  const rows: WidgetView[] = [];
  session.onView((v) => views.push(v));
  session.onRows((v) => rows.push(v));
  return { scheduler, session, logs, views, rows, notifications, demoLoads: () => demoLoads };
}

async function settle(s: ReturnType<typeof createFakeScheduler>, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 100) {
    s.advance(100);
    await flushPromises();
  }
}

describe("widget session", () => {
  it("starts with a complete view: connecting, no nulls", () => {
    const { session } = setup();
    const v = session.view();
    expect(v.phase).toBe("loading");
    expect(v.state.busy).toBe(true);
    expect(v.nodes).toEqual([]);
    expect(v.guestsByNode).toEqual({});
    for (const [key, value] of Object.entries(v)) {
      if (key !== "summary") expect(value, key).not.toBeNull();
    }
  });

  it("the view before the session: the same complete connecting view, translated", () => {
    const v = initialWidgetView((template) => "«" + template + "»");
    expect(v.phase).toBe("loading");
    expect(v.toolTipSubText).toBe("«Connecting…»");
    expect(v.state.busy).toBe(true);
  });

  it("loads the demo only when chosen, and shows it with translated texts", async () => {
    const t = setup();
    t.session.update(LIVE, SECRET);
    expect(t.demoLoads()).toBe(0);
    t.session.update({ demoMode: true, refreshInterval: 30 }, NO_SECRET);
    expect(t.demoLoads()).toBe(1);
    await settle(t.scheduler, 1000);
    const v = t.session.view();
    expect(v.phase).toBe("ok");
    expect(v.nodes.length).toBe(3);
    expect(v.headerSubtitle).toContain("«demo»");
    expect(v.toolTipMainText).toBe("«ProxMon (demo cluster)»");
    expect(v.toolTipSubText).toContain("«Nodes online: 3 of 3»");
    expect(v.footerText).toMatch(/^«Nodes /);
    expect(v.cpuLabel).toMatch(/^\d+%$/);
    expect(v.webUrl).toBe("");
    expect(v.state.showLeaveDemo).toBe(true);
  });

  it("syncs the lists only while the popup is open, and at once when it opens", async () => {
    const t = setup();
    t.session.update({ demoMode: true, refreshInterval: 30 }, NO_SECRET);
    await settle(t.scheduler, 1000);
    expect(t.views.length).toBeGreaterThan(0);
    expect(t.rows.length).toBe(0);
    t.session.setPopupOpen(true);
    expect(t.rows.length).toBe(1);
    expect(t.rows[0]!.nodes.length).toBe(3);
    t.session.setPopupOpen(false);
    const n = t.rows.length;
    await settle(t.scheduler, 31_000);
    expect(t.rows.length).toBe(n);
  });

  it("ticks the age every second only while the popup is open or the panel item hovered", async () => {
    const t = setup();
    t.session.update({ demoMode: true, refreshInterval: 3600 }, NO_SECRET);
    await settle(t.scheduler, 1000);
    const closed = t.views.length;
    await settle(t.scheduler, 5000);
    expect(t.views.length).toBe(closed);
    t.session.setPopupOpen(true);
    const opened = t.views.length;
    await settle(t.scheduler, 3000);
    expect(t.views.length - opened).toBe(3);
    expect(t.session.view().updatedText).toMatch(/^«updated \d s ago»$/);
    t.session.setPopupOpen(false);
    expect(t.scheduler.pending()).toBeLessThanOrEqual(1); // only the monitor's next refresh
    t.session.setHovered(true);
    const hovered = t.views.length;
    await settle(t.scheduler, 2000);
    expect(t.views.length - hovered).toBe(2);
    expect(t.session.view().toolTipSubText).toContain("«Last update: ");
    t.session.setHovered(false);
  });

  it("a secret still being read looks like connecting; a missing one says so", () => {
    const t = setup();
    t.session.update(LIVE, { secret: "", state: "reading", errorMessage: "", generation: 0 });
    expect(t.session.view().phase).toBe("loading");
    t.session.update(LIVE, { secret: "", state: "missing", errorMessage: "", generation: 0 });
    const v = t.session.view();
    expect(v.phase).toBe("unconfigured");
    expect(v.state.title).toBe("«Missing token secret»");
    expect(v.state.explanation).toContain("KDE Wallet");
    expect(v.state.showRetry).toBe(true);
    expect(v.state.retryAction).toBe("reloadSecret");
    expect(v.toolTipSubText).toBe("«Missing token secret»");
    t.session.update(LIVE, {
      secret: "",
      state: "error",
      errorMessage: "Access denied",
      generation: 0,
    });
    expect(t.session.view().state.explanation).toBe("Access denied");
  });

  it("not configured: the demo and configure buttons, and why", () => {
    const t = setup();
    t.session.update({}, NO_SECRET);
    const v = t.session.view();
    expect(v.phase).toBe("unconfigured");
    expect(v.state.showDemo).toBe(true);
    expect(v.state.showConfigure).toBe(true);
    expect(v.state.showRetry).toBe(false);
    expect(v.state.explanation).toContain("host");
    expect(v.toolTipSubText).toBe("«Not configured»");
  });

  it("pin without the native module: blocked, nothing sent, the way out shown", () => {
    const t = setup(null);
    t.session.update({ ...LIVE, tlsMode: "pin", tlsFingerprint: FP }, SECRET);
    const v = t.session.view();
    expect(v.phase).toBe("error");
    expect(v.errorKind).toBe("tls-setup");
    expect(v.hasError).toBe(true);
    expect(v.statusColor).toBe("negative");
    expect(v.panelLabel).toBe("\u2014");
    expect(v.errorMessage).toContain("native TLS module");
    expect(v.state.title).toBe("«The native TLS module is not installed»");
    expect(v.state.explanation).toContain("./install.sh");
    expect(v.state.explanation).toContain("sudo update-ca-certificates");
    expect(v.state.detailed).toBe(true);
    expect(t.logs).toContain("warn tls: pin mode cannot be used (native-missing); nothing is sent");
    expect(t.scheduler.pending()).toBe(0);
  });

  it("a bad CA or fingerprint is named, not sent", () => {
    const t = setup(refusingNative());
    t.session.update(
      {
        ...LIVE,
        tlsMode: "ca",
        tlsCaPem: "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n",
      },
      SECRET,
    );
    expect(t.session.view().errorMessage).toContain("private key");
    expect(t.session.view().state.title).toBe(
      "«The Proxmox cluster CA in the settings is not valid»",
    );
    t.session.update({ ...LIVE, tlsMode: "pin", tlsFingerprint: "nope" }, SECRET);
    expect(t.session.view().state.title).toBe("«The pinned fingerprint is not valid»");
  });

  it("a changed certificate under a pin: both fingerprints, the warning, logged once", async () => {
    const native = refusingNative(FP);
    const t = setup(native);
    t.session.update({ ...LIVE, developerMode: true, tlsMode: "pin", tlsFingerprint: FP }, SECRET);
    await settle(t.scheduler, 500);
    const v = t.session.view();
    expect(v.phase).toBe("error");
    expect(v.errorKind).toBe("tls");
    expect(v.state.title).toBe("«The server's certificate has changed»");
    expect(v.state.certificate?.fingerprint256).toBe(OTHER);
    expect(v.state.certificate?.fingerprintLabel).toBe("«Server now:»");
    expect(v.state.pinnedFingerprint).toBe(FP);
    expect(native.specs[0]!.tls.mode).toBe("pin");
    const certLines = t.logs.filter(
      (l) => l.indexOf("tls: server certificate SHA-256 " + OTHER) >= 0,
    );
    expect(certLines.length).toBe(1);
    expect(
      t.logs.some(
        (l) => l.indexOf("debug state view: «The server's certificate has changed»") === 0,
      ),
    ).toBe(true);
    // The secret never reaches a log line or the view.
    expect(t.logs.join("\n")).not.toContain(SECRET.secret);
    expect(JSON.stringify(v)).not.toContain(SECRET.secret);
  });

  it("insecure mode with the module: connects and keeps the warning flag", () => {
    const t = setup(refusingNative());
    t.session.update({ ...LIVE, tlsMode: "insecure" }, SECRET);
    expect(t.session.view().tlsInsecure).toBe(true);
    expect(
      t.logs.some((l) => l.indexOf("warn tls: insecure mode via the native module") === 0),
    ).toBe(true);
  });

  it("keeps one pipeline across view-only changes and rebuilds on connection changes", async () => {
    const t = setup();
    t.session.update({ demoMode: true, refreshInterval: 3600 }, NO_SECRET);
    await settle(t.scheduler, 1000);
    const before = t.logs.filter((l) => l === "info demo mode").length;
    t.session.update({ demoMode: true, refreshInterval: 3600, defaultSorting: "name" }, NO_SECRET);
    t.session.update(
      { demoMode: true, refreshInterval: 3600, defaultSorting: "name", developerMode: true },
      NO_SECRET,
    );
    expect(t.logs.filter((l) => l === "info demo mode").length).toBe(before);
    expect(t.logs).toContain("info developer mode on");
    await settle(t.scheduler, 200);
    expect(t.session.view().nodes[0]!.name).toMatch(/^node-/);
    t.session.update({ demoMode: true, refreshInterval: 60 }, NO_SECRET);
    expect(t.logs.filter((l) => l === "info demo mode").length).toBe(before + 1);
  });
});
