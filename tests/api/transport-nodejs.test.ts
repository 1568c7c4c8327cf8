// The Node transport against real TLS on the loopback: a per-run CA and node
// certificates from src/sim-server/certs.ts, and a tiny https server per test.

import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { createServer as createHttpServer } from "node:http";
import { createServer as createHttpsServer, type Server } from "node:https";
import { createServer as createNetServer, type AddressInfo, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { gzipSync } from "node:zlib";

import { afterEach, beforeAll, describe, expect, it } from "vitest";

import { createClient } from "../../src/api/client";
import {
  BODY_ERROR_HEADER,
  classifyResponse,
  classifyWireFailure,
  WIRE_DETAIL,
} from "../../src/api/errors";
import type { TlsPolicy } from "../../src/api/tls-policy";
import type { TransportRequest, TransportResult } from "../../src/api/transport";
import {
  createNodejsTransport,
  fetchPeerCertificate,
  PeerCertificateError,
  type NodejsTransport,
} from "../../src/api/transport-nodejs.node";
import { makeNodeCertificate, type NodeCertificate } from "../../src/sim-server/certs";

const SECRET = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
const AUTH = `PVEAPIToken=monitor@pve!proxmon=${SECRET}`;

let main: NodeCertificate;
let sibling: NodeCertificate;
let otherName: NodeCertificate;

beforeAll(() => {
  main = makeNodeCertificate();
  // Same CA, new node certificate: what a renewal looks like.
  sibling = makeNodeCertificate({ caDir: main.dir });
  otherName = makeNodeCertificate({ caDir: main.dir, hosts: ["otherhost"] });
});

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface TestServer {
  port: number;
  /** Headers of every HTTP request the server received. */
  requests: IncomingHttpHeaders[];
  /** Completed TLS handshakes. */
  handshakes: number;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) {
    await cleanups.pop()?.();
  }
});

function closeServer(server: Server | ReturnType<typeof createHttpServer>): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function startServer(
  cert: NodeCertificate,
  handler: Handler,
  host = "127.0.0.1",
): Promise<TestServer> {
  const state: TestServer = { port: 0, requests: [], handshakes: 0 };
  const server = createHttpsServer({ key: cert.keyPem, cert: cert.certPem }, (req, res) => {
    state.requests.push(req.headers);
    handler(req, res);
  });
  server.on("secureConnection", () => {
    state.handshakes++;
  });
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  state.port = (server.address() as AddressInfo).port;
  cleanups.push(() => closeServer(server));
  return state;
}

const json =
  (body: unknown, status = 200): Handler =>
  (_req, res) => {
    res.writeHead(status, { "Content-Type": "application/json;charset=UTF-8" });
    res.end(JSON.stringify(body));
  };

function transport(
  policy: TlsPolicy,
  extra: { maxBodyBytes?: number; servername?: string } = {},
): NodejsTransport {
  const t = createNodejsTransport({ tls: policy, ...extra });
  cleanups.push(() => t.close());
  return t;
}

function get(
  t: NodejsTransport,
  port: number,
  path = "/version",
  timeoutMs = 5000,
  host = "127.0.0.1",
): Promise<TransportResult> {
  const request: TransportRequest = {
    method: "GET",
    url: `https://${host}:${port}/api2/json${path}`,
    headers: { Authorization: AUTH, Accept: "application/json" },
    timeoutMs,
  };
  return t.send(request).result;
}

function expectFailure(result: TransportResult) {
  if (result.ok) {
    throw new Error(`expected a failure, got HTTP ${result.response.status}`);
  }
  return result.failure;
}

function expectResponse(result: TransportResult) {
  if (!result.ok) {
    throw new Error(`expected a response, got ${result.failure.kind}: ${result.failure.detail}`);
  }
  return result.response;
}

async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("TLS policies", () => {
  it("system trust refuses the cluster's own CA and reports the server's fingerprint", async () => {
    const server = await startServer(main, json({ data: 1 }));
    const failure = expectFailure(await get(transport({ mode: "system" }), server.port));
    expect(failure.kind).toBe("tls");
    expect(failure.certificate?.fingerprint256).toBe(main.fingerprint256);
    expect(failure.certificate?.subject).toContain("CN=localhost");
    expect(failure.certificate?.issuer).toContain("PVE Cluster Manager CA");
    expect(failure.certificate?.validTo).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(server.requests).toHaveLength(0);
  });

  it("the right pin is accepted and the request carries the token", async () => {
    const server = await startServer(main, json({ data: { version: "8.4.14" } }));
    const t = transport({ mode: "pin", fingerprint256: main.fingerprint256.toLowerCase() });
    const response = expectResponse(await get(t, server.port));
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ data: { version: "8.4.14" } });
    expect(response.headers["content-type"]).toBe("application/json;charset=UTF-8");
    expect(server.requests[0]?.authorization).toBe(AUTH);
    expect(server.requests[0]?.["accept-encoding"]).toContain("gzip");
  });

  it("a wrong pin is refused after the handshake, before any HTTP is written", async () => {
    // A bare TLS server sees every decrypted byte, so "nothing sent" is checked
    // at the source. TLS 1.2 so that the server's side of the handshake is
    // complete before the client decides: anything the client wrote would arrive.
    let handshakes = 0;
    const received: Buffer[] = [];
    const options = { key: main.keyPem, cert: main.certPem, maxVersion: "TLSv1.2" as const };
    const server = createTlsServer(options, (socket) => {
      handshakes++;
      socket.on("data", (chunk: Buffer) => received.push(chunk));
      socket.on("error", () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as AddressInfo).port;

    const failure = expectFailure(
      await get(transport({ mode: "pin", fingerprint256: sibling.fingerprint256 }), port),
    );
    expect(failure).toMatchObject({ kind: "tls", detail: WIRE_DETAIL.pinMismatch });
    expect(failure.certificate?.fingerprint256).toBe(main.fingerprint256);
    await new Promise((r) => setTimeout(r, 100));
    expect(handshakes).toBe(1);
    expect(Buffer.concat(received).toString("latin1")).toBe("");
  });

  it("the cluster CA is accepted for a name the certificate lists", async () => {
    const server = await startServer(main, json({ data: 1 }));
    const t = transport({ mode: "ca", caPem: main.caPem });
    expect(expectResponse(await get(t, server.port)).status).toBe(200);
    expect(expectResponse(await get(t, server.port, "/version", 5000, "localhost")).status).toBe(
      200,
    );
  });

  it("the cluster CA does not excuse a certificate for another host name", async () => {
    const server = await startServer(otherName, json({ data: 1 }));
    const failure = expectFailure(
      await get(transport({ mode: "ca", caPem: main.caPem }), server.port),
    );
    expect(failure.kind).toBe("tls");
    expect(failure.detail).toMatch(/^ERR_TLS_CERT_ALTNAME_INVALID/);
    expect(failure.certificate?.fingerprint256).toBe(otherName.fingerprint256);
    expect(server.requests).toHaveLength(0);
  });

  it("servername checks and sends the configured name instead of the address", async () => {
    const server = await startServer(otherName, json({ data: 1 }));
    const t = transport({ mode: "ca", caPem: main.caPem }, { servername: "otherhost" });
    expect(expectResponse(await get(t, server.port)).status).toBe(200);
  });

  it("a CA that did not sign the certificate is refused", async () => {
    const unrelated = makeNodeCertificate();
    const server = await startServer(main, json({ data: 1 }));
    const failure = expectFailure(
      await get(transport({ mode: "ca", caPem: unrelated.caPem }), server.port),
    );
    expect(failure.kind).toBe("tls");
    expect(failure.caMode).toBe(true);
    expect(failure.certificate?.fingerprint256).toBe(main.fingerprint256);
    // The first line names the CA the user gave, not the system's trust store.
    const error = classifyWireFailure(failure, { host: "127.0.0.1", port: server.port, path: "/" });
    expect(error.message).toContain(
      "not signed by the Proxmox cluster CA given in the settings (or --ca)",
    );
    expect(error.message).toContain("not issued for the name 127.0.0.1");
    expect(error.message).not.toContain("the system does not know");
    expect(server.requests).toHaveLength(0);
  });

  it("insecure accepts anything", async () => {
    const server = await startServer(otherName, json({ data: 1 }));
    expect(expectResponse(await get(transport({ mode: "insecure" }), server.port)).status).toBe(
      200,
    );
  });

  it("a renewed certificate from the same CA breaks the pin and shows the new fingerprint", async () => {
    const server = await startServer(sibling, json({ data: 1 }));
    const pinned = transport({ mode: "pin", fingerprint256: main.fingerprint256 });
    const failure = expectFailure(await get(pinned, server.port));
    expect(failure.detail).toBe(WIRE_DETAIL.pinMismatch);
    expect(failure.certificate?.fingerprint256).toBe(sibling.fingerprint256);
    expect(failure.pinnedFingerprint256).toBe(main.fingerprint256);
    expect(server.requests).toHaveLength(0);
    // The same renewal is fine for a client that trusts the cluster CA.
    expect(
      expectResponse(await get(transport({ mode: "ca", caPem: main.caPem }), server.port)).status,
    ).toBe(200);
  });

  it("end to end through the client, the refusal message names the fingerprint and not the secret", async () => {
    const server = await startServer(sibling, json({ data: 1 }));
    const client = createClient({
      transport: transport({ mode: "pin", fingerprint256: main.fingerprint256 }),
      host: "127.0.0.1",
      port: server.port,
      tokenId: "monitor@pve!proxmon",
      secret: SECRET,
      timeoutMs: 5000,
    });
    const result = await client.get("/cluster/resources").result;
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe("tls");
      expect(result.error.message).toContain(sibling.fingerprint256);
      // Both sides of a changed certificate, so the user can tell which is which.
      expect(result.error.message).toContain("pinned fingerprint " + main.fingerprint256);
      expect(result.error.message).not.toContain(SECRET);
      expect(result.error.certificate?.fingerprint256).toBe(sibling.fingerprint256);
    }
  });
});

describe("wire failures", () => {
  it("a server that never answers times out and the request is dropped", async () => {
    let closed = 0;
    const server = await startServer(main, (req) => {
      req.socket.on("close", () => closed++);
    });
    const started = Date.now();
    const failure = expectFailure(
      await get(transport({ mode: "insecure" }), server.port, "/version", 300),
    );
    expect(failure.kind).toBe("timeout");
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(3000);
    await new Promise((r) => setTimeout(r, 100));
    expect(closed).toBe(1);
  });

  it("a server that never finishes the TLS handshake times out", async () => {
    const sockets: Socket[] = [];
    const server = createNetServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          sockets.forEach((s) => s.destroy());
          server.close(() => resolve());
        }),
    );
    const failure = expectFailure(
      await get(
        transport({ mode: "system" }),
        (server.address() as AddressInfo).port,
        "/version",
        300,
      ),
    );
    expect(failure.kind).toBe("timeout");
  });

  it("a closed port is unreachable: connection refused", async () => {
    const failure = expectFailure(await get(transport({ mode: "insecure" }), await closedPort()));
    expect(failure).toEqual({ kind: "unreachable", detail: "ECONNREFUSED" });
  });

  it("a server that drops the connection is unreachable: connection reset", async () => {
    const server = await startServer(main, (req) => req.socket.destroy());
    const failure = expectFailure(await get(transport({ mode: "insecure" }), server.port));
    expect(failure).toEqual({ kind: "unreachable", detail: "ECONNRESET" });
  });

  it("plain HTTP on the port is a TLS failure that says so", async () => {
    const server = createHttpServer((_req, res) => res.end("hello"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    cleanups.push(() => closeServer(server));
    const failure = expectFailure(
      await get(transport({ mode: "insecure" }), (server.address() as AddressInfo).port),
    );
    expect(failure.kind).toBe("tls");
    expect(failure.detail).toMatch(/wrong version number|packet length/i);
  });

  it("abort ends the request as aborted", async () => {
    const server = await startServer(main, () => undefined);
    const t = transport({ mode: "insecure" });
    const pending = t.send({
      method: "GET",
      url: `https://127.0.0.1:${server.port}/api2/json/version`,
      headers: {},
      timeoutMs: 5000,
    });
    setTimeout(() => pending.abort(), 50);
    expect(expectFailure(await pending.result)).toEqual({
      kind: "aborted",
      detail: "aborted by the caller",
    });
  });
});

describe("bodies and connections", () => {
  it("gzip bodies are decoded", async () => {
    const payload = {
      data: Array.from({ length: 500 }, (_, i) => ({ id: `qemu/${100 + i}`, name: "vm" })),
    };
    const server = await startServer(main, (req, res) => {
      expect(req.headers["accept-encoding"]).toContain("gzip");
      res.writeHead(200, { "Content-Type": "application/json", "Content-Encoding": "gzip" });
      res.end(gzipSync(JSON.stringify(payload)));
    });
    const t = transport({ mode: "insecure" });
    const response = expectResponse(await get(t, server.port));
    expect(JSON.parse(response.body)).toEqual(payload);
    const stats = t.stats();
    expect(stats.bytesDecoded).toBe(Buffer.byteLength(JSON.stringify(payload)));
    expect(stats.bytesReceived).toBeLessThan(stats.bytesDecoded / 4);
  });

  it("a corrupt gzip body becomes an unreadable response", async () => {
    const server = await startServer(main, (_req, res) => {
      res.writeHead(200, { "Content-Encoding": "gzip" });
      res.end(Buffer.from("definitely not gzip"));
    });
    const response = expectResponse(await get(transport({ mode: "insecure" }), server.port));
    expect(response.headers[BODY_ERROR_HEADER]).toContain("could not decompress");
  });

  it("PVE's UTF-8 reason phrases survive Node's latin1 view of them", async () => {
    const reason = "Konfigurationsdatei für VM 100 fehlt";
    const server = await startServer(main, (_req, res) => {
      res.writeHead(500, Buffer.from(reason, "utf8").toString("latin1"));
      res.end();
    });
    expect(expectResponse(await get(transport({ mode: "insecure" }), server.port)).reason).toBe(
      reason,
    );
  });

  it("an oversized body is cut off and reported, never buffered whole", async () => {
    const server = await startServer(main, (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json", [BODY_ERROR_HEADER]: "spoofed" });
      res.end(JSON.stringify({ data: "x".repeat(200_000) }));
    });
    const response = expectResponse(
      await get(transport({ mode: "insecure" }, { maxBodyBytes: 64 * 1024 }), server.port),
    );
    expect(response.body).toBe("");
    expect(response.headers[BODY_ERROR_HEADER]).toBe("response larger than 65536 bytes");
    const classified = classifyResponse(response, {
      host: "127.0.0.1",
      port: server.port,
      path: "/version",
    });
    expect(!classified.ok && classified.error.kind).toBe("bad-response");
  });

  it("a server cannot spoof the body-error header", async () => {
    const server = await startServer(main, (_req, res) => {
      res.writeHead(200, { [BODY_ERROR_HEADER]: "spoofed" });
      res.end('{"data":1}');
    });
    const response = expectResponse(await get(transport({ mode: "insecure" }), server.port));
    expect(response.headers[BODY_ERROR_HEADER]).toBeUndefined();
  });

  it("steady refreshes reuse one kept-alive connection", async () => {
    const server = await startServer(main, json({ data: 1 }));
    const t = transport({ mode: "pin", fingerprint256: main.fingerprint256 });
    for (let i = 0; i < 3; i++) {
      expect(expectResponse(await get(t, server.port)).status).toBe(200);
    }
    expect(server.handshakes).toBe(1);
    expect(server.requests).toHaveLength(3);
    expect(t.stats()).toMatchObject({ requests: 3, connections: 1 });
  });

  it("a kept-alive connection the server dropped is retried once on a fresh one", async () => {
    const perSocket = new Map<Socket, number>();
    const server = await startServer(main, (req, res) => {
      const count = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, count);
      if (count > 1) {
        req.socket.destroy();
        return;
      }
      json({ data: count })(req, res);
    });
    const t = transport({ mode: "insecure" });
    expectResponse(await get(t, server.port));
    expect(expectResponse(await get(t, server.port)).status).toBe(200);
    expect(t.stats()).toMatchObject({ requests: 3, connections: 2 });
  });

  it("a POST carries its body and is never repeated, not even on a dropped kept-alive connection", async () => {
    const bodies: string[] = [];
    const perSocket = new Map<Socket, number>();
    const server = await startServer(main, (req, res) => {
      const count = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, count);
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        if (count > 1) {
          req.socket.destroy();
          return;
        }
        bodies.push(
          `${req.method} ${req.headers["content-type"]} ${req.headers["content-length"]} ${body}`,
        );
        json({ data: "UPID:x" })(req, res);
      });
    });
    const t = transport({ mode: "insecure" });
    const post = (): Promise<TransportResult> =>
      t.send({
        method: "POST",
        url: `https://127.0.0.1:${server.port}/api2/json/nodes/pve1/qemu/100/status/start`,
        headers: { Authorization: AUTH, "Content-Type": "application/x-www-form-urlencoded" },
        body: "timeout=60",
        timeoutMs: 5000,
      }).result;
    expect(expectResponse(await post()).status).toBe(200);
    expect(bodies).toEqual(["POST application/x-www-form-urlencoded 10 timeout=60"]);
    // The same socket is reused and dropped: a GET would be retried, a POST must not be.
    expect(expectFailure(await post()).kind).toBe("unreachable");
    expect(t.stats()).toMatchObject({ requests: 2 });
  });

  // The second request on a kept-alive connection gets its status line and
  // half its body, then the connection breaks.
  function resetMidBody(everyTime: boolean): Handler {
    const perSocket = new Map<Socket, number>();
    let served = 0;
    return (req, res) => {
      const count = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, count);
      served++;
      const body = JSON.stringify({ data: { served, pad: "x".repeat(4000) } });
      if (count > 1 || (everyTime && served > 1)) {
        res.writeHead(200, {
          "Content-Type": "application/json;charset=UTF-8",
          "Content-Length": String(body.length),
        });
        res.write(body.slice(0, 1000), () => {
          const socket = req.socket as Socket & { resetAndDestroy?: () => void };
          // A TCP reset where the socket can send one, a hard close otherwise.
          if (typeof socket.resetAndDestroy === "function") {
            try {
              socket.resetAndDestroy();
              return;
            } catch {
              // TLS sockets may refuse; fall through.
            }
          }
          socket.destroy();
        });
        return;
      }
      json({ data: { served } })(req, res);
    };
  }

  it("a reset in the middle of a body on a reused connection is retried once, and its answer is used", async () => {
    const server = await startServer(main, resetMidBody(false));
    const t = transport({ mode: "insecure" });
    expectResponse(await get(t, server.port));
    const second = expectResponse(await get(t, server.port));
    expect(second.status).toBe(200);
    expect((JSON.parse(second.body) as { data: { served: number } }).data.served).toBe(3);
    expect(t.stats()).toMatchObject({ requests: 3, connections: 2 });
    // Nothing late from the broken attempt: the transport stays usable.
    expect(expectResponse(await get(t, server.port)).status).toBe(200);
  });

  it("a retry that breaks as well is reported, and there is no second retry", async () => {
    const server = await startServer(main, resetMidBody(true));
    const t = transport({ mode: "insecure" });
    expectResponse(await get(t, server.port));
    const failure = expectFailure(await get(t, server.port));
    expect(failure.kind).toBe("unreachable");
    expect(failure.detail).toMatch(/^ECONNRESET/);
    expect(server.requests).toHaveLength(3);
    expect(t.stats().requests).toBe(3);
  });

  it("a reset mid-body on a fresh connection is not retried", async () => {
    let served = 0;
    const server = await startServer(main, (req, res) => {
      served++;
      res.writeHead(200, { "Content-Length": "5000" });
      res.write("x".repeat(100), () => req.socket.destroy());
    });
    const t = transport({ mode: "insecure" });
    const failure = expectFailure(await get(t, server.port));
    expect(failure.detail).toMatch(/^ECONNRESET/);
    expect(served).toBe(1);
    expect(t.stats().requests).toBe(1);
  });

  it("IPv6 literals work when the loopback has one", async () => {
    let server: TestServer;
    try {
      server = await startServer(main, json({ data: 1 }), "::1");
    } catch {
      return;
    }
    const t = transport({ mode: "ca", caPem: main.caPem });
    expect(expectResponse(await get(t, server.port, "/version", 5000, "[::1]")).status).toBe(200);
  });
});

describe("HTTP protocol errors are bad responses", () => {
  /** A TLS server that writes `raw` as its whole answer to any request. */
  async function rawServer(raw: string): Promise<number> {
    const server = createTlsServer({ key: main.keyPem, cert: main.certPem }, (socket) => {
      socket.once("data", () => socket.end(raw));
      socket.on("error", () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return (server.address() as AddressInfo).port;
  }

  const cases: Array<[string, string, string]> = [
    [
      "an invalid Content-Length",
      "HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\n\r\n{}",
      "invalid Content-Length",
    ],
    [
      "an invalid chunk size",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
      "invalid chunk size",
    ],
    [
      "an invalid chunk size mid-body",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\nq\r\n",
      "invalid chunk size",
    ],
    ["an invalid status line", "HTXP/1.1 200 OK\r\n\r\n", "invalid status line"],
  ];
  for (const [what, raw, why] of cases) {
    it(`${what}: bad-response, not unreachable`, async () => {
      const port = await rawServer(raw);
      const failure = expectFailure(await get(transport({ mode: "insecure" }), port));
      expect(failure.kind).toBe("protocol");
      expect(failure.detail).toMatch(/^HPE_/);
      const error = classifyWireFailure(failure, { host: "127.0.0.1", port, path: "/version" });
      expect(error.kind).toBe("bad-response");
      expect(error.message).toContain(why);
      expect(error.message).not.toContain("pveproxy runs");
    });
  }
});

describe("fetchPeerCertificate", () => {
  it("reads the leaf without trusting it and without speaking HTTP", async () => {
    const server = await startServer(main, json({ data: 1 }));
    const info = await fetchPeerCertificate("127.0.0.1", server.port, 5000);
    expect(info.fingerprint256).toBe(main.fingerprint256);
    expect(info.subject).toContain("CN=localhost");
    expect(server.requests).toHaveLength(0);
  });

  it("rejects with a wire failure", async () => {
    const port = await closedPort();
    const error = await fetchPeerCertificate("127.0.0.1", port, 5000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PeerCertificateError);
    expect((error as PeerCertificateError).failure).toEqual({
      kind: "unreachable",
      detail: "ECONNREFUSED",
    });
  });
});
