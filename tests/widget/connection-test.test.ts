// The settings page's Test connection and trust on first use.
import { describe, expect, it } from "vitest";
import type { NativeRequestSpec, NativeResult } from "../../src/api/transport-native";
import { createConnectionTest, type ConnectionTestInput } from "../../src/widget/connection-test";
import { certificateAdvice } from "../../src/widget/certificate-advice";
import { keyringTexts } from "../../src/widget/settings-texts";
import { createFakeScheduler, flushPromises } from "../helpers/fake-scheduler";

const OTHER = "CD:".repeat(31) + "CD";
const CERT = {
  fingerprint256: OTHER,
  subject: "CN=pve",
  issuer: "CN=CA",
  validFrom: "a",
  validTo: "b",
};
const INPUT: ConnectionTestInput = {
  host: " pve.example ",
  port: 8006,
  tokenId: "monitor@pve!proxmon",
  secret: "4f1c2d3e-0000-4000-8000-00000000abcd",
  secretStored: false,
  tls: { tlsMode: "system", tlsFingerprint: "", tlsCaPem: "", ignoreSsl: false },
};

/** An XMLHttpRequest that ends with status 0, as Qt's does for an untrusted certificate. */
function refusedXhr(): QmlXMLHttpRequest {
  return {
    readyState: 0,
    status: 0,
    statusText: "",
    responseText: "",
    onreadystatechange: null,
    open() {},
    setRequestHeader() {},
    getResponseHeader: () => null,
    send() {},
    abort() {},
  } as unknown as QmlXMLHttpRequest;
}
function finishLater(xhr: QmlXMLHttpRequest): void {
  const x = xhr as unknown as { readyState: number; onreadystatechange: (() => void) | null };
  void Promise.resolve().then(() => {
    x.readyState = 4;
    if (x.onreadystatechange) x.onreadystatechange();
  });
}

/** Refuses system trust with the certificate; answers /nodes under the right pin. */
function native() {
  const specs: NativeRequestSpec[] = [];
  const request = (spec: NativeRequestSpec, onDone: (r: NativeResult) => void) => {
    specs.push(spec);
    const answer: NativeResult =
      spec.tls.mode === "pin" && spec.tls.fingerprint256 === OTHER
        ? {
            ok: true,
            status: 200,
            body: JSON.stringify({
              data: [{ node: "pve1", status: "online", ssl_fingerprint: OTHER }],
            }),
            headers: { "content-type": "application/json" },
          }
        : {
            ok: false,
            kind: "tls",
            detail: "self signed",
            certificate: CERT,
            tlsErrors: [{ name: "SelfSignedCertificate" }],
          };
    Promise.resolve().then(() => onDone(answer));
    return { abort() {} };
  };
  return { specs, request, requestFresh: request };
}

async function settle(s: ReturnType<typeof createFakeScheduler>): Promise<void> {
  for (let i = 0; i < 20; i++) {
    s.advance(50);
    await flushPromises();
  }
}

describe("connection test", () => {
  it("a refused certificate is shown with its lines, asked about, and can be trusted", async () => {
    const scheduler = createFakeScheduler(1_000_000);
    const mod = native();
    const states: string[] = [];
    const test = createConnectionTest({
      scheduler,
      createRequest: refusedXhr,
      send: finishLater,
      loadNative: () => mod,
      readStoredSecret: () => {
        throw new Error("not asked");
      },
    });
    test.onChange((s) => states.push(s.status));
    test.run(INPUT);
    expect(test.state().status).toBe("running");
    expect(test.state().text).toBe("Connecting…");
    await settle(scheduler);
    const s = test.state();
    expect(s.status).toBe("error");
    expect(s.certificate?.fingerprint256).toBe(OTHER);
    expect(s.fingerprintLine).toBe("SHA-256: " + OTHER);
    expect(s.detailsText).toBe("Subject: CN=pve\nIssuer: CN=CA\nValid: a – b");
    expect(s.pinnedLine).toBe("");
    // The node check goes out pinned to the shown certificate, and finds pve1.
    expect(mod.specs.some((sp) => sp.tls.mode === "pin" && sp.url.indexOf("/nodes") > 0)).toBe(
      true,
    );
    expect(s.nodeCheck).toBe("match");
    expect(s.nodeCheckText).toBe("Proxmox reports this fingerprint for node pve1.");
    expect(test.trust()).toBe(OTHER);
    expect(test.state().status).toBe("");
    expect(test.state().certificate).toBeNull();
    expect(test.trust()).toBe("");
    test.dispose();
  });

  it("without the module: blocked modes say so; an unreachable system test offers the way out", async () => {
    const scheduler = createFakeScheduler(1_000_000);
    const test = createConnectionTest({
      scheduler,
      createRequest: refusedXhr,
      send: finishLater,
      loadNative: () => null,
      readStoredSecret: () => {},
    });
    test.run({ ...INPUT, tls: { ...INPUT.tls, tlsMode: "pin", tlsFingerprint: OTHER } });
    expect(test.state().status).toBe("error");
    expect(test.state().text).toContain("native TLS module");
    expect(test.state().needsWayOut).toBe(true);
    expect(test.state().wayOutText).toContain("./install.sh");
    test.run(INPUT);
    await settle(scheduler);
    expect(test.state().status).toBe("error");
    expect(test.state().needsWayOut).toBe(true);
    test.dispose();
  });

  it("reads a stored secret for the test when the field is empty", async () => {
    const scheduler = createFakeScheduler(1_000_000);
    let asked = 0;
    const test = createConnectionTest({
      scheduler,
      createRequest: () => {
        throw new Error("no XHR");
      },
      send: () => {},
      loadNative: () => native(),
      readStoredSecret: (done) => {
        asked++;
        done(null, "");
      },
    });
    test.run({ ...INPUT, secret: "", secretStored: true });
    expect(asked).toBe(1);
    expect(test.state().status).toBe("error");
    expect(test.state().text).toBe("No token secret is stored for this host, port and token ID.");
  });
});

describe("certificate advice", () => {
  it("warns per mode and names CA problems", () => {
    expect(
      certificateAdvice({ mode: "pin", nativeAvailable: false, caProblem: null }).warning,
    ).toMatch(/^Pinning needs/);
    expect(certificateAdvice({ mode: "pin", nativeAvailable: true, caProblem: null }).warning).toBe(
      "",
    );
    expect(
      certificateAdvice({ mode: "insecure", nativeAvailable: true, caProblem: null }).warning,
    ).toContain("Prefer pinning");
    expect(
      certificateAdvice({ mode: "system", nativeAvailable: true, caProblem: null }).info,
    ).toContain("update-ca-certificates");
    const empty = certificateAdvice({ mode: "ca", nativeAvailable: true, caProblem: "empty" });
    expect(empty.caProblemIsHint).toBe(true);
    expect(empty.caProblemText).toMatch(/^Paste the cluster CA/);
    expect(
      certificateAdvice({ mode: "ca", nativeAvailable: true, caProblem: "private-key" })
        .caProblemText,
    ).toBe("");
    expect(
      certificateAdvice({ mode: "system", nativeAvailable: true, caProblem: "empty" })
        .caProblemText,
    ).toBe("");
  });
});

describe("keyring texts", () => {
  it("say what the wallet holds", () => {
    expect(keyringTexts("stored")).toEqual({
      status: "Keyring: a secret is stored for this host, port and token ID.",
      placeholder: "Stored in KDE Wallet; type to replace it",
    });
    expect(keyringTexts("checking").status).toBe("Keyring: checking…");
    expect(keyringTexts("error").status).toBe("");
    expect(keyringTexts("").placeholder).toBe("The secret shown when the token was created");
  });
});

describe("connection test: the cluster's node addresses", () => {
  it("after a successful test, /cluster/status is read on the proven connection for the failover offer", async () => {
    const scheduler = createFakeScheduler(1_000_000);
    const asked: string[] = [];
    const status = [
      { type: "cluster", name: "home", quorate: 1, nodes: 2 },
      { type: "node", name: "pve1", ip: "10.0.0.11", online: 1 },
      { type: "node", name: "pve2", ip: "10.0.0.12", online: 1 },
    ];
    const request = (spec: NativeRequestSpec, onDone: (r: NativeResult) => void) => {
      const path = new URL(spec.url).pathname.replace("/api2/json", "");
      asked.push(path);
      const data =
        path === "/cluster/resources"
          ? [{ type: "node", node: "pve1", id: "node/pve1", status: "online", cpu: 0.1, maxcpu: 4 }]
          : path === "/cluster/status"
            ? status
            : { version: "8.4.1", release: "8.4", repoid: "x" };
      void Promise.resolve().then(() =>
        onDone({
          ok: true,
          status: 200,
          reason: "OK",
          body: JSON.stringify({ data }),
          headers: {},
        }),
      );
      return { abort: () => undefined };
    };
    const test = createConnectionTest({
      scheduler,
      createRequest: refusedXhr,
      send: finishLater,
      loadNative: () => ({ request, requestFresh: request }),
      readStoredSecret: () => {
        throw new Error("not asked");
      },
    });
    test.run({ ...INPUT, tls: { ...INPUT.tls, tlsMode: "insecure", ignoreSsl: true } });
    expect(test.state().clusterStatus).toBeNull();
    await settle(scheduler);
    await settle(scheduler);
    expect(test.state().status).toBe("ok");
    expect(test.state().clusterStatus).toEqual(status);
    // A new run forgets the last answer until it has its own.
    test.run({ ...INPUT, tls: { ...INPUT.tls, tlsMode: "insecure", ignoreSsl: true } });
    expect(test.state().clusterStatus).toBeNull();
    test.dispose();
    expect(asked.filter((p) => p === "/cluster/status").length).toBeGreaterThanOrEqual(2);
  });
});

describe("the install advice on Plasma 5.27", () => {
  it("names Qt 5's packages in the certificate advice and the test's way out", async () => {
    for (const mode of ["pin", "ca"]) {
      const six = certificateAdvice({ mode, nativeAvailable: false, caProblem: null });
      expect(six.warning).toContain("qt6-base-dev and qt6-declarative-dev");
      const five = certificateAdvice({ mode, nativeAvailable: false, caProblem: null, plasma: 5 });
      expect(five.warning).toContain(
        "cmake, g++, make, qtbase5-dev and qtdeclarative5-dev installed",
      );
      expect(five.warning).not.toContain("qt6");
    }
    const scheduler = createFakeScheduler(1_000_000);
    const test = createConnectionTest({
      scheduler,
      createRequest: refusedXhr,
      send: finishLater,
      loadNative: () => null,
      readStoredSecret: () => {},
      plasma: 5,
    });
    test.run(INPUT);
    await settle(scheduler);
    expect(test.state().needsWayOut).toBe(true);
    expect(test.state().wayOutText).toContain("qtbase5-dev and qtdeclarative5-dev");
    test.dispose();
  });
});
