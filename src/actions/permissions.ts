// "May this token power that guest?" from GET /access/permissions. For an
// API token that answer is the token's own effective privileges per ACL
// path, already computed by PVE (pve-access-control RPCEnvironment.pm
// get_effective_permissions): propagation from parents, NoAccess, the
// user/token intersection, and pool ACLs on every pool member's
// /vms/{vmid}. Each value is the propagate flag (1 reaches sub-paths; pool-
// derived privileges are 0). Paths listed are "/", "/vms", "/nodes", …, each
// path with an ACL and each pool member; a path with no privileges is left out.

import type { ApiCall } from "../api/client";
import type { Translator } from "../notify/message";
import type { ActionGuest } from "./rules";

/** ACL path → privilege → 1 (propagates) or 0. */
export type PermissionMap = Record<string, Record<string, number>>;

/** PVE checks exactly this, on /vms/{vmid}, for every guest power endpoint. */
export const POWER_PRIVILEGE = "VM.PowerMgmt";

/** "/vms/100/" and "vms//100" → "/vms/100" */
export function normalisePermissionPath(path: string): string {
  return (
    "/" +
    path
      .split("/")
      .filter((p) => p !== "")
      .join("/")
  );
}

const MAX_PATHS = 100000;

/** The untrusted answer → a map; null when it is not an object of objects. */
export function decodePermissions(data: unknown): PermissionMap | null {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return null;
  const out: PermissionMap = {};
  const paths = Object.keys(data);
  for (let i = 0; i < paths.length && i < MAX_PATHS; i++) {
    const path = paths[i] as string;
    if (path.charAt(0) !== "/") continue;
    const entry = (data as Record<string, unknown>)[path];
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) continue;
    const privs: Record<string, number> = {};
    for (const priv of Object.keys(entry)) {
      const flag = (entry as Record<string, unknown>)[priv];
      privs[priv] = flag === 1 || flag === true || flag === "1" ? 1 : 0;
    }
    out[normalisePermissionPath(path)] = privs;
  }
  return out;
}

export type PowerPermission =
  | { allowed: true; via: string }
  | { allowed: false; privilege: string; path: string; reason: string };

function has(map: PermissionMap, path: string, privilege: string, propagating: boolean): boolean {
  const entry = map[path];
  if (!entry || entry[privilege] === undefined) return false;
  return !propagating || entry[privilege] === 1;
}

/**
 * Whether the token holds `privilege` on the guest's path: /vms/{vmid} as
 * PVE lists it (pool ACLs included) if listed, else what propagates from
 * /vms, else from / (for servers that do not list /vms), else from the
 * guest's pool. Refusals name the privilege and the exact path.
 */
export function guestPermission(
  map: PermissionMap,
  guest: Pick<ActionGuest, "vmid" | "name"> & { pool?: string | null },
  tr: Translator,
  privilege: string = POWER_PRIVILEGE,
): PowerPermission {
  const path = "/vms/" + String(guest.vmid);
  const denied = (): PowerPermission => ({
    allowed: false,
    privilege,
    path,
    reason: tr("The token lacks %1 on %2.", privilege, path),
  });
  if (map[path]) return has(map, path, privilege, false) ? { allowed: true, via: path } : denied();
  if (map["/vms"]) {
    return has(map, "/vms", privilege, true) ? { allowed: true, via: "/vms" } : denied();
  }
  if (has(map, "/", privilege, true)) return { allowed: true, via: "/" };
  const pool = guest.pool ? "/pool/" + guest.pool : null;
  if (pool !== null && has(map, pool, privilege, false)) return { allowed: true, via: pool };
  return denied();
}

/** GET /access/permissions, decoded; `null` value when the answer is not its shape. */
export function fetchPermissions(client: {
  get(path: string): ApiCall<unknown>;
}): ApiCall<PermissionMap | null> {
  const call = client.get("/access/permissions");
  return {
    result: call.result.then((r) => (r.ok ? { ok: true, value: decodePermissions(r.value) } : r)),
    abort: () => call.abort(),
  };
}
