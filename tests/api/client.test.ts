import { describe, expect, it } from "vitest";

import {
  createClient,
  formatBaseUrl,
  validateTokenId,
  type ClientOptions,
} from "../../src/api/client";
import type {
  PendingRequest,
  Transport,
  TransportRequest,
  TransportResult,
} from "../../src/api/transport";

const SECRET = "5a3f9c1e-2b7d-4e8f-9a0b-1c2d3e4f5a6b";

/** Records requests; each answer is decided by the test through `reply`. */
class FakeTransport implements Transport {
  readonly sent: TransportRequest[] = [];
  aborted = 0;
  private replies: Array<(result: TransportResult) => void> = [];

  send(request: TransportRequest): PendingRequest {
    this.sent.push(request);
    let resolve: (result: TransportResult) => void = () => undefined;
    const result = new Promise<TransportResult>((r) => {
      resolve = r;
    });
    this.replies.push(resolve);
    return {
      result,
      abort: () => {
        this.aborted++;
        resolve({ ok: false, failure: { kind: "aborted", detail: "aborted" } });
      },
    };
  }

  reply(result: TransportResult, index = this.replies.length - 1): void {
    this.replies[index]?.(result);
  }
}

function options(
  overrides: Partial<ClientOptions> = {},
): ClientOptions & { transport: FakeTransport } {
  return {
    transport: new FakeTransport(),
    host: "pve.lan",
    port: 8006,
    tokenId: "monitor@pve!proxmon",
    secret: SECRET,
    timeoutMs: 10_000,
    ...overrides,
  } as ClientOptions & { transport: FakeTransport };
}

describe("createClient: requests", () => {
  it("POSTs form-encoded parameters with the token header and answers the data", async () => {
    const opts = options();
    const client = createClient(opts);
    const call = client.post("/nodes/pve1/qemu/100/status/shutdown", {
      timeout: "60",
      forceStop: "1",
      x: "a b&c",
    });
    const request = opts.transport.sent[0] as TransportRequest;
    expect(request.method).toBe("POST");
    expect(request.url).toBe("https://pve.lan:8006/api2/json/nodes/pve1/qemu/100/status/shutdown");
    expect(request.headers).toEqual({
      Authorization: `PVEAPIToken=monitor@pve!proxmon=${SECRET}`,
      Accept: "application/json",
      "Content-Type": "application/x-www-form-urlencoded",
    });
    expect(request.body).toBe("timeout=60&forceStop=1&x=a%20b%26c");
    opts.transport.reply({
      ok: true,
      response: { status: 200, reason: "OK", body: '{"data":"UPID:pve1:x"}', headers: {} },
    });
    expect(await call.result).toEqual({ ok: true, value: "UPID:pve1:x" });
    expect(createClient(opts).post("/x").result).toBeInstanceOf(Promise);
    expect((opts.transport.sent[1] as TransportRequest).body).toBe("");
  });

  it("classifies a 403 on a POST with privilege and path, and scrubs server text", async () => {
    const opts = options();
    const client = createClient(opts);
    const call = client.post("/nodes/pve1/qemu/100/status/start");
    opts.transport.reply({
      ok: true,
      response: {
        status: 403,
        reason: "Permission check failed (/vms/100, VM.PowerMgmt)",
        body: "{}",
        headers: {},
      },
    });
    const r = await call.result;
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error).toMatchObject({
        kind: "permission",
        aclPath: "/vms/100",
        privilege: "VM.PowerMgmt",
      });
    expect(client.cleanText(`TASK ERROR: x\n${SECRET}\u202e`)).toBe("TASK ERROR: x [redacted]");
  });

  it("sends the token header and JSON accept header", async () => {
    const opts = options();
    const client = createClient(opts);
    const call = client.get("/cluster/resources");
    expect(opts.transport.sent).toHaveLength(1);
    const request = opts.transport.sent[0] as TransportRequest;
    expect(request.method).toBe("GET");
    expect(request.url).toBe("https://pve.lan:8006/api2/json/cluster/resources");
    expect(request.headers).toEqual({
      Authorization: `PVEAPIToken=monitor@pve!proxmon=${SECRET}`,
      Accept: "application/json",
    });
    expect(request.timeoutMs).toBe(10_000);
    expect(request.body).toBeUndefined();
    opts.transport.reply({
      ok: true,
      response: { status: 200, reason: "OK", body: '{"data":{"version":"8.4.14"}}', headers: {} },
    });
    expect(await call.result).toEqual({ ok: true, value: { version: "8.4.14" } });
  });

  it("trims pasted whitespace from host, token ID and secret", () => {
    const opts = options({
      host: " pve.lan ",
      tokenId: " monitor@pve!proxmon\n",
      secret: ` ${SECRET}\n`,
    });
    createClient(opts).get("/version");
    const request = opts.transport.sent[0] as TransportRequest;
    expect(request.url).toBe("https://pve.lan:8006/api2/json/version");
    expect(request.headers.Authorization).toBe(`PVEAPIToken=monitor@pve!proxmon=${SECRET}`);
  });

  it("encodes the query", () => {
    const opts = options();
    createClient(opts).get("/cluster/resources", { type: "vm", "odd key": "a&b=c/ü" });
    expect((opts.transport.sent[0] as TransportRequest).url).toBe(
      "https://pve.lan:8006/api2/json/cluster/resources?type=vm&odd%20key=a%26b%3Dc%2F%C3%BC",
    );
  });

  it("brackets IPv6 hosts", () => {
    expect(formatBaseUrl("fe80::1", 8006)).toBe("https://[fe80::1]:8006/api2/json");
    expect(formatBaseUrl("[2001:db8::2]", 443)).toBe("https://[2001:db8::2]:443/api2/json");
    expect(formatBaseUrl("fe80::1%eth0", 8006)).toBe("https://[fe80::1%25eth0]:8006/api2/json");
    expect(formatBaseUrl("10.0.0.2", 8006)).toBe("https://10.0.0.2:8006/api2/json");
    const opts = options({ host: "2001:db8::2" });
    const client = createClient(opts);
    expect(client.baseUrl).toBe("https://[2001:db8::2]:8006/api2/json");
    client.get("/nodes");
    expect((opts.transport.sent[0] as TransportRequest).url).toBe(
      "https://[2001:db8::2]:8006/api2/json/nodes",
    );
  });

  it("abort reaches the transport and resolves as aborted", async () => {
    const opts = options();
    const call = createClient(opts).get("/cluster/resources");
    call.abort();
    expect(opts.transport.aborted).toBe(1);
    const result = await call.result;
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe("aborted");
    }
  });

  it("classifies wire failures and HTTP errors with the request's context", async () => {
    const opts = options();
    const client = createClient(opts);
    const a = client.get("/nodes");
    opts.transport.reply({ ok: false, failure: { kind: "timeout", detail: "x" } });
    const b = client.get("/nodes/pve/status");
    opts.transport.reply({
      ok: true,
      response: {
        status: 401,
        reason: `invalid token PVEAPIToken=monitor@pve!proxmon=${SECRET}`,
        body: "",
        headers: {},
      },
    });
    const ra = await a.result;
    const rb = await b.result;
    expect(!ra.ok && ra.error.kind).toBe("timeout");
    expect(!ra.ok && ra.error.message).toContain("pve.lan:8006 did not answer within 10 s");
    expect(!rb.ok && rb.error.kind).toBe("auth");
    expect(!rb.ok && rb.error.path).toBe("/nodes/pve/status");
    expect(!rb.ok && rb.error.message).not.toContain(SECRET);
  });

  it("a transport that breaks its contract still yields a value", async () => {
    const broken: Transport = {
      send: () => ({ result: Promise.reject(new Error("boom")), abort: () => undefined }),
    };
    const result = await createClient(options({ transport: broken })).get("/version").result;
    expect(!result.ok && result.error.kind).toBe("unreachable");
    const throwing: Transport = {
      send: () => {
        throw new Error("kaput");
      },
    };
    const again = await createClient(options({ transport: throwing })).get("/version").result;
    expect(!again.ok && again.error.message).toContain("kaput");
  });
});

describe("createClient: configuration errors send nothing", () => {
  const cases: Array<[string, Partial<ClientOptions>, string]> = [
    ["empty host", { host: "  " }, "host name or address"],
    ["scheme in host", { host: "https://pve.lan:8006" }, "without https://"],
    ["port in host", { host: "pve.lan:8006" }, "port in its own field"],
    ["bad port", { port: 0 }, "1 to 65535"],
    ["fractional port", { port: 80.5 }, "1 to 65535"],
    ["bad token ID", { tokenId: "root@pam" }, "user@realm!tokenname"],
    ["empty secret", { secret: "" }, "secret"],
    ["secret with a line break", { secret: "abc\r\nX-Evil: 1" }, "line breaks"],
    ["short secret", { secret: "hunter2" }, "too short"],
  ];
  for (const [name, overrides, text] of cases) {
    it(name, async () => {
      const opts = options(overrides);
      const result = await createClient(opts).get("/version").result;
      expect(opts.transport.sent).toHaveLength(0);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.kind).toBe("config");
        expect(result.error.message).toContain(text);
      }
    });
  }

  it("bad API paths", async () => {
    const opts = options();
    const client = createClient(opts);
    for (const path of ["version", "//evil.example/x", "/nodes?x=1", "/a b", "/a#b"]) {
      const result = await client.get(path).result;
      expect(!result.ok && result.error.kind).toBe("config");
    }
    expect(opts.transport.sent).toHaveLength(0);
  });

  it("the whole header value pasted as token ID is refused without echoing it", async () => {
    const tokenId = `root@pam!mon=${SECRET}`;
    const message = validateTokenId(tokenId);
    expect(message).toContain("'='");
    expect(message).not.toContain(SECRET);
  });
});

describe("validateTokenId", () => {
  it("accepts PVE's shapes", () => {
    for (const id of [
      "root@pam!monitor",
      "monitor@pve!proxmon",
      "john.doe@example.com@ad-corp!widget_1",
      "svc-mon@ldap.local!a.b-c",
    ]) {
      expect(validateTokenId(id)).toBeNull();
    }
  });

  it("explains what is wrong", () => {
    expect(validateTokenId("")).toContain("Enter the API token ID");
    expect(validateTokenId("root@pam")).toContain("token name after '!'");
    expect(validateTokenId("root!mon")).toContain("realm");
    expect(validateTokenId("@pam!mon")).toContain("realm");
    expect(validateTokenId("root@p!mon")).toContain("realm");
    expect(validateTokenId("root@pam!1mon")).toContain("token name");
    expect(validateTokenId("root@pam!")).toContain("token name");
    expect(validateTokenId("ro ot@pam!mon")).toContain("spaces");
    expect(validateTokenId("a/b@pam!mon")).toContain("':' or '/'");
  });
});
