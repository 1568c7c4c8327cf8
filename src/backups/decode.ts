// Decoders for the backup, task, HA and Ceph endpoints. Everything from the
// server is untrusted: unknown shapes give null (the caller reports
// "unknown"), bad rows are skipped, texts are bounded and sanitised.
// No regex runs on server text; lists are capped so a huge answer costs
// linear time at most.

import { parseUpid, type Upid } from "../actions/request";
import { isRecord, own, toBool, toInteger, toKeyword, toText } from "../model/decode-values";

export const MAX_ROWS = 5000;

export interface BackupJob {
  id: string;
  enabled: boolean;
  /** systemd calendar event as PVE stores it; null when absent. */
  schedule: string | null;
  /** Epoch seconds PVE computed; null when absent (disabled jobs have none). */
  nextRun: number | null;
  /** Explicit VMIDs (from `vmid`), empty when the job selects otherwise. */
  vmids: number[];
  all: boolean;
  exclude: number[];
  pool: string | null;
  /** Restricts the job to guests on this node. */
  node: string | null;
  storage: string | null;
  comment: string | null;
}

export interface NotBackedUp {
  vmid: number;
  type: "qemu" | "lxc";
  name: string | null;
}

export interface TaskRow {
  upid: string;
  node: string;
  type: string;
  /** Usually the VMID; null when empty (a multi-guest vzdump). */
  id: string | null;
  user: string;
  starttime: number;
  endtime: number | null;
  /** PVE's exit status ("OK", "WARNINGS: 2", an error text); null while running. */
  status: string | null;
}

/** "100,101 102" → [100, 101, 102]; PVE's pve-vmid-list accepts commas, spaces, semicolons. */
export function parseVmidList(value: unknown): number[] {
  if (typeof value === "number" && isFinite(value)) return value >= 100 ? [Math.floor(value)] : [];
  if (typeof value !== "string") return [];
  const out: number[] = [];
  const seen: Record<string, true> = {};
  let current = "";
  const text = value.length > 100000 ? value.slice(0, 100000) : value;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 44;
    if (c >= 48 && c <= 57) {
      if (current.length < 10) current += text.charAt(i);
      continue;
    }
    if (current !== "") {
      const n = parseInt(current, 10);
      if (n >= 100 && n <= 999999999 && seen[current] !== true && out.length < MAX_ROWS) {
        seen[current] = true;
        out.push(n);
      }
      current = "";
    }
  }
  return out;
}

function rows(data: unknown): unknown[] | null {
  if (!Array.isArray(data)) return null;
  return data.length > MAX_ROWS ? data.slice(0, MAX_ROWS) : data;
}

/** GET /cluster/backup */
export function decodeBackupJobs(data: unknown): BackupJob[] | null {
  const list = rows(data);
  if (list === null) return null;
  const out: BackupJob[] = [];
  for (const row of list) {
    if (!isRecord(row)) continue;
    const id = toText(own(row, "id"), 100);
    if (id === null || id === "") continue;
    const type = own(row, "type");
    if (type !== undefined && type !== "vzdump") continue;
    const enabled = own(row, "enabled");
    const nextRun = toInteger(own(row, "next-run"));
    out.push({
      id,
      // PVE omits `enabled` for enabled jobs created long ago; only 0 disables.
      enabled: enabled === undefined ? true : toBool(enabled) !== false,
      schedule: toText(own(row, "schedule"), 200),
      nextRun: nextRun !== null && nextRun > 0 ? nextRun : null,
      vmids: parseVmidList(own(row, "vmid")),
      all: toBool(own(row, "all")) === true,
      exclude: parseVmidList(own(row, "exclude")),
      pool: toText(own(row, "pool"), 100),
      node: toText(own(row, "node"), 100),
      storage: toText(own(row, "storage"), 100),
      comment: toText(own(row, "comment"), 200),
    });
  }
  return out;
}

/** GET /cluster/backup-info/not-backed-up */
export function decodeNotBackedUp(data: unknown): NotBackedUp[] | null {
  const list = rows(data);
  if (list === null) return null;
  const out: NotBackedUp[] = [];
  for (const row of list) {
    if (!isRecord(row)) continue;
    const vmid = toInteger(own(row, "vmid"));
    const type = own(row, "type");
    if (vmid === null || vmid < 100 || (type !== "qemu" && type !== "lxc")) continue;
    out.push({ vmid, type, name: toText(own(row, "name"), 100) });
  }
  return out;
}

/** One row of GET /cluster/tasks or /nodes/{node}/tasks; null when unusable. */
export function decodeTaskRow(row: unknown): TaskRow | null {
  if (!isRecord(row)) return null;
  const upid: Upid | null = parseUpid(own(row, "upid"));
  if (upid === null) return null;
  const end = toInteger(own(row, "endtime"));
  const start = toInteger(own(row, "starttime"));
  const status = toText(own(row, "status"), 200);
  const type = toText(own(row, "type"), 64) ?? upid.type;
  const idText = toText(own(row, "id"), 64);
  const id = idText !== null && idText !== "" ? idText : upid.id !== "" ? upid.id : null;
  return {
    upid: upid.text,
    node: toText(own(row, "node"), 100) ?? upid.node,
    type,
    id,
    user: toText(own(row, "user"), 200) ?? upid.user,
    starttime: start !== null && start > 0 ? start : upid.starttime,
    endtime: end !== null && end > 0 ? end : null,
    // A running task has no status (or "running" on older /cluster/tasks rows).
    status: status === null || status === "" || status === "running" ? null : status,
  };
}

export function decodeTasks(data: unknown): TaskRow[] | null {
  const list = rows(data);
  if (list === null) return null;
  const out: TaskRow[] = [];
  for (const row of list) {
    const t = decodeTaskRow(row);
    if (t !== null) out.push(t);
  }
  return out;
}

/** GET …/tasks/{upid}/log → its lines in order ([{n, t}]). */
export function decodeTaskLog(data: unknown): string[] | null {
  const list = rows(data);
  if (list === null) return null;
  const out: string[] = [];
  for (const row of list) {
    if (!isRecord(row)) continue;
    const t = own(row, "t");
    if (typeof t === "string") out.push(t.length > 1000 ? t.slice(0, 1000) : t);
  }
  return out;
}

// ---------------------------------------------------------------------------
// HA and Ceph

export interface HaService {
  /** "vm:100" / "ct:200" */
  sid: string;
  vmid: number | null;
  node: string | null;
  /** started, stopped, fence, error, recovery, migrate, relocate, freeze, ignored, disabled, request_stop… */
  state: string;
  /** The CRM's own state text (may be absent). */
  crmState: string | null;
}

export interface HaStatus {
  quorate: boolean | null;
  /** The master line's text ("pve1 (active, Tue Dec  1 20:30:01 2026)"). */
  master: string | null;
  services: HaService[];
  /** Nodes whose LRM reports a problem ("fence", "dead", …), with the text. */
  lrm: Array<{ node: string; status: string }>;
}

function vmidOfSid(sid: string): number | null {
  const colon = sid.indexOf(":");
  const digits = colon >= 0 ? sid.slice(colon + 1) : sid;
  if (digits.length === 0 || digits.length > 9) return null;
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  return parseInt(digits, 10);
}

/** GET /cluster/ha/status/current */
export function decodeHaStatus(data: unknown): HaStatus | null {
  const list = rows(data);
  if (list === null) return null;
  const result: HaStatus = { quorate: null, master: null, services: [], lrm: [] };
  for (const row of list) {
    if (!isRecord(row)) continue;
    const type = toKeyword(own(row, "type"), 32);
    if (type === "quorum") result.quorate = toBool(own(row, "quorate"));
    else if (type === "master") result.master = toText(own(row, "status"), 200);
    else if (type === "lrm") {
      const node = toText(own(row, "node"), 100);
      const status = toText(own(row, "status"), 200);
      if (node !== null && status !== null) result.lrm.push({ node, status });
    } else if (type === "service") {
      const sid = toText(own(row, "sid"), 64) ?? toText(own(row, "id"), 64);
      const state = toText(own(row, "state"), 32);
      if (sid === null || state === null) continue;
      const bare = sid.indexOf("service:") === 0 ? sid.slice(8) : sid;
      result.services.push({
        sid: bare,
        vmid: vmidOfSid(bare),
        node: toText(own(row, "node"), 100),
        state,
        crmState: toText(own(row, "crm_state"), 64),
      });
    }
  }
  return result;
}

/** HA states that need attention (PVE's error/fence/recovery family). */
export function isHaProblem(state: string): boolean {
  return state === "error" || state === "fence" || state === "recovery";
}

export type CephHealth = "HEALTH_OK" | "HEALTH_WARN" | "HEALTH_ERR";

export interface CephStatus {
  health: CephHealth;
  /** One line per check: "CODE: summary message", sorted by code. */
  checks: Array<{ code: string; severity: string; summary: string }>;
}

/** GET /cluster/ceph/status (the `ceph status` JSON). */
export function decodeCephStatus(data: unknown): CephStatus | null {
  if (!isRecord(data)) return null;
  const health = own(data, "health");
  if (!isRecord(health)) return null;
  const status = own(health, "status") ?? own(health, "overall_status");
  if (status !== "HEALTH_OK" && status !== "HEALTH_WARN" && status !== "HEALTH_ERR") return null;
  const checks: CephStatus["checks"] = [];
  const raw = own(health, "checks");
  if (isRecord(raw)) {
    const codes = Object.keys(raw).slice(0, 100);
    for (const code of codes) {
      const c = own(raw, code);
      if (!isRecord(c)) continue;
      const summary = own(c, "summary");
      const message = isRecord(summary) ? toText(own(summary, "message"), 200) : null;
      checks.push({
        code: toText(code, 64) ?? "?",
        severity: toText(own(c, "severity"), 32) ?? "HEALTH_WARN",
        summary: message ?? "",
      });
    }
  }
  checks.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return { health: status, checks };
}

export interface BackupVolume {
  volid: string;
  vmid: number;
  ctime: number;
}

/** GET /nodes/{node}/storage/{storage}/content?content=backup */
export function decodeBackupVolumes(data: unknown): BackupVolume[] | null {
  const list = rows(data);
  if (list === null) return null;
  const out: BackupVolume[] = [];
  for (const row of list) {
    if (!isRecord(row)) continue;
    const volid = toText(own(row, "volid"), 300);
    const vmid = toInteger(own(row, "vmid"));
    const ctime = toInteger(own(row, "ctime"));
    if (volid === null || vmid === null || vmid < 100 || ctime === null || ctime <= 0) continue;
    const content = own(row, "content");
    if (content !== undefined && content !== "backup") continue;
    out.push({ volid, vmid, ctime });
  }
  return out;
}
