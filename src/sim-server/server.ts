// The Proxmox VE simulator on a real socket: HTTPS with a per-run CA (so
// clients exercise certificate checks, pinning and TOFU for real), token
// auth and error statuses as pveproxy sends them, gzip, injected faults,
// request counting, and a replay mode that serves captured responses.
// A control API under /__sim (outside /api2, no token) lets tests in other
// processes script changes and faults; docs/scenario.md lists it.

import { readFileSync, realpathSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { Server } from "node:https";
import type { Socket } from "node:net";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { deflateSync, gzipSync } from "node:zlib";
import { authenticate, handleApiRequest, parseQuery } from "../sim-engine/api";
import type { SimCluster } from "../sim-engine/cluster-model";
import {
  createSimCluster,
  findNode,
  guestUptime,
  hasFreshRrd,
  isQuorate,
} from "../sim-engine/cluster-model";
import { DEMO_SCENARIO } from "../demo/demo-scenario";
import type { ActiveFault, FaultBoard, FaultSpec } from "../sim-engine/faults";
import {
  DELAY_DEFAULT_MS,
  HUGE_DEFAULT_BYTES,
  SLOW_DEFAULT_MS,
  createFaultBoard,
  faultReply,
  hugeBodyChunks,
  normaliseApiPath,
  parseFault,
} from "../sim-engine/faults";
import type { ApiReply } from "../sim-engine/reply";
import { errorReply } from "../sim-engine/reply";
import type {
  ApiQuirks,
  AppliedEvent,
  Scenario,
  SimAction,
  TokenSpec,
} from "../sim-engine/scenario";
import {
  DEFAULT_TOKEN,
  applyActionNow,
  applyTimeline,
  parseAction,
  parseScenario,
  versionAtLeast,
} from "../sim-engine/scenario";
import type { NodeCertificate } from "./certs";
import { makeNodeCertificate } from "./certs";
import type { ReadyInfo } from "./ready-line";

export interface SimulatorOptions {
  /** The cluster to simulate; DEMO_SCENARIO when neither this nor replayDir is given. */
  scenario?: Scenario;
  /** Serve recorded responses from this folder instead of a model (layout: docs/scenario.md). */
  replayDir?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Loopback by default. */
  host?: string;
  /** Reuse a certificate (e.g. to keep the fingerprint across runs); a fresh CA + node cert otherwise. */
  certificate?: NodeCertificate;
  /** Faults active from the first request. */
  faults?: FaultSpec[];
  /** Delay of failed-authentication answers; PVE waits ~3000 ms. Default 0. */
  authDelayMs?: number;
  /** Added to every API answer. Default 0. */
  latencyMs?: number;
  /** Simulated seconds per real second. Default 1. */
  timeScale?: number;
  /** Wall clock in ms; tests may pass a fake one. */
  now?: () => number;
  /** Token for replay mode (a scenario brings its own). Default: the scenario's, else DEFAULT_TOKEN. */
  token?: TokenSpec | null;
  /** One line per request, for `proxmon simulate --verbose`. */
  log?: (line: string) => void;
}

export interface PathStats {
  count: number;
  bytes: number;
  /** Answers by status code; "hang" and "reset" for requests that never got one. */
  statuses: Record<string, number>;
}

export interface SimulatorStats {
  /** API requests (under /api2) since start or the last reset; control calls are not counted. */
  total: number;
  /** Body bytes put on the wire (after compression). */
  bytesSent: number;
  byPath: Record<string, PathStats>;
  /** Requests by "METHOD /path", e.g. "POST /nodes/pve1/qemu/100/status/start". */
  byRequest: Record<string, number>;
  /** Authenticated requests by the token ID that signed them, then by "METHOD /path" (never a secret). */
  byToken: Record<string, Record<string, number>>;
  byStatus: Record<string, number>;
  faultsHit: number;
  /** ISO time of the start or last reset. */
  since: string;
}

export interface SimulatorHandle {
  /** "https://127.0.0.1:PORT" */
  readonly url: string;
  /** url + "/api2/json" */
  readonly apiUrl: string;
  /** url + "/__sim" */
  readonly controlUrl: string;
  readonly host: string;
  readonly port: number;
  readonly caFile: string;
  readonly caPem: string;
  /** SHA-256 of the served certificate, "AA:BB:..." (also the local node's ssl_fingerprint). */
  readonly fingerprint256: string;
  readonly certificate: NodeCertificate;
  /** The live model; null in replay mode. */
  readonly cluster: SimCluster | null;
  readonly faults: FaultBoard;
  /** A snapshot of the counters. */
  readonly stats: SimulatorStats;
  readonly tokenId: string | null;
  readonly running: boolean;
  readonly ready: ReadyInfo;
  elapsedSeconds(): number;
  /** Jumps simulated time forward (timeline events in between happen). */
  advance(seconds: number): AppliedEvent[];
  /** Does an action now, as POST /__sim/action would; returns PVE's error or null. */
  perform(action: SimAction | Record<string, unknown>): string | null;
  /** Accepts the same JSON as POST /__sim/fault; throws on invalid input. */
  addFault(fault: FaultSpec | Record<string, unknown>): ActiveFault;
  clearFaults(id?: string): number;
  resetStats(): void;
  /** Closes the listener and every open connection (hanging requests included). */
  stop(): Promise<void>;
  /** Listens again on the same host and port with the same certificate and model. */
  restart(): Promise<void>;
}

/** Reads and validates a scenario file; the error lists every problem. */
export function loadScenarioFile(file: string): Scenario {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`cannot read scenario ${file}: ${(err as Error).message}`, { cause: err });
  }
  const parsed = parseScenario(json);
  if (!parsed.ok)
    throw new Error(`scenario ${file} is not valid:\n  ${parsed.errors.join("\n  ")}`);
  return parsed.value;
}

const CONTROL_PREFIX = "/__sim";
const API_PREFIX = "/api2/json";
const MAX_CONTROL_BODY = 1024 * 1024;
const GZIP_THRESHOLD = 1024;

export const CONTROL_ENDPOINTS = [
  "GET  /__sim                 this list",
  "GET  /__sim/stats           request counters",
  "POST /__sim/reset-stats     zero the counters",
  "GET  /__sim/faults          active faults",
  "POST /__sim/fault           add a fault (or a list of faults)",
  'POST /__sim/clear-faults    remove all faults, or {"id": "..."}',
  "POST /__sim/action          do a timeline action now (or a list of actions)",
  'POST /__sim/advance         jump simulated time: {"seconds": N}',
  "GET  /__sim/state           model summary: time, quorum, nodes, guests, recent events",
];

const DEFAULT_QUIRKS: ApiQuirks = { errorMessageInBody: true, authFailure: "unified" };

/** A capture's version.json tells which error style its server had. */
function quirksOfReplay(dir: string): ApiQuirks {
  try {
    const parsed = JSON.parse(readFileSync(resolve(dir, "version.json"), "utf8")) as {
      data?: { version?: unknown };
    };
    const version = parsed.data?.version;
    if (typeof version !== "string") return DEFAULT_QUIRKS;
    return {
      errorMessageInBody: versionAtLeast(version, 8, 4),
      authFailure: versionAtLeast(version, 9, 1, 4) ? "unified" : "legacy",
    };
  } catch {
    return DEFAULT_QUIRKS;
  }
}

function emptyStats(): SimulatorStats {
  return {
    total: 0,
    bytesSent: 0,
    byPath: {},
    byRequest: {},
    byToken: {},
    byStatus: {},
    faultsHit: 0,
    since: new Date().toISOString(),
  };
}

function copyStats(s: SimulatorStats): SimulatorStats {
  return JSON.parse(JSON.stringify(s)) as SimulatorStats;
}

function formatHost(host: string): string {
  return host.indexOf(":") >= 0 ? `[${host}]` : host;
}

/** Node refuses reason phrases outside printable ASCII. */
function safeReason(reason: string): string {
  return reason.replace(/[^\x20-\x7e]/g, "?");
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const host = options.host ?? "127.0.0.1";
  const now = options.now ?? Date.now;
  const timeScale = options.timeScale ?? 1;
  const authDelayMs = Math.max(0, options.authDelayMs ?? 0);
  const latencyMs = Math.max(0, options.latencyMs ?? 0);
  const log = options.log;
  const replayDir = options.replayDir ? realpathSync(resolve(options.replayDir)) : null;
  if (replayDir !== null && !statSync(replayDir).isDirectory()) {
    throw new Error(`replay folder ${replayDir} is not a folder`);
  }

  const defaultHosts = ["localhost", "pve-sim", "127.0.0.1", "::1"];
  const certificate =
    options.certificate ??
    makeNodeCertificate({
      hosts: defaultHosts.indexOf(host) >= 0 ? defaultHosts : defaultHosts.concat([host]),
    });

  const scenario = replayDir === null ? (options.scenario ?? DEMO_SCENARIO) : null;
  const cluster = scenario
    ? createSimCluster(scenario, {
        localFingerprint: certificate.fingerprint256,
        // Backups (issue 13): backup and task times relative to the wall clock.
        epoch: Math.floor(now() / 1000),
      })
    : null;
  const faults: FaultBoard = cluster ? cluster.faults : createFaultBoard();
  for (const f of options.faults ?? []) faults.add(f);
  const replayToken: TokenSpec | null =
    options.token !== undefined
      ? options.token
      : options.scenario
        ? options.scenario.token
        : DEFAULT_TOKEN;
  const tokenId = cluster
    ? cluster.token
      ? cluster.token.id
      : null
    : replayToken
      ? replayToken.id
      : null;
  const replayQuirks = options.scenario
    ? options.scenario.api
    : replayDir
      ? quirksOfReplay(replayDir)
      : DEFAULT_QUIRKS;

  const startMs = now();
  let offsetSeconds = 0;
  let stats = emptyStats();
  let server: Server | null = null;
  let port = options.port ?? 0;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const elapsedSeconds = (): number =>
    Math.max(0, ((now() - startMs) / 1000) * timeScale + offsetSeconds);
  const sync = (): AppliedEvent[] => (cluster ? applyTimeline(cluster, elapsedSeconds()) : []);

  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const pathStats = (path: string): PathStats => {
    let p = stats.byPath[path];
    if (!p) {
      p = { count: 0, bytes: 0, statuses: {} };
      stats.byPath[path] = p;
    }
    return p;
  };
  const countOutcome = (path: string, outcome: string, bytes: number): void => {
    const p = pathStats(path);
    p.statuses[outcome] = (p.statuses[outcome] ?? 0) + 1;
    p.bytes += bytes;
    stats.byStatus[outcome] = (stats.byStatus[outcome] ?? 0) + 1;
    stats.bytesSent += bytes;
  };

  function encodeBody(
    req: IncomingMessage,
    body: string,
  ): { data: Buffer; encoding: string | null } {
    const raw = Buffer.from(body, "utf8");
    if (raw.length <= GZIP_THRESHOLD) return { data: raw, encoding: null };
    const accept = String(req.headers["accept-encoding"] ?? "").toLowerCase();
    if (/\bgzip\b/.test(accept)) return { data: gzipSync(raw), encoding: "gzip" };
    if (/\bdeflate\b/.test(accept)) return { data: deflateSync(raw), encoding: "deflate" };
    return { data: raw, encoding: null };
  }

  function baseHeaders(reply: ApiReply): Record<string, string> {
    const date = new Date(now()).toUTCString();
    const headers: Record<string, string> = {
      Server: "pve-api-daemon/3.0",
      "Cache-Control": "max-age=0",
      Pragma: "no-cache",
      Expires: date,
    };
    if (reply.contentType !== null) headers["Content-Type"] = reply.contentType;
    return headers;
  }

  function sendReply(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    reply: ApiReply,
    slowMs = 0,
  ): void {
    if (res.destroyed) return;
    const { data, encoding } = encodeBody(req, reply.body);
    const headers = baseHeaders(reply);
    if (encoding) headers["Content-Encoding"] = encoding;
    headers["Content-Length"] = String(data.length);
    res.writeHead(reply.status, safeReason(reply.reason), headers);
    countOutcome(path, String(reply.status), data.length);
    log?.(`${req.method} ${req.url} -> ${reply.status} ${reply.reason} (${data.length} bytes)`);
    if (slowMs <= 0 || data.length === 0) {
      res.end(data);
      return;
    }
    const pieces = Math.min(10, data.length);
    const size = Math.ceil(data.length / pieces);
    let offset = 0;
    const next = (): void => {
      if (res.destroyed) return;
      const chunk = data.subarray(offset, offset + size);
      offset += chunk.length;
      if (offset >= data.length) res.end(chunk);
      else {
        res.write(chunk);
        later(slowMs / pieces, next);
      }
    };
    next();
  }

  function sendHuge(req: IncomingMessage, res: ServerResponse, path: string, bytes: number): void {
    res.writeHead(
      200,
      "OK",
      baseHeaders({
        status: 200,
        reason: "OK",
        body: "",
        contentType: "application/json;charset=UTF-8",
      }),
    );
    const chunks = hugeBodyChunks(bytes, 64 * 1024);
    let sent = 0;
    const pump = (): void => {
      while (!res.destroyed) {
        const step = chunks.next();
        if (step.done) {
          res.end();
          countOutcome(path, "200", sent);
          log?.(`${req.method} ${req.url} -> 200 huge (${sent} bytes)`);
          return;
        }
        sent += Buffer.byteLength(step.value);
        if (!res.write(step.value)) {
          res.once("drain", pump);
          return;
        }
      }
      countOutcome(path, "200", sent);
    };
    pump();
  }

  function replayReply(path: string, authorization: string | null): ApiReply {
    const auth = authenticate(replayToken, authorization, replayQuirks.authFailure);
    if (!auth.ok) return auth.reply;
    const messageInBody = replayQuirks.errorMessageInBody;
    const segments = path.split("/").filter((s) => s !== "");
    const notFound = errorReply(501, `Method 'GET /${segments.join("/")}' not implemented`, {
      messageInBody,
    });
    if (segments.some((s) => s === ".." || s === "." || s.indexOf("\\") >= 0)) return notFound;
    const file = resolve(
      replayDir ?? ".",
      (segments.length ? segments.join(sep) : "index") + ".json",
    );
    const rel = relative(replayDir ?? ".", file);
    if (rel.startsWith("..") || isAbsolute(rel)) return notFound;
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      return notFound;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      return errorReply(500, `replay file ${rel} is not valid JSON: ${(err as Error).message}`, {
        messageInBody,
      });
    }
    const isEnvelope =
      typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) && "data" in parsed;
    // An envelope is served byte for byte, keeping the capture's key order and spacing.
    const body = isEnvelope ? text : JSON.stringify({ data: parsed });
    return { status: 200, reason: "OK", body, contentType: "application/json;charset=UTF-8" };
  }

  function handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
    search: string,
    body: string,
  ): void {
    const path = normaliseApiPath(pathname);
    stats.total += 1;
    pathStats(path).count += 1;
    const requestKey = `${(req.method ?? "GET").toUpperCase()} ${path}`;
    stats.byRequest[requestKey] = (stats.byRequest[requestKey] ?? 0) + 1;
    sync();
    const method = (req.method ?? "GET").toUpperCase();
    const authorization =
      typeof req.headers.authorization === "string" ? req.headers.authorization : null;
    const counted = (reply: ApiReply): ApiReply => {
      if (reply.signedBy !== undefined) {
        const mine = (stats.byToken[reply.signedBy] ??= {});
        mine[requestKey] = (mine[requestKey] ?? 0) + 1;
      }
      return reply;
    };
    const answer = (): ApiReply =>
      cluster
        ? counted(
            handleApiRequest(cluster, {
              method,
              path,
              query: parseQuery(search),
              authorization,
              body,
              contentType:
                typeof req.headers["content-type"] === "string"
                  ? req.headers["content-type"]
                  : null,
            }),
          )
        : method === "GET"
          ? replayReply(path, authorization)
          : errorReply(501, `Method '${method} ${path}' not implemented`, { messageInBody: true });

    const fault = faults.take(method, path);
    if (fault) {
      stats.faultsHit += 1;
      log?.(`${method} ${req.url} -> fault ${fault.id} (${fault.kind})`);
      switch (fault.kind) {
        case "hang":
          countOutcome(path, "hang", 0);
          return;
        case "reset":
          countOutcome(path, "reset", 0);
          req.socket.destroy();
          return;
        case "delay":
          later(fault.delayMs ?? DELAY_DEFAULT_MS, () => sendReply(req, res, path, answer()));
          return;
        case "slow":
          sendReply(req, res, path, answer(), fault.delayMs ?? SLOW_DEFAULT_MS);
          return;
        case "huge":
          sendHuge(req, res, path, fault.bytes ?? HUGE_DEFAULT_BYTES);
          return;
        default: {
          const reply = faultReply(
            fault,
            cluster ? cluster.api.errorMessageInBody : replayQuirks.errorMessageInBody,
          );
          if (reply) {
            later(latencyMs + (reply.authFailed ? authDelayMs : 0), () =>
              sendReply(req, res, path, reply),
            );
            return;
          }
        }
      }
    }
    const reply = answer();
    const delay = latencyMs + (reply.authFailed ? authDelayMs : 0);
    if (delay > 0) later(delay, () => sendReply(req, res, path, reply));
    else sendReply(req, res, path, reply);
  }

  // ---- control API

  function controlJson(res: ServerResponse, status: number, value: unknown): void {
    const body = Buffer.from(JSON.stringify(value, null, 2) + "\n", "utf8");
    res.writeHead(status, {
      "Content-Type": "application/json",
      "Content-Length": String(body.length),
    });
    res.end(body);
  }

  function addFaultFrom(value: unknown): ActiveFault {
    const errors: string[] = [];
    const parsed = parseFault(value, "fault", errors);
    if (!parsed) throw new Error(errors.join("; "));
    return faults.add(parsed.spec, parsed.id ?? undefined);
  }

  function performFrom(value: unknown): { action: SimAction | null; error: string | null } {
    if (!cluster) return { action: null, error: "replay mode has no model to change" };
    sync();
    const errors: string[] = [];
    const action = parseAction(
      value,
      "action",
      { nodes: cluster.nodes.map((n) => n.name), vmids: cluster.guests.map((g) => g.vmid) },
      errors,
    );
    if (!action) return { action: null, error: errors.join("; ") };
    return { action, error: applyActionNow(cluster, action).error };
  }

  function state(): unknown {
    sync();
    if (!cluster)
      return { mode: "replay", replayDir, elapsed: elapsedSeconds(), faults: faults.list() };
    return {
      mode: "model",
      elapsed: cluster.elapsed,
      cluster: cluster.name,
      quorate: isQuorate(cluster),
      version: cluster.version.version,
      nodes: cluster.nodes.map((n) => ({
        name: n.name,
        online: n.online,
        rrdFresh: hasFreshRrd(cluster, n),
        cpu: n.cpu,
        mem: n.mem,
        maxmem: n.maxmem,
      })),
      guests: cluster.guests.map((g) => ({
        vmid: g.vmid,
        type: g.type,
        name: g.name,
        node: g.node,
        status: g.status,
        lock: g.lock,
        uptime: guestUptime(cluster, g),
        nodeOnline: findNode(cluster, g.node)?.online ?? false,
      })),
      faults: faults.list(),
      pending: cluster.pending,
      tasks: cluster.tasks.slice(-20),
      log: cluster.log.slice(-50),
    };
  }

  /** A request's body as text; rejects when too large. */
  function readApiBody(req: IncomingMessage): Promise<string> {
    return new Promise((resolveBody, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on("data", (c: Buffer) => {
        size += c.length;
        if (size > MAX_CONTROL_BODY) {
          reject(new Error("request body too large"));
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      req.on("end", () => resolveBody(Buffer.concat(chunks).toString("utf8")));
      req.on("error", reject);
    });
  }

  async function readBody(req: IncomingMessage): Promise<unknown> {
    const text = (await readApiBody(req)).trim();
    if (text === "") return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new Error(`body is not JSON: ${(err as Error).message}`, { cause: err });
    }
  }

  async function handleControl(
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
  ): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    const route = pathname.slice(CONTROL_PREFIX.length).replace(/\/+$/, "");
    let body: unknown;
    try {
      body =
        method === "POST" || method === "PUT" || method === "DELETE"
          ? await readBody(req)
          : undefined;
    } catch (err) {
      controlJson(res, 400, { ok: false, error: (err as Error).message });
      return;
    }
    const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);
    if (method === "GET" && route === "") {
      controlJson(res, 200, { endpoints: CONTROL_ENDPOINTS, api: `${API_PREFIX}/...`, tokenId });
    } else if (method === "GET" && route === "/stats") {
      controlJson(res, 200, copyStats(stats));
    } else if (method === "POST" && route === "/reset-stats") {
      stats = emptyStats();
      controlJson(res, 200, { ok: true });
    } else if (method === "GET" && route === "/faults") {
      controlJson(res, 200, faults.list());
    } else if ((method === "POST" || method === "PUT") && route === "/fault") {
      try {
        const added = list(body).map(addFaultFrom);
        controlJson(res, 200, { ok: true, ids: added.map((f) => f.id), faults: added });
      } catch (err) {
        controlJson(res, 400, { ok: false, error: (err as Error).message });
      }
    } else if (
      (method === "POST" && route === "/clear-faults") ||
      (method === "DELETE" && route === "/fault")
    ) {
      const id =
        body && typeof body === "object" && typeof (body as { id?: unknown }).id === "string"
          ? (body as { id: string }).id
          : undefined;
      controlJson(res, 200, { ok: true, cleared: faults.clear(id) });
    } else if (method === "POST" && route === "/action") {
      const results = list(body).map(performFrom);
      controlJson(res, results.every((r) => r.action !== null) ? 200 : 400, {
        ok: results.every((r) => r.error === null),
        results,
      });
    } else if (method === "POST" && route === "/advance") {
      const seconds =
        body && typeof body === "object" ? (body as { seconds?: unknown }).seconds : undefined;
      if (typeof seconds !== "number" || !(seconds >= 0) || !isFinite(seconds)) {
        controlJson(res, 400, { ok: false, error: 'expected {"seconds": N} with N >= 0' });
        return;
      }
      const events = advance(seconds);
      controlJson(res, 200, { ok: true, elapsed: elapsedSeconds(), events });
    } else if (method === "GET" && route === "/state") {
      controlJson(res, 200, state());
    } else {
      controlJson(res, 404, {
        ok: false,
        error: `no control endpoint ${method} ${pathname}`,
        endpoints: CONTROL_ENDPOINTS,
      });
    }
  }

  function advance(seconds: number): AppliedEvent[] {
    offsetSeconds += seconds;
    return sync();
  }

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "https://simulator.invalid");
    const pathname = url.pathname;
    if (pathname === CONTROL_PREFIX || pathname.startsWith(CONTROL_PREFIX + "/")) {
      handleControl(req, res, pathname).catch((err: unknown) => {
        if (!res.headersSent) controlJson(res, 500, { ok: false, error: String(err) });
      });
      return;
    }
    if (pathname === API_PREFIX || pathname.startsWith(API_PREFIX + "/")) {
      const search = url.search.replace(/^\?/, "");
      if ((req.method ?? "GET").toUpperCase() === "GET") {
        req.resume();
        handleApi(req, res, pathname, search, "");
        return;
      }
      readApiBody(req).then(
        (body) => handleApi(req, res, pathname, search, body),
        () => {
          if (!res.headersSent) res.destroy();
        },
      );
      return;
    }
    // Drain any request body; nothing else here reads one.
    req.resume();
    const body = "Not Found\n";
    res.writeHead(404, "Not Found", {
      "Content-Type": "text/plain",
      "Content-Length": String(body.length),
    });
    res.end(body);
  }

  async function listen(): Promise<void> {
    const s = createServer({ key: certificate.keyPem, cert: certificate.certPem }, onRequest);
    s.on("connection", (socket: Socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    // A client that drops a TLS handshake must not take the simulator down.
    s.on("tlsClientError", () => undefined);
    s.on("clientError", (_err, socket) => socket.destroy());
    await new Promise<void>((done, fail) => {
      const onError = (err: Error): void => fail(err);
      s.once("error", onError);
      s.listen(port, host, () => {
        s.off("error", onError);
        done();
      });
    });
    const address = s.address();
    if (address && typeof address === "object") port = address.port;
    server = s;
  }

  async function stop(): Promise<void> {
    const s = server;
    server = null;
    for (const t of timers) clearTimeout(t);
    timers.clear();
    if (!s) return;
    await new Promise<void>((done) => {
      s.close(() => done());
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    });
  }

  await listen();
  const base = `https://${formatHost(host)}:${port}`;

  const handle: SimulatorHandle = {
    url: base,
    apiUrl: base + API_PREFIX,
    controlUrl: base + CONTROL_PREFIX,
    host,
    port,
    caFile: certificate.caFile,
    caPem: certificate.caPem,
    fingerprint256: certificate.fingerprint256,
    certificate,
    cluster,
    faults,
    get stats() {
      return copyStats(stats);
    },
    tokenId,
    get running() {
      return server !== null;
    },
    ready: {
      url: base,
      caFile: certificate.caFile,
      fingerprint256: certificate.fingerprint256,
      tokenId,
      control: base + CONTROL_PREFIX,
    },
    elapsedSeconds,
    advance,
    perform(action) {
      const r = performFrom(action);
      if (r.action === null) throw new Error(r.error ?? "invalid action");
      return r.error;
    },
    addFault: (fault) => addFaultFrom(fault),
    clearFaults: (id) => faults.clear(id),
    resetStats() {
      stats = emptyStats();
    },
    stop,
    async restart() {
      await stop();
      await listen();
    },
  };
  return handle;
}
