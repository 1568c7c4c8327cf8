// The token's effective rights, evaluated the way pve-access-control does:
// walking from "/" down to the path, an ACL entry on a deeper path replaces
// what was inherited (it does not add to it), and only propagating
// privileges reach below the path they are set on.

/** path -> privilege -> 1 (propagates to sub-paths) or 0 (this path only). */
export type PrivilegeMap = Record<string, Record<string, number>>;

export interface Acl {
  /** Token auth is switched off: every check passes. */
  readonly unrestricted: boolean;
  has(path: string, privilege: string): boolean;
  hasAny(path: string, privileges: string[]): boolean;
  /** The privileges in effect on path, with their propagate flag. */
  effective(path: string): Record<string, number>;
}

export function normaliseAclPath(path: string): string {
  const parts = path.split("/").filter((p) => p !== "");
  return "/" + parts.join("/");
}

export function createAcl(map: PrivilegeMap | null): Acl {
  const table: PrivilegeMap = {};
  if (map) {
    for (const key of Object.keys(map)) table[normaliseAclPath(key)] = map[key] ?? {};
  }
  const effective = (path: string): Record<string, number> => {
    if (!map) return {};
    const target = normaliseAclPath(path);
    const parts = target.split("/").filter((p) => p !== "");
    const prefixes = ["/"];
    for (let i = 0; i < parts.length; i++) prefixes.push("/" + parts.slice(0, i + 1).join("/"));
    let current: Record<string, number> = {};
    for (const prefix of prefixes) {
      const entry = table[prefix];
      if (!entry) continue;
      const isFinal = prefix === target;
      const next: Record<string, number> = {};
      let any = false;
      for (const priv of Object.keys(entry)) {
        const propagate = entry[priv] ? 1 : 0;
        if (isFinal || propagate) {
          next[priv] = propagate;
          any = true;
        }
      }
      if (any) current = next;
    }
    return current;
  };
  return {
    unrestricted: map === null,
    has: (path, privilege) => map === null || effective(path)[privilege] !== undefined,
    hasAny: (path, privileges) => {
      if (map === null) return true;
      const privs = effective(path);
      return privileges.some((p) => privs[p] !== undefined);
    },
    effective,
  };
}
