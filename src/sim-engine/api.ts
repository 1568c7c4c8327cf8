// pveproxy in miniature: token authentication, routing, parameter and
// permission checks, proxying to (possibly offline) nodes, answered from
// the simulated cluster. Pure, so the demo transport (inside plasmashell)
// and the HTTPS simulator (in Node) give identical answers.

import { rrdRoute } from "./rrd";
import type { Acl } from "./acl";
import { createAcl } from "./acl";
import { findBackupRoute } from "./backup-routes";
import type { SimCluster, SimGuest, SimNode } from "./cluster-model";
import { findGuest, findNode, guestOnNode, isAliveStatus } from "./cluster-model";
import type { ApiPowerAction } from "./tasks";
import { findTask, renderTaskStatus, startTask } from "./tasks";
import type { ResourceTypeFilter } from "./render";
import {
  RESOURCE_TYPES,
  canAuditGuest,
  renderClusterResources,
  renderClusterStatus,
  renderGuestCurrent,
  renderGuestList,
  renderNodeStatus,
  renderNodes,
  renderPermissions,
  renderVersion,
} from "./render";
import type { ApiReply } from "./reply";
import { dataReply, emptyReply, errorReply } from "./reply";
import type { ApiQuirks, TokenSpec } from "./scenario";

export interface ApiRequest {
  method: string;
  /** Path below /api2/json, e.g. "/cluster/resources". */
  path: string;
  query: Record<string, string>;
  /** The Authorization header as sent, or null. */
  authorization: string | null;
  /** Request body (POST): form-encoded or JSON, as pveproxy accepts. */
  body?: string;
  contentType?: string | null;
}

/** `token`: the one that signed the request (null: the scenario has no authentication). */
export type AuthResult = { ok: true; token: TokenSpec | null } | { ok: false; reply: ApiReply };

/**
 * pveproxy's token check: the value after "PVEAPIToken=" (or a space) up to
 * ';', URI-unescaped, split at the LAST '=' into token id and secret.
 * Messages are PVE's; since 9.1.4 every bad token gets the same one.
 * `others`: further tokens accepted (each checked by its full ID); the
 * messages for an unknown ID are about `token`'s user, as before.
 */
export function authenticate(
  token: TokenSpec | null,
  header: string | null,
  mode: ApiQuirks["authFailure"],
  others: ReadonlyArray<TokenSpec> = [],
): AuthResult {
  if (token === null) return { ok: true, token: null };
  const fail = (legacyMessage: string): AuthResult => {
    const reply = emptyReply(401, mode === "unified" ? "Authentication failed!" : legacyMessage);
    reply.authFailed = true;
    return { ok: false, reply };
  };
  const m = header === null ? null : /(?:^|\s)PVEAPIToken(?:=| )([^;]*)/.exec(header);
  if (!m) {
    const reply = emptyReply(401, "No ticket");
    reply.authFailed = true;
    return { ok: false, reply };
  }
  let value = m[1] ?? "";
  try {
    value = decodeURIComponent(value);
  } catch {
    // PVE's uri_unescape leaves malformed escapes alone; so do we.
  }
  value = value.trim();
  const split = /^(.*)=(.*)$/.exec(value);
  if (!split) return fail("no tokenid specified");
  const tokenid = split[1] ?? "";
  const secret = split[2] ?? "";
  const parts = /^([^\s:/]+@[A-Za-z][A-Za-z0-9._-]+)!([A-Za-z][A-Za-z0-9._-]+)$/.exec(tokenid);
  if (!parts)
    return fail(
      `'${tokenid}' is not a valid token ID - not able to split into user and token parts`,
    );
  let matched: TokenSpec = token;
  for (const other of others) if (other.id === tokenid) matched = other;
  const [expectedUser, expectedName] = matched.id.split("!");
  if (parts[1] !== expectedUser) return fail(`user '${parts[1]}' is disabled`);
  if (parts[2] !== expectedName) return fail(`no such token '${parts[2]}' for user '${parts[1]}'`);
  if (secret !== matched.secret) return fail("invalid token value!");
  return { ok: true, token: matched };
}

export interface Route {
  /** Parameters besides the ones in the path. */
  params: string[];
  handle(cluster: SimCluster, acl: Acl, query: Record<string, string>, fail: Failer): ApiReply;
}

export interface Failer {
  error(status: number, message: string, errors?: Record<string, string>): ApiReply;
  param(name: string, message: string): ApiReply;
  permission(path: string, privilege: string): ApiReply;
}

const NODE_NAME = /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const BOOLEAN_VALUES: Record<string, boolean> = {
  "1": true,
  "0": false,
  true: true,
  false: false,
  yes: true,
  no: false,
  on: true,
  off: false,
};

function findRoute(segments: string[]): Route | null {
  const [a, b, c, d, e, f] = segments;
  const n = segments.length;
  // Backups (issue 13): jobs, tasks, logs, backup volumes, HA, Ceph.
  const backupRoute = findBackupRoute(segments, nodeRoute, decodeSegment);
  if (backupRoute) return backupRoute;
  if (n === 0) {
    return {
      params: [],
      handle: () =>
        dataReply(
          ["version", "cluster", "nodes", "storage", "access", "pools"].map((s) => ({ subdir: s })),
        ),
    };
  }
  if (n === 1 && a === "version")
    return { params: [], handle: (cl) => dataReply(renderVersion(cl)) };
  if (n === 1 && a === "nodes")
    return { params: [], handle: (cl, acl) => dataReply(renderNodes(cl, acl)) };
  if (n === 2 && a === "cluster" && b === "resources") {
    return {
      params: ["type"],
      handle(cl, acl, query, fail) {
        const type = query.type;
        if (type !== undefined && (RESOURCE_TYPES as readonly string[]).indexOf(type) < 0) {
          return fail.param(
            "type",
            `value '${type}' does not have a value in the enumeration '${RESOURCE_TYPES.join(", ")}'`,
          );
        }
        return dataReply(
          renderClusterResources(cl, acl, (type as ResourceTypeFilter | undefined) ?? null),
        );
      },
    };
  }
  if (n === 2 && a === "cluster" && b === "status") {
    return {
      params: [],
      handle(cl, acl, _q, fail) {
        if (!acl.has("/", "Sys.Audit")) return fail.permission("/", "Sys.Audit");
        return dataReply(renderClusterStatus(cl));
      },
    };
  }
  if (n === 2 && a === "access" && b === "permissions") {
    return {
      params: ["path", "userid"],
      handle(cl, acl, query, fail) {
        if (query.userid !== undefined && cl.token !== null && query.userid !== cl.token.id) {
          if (!acl.has("/access", "Sys.Audit")) return fail.permission("/access", "Sys.Audit");
          return dataReply({});
        }
        return dataReply(renderPermissions(cl, acl, query.path ?? null));
      },
    };
  }
  if (a !== "nodes" || b === undefined) return null;
  const nodeName = b;
  // History and storage (issue 12): the three …/rrddata routes.
  const rrd = rrdRoute(segments);
  if (rrd) return nodeRoute(nodeName, rrd.params, rrd.handle);
  if (n === 3 && c === "status") {
    return nodeRoute(nodeName, [], (cl, node, acl, _q, fail) => {
      if (!acl.has(`/nodes/${nodeName}`, "Sys.Audit"))
        return fail.permission(`/nodes/${nodeName}`, "Sys.Audit");
      return proxied(node, fail) ?? dataReply(renderNodeStatus(cl, node));
    });
  }
  if (n === 3 && (c === "qemu" || c === "lxc")) {
    return nodeRoute(nodeName, c === "qemu" ? ["full"] : [], (cl, node, acl, query, fail) => {
      let full = false;
      if (query.full !== undefined) {
        const v = BOOLEAN_VALUES[query.full.toLowerCase()];
        if (v === undefined)
          return fail.param("full", `type check ('boolean') failed - got '${query.full}'`);
        full = v;
      }
      return proxied(node, fail) ?? dataReply(renderGuestList(cl, node, acl, c, full));
    });
  }
  if (n === 5 && c === "tasks" && d !== undefined && e === "status") {
    return taskStatusRoute(decodeSegment(nodeName), d);
  }
  if (n === 6 && (c === "qemu" || c === "lxc") && e === "status" && f === "current") {
    return nodeRoute(nodeName, [], (cl, node, acl, _q, fail) => {
      if (!/^\d+$/.test(d ?? ""))
        return fail.param("vmid", `type check ('integer') failed - got '${d}'`);
      const vmid = parseInt(d ?? "0", 10);
      if (vmid < 100 || vmid > 999999999)
        return fail.param("vmid", "value must have a minimum value of 100");
      if (!acl.has(`/vms/${vmid}`, "VM.Audit")) {
        const g = findGuest(cl, vmid);
        if (!g || !canAuditGuest(acl, g)) return fail.permission(`/vms/${vmid}`, "VM.Audit");
      }
      const down = proxied(node, fail);
      if (down) return down;
      const guest = guestOnNode(cl, node, c, vmid, fail);
      return "body" in guest ? guest : dataReply(renderGuestCurrent(cl, guest));
    });
  }
  return null;
}

export type NodeRouteFactory = typeof nodeRoute;

/** A route below /nodes/{node}: the name is checked, then looked up like pveproxy would. */
function nodeRoute(
  nodeName: string,
  params: string[],
  handle: (
    cluster: SimCluster,
    node: SimNode,
    acl: Acl,
    query: Record<string, string>,
    fail: Failer,
  ) => ApiReply,
): Route {
  return {
    params,
    handle(cluster, acl, query, fail) {
      if (!NODE_NAME.test(nodeName))
        return fail.param("node", "invalid format - value does not look like a valid node name");
      const node = findNode(cluster, nodeName);
      if (!node) {
        return fail.error(
          500,
          `hostname lookup '${nodeName}' failed - failed to get address info for: ${nodeName}: Name or service not known`,
        );
      }
      return handle(cluster, node, acl, query, fail);
    },
  };
}

/** pveproxy forwards the call to the node; an offline node leaves AnyEvent::HTTP's 595. */
function proxied(node: SimNode, _fail: Failer): ApiReply | null {
  if (node.online) return null;
  return emptyReply(595, "No route to host");
}

export function splitApiPath(path: string): string[] {
  return path.split("/").filter((s) => s !== "");
}

/** Answers one API request from the model, as of the cluster's current second. */
export function handleApiRequest(cluster: SimCluster, request: ApiRequest): ApiReply {
  const scenarioToken = cluster.token;
  const others = cluster.tokens ? cluster.tokens.slice(1) : [];
  const auth = authenticate(scenarioToken, request.authorization, cluster.api.authFailure, others);
  if (!auth.ok) return auth.reply;
  // The routes read `cluster.token` (ACL, /access/permissions, the task's
  // user): for this synchronous call it is the token that signed.
  cluster.token = auth.token;
  try {
    const reply = answerAuthenticated(cluster, request);
    if (auth.token) reply.signedBy = auth.token.id;
    return reply;
  } finally {
    cluster.token = scenarioToken;
  }
}

function answerAuthenticated(cluster: SimCluster, request: ApiRequest): ApiReply {
  const messageInBody = cluster.api.errorMessageInBody;

  const fail: Failer = {
    error: (status, message, errors) => errorReply(status, message, { messageInBody, errors }),
    param: (name, message) =>
      errorReply(400, "Parameter verification failed.", {
        messageInBody,
        errors: { [name]: message },
      }),
    permission: (path, privilege) =>
      errorReply(403, `Permission check failed (${path}, ${privilege})`, { messageInBody }),
  };

  const method = request.method.toUpperCase();
  const segments = splitApiPath(request.path);
  const route =
    method === "GET" ? findRoute(segments) : method === "POST" ? findPostRoute(segments) : null;
  if (!route) {
    return fail.error(501, `Method '${method} /${segments.join("/")}' not implemented`);
  }
  let query = request.query;
  if (method === "POST" && request.body !== undefined && request.body !== "") {
    const fromBody = parseBody(request.body, request.contentType ?? null);
    if (fromBody === null) {
      return fail.error(400, "Parameter verification failed.", { body: "unable to parse body" });
    }
    query = {};
    for (const key of Object.keys(request.query)) query[key] = request.query[key] as string;
    for (const key of Object.keys(fromBody)) query[key] = fromBody[key] as string;
  }
  const unknown: Record<string, string> = {};
  let anyUnknown = false;
  for (const key of Object.keys(query)) {
    // ExtJS's cache buster; pve-http-server drops it before validation.
    if (key === "_dc" || route.params.indexOf(key) >= 0) continue;
    unknown[key] =
      "property is not defined in schema and the schema does not allow additional properties";
    anyUnknown = true;
  }
  if (anyUnknown) return fail.error(400, "Parameter verification failed.", unknown);
  return route.handle(
    cluster,
    createAcl(cluster.token ? cluster.token.privileges : null),
    query,
    fail,
  );
}

/** pveproxy reads form-encoded bodies, and JSON ones (values as strings, like the form). */
function parseBody(body: string, contentType: string | null): Record<string, string> | null {
  const type = (contentType ?? "").toLowerCase();
  if (type.indexOf("application/json") === 0) {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return null;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
    const out: Record<string, string> = {};
    for (const key of Object.keys(value))
      out[key] = String((value as Record<string, unknown>)[key]);
    return out;
  }
  return parseQuery(body);
}

// ---------------------------------------------------------------------------
// POST routes: guest power actions

/** The parameters each endpoint's schema has besides node and vmid (pve-apidata.json). */
const POWER_PARAMS: Record<string, Record<string, string[]>> = {
  qemu: {
    start: [
      "timeout",
      "skiplock",
      "machine",
      "force-cpu",
      "stateuri",
      "targetstorage",
      "with-conntrack-state",
    ],
    stop: ["timeout", "keepActive", "skiplock", "overrule-shutdown", "migratedfrom"],
    shutdown: ["timeout", "forceStop", "keepActive", "skiplock"],
    reboot: ["timeout"],
    reset: ["skiplock"],
    suspend: ["todisk", "statestorage", "skiplock"],
    resume: ["skiplock", "nocheck"],
  },
  lxc: {
    start: ["skiplock", "debug"],
    stop: ["skiplock", "overrule-shutdown"],
    shutdown: ["timeout", "forceStop"],
    reboot: ["timeout"],
    suspend: [],
    resume: [],
  },
};

const INTEGER_PARAMS = ["timeout"];
const BOOLEAN_PARAMS = [
  "forceStop",
  "keepActive",
  "skiplock",
  "overrule-shutdown",
  "todisk",
  "nocheck",
  "debug",
  "with-conntrack-state",
];

export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function findPostRoute(segments: string[]): Route | null {
  const [a, b, c, d, e, f] = segments;
  if (segments.length !== 6 || a !== "nodes" || b === undefined || e !== "status") return null;
  if (c !== "qemu" && c !== "lxc") return null;
  const allowed = POWER_PARAMS[c]?.[f ?? ""];
  if (!allowed) return null;
  const action = f as ApiPowerAction;
  const nodeName = decodeSegment(b);
  return nodeRoute(nodeName, allowed, (cl, node, acl, query, fail) => {
    if (!/^\d+$/.test(d ?? ""))
      return fail.param("vmid", `type check ('integer') failed - got '${d}'`);
    const vmid = parseInt(d ?? "0", 10);
    if (vmid < 100 || vmid > 999999999)
      return fail.param("vmid", "value must have a minimum value of 100");
    for (const key of Object.keys(query)) {
      const v = query[key] as string;
      if (INTEGER_PARAMS.indexOf(key) >= 0 && !/^\d+$/.test(v))
        return fail.param(key, `type check ('integer') failed - got '${v}'`);
      if (BOOLEAN_PARAMS.indexOf(key) >= 0 && BOOLEAN_VALUES[v.toLowerCase()] === undefined)
        return fail.param(key, `type check ('boolean') failed - got '${v}'`);
    }
    // The schema's check: ['perm', '/vms/{vmid}', ['VM.PowerMgmt']], before the handler runs.
    const g = findGuest(cl, vmid);
    if (!canPowerGuest(acl, vmid, g)) return fail.permission(`/vms/${vmid}`, "VM.PowerMgmt");
    const down = proxied(node, fail);
    if (down) return down;
    if (!g || g.node !== node.name || g.type !== c) {
      const dir = c === "qemu" ? "qemu-server" : "lxc";
      return fail.error(
        500,
        `Configuration file 'nodes/${node.name}/${dir}/${vmid}.conf' does not exist`,
      );
    }
    const refusal = synchronousRefusal(g, action);
    if (refusal !== null) return fail.error(500, refusal);
    return dataReply(startTask(cl, g, action).upid);
  });
}

function canPowerGuest(acl: Acl, vmid: number, guest: SimGuest | undefined): boolean {
  if (acl.has(`/vms/${vmid}`, "VM.PowerMgmt")) return true;
  return !!guest && guest.pool !== null && acl.has(`/pool/${guest.pool}`, "VM.PowerMgmt");
}

/** What the API handlers refuse before forking a worker (qemu-server, pve-container). */
function synchronousRefusal(guest: SimGuest, action: ApiPowerAction): string | null {
  const alive = isAliveStatus(guest.status);
  if (guest.type === "lxc") {
    if (action === "start" && alive) return `CT ${guest.vmid} already running`;
    if (action !== "start" && !alive) return `CT ${guest.vmid} not running`;
    return null;
  }
  if (action === "start" && guest.template) return "you can't start a vm if it's a template";
  if ((action === "suspend" || action === "resume" || action === "reset") && !alive)
    return `VM ${guest.vmid} not running`;
  return null;
}

/** GET /nodes/{node}/tasks/{upid}/status; a token always reads its own tasks. */
function taskStatusRoute(nodeName: string, rawUpid: string): Route {
  return nodeRoute(nodeName, [], (cl, node, _acl, _q, fail) => {
    const upid = decodeSegment(rawUpid);
    if (upid.indexOf("UPID:") !== 0) return fail.param("upid", "unable to parse worker upid");
    const down = proxied(node, fail);
    if (down) return down;
    const task = findTask(cl, upid);
    if (!task || task.node !== node.name) return fail.param("upid", "no such task");
    return dataReply(renderTaskStatus(task));
  });
}

/** "a=1&b=x%20y" -> { a: "1", b: "x y" } */
export function parseQuery(query: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of query.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? "" : part.slice(eq + 1);
    out[unescapeQuery(rawKey)] = unescapeQuery(rawValue);
  }
  return out;
}

function unescapeQuery(s: string): string {
  const plain = s.replace(/\+/g, " ");
  try {
    return decodeURIComponent(plain);
  } catch {
    return plain;
  }
}
