import { describe, expect, it } from "vitest";

import { createClient } from "../../src/api/client";
import { BODY_ERROR_HEADER, classifyWireFailure, WIRE_DETAIL } from "../../src/api/errors";
import type { TlsPolicy } from "../../src/api/tls-policy";
import type { TransportRequest } from "../../src/api/transport";
import {
  createNativeTransport,
  fromNativeResult,
  nativeTlsSpec,
  type NativeHandle,
  type NativeRequestSpec,
  type NativeResult,
} from "../../src/api/transport-native";

const FP = "AB:".repeat(31) + "AB";
const OTHER = "CD:".repeat(31) + "CD";
const CERT = {
  fingerprint256: OTHER,
  subject: "CN=pve, O=Proxmox Virtual Environment",
  issuer: "CN=Proxmox Virtual Environment, O=PVE Cluster Manager CA",
  validFrom: "2025-01-01T00:00:00.000Z",
  validTo: "2027-01-01T00:00:00.000Z",
};

/** Stands in for NativeTransport.qml: records specs, lets the test answer. */
class FakeNative {
  calls: { spec: NativeRequestSpec; onDone: (r: NativeResult) => void; aborts: number }[] = [];
  /** When set, abort() answers synchronously like TlsClient does. */
  answerAbort = true;
  throwOnRequest: Error | null = null;

  request = (spec: NativeRequestSpec, onDone: (r: NativeResult) => void): NativeHandle => {
    if (this.throwOnRequest) throw this.throwOnRequest;
    const call = { spec, onDone, aborts: 0 };
    this.calls.push(call);
    return {
      abort: () => {
        call.aborts++;
        if (this.answerAbort)
          onDone({ ok: false, kind: "aborted", detail: "aborted by the caller" });
      },
    };
  };

  last() {
    const call = this.calls[this.calls.length - 1];
    if (!call) throw new Error("no request");
    return call;
  }
}

const REQUEST: TransportRequest = {
  method: "GET",
  url: "https://127.0.0.1:8006/api2/json/version",
  headers: { Authorization: "PVEAPIToken=a@pam!t=secret-secret-secret" },
  timeoutMs: 5000,
};

function transport(policy: TlsPolicy, fake = new FakeNative()) {
  return { fake, t: createNativeTransport({ nativeRequest: fake.request, policy }) };
}

describe("nativeTlsSpec", () => {
  it("normalises a pasted pin with the shared policy code", () => {
    expect(
      nativeTlsSpec({ mode: "pin", fingerprint256: "sha256 Fingerprint=" + FP.toLowerCase() }),
    ).toEqual({
      mode: "pin",
      fingerprint256: FP,
    });
  });
  it("turns an invalid pin into one that matches nothing", () => {
    expect(nativeTlsSpec({ mode: "pin", fingerprint256: "not a fingerprint" })).toEqual({
      mode: "pin",
      fingerprint256: "",
    });
  });
  it("passes the CA PEM, insecure and system on", () => {
    expect(nativeTlsSpec({ mode: "ca", caPem: "PEM" })).toEqual({ mode: "ca", caPem: "PEM" });
    expect(nativeTlsSpec({ mode: "insecure" })).toEqual({ mode: "insecure" });
    expect(nativeTlsSpec({ mode: "system" })).toEqual({ mode: "system" });
  });
});

describe("createNativeTransport", () => {
  it("hands method, url, headers, body, timeout and the policy to the native side", () => {
    const { fake, t } = transport({ mode: "pin", fingerprint256: FP.toLowerCase() });
    t.send({ ...REQUEST, method: "POST", body: "a=1" });
    expect(fake.last().spec).toEqual({
      method: "POST",
      url: REQUEST.url,
      headers: REQUEST.headers,
      body: "a=1",
      timeoutMs: 5000,
      tls: { mode: "pin", fingerprint256: FP },
    });
  });

  it("omits an absent body and turns an endless timeout into 0", () => {
    const { fake, t } = transport({ mode: "system" });
    t.send({ ...REQUEST, timeoutMs: Infinity });
    expect("body" in fake.last().spec).toBe(false);
    expect(fake.last().spec.timeoutMs).toBe(0);
  });

  it("resolves a response with lower-cased headers", async () => {
    const { fake, t } = transport({ mode: "insecure" });
    const pending = t.send(REQUEST);
    fake.last().onDone({
      ok: true,
      status: 200,
      reason: "OK",
      body: '{"data":{}}',
      headers: { "Content-Type": "application/json;charset=UTF-8" },
    });
    expect(await pending.result).toEqual({
      ok: true,
      response: {
        status: 200,
        reason: "OK",
        body: '{"data":{}}',
        headers: { "content-type": "application/json;charset=UTF-8" },
      },
    });
  });

  it("reports an oversized body through the body-error header", async () => {
    const { fake, t } = transport({ mode: "insecure" });
    const pending = t.send(REQUEST);
    fake.last().onDone({
      ok: true,
      status: 200,
      reason: "OK",
      body: "x",
      headers: {},
      bodyError: "response larger than 64 MiB",
    });
    const r = await pending.result;
    expect(r.ok && r.response.headers[BODY_ERROR_HEADER]).toBe("response larger than 64 MiB");
    expect(r.ok && r.response.body).toBe("");
  });

  it("a pin mismatch carries the server's certificate and the classifier's pin wording", async () => {
    const { fake, t } = transport({ mode: "pin", fingerprint256: FP });
    const pending = t.send(REQUEST);
    fake.last().onDone({
      ok: false,
      kind: "tls",
      detail: "certificate fingerprint mismatch",
      pinMismatch: true,
      expectedFingerprint256: FP,
      certificate: CERT,
      tlsErrors: [],
    });
    const r = await pending.result;
    expect(r).toEqual({
      ok: false,
      failure: {
        kind: "tls",
        detail: WIRE_DETAIL.pinMismatch,
        certificate: CERT,
        pinnedFingerprint256: FP,
      },
    });
    if (!r.ok) {
      const error = classifyWireFailure(r.failure, {
        host: "127.0.0.1",
        port: 8006,
        path: "/version",
      });
      expect(error.message).toContain("does not match the pinned fingerprint");
      expect(error.message).toContain(OTHER);
    }
  });

  it("maps Qt's verification errors to the codes the classifier explains, chain before name", () => {
    const chain = fromNativeResult({
      ok: false,
      kind: "tls",
      detail: "x",
      certificate: CERT,
      tlsErrors: [
        {
          name: "HostNameMismatch",
          message: "The host name did not match any of the valid hosts for this certificate",
        },
        {
          name: "UnableToGetLocalIssuerCertificate",
          message: "The issuer certificate of a locally looked up certificate could not be found",
        },
      ],
    });
    expect(!chain.ok && chain.failure.detail).toMatch(/^UNABLE_TO_GET_ISSUER_CERT_LOCALLY: /);
    const name = fromNativeResult({
      ok: false,
      kind: "tls",
      detail: "x",
      certificate: CERT,
      tlsErrors: [{ name: "HostNameMismatch", message: "no match" }],
    });
    expect(!name.ok && name.failure.detail).toBe("ERR_TLS_CERT_ALTNAME_INVALID: no match");
    if (!name.ok) {
      const error = classifyWireFailure(name.failure, {
        host: "wrong.example",
        port: 8006,
        path: "/version",
      });
      expect(error.message).toContain("not valid for the name wrong.example");
    }
    const other = fromNativeResult({
      ok: false,
      kind: "tls",
      detail: "wrong version number",
      tlsErrors: [{ name: "Other99" }],
    });
    expect(other).toEqual({ ok: false, failure: { kind: "tls", detail: "wrong version number" } });
  });

  it("reads Qt's list wrappers (array-likes that are not Arrays)", () => {
    const sequence = {
      length: 1,
      0: { name: "CertificateExpired", message: "The certificate has expired" },
    };
    const r = fromNativeResult({ ok: false, kind: "tls", detail: "x", tlsErrors: sequence });
    expect(!r.ok && r.failure.detail).toBe("CERT_HAS_EXPIRED: The certificate has expired");
  });

  it("drops a certificate whose fingerprint is not a SHA-256", () => {
    const r = fromNativeResult({
      ok: false,
      kind: "tls",
      detail: "d",
      certificate: { ...CERT, fingerprint256: "zz" },
    });
    expect(r).toEqual({ ok: false, failure: { kind: "tls", detail: "d" } });
  });

  it("maps network errors to Node's codes and keeps timeouts", () => {
    expect(
      fromNativeResult({
        ok: false,
        kind: "unreachable",
        detail: "Connection refused",
        networkError: "ConnectionRefusedError",
      }),
    ).toEqual({
      ok: false,
      failure: { kind: "unreachable", detail: "ECONNREFUSED (Connection refused)" },
    });
    expect(
      fromNativeResult({
        ok: false,
        kind: "unreachable",
        detail: "odd",
        networkError: "UnknownNetworkError",
      }),
    ).toEqual({
      ok: false,
      failure: { kind: "unreachable", detail: "odd" },
    });
    expect(
      fromNativeResult({ ok: false, kind: "timeout", detail: "no answer within 5 ms" }),
    ).toEqual({
      ok: false,
      failure: { kind: "timeout", detail: "no answer within 5 ms" },
    });
    expect(fromNativeResult({ ok: false, kind: "weird" })).toEqual({
      ok: false,
      failure: { kind: "unreachable", detail: "connection failed" },
    });
    expect(fromNativeResult(null)).toEqual({
      ok: false,
      failure: { kind: "unreachable", detail: "no result from the native module" },
    });
    expect(fromNativeResult({ ok: true, status: 0 })).toEqual({
      ok: false,
      failure: { kind: "unreachable", detail: "no HTTP status in the answer" },
    });
  });

  it("abort() resolves at once as aborted, tells the native side once, and ignores its late answer", async () => {
    const { fake, t } = transport({ mode: "system" });
    const pending = t.send(REQUEST);
    pending.abort();
    pending.abort();
    expect(fake.last().aborts).toBe(1);
    fake.last().onDone({ ok: true, status: 200, reason: "OK", body: "{}", headers: {} });
    expect(await pending.result).toEqual({
      ok: false,
      failure: { kind: "aborted", detail: "aborted by the caller" },
    });
  });

  it("abort() after the answer does nothing", async () => {
    const { fake, t } = transport({ mode: "system" });
    const pending = t.send(REQUEST);
    fake.last().onDone({ ok: true, status: 204, reason: "No Content", body: "", headers: {} });
    pending.abort();
    expect(fake.last().aborts).toBe(0);
    expect((await pending.result).ok).toBe(true);
  });

  it("a throwing native side becomes unreachable, never a rejection", async () => {
    const fake = new FakeNative();
    fake.throwOnRequest = new Error("TypeError: client is null");
    const { t } = transport({ mode: "system" }, fake);
    expect(await t.send(REQUEST).result).toEqual({
      ok: false,
      failure: { kind: "unreachable", detail: "TypeError: client is null" },
    });
  });

  it("answers synchronously delivered by the native side are accepted", async () => {
    const t = createNativeTransport({
      nativeRequest: (_spec, onDone) => {
        onDone({ ok: false, kind: "unreachable", detail: "invalid URL" });
        return { abort: () => undefined };
      },
      policy: { mode: "system" },
    });
    expect(await t.send(REQUEST).result).toEqual({
      ok: false,
      failure: { kind: "unreachable", detail: "invalid URL" },
    });
  });

  it("works under the API client end to end", async () => {
    const fake = new FakeNative();
    const client = createClient({
      transport: createNativeTransport({
        nativeRequest: fake.request,
        policy: { mode: "ca", caPem: "PEM" },
      }),
      host: "127.0.0.1",
      port: 8006,
      tokenId: "monitor@pve!proxmon",
      secret: "00000000-0000-0000-0000-000000000000",
      timeoutMs: 3000,
    });
    const call = client.get("/version");
    const spec = fake.last().spec;
    expect(spec.tls).toEqual({ mode: "ca", caPem: "PEM" });
    expect(spec.url).toBe("https://127.0.0.1:8006/api2/json/version");
    fake.last().onDone({
      ok: true,
      status: 200,
      reason: "OK",
      body: '{"data":{"version":"8.3"}}',
      headers: {},
    });
    expect(await call.result).toEqual({ ok: true, value: { version: "8.3" } });
  });
});
