import { describe, expect, it } from "vitest";

import { classifyWireFailure, WIRE_DETAIL } from "../../src/api/errors";
import type {
  PendingRequest,
  Transport,
  TransportRequest,
  TransportResult,
} from "../../src/api/transport";
import {
  checkNodeFingerprint,
  effectiveTlsMode,
  matchNodeFingerprint,
  planTls,
  withTlsDiagnosis,
} from "../../src/api/trust";

const FP = "AB:".repeat(31) + "AB";
const OTHER = "CD:".repeat(31) + "CD";
const CERT = {
  fingerprint256: FP,
  subject: "CN=pve1",
  issuer: "CN=Proxmox Virtual Environment",
  validFrom: "2025-01-01T00:00:00.000Z",
  validTo: "2027-01-01T00:00:00.000Z",
};

/** A transport whose answers the test queues; records requests and aborts. */
function scripted(
  answers: TransportResult[],
): Transport & { requests: TransportRequest[]; aborts: number } {
  const t = {
    requests: [] as TransportRequest[],
    aborts: 0,
    send(request: TransportRequest): PendingRequest {
      t.requests.push(request);
      const answer = answers.shift() ?? {
        ok: false,
        failure: { kind: "aborted", detail: "none left" },
      };
      return {
        result: Promise.resolve(answer as TransportResult),
        abort: () => {
          t.aborts++;
        },
      };
    },
  };
  return t;
}

const NO_RESPONSE: TransportResult = {
  ok: false,
  failure: { kind: "unreachable", detail: WIRE_DETAIL.noResponse },
};
const TLS_REFUSED: TransportResult = {
  ok: false,
  failure: { kind: "tls", detail: "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", certificate: CERT },
};
const REQUEST: TransportRequest = {
  method: "GET",
  url: "https://pve:8006/api2/json/version",
  headers: {},
  timeoutMs: 1000,
};

describe("matchNodeFingerprint", () => {
  const nodes = [
    { node: "pve1", ssl_fingerprint: OTHER.toLowerCase() },
    { node: "pve2", ssl_fingerprint: FP },
  ];
  it("finds the node whose ssl_fingerprint matches, in any spelling", () => {
    expect(matchNodeFingerprint(nodes, FP)).toBe("pve2");
    expect(matchNodeFingerprint(nodes, FP.replace(/:/g, "").toLowerCase())).toBe("pve2");
    expect(matchNodeFingerprint(nodes, "sha256 Fingerprint=" + OTHER)).toBe("pve1");
  });
  it("returns null for no match, garbage input or data that is not a list", () => {
    expect(matchNodeFingerprint(nodes, "EF:".repeat(31) + "EF")).toBeNull();
    expect(matchNodeFingerprint(nodes, "not a fingerprint")).toBeNull();
    expect(matchNodeFingerprint(null, FP)).toBeNull();
    expect(matchNodeFingerprint({ node: "pve2", ssl_fingerprint: FP }, FP)).toBeNull();
    expect(matchNodeFingerprint([{ node: "pve3" }, 7, null], FP)).toBeNull();
  });
});

describe("planTls", () => {
  const base = { tlsMode: "system", tlsFingerprint: "", ignoreSsl: false };
  it("keeps system trust on XMLHttpRequest, with or without the native module", () => {
    expect(planTls(base, false)).toEqual({
      transport: "xhr",
      mode: "system",
      policy: { mode: "system" },
    });
    expect(planTls(base, true).transport).toBe("xhr");
  });
  it("on Plasma 5 (XHR through KIO) system trust goes through the module when it is there", () => {
    expect(planTls(base, true, true)).toEqual({
      transport: "native",
      mode: "system",
      policy: { mode: "system" },
    });
    expect(planTls(base, false, true).transport).toBe("xhr");
    // Only system trust changes: the other modes are the module's anyway.
    const pin = { ...base, tlsMode: "pin", tlsFingerprint: FP };
    expect(planTls(pin, true, true)).toEqual(planTls(pin, true));
  });
  it("pins through the native module, normalising the fingerprint", () => {
    const plan = planTls({ ...base, tlsMode: "pin", tlsFingerprint: FP.toLowerCase() }, true);
    expect(plan).toEqual({
      transport: "native",
      mode: "pin",
      policy: { mode: "pin", fingerprint256: FP },
    });
    expect(planTls({ ...base, tlsMode: "pinned", tlsFingerprint: FP }, true).transport).toBe(
      "native",
    );
  });
  it("refuses pin and insecure without the native module instead of falling back", () => {
    expect(planTls({ ...base, tlsMode: "pin", tlsFingerprint: FP }, false)).toEqual({
      transport: "blocked",
      mode: "pin",
      problem: "native-missing",
    });
    expect(planTls({ ...base, ignoreSsl: true }, false)).toEqual({
      transport: "blocked",
      mode: "insecure",
      problem: "native-missing",
    });
  });
  it("refuses a pin that is not a SHA-256", () => {
    expect(planTls({ ...base, tlsMode: "pin", tlsFingerprint: "12:34" }, true)).toMatchObject({
      transport: "blocked",
      problem: "bad-fingerprint",
    });
  });
  it("maps the earlier edition's ignoreSsl to insecure, but a pin wins over it", () => {
    expect(effectiveTlsMode({ ...base, ignoreSsl: true })).toBe("insecure");
    expect(planTls({ ...base, ignoreSsl: true }, true)).toEqual({
      transport: "native",
      mode: "insecure",
      policy: { mode: "insecure" },
    });
    expect(effectiveTlsMode({ tlsMode: "pin", tlsFingerprint: FP, ignoreSsl: true })).toBe("pin");
    expect(effectiveTlsMode({ tlsMode: "", tlsFingerprint: "", ignoreSsl: false })).toBe("system");
  });
});

describe("planTls with the cluster CA", () => {
  const body = "MIIB" + "QUJD".repeat(15); // one 64-column line: already canonical
  const CA = "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
  const base = { tlsMode: "ca", tlsFingerprint: "", ignoreSsl: false, tlsCaPem: CA };
  it("verifies against the pasted CA through the native module", () => {
    expect(effectiveTlsMode(base)).toBe("ca");
    expect(effectiveTlsMode({ ...base, tlsMode: " CA " })).toBe("ca");
    expect(planTls({ ...base, tlsCaPem: "pasted:\n" + CA }, true)).toEqual({
      transport: "native",
      mode: "ca",
      policy: { mode: "ca", caPem: CA },
    });
  });
  it("refuses without the native module, like pin mode", () => {
    expect(planTls(base, false)).toEqual({
      transport: "blocked",
      mode: "ca",
      problem: "native-missing",
    });
  });
  it("refuses a missing, broken or secret PEM before anything else", () => {
    const { tlsCaPem: _omit, ...noPem } = base;
    void _omit;
    expect(planTls(noPem, true)).toEqual({
      transport: "blocked",
      mode: "ca",
      problem: "bad-ca",
      caProblem: "empty",
    });
    expect(planTls({ ...base, tlsCaPem: "hello" }, false)).toMatchObject({
      problem: "bad-ca",
      caProblem: "no-certificate",
    });
    const key = "-----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY-----\n";
    expect(planTls({ ...base, tlsCaPem: CA + key }, true)).toMatchObject({
      transport: "blocked",
      problem: "bad-ca",
      caProblem: "private-key",
    });
  });
  it("is not switched on by ignoreSsl from the earlier edition", () => {
    expect(planTls({ ...base, ignoreSsl: true }, true)).toMatchObject({ mode: "ca" });
  });
});

describe("withTlsDiagnosis", () => {
  it("re-sends a status-0 failure through the diagnosing transport and reports its TLS error", async () => {
    const xhr = scripted([NO_RESPONSE]);
    const native = scripted([TLS_REFUSED]);
    const result = await withTlsDiagnosis(xhr, native).send(REQUEST).result;
    expect(native.requests).toEqual([REQUEST]);
    expect(result).toEqual(TLS_REFUSED);
    if (result.ok) throw new Error("expected a failure");
    const error = classifyWireFailure(result.failure, {
      host: "pve",
      port: 8006,
      path: "/version",
    });
    expect(error.kind).toBe("tls");
    expect(error.certificate?.fingerprint256).toBe(FP);
    expect(error.message).toContain(FP);
  });
  it("leaves successes and other failures alone", async () => {
    const ok: TransportResult = {
      ok: true,
      response: { status: 200, reason: "OK", body: "{}", headers: {} },
    };
    const timeout: TransportResult = { ok: false, failure: { kind: "timeout", detail: "timeout" } };
    const native = scripted([]);
    expect(await withTlsDiagnosis(scripted([ok]), native).send(REQUEST).result).toEqual(ok);
    expect(await withTlsDiagnosis(scripted([timeout]), native).send(REQUEST).result).toEqual(
      timeout,
    );
    expect(native.requests).toHaveLength(0);
  });
  it("keeps the first answer when the diagnosis cannot run", async () => {
    const throwing: Transport = {
      send: () => {
        throw new Error("no module");
      },
    };
    expect(await withTlsDiagnosis(scripted([NO_RESPONSE]), throwing).send(REQUEST).result).toEqual(
      NO_RESPONSE,
    );
  });
  it("does not diagnose after abort()", async () => {
    const xhr = scripted([NO_RESPONSE]);
    const native = scripted([TLS_REFUSED]);
    const pending = withTlsDiagnosis(xhr, native).send(REQUEST);
    pending.abort();
    expect(await pending.result).toEqual(NO_RESPONSE);
    expect(xhr.aborts).toBe(1);
    expect(native.requests).toHaveLength(0);
  });
});

describe("checkNodeFingerprint", () => {
  const options = (transport: Transport) => ({
    transport,
    host: "pve",
    port: 8006,
    tokenId: "monitor@pve!proxmon",
    secret: "0123456789abcdef0123",
    timeoutMs: 1000,
  });
  const nodesBody = JSON.stringify({ data: [{ node: "pve1", ssl_fingerprint: FP }] });
  it("names the node that reports the fingerprint", async () => {
    const t = scripted([
      { ok: true, response: { status: 200, reason: "OK", body: nodesBody, headers: {} } },
    ]);
    const check = await new Promise((resolve) => checkNodeFingerprint(options(t), FP, resolve));
    expect(check).toEqual({ outcome: "match", node: "pve1", error: null });
    expect(t.requests[0]?.url).toBe("https://pve:8006/api2/json/nodes");
  });
  it("says no-match when no node reports it, unknown when /nodes is not readable", async () => {
    const t = scripted([
      { ok: true, response: { status: 200, reason: "OK", body: nodesBody, headers: {} } },
      {
        ok: true,
        response: {
          status: 403,
          reason: "Permission check failed (/nodes, Sys.Audit)",
          body: "",
          headers: {},
        },
      },
    ]);
    expect(await new Promise((r) => checkNodeFingerprint(options(t), OTHER, r))).toMatchObject({
      outcome: "no-match",
    });
    expect(await new Promise((r) => checkNodeFingerprint(options(t), FP, r))).toMatchObject({
      outcome: "unknown",
      error: { kind: "permission" },
    });
  });
});

describe("pin mismatch errors", () => {
  it("carry the pinned fingerprint next to the presented certificate", () => {
    const error = classifyWireFailure(
      {
        kind: "tls",
        detail: WIRE_DETAIL.pinMismatch,
        certificate: CERT,
        pinnedFingerprint256: OTHER,
      },
      { host: "pve", port: 8006, path: "/cluster/resources" },
    );
    expect(error.pinnedFingerprint256).toBe(OTHER);
    expect(error.certificate?.fingerprint256).toBe(FP);
    expect(error.message).toContain(FP);
    expect(error.message).toContain(OTHER);
  });
});
