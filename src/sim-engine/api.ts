// pveproxy in miniature: token authentication, routing, parameter and
// permission checks, proxying to (possibly offline) nodes, answered from
// the simulated cluster. Pure, so the demo transport (inside plasmashell)
// and the HTTPS simulator (in Node) give identical answers.

import type { Acl } from "./acl";
import { createAcl } from "./acl";
import type { SimCluster, SimNode } from "./cluster-model";
import { findGuest, findNode } from "./cluster-model";
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
}

export type AuthResult = { ok: true } | { ok: false; reply: ApiReply };

/**
 * pveproxy's token check: the value after "PVEAPIToken=" (or a space) up to
 * ';', URI-unescaped, split at the LAST '=' into token id and secret.
 * Messages are PVE's; since 9.1.4 every bad token gets the same one.
 */
export function authenticate(
  token: TokenSpec | null,
  header: string | null,
  mode: ApiQuirks["authFailure"],
): AuthResult {
  if (token === null) return { ok: true };
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
  const [expectedUser, expectedName] = token.id.split("!");
  if (parts[1] !== expectedUser) return fail(`user '${parts[1]}' is disabled`);
  if (parts[2] !== expectedName) return fail(`no such token '${parts[2]}' for user '${parts[1]}'`);
  if (secret !== token.secret) return fail("invalid token value!");
  return { ok: true };
}

interface Route {
  /** Parameters besides the ones in the path. */
  params: string[];
  handle(cluster: SimCluster, acl: Acl, query: Record<string, string>, fail: Failer): ApiReply;
}

interface Failer {
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
      const guest = findGuest(cl, vmid);
      if (!guest || guest.node !== node.name || guest.type !== c) {
        const dir = c === "qemu" ? "qemu-server" : "lxc";
        return fail.error(
          500,
          `Configuration file 'nodes/${node.name}/${dir}/${vmid}.conf' does not exist`,
        );
      }
      return dataReply(renderGuestCurrent(cl, guest));
    });
  }
  return null;
}

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
  const messageInBody = cluster.api.errorMessageInBody;
  const auth = authenticate(cluster.token, request.authorization, cluster.api.authFailure);
  if (!auth.ok) return auth.reply;

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
  const route = method === "GET" ? findRoute(segments) : null;
  if (!route) {
    return fail.error(501, `Method '${method} /${segments.join("/")}' not implemented`);
  }
  const unknown: Record<string, string> = {};
  let anyUnknown = false;
  for (const key of Object.keys(request.query)) {
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
    request.query,
    fail,
  );
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
