// Backups and cluster health in the simulator: vzdump jobs
// (/cluster/backup), guests in no job (/cluster/backup-info/not-backed-up,
// counting disabled jobs as coverage like PVE's get_included_vmids), vzdump
// and other tasks (/cluster/tasks, /nodes/{n}/tasks, …/log), backup volumes
// on storage, /cluster/ha/status/current and /cluster/ceph/status. Shapes
// and permission checks follow pve-manager (PVE/API2/Backup.pm,
// Cluster/BackupInfo.pm, Tasks.pm), pve-storage's check_volume_access and
// the schemas in pve-apidata.json. Times are `epoch + simulated second`;
// the HTTPS simulator sets the epoch to its wall-clock start.

import type { Acl } from "./acl";
import type { SimCluster, SimGuest } from "./cluster-model";
import { hex, SIM_EPOCH } from "./tasks";
import {
  checkBoolean,
  checkNumber,
  checkObject,
  checkString,
  isPlainObject,
  join,
  type Errors,
} from "./validate";

export interface BackupJobSpec {
  id: string;
  schedule: string;
  enabled: boolean;
  vmid: string | null;
  all: boolean;
  exclude: string | null;
  pool: string | null;
  node: string | null;
  storage: string;
}

/** One vzdump run: a task on `node` backing up `vmids` (one: the task id is the VMID). */
export interface BackupRunSpec {
  node: string;
  vmids: number[];
  /** Simulated second it starts (negative: before the simulation began). */
  at: number;
  /** Seconds per guest. */
  seconds: number;
  /** Per VMID: the error its backup fails with. */
  failures: Record<string, string>;
  storage: string;
  job: string | null;
}

/** Any other finished task, e.g. a failed qmstart or replication. */
export interface OtherTaskSpec {
  node: string;
  type: string;
  id: string;
  at: number;
  seconds: number;
  exitstatus: string;
}

export interface CephSpec {
  health: "HEALTH_OK" | "HEALTH_WARN" | "HEALTH_ERR";
  /** Check code → summary message. */
  checks: Record<string, string>;
}

export interface BackupScenario {
  jobs: BackupJobSpec[];
  runs: BackupRunSpec[];
  tasks: OtherTaskSpec[];
  /** null: no Ceph (the endpoint answers like a node without it). */
  ceph: CephSpec | null;
}

const ID = /^[A-Za-z][A-Za-z0-9_.-]*$/;
const NODE = /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const VMID_LIST = /^\d+([,; ]+\d+)*$/;
const TYPE = /^[a-z][a-z0-9-]*$/;
const HEALTH = ["HEALTH_OK", "HEALTH_WARN", "HEALTH_ERR"];

function optionalString(
  o: Record<string, unknown>,
  key: string,
  path: string,
  errors: Errors,
  pattern?: RegExp,
): string | null {
  if (o[key] === undefined) return null;
  return checkString(o[key], join(path, key), errors, pattern) ?? null;
}

function list(value: unknown, path: string, errors: Errors): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    errors.push(`${path}: expected an array`);
    return [];
  }
  return value;
}

export function parseBackupScenario(
  value: unknown,
  nodes: readonly string[],
  errors: Errors,
): BackupScenario | null {
  if (value === undefined) return null;
  const o = checkObject(value, "backups", errors, ["jobs", "runs", "tasks", "ceph"]);
  if (!o) return null;
  const knownNode = (n: string | null, path: string): void => {
    if (n !== null && nodes.indexOf(n) < 0) errors.push(`${path}: no node ${JSON.stringify(n)}`);
  };
  const jobs: BackupJobSpec[] = [];
  list(o.jobs, "backups.jobs", errors).forEach((raw, i) => {
    const path = join("backups.jobs", i);
    const j = checkObject(raw, path, errors, [
      "id",
      "schedule",
      "enabled",
      "vmid",
      "all",
      "exclude",
      "pool",
      "node",
      "storage",
    ]);
    if (!j) return;
    const node = optionalString(j, "node", path, errors, NODE);
    knownNode(node, join(path, "node"));
    const vmid = optionalString(j, "vmid", path, errors, VMID_LIST);
    const all =
      j.all === undefined ? false : (checkBoolean(j.all, join(path, "all"), errors) ?? false);
    const pool = optionalString(j, "pool", path, errors, ID);
    if (vmid === null && !all && pool === null)
      errors.push(`${path}: a job needs vmid, all or pool (as PVE's vzdump does)`);
    jobs.push({
      id: checkString(j.id, join(path, "id"), errors, ID) ?? "job",
      schedule: optionalString(j, "schedule", path, errors) ?? "00:00",
      enabled:
        j.enabled === undefined
          ? true
          : (checkBoolean(j.enabled, join(path, "enabled"), errors) ?? true),
      vmid,
      all,
      exclude: optionalString(j, "exclude", path, errors, VMID_LIST),
      pool,
      node,
      storage: optionalString(j, "storage", path, errors, ID) ?? "local",
    });
  });
  const runs: BackupRunSpec[] = [];
  list(o.runs, "backups.runs", errors).forEach((raw, i) => {
    const path = join("backups.runs", i);
    const r = checkObject(raw, path, errors, [
      "node",
      "vmids",
      "at",
      "seconds",
      "failures",
      "storage",
      "job",
    ]);
    if (!r) return;
    const node = checkString(r.node, join(path, "node"), errors, NODE) ?? "";
    knownNode(node, join(path, "node"));
    const vmids: number[] = [];
    list(r.vmids, join(path, "vmids"), errors).forEach((v, k) => {
      const n = checkNumber(v, join(join(path, "vmids"), k), errors, { integer: true, min: 100 });
      if (n !== undefined) vmids.push(n);
    });
    if (vmids.length === 0) errors.push(`${path}.vmids: at least one VMID`);
    const failures: Record<string, string> = {};
    if (r.failures !== undefined) {
      if (!isPlainObject(r.failures)) errors.push(`${path}.failures: expected an object`);
      else
        for (const k of Object.keys(r.failures)) {
          const msg = checkString(r.failures[k], join(join(path, "failures"), k), errors);
          if (msg !== undefined) failures[k] = msg;
        }
    }
    runs.push({
      node,
      vmids,
      at: checkNumber(r.at, join(path, "at"), errors, { integer: true }) ?? 0,
      seconds:
        r.seconds === undefined
          ? 12
          : (checkNumber(r.seconds, join(path, "seconds"), errors, { integer: true, min: 1 }) ??
            12),
      failures,
      storage: optionalString(r, "storage", path, errors, ID) ?? "local",
      job: optionalString(r, "job", path, errors, ID),
    });
  });
  const tasks: OtherTaskSpec[] = [];
  list(o.tasks, "backups.tasks", errors).forEach((raw, i) => {
    const path = join("backups.tasks", i);
    const t = checkObject(raw, path, errors, ["node", "type", "id", "at", "seconds", "exitstatus"]);
    if (!t) return;
    const node = checkString(t.node, join(path, "node"), errors, NODE) ?? "";
    knownNode(node, join(path, "node"));
    tasks.push({
      node,
      type: checkString(t.type, join(path, "type"), errors, TYPE) ?? "qmstart",
      id: optionalString(t, "id", path, errors, /^[^\s:/]*$/) ?? "",
      at: checkNumber(t.at, join(path, "at"), errors, { integer: true }) ?? 0,
      seconds:
        t.seconds === undefined
          ? 3
          : (checkNumber(t.seconds, join(path, "seconds"), errors, { integer: true, min: 0 }) ?? 3),
      exitstatus: checkString(t.exitstatus, join(path, "exitstatus"), errors) ?? "OK",
    });
  });
  let ceph: CephSpec | null = null;
  if (o.ceph !== undefined && o.ceph !== null) {
    const c = checkObject(o.ceph, "backups.ceph", errors, ["health", "checks"]);
    if (c) {
      const health = checkString(c.health, "backups.ceph.health", errors);
      if (health !== undefined && HEALTH.indexOf(health) < 0)
        errors.push(`backups.ceph.health: expected one of ${HEALTH.join(", ")}`);
      const checks: Record<string, string> = {};
      if (isPlainObject(c.checks))
        for (const k of Object.keys(c.checks)) {
          const m = checkString(c.checks[k], join("backups.ceph.checks", k), errors);
          if (m !== undefined) checks[k] = m;
        }
      ceph = { health: (health as CephSpec["health"]) ?? "HEALTH_OK", checks };
    }
  }
  return { jobs, runs, tasks, ceph };
}

// ---------------------------------------------------------------------------
// Rendering

export interface SimTaskRow {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  endtime?: number;
  type: string;
  id: string;
  user: string;
  status?: string;
  /** Log lines (not rendered in lists). */
  log: string[];
}

function wall(epochSec: number): string {
  const d = new Date(epochSec * 1000);
  const two = (n: number): string => (n < 10 ? "0" : "") + n;
  return (
    d.getUTCFullYear() +
    "-" +
    two(d.getUTCMonth() + 1) +
    "-" +
    two(d.getUTCDate()) +
    " " +
    two(d.getUTCHours()) +
    ":" +
    two(d.getUTCMinutes()) +
    ":" +
    two(d.getUTCSeconds())
  );
}

function duration(sec: number): string {
  const two = (n: number): string => (n < 10 ? "0" : "") + n;
  return two(Math.floor(sec / 3600)) + ":" + two(Math.floor(sec / 60) % 60) + ":" + two(sec % 60);
}

export function simEpoch(cluster: SimCluster): number {
  return cluster.backupEpoch ?? SIM_EPOCH;
}

function upidFor(
  node: string,
  index: number,
  start: number,
  type: string,
  id: string,
  user: string,
): string {
  const pid = 200000 + index * 13;
  const pstart = 0x10000000 + index * 977;
  return `UPID:${node}:${hex(pid, 8)}:${hex(pstart, 8)}:${hex(start, 8)}:${type}:${id}:${user}:`;
}

/** Every scripted task that has started by now, with its log (newest first). */
export function scriptedTasks(cluster: SimCluster): SimTaskRow[] {
  const spec = cluster.scenario.backups;
  if (!spec) return [];
  const epoch = simEpoch(cluster);
  const now = cluster.elapsed;
  const out: SimTaskRow[] = [];
  spec.runs.forEach((run, i) => {
    if (run.at > now) return;
    const start = epoch + run.at;
    const single = run.vmids.length === 1;
    const upid = upidFor(
      run.node,
      i + 1,
      start,
      "vzdump",
      single ? String(run.vmids[0]) : "",
      "root@pam",
    );
    const log: string[] = [
      `INFO: starting new backup job: vzdump ${run.vmids.join(" ")} --mode snapshot --storage ${run.storage} --node ${run.node}`,
    ];
    let t = start + 1;
    let errors = 0;
    let ended = true;
    for (const vmid of run.vmids) {
      if (epoch + now < t) {
        ended = false;
        break;
      }
      const guest = cluster.guests.filter((g) => g.vmid === vmid)[0];
      log.push(`INFO: Starting Backup of VM ${vmid} (${guest ? guest.type : "qemu"})`);
      log.push(`INFO: Backup started at ${wall(t)}`);
      const fail = run.failures[String(vmid)];
      if (fail !== undefined) {
        errors++;
        log.push(`ERROR: Backup of VM ${vmid} failed - ${fail}`);
        log.push(`INFO: Failed at ${wall(t + 1)}`);
        t += 2;
      } else {
        log.push(`INFO: Finished Backup of VM ${vmid} (${duration(run.seconds)})`);
        log.push(`INFO: Backup finished at ${wall(t + run.seconds)}`);
        t += run.seconds + 1;
      }
    }
    const row: SimTaskRow = {
      upid,
      node: run.node,
      pid: 200000 + (i + 1) * 13,
      pstart: 0x10000000 + (i + 1) * 977,
      starttime: start,
      type: "vzdump",
      id: single ? String(run.vmids[0]) : "",
      user: "root@pam",
      log,
    };
    if (ended && epoch + now >= t) {
      const status =
        errors === 0
          ? "OK"
          : single
            ? (run.failures[String(run.vmids[0])] ?? "job errors")
            : "job errors";
      log.push(
        errors === 0
          ? "INFO: Backup job finished successfully"
          : "INFO: Backup job finished with errors",
      );
      log.push(errors === 0 ? "TASK OK" : `TASK ERROR: ${status}`);
      row.endtime = t;
      row.status = status;
    }
    out.push(row);
  });
  spec.tasks.forEach((task, i) => {
    if (task.at > now) return;
    const start = epoch + task.at;
    const index = 5000 + i;
    const row: SimTaskRow = {
      upid: upidFor(task.node, index, start, task.type, task.id, "root@pam"),
      node: task.node,
      pid: 200000 + index * 13,
      pstart: 0x10000000 + index * 977,
      starttime: start,
      type: task.type,
      id: task.id,
      user: "root@pam",
      log: [`starting ${task.type} ${task.id}`],
    };
    if (epoch + now >= start + task.seconds) {
      row.endtime = start + task.seconds;
      row.status = task.exitstatus;
      const ok = task.exitstatus === "OK" || task.exitstatus.indexOf("WARNINGS: ") === 0;
      row.log.push(ok ? "TASK " + task.exitstatus : "TASK ERROR: " + task.exitstatus);
    }
    out.push(row);
  });
  // Power-action tasks started over the API (their clock starts at SIM_EPOCH).
  const shift = epoch - SIM_EPOCH;
  for (const t of cluster.tasks) {
    const row: SimTaskRow = {
      upid: t.upid,
      node: t.node,
      pid: t.pid,
      pstart: t.pstart,
      starttime: t.starttime + shift,
      type: t.type,
      id: t.id,
      user: t.user,
      log: [],
    };
    if (t.exitstatus !== null) {
      row.endtime = SIM_EPOCH + Math.floor(t.endsAt) + shift;
      row.status = t.exitstatus;
    }
    out.push(row);
  }
  out.sort((a, b) => b.starttime - a.starttime);
  return out;
}

export function renderTaskRow(t: SimTaskRow): Record<string, unknown> {
  const row: Record<string, unknown> = {
    upid: t.upid,
    node: t.node,
    pid: t.pid,
    pstart: t.pstart,
    starttime: t.starttime,
    type: t.type,
    id: t.id,
    user: t.user,
  };
  if (t.endtime !== undefined) row.endtime = t.endtime;
  if (t.status !== undefined) row.status = t.status;
  return row;
}

/** Tasks.pm: a token sees its own tasks; others need Sys.Audit on /nodes/{node}. */
export function canSeeTask(cluster: SimCluster, acl: Acl, t: SimTaskRow): boolean {
  if (cluster.token && t.user === cluster.token.id) return true;
  return acl.has(`/nodes/${t.node}`, "Sys.Audit");
}

export function renderBackupJobs(cluster: SimCluster): Record<string, unknown>[] {
  const spec = cluster.scenario.backups;
  if (!spec) return [];
  const epoch = simEpoch(cluster);
  return spec.jobs.map((j) => {
    const row: Record<string, unknown> = {
      id: j.id,
      type: "vzdump",
      schedule: j.schedule,
      enabled: j.enabled ? 1 : 0,
      storage: j.storage,
      mode: "snapshot",
    };
    if (j.vmid !== null) row.vmid = j.vmid;
    if (j.all) row.all = 1;
    if (j.exclude !== null) row.exclude = j.exclude;
    if (j.pool !== null) row.pool = j.pool;
    if (j.node !== null) row.node = j.node;
    // PVE computes next-run for enabled jobs only; a day ahead is close enough here.
    if (j.enabled) row["next-run"] = epoch + Math.floor(cluster.elapsed) + 86400;
    return row;
  });
}

function vmidsOf(text: string | null): number[] {
  if (text === null) return [];
  return text
    .split(/[,; ]+/)
    .filter((s) => s !== "")
    .map((s) => parseInt(s, 10));
}

function jobIncludes(job: BackupJobSpec, guest: SimGuest): boolean {
  if (job.node !== null && job.node !== guest.node) return false;
  if (job.all) return vmidsOf(job.exclude).indexOf(guest.vmid) < 0;
  if (job.pool !== null) return guest.pool === job.pool;
  return vmidsOf(job.vmid).indexOf(guest.vmid) >= 0;
}

/** BackupInfo.pm: guests in no job — disabled jobs count as coverage too; VM.Audit filters. */
export function renderNotBackedUp(
  cluster: SimCluster,
  canAudit: (g: SimGuest) => boolean,
): Record<string, unknown>[] {
  const jobs = cluster.scenario.backups ? cluster.scenario.backups.jobs : [];
  const out: Record<string, unknown>[] = [];
  for (const g of cluster.guests) {
    if (g.template || !canAudit(g)) continue;
    if (jobs.some((j) => jobIncludes(j, g))) continue;
    out.push({ vmid: g.vmid, type: g.type, name: g.name });
  }
  return out;
}

/** pve-storage check_volume_access: Datastore.Allocate, or AllocateSpace + VM.Backup on the owner. */
export function renderBackupVolumes(
  cluster: SimCluster,
  acl: Acl,
  storage: string,
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const strong = acl.has(`/storage/${storage}`, "Datastore.Allocate");
  const space = acl.has(`/storage/${storage}`, "Datastore.AllocateSpace");
  const spec = cluster.scenario.backups;
  if (!spec) return out;
  for (const t of scriptedTasks(cluster)) {
    if (t.type !== "vzdump") continue;
    const run = spec.runs.filter(
      (r) => r.node === t.node && simEpoch(cluster) + r.at === t.starttime,
    )[0];
    if (!run || run.storage !== storage) continue;
    for (const line of t.log) {
      const at = line.indexOf("Finished Backup of VM ");
      if (at < 0) continue;
      const vmid = parseInt(line.slice(at + 22), 10);
      if (!strong && !(space && acl.has(`/vms/${vmid}`, "VM.Backup"))) continue;
      const guest = cluster.guests.filter((g) => g.vmid === vmid)[0];
      const kind = guest && guest.type === "lxc" ? "lxc" : "qemu";
      const stamp = wall(t.starttime).replace(" ", "-").split(":").join("_");
      out.push({
        volid: `${storage}:backup/vzdump-${kind}-${vmid}-${stamp}.${kind === "lxc" ? "tar.zst" : "vma.zst"}`,
        vmid,
        ctime: t.starttime,
        size: 1073741824,
        format: kind === "lxc" ? "tar.zst" : "vma.zst",
        content: "backup",
        subtype: kind,
      });
    }
  }
  return out;
}

/** /cluster/ha/status/current: quorum, master, one lrm per node, one service per HA guest. */
export function renderHaStatus(cluster: SimCluster): Record<string, unknown>[] {
  const epoch = simEpoch(cluster) + Math.floor(cluster.elapsed);
  const online = cluster.nodes.filter((n) => n.online);
  const master = online[0];
  const rows: Record<string, unknown>[] = [
    { id: "quorum", type: "quorum", node: cluster.localNode, status: "OK", quorate: 1 },
  ];
  if (master)
    rows.push({
      id: "master",
      type: "master",
      node: master.name,
      status: `${master.name} (active, ${new Date(epoch * 1000).toUTCString()})`,
      timestamp: epoch,
    });
  for (const n of cluster.nodes) {
    rows.push({
      id: `lrm:${n.name}`,
      type: "lrm",
      node: n.name,
      status: n.online
        ? `${n.name} (active, ${new Date(epoch * 1000).toUTCString()})`
        : `${n.name} (old timestamp - dead?)`,
      timestamp: epoch,
    });
  }
  for (const g of cluster.guests) {
    if (g.hastate === null) continue;
    const sid = `${g.type === "lxc" ? "ct" : "vm"}:${g.vmid}`;
    rows.push({
      id: `service:${sid}`,
      type: "service",
      sid,
      node: g.node,
      state: g.hastate,
      crm_state: g.hastate,
      request_state: g.hastate === "stopped" ? "stopped" : "started",
      status: `${sid} (${g.node}, ${g.hastate})`,
      max_relocate: 1,
      max_restart: 1,
    });
  }
  return rows;
}

export function renderCephStatus(spec: CephSpec): Record<string, unknown> {
  const checks: Record<string, unknown> = {};
  for (const code of Object.keys(spec.checks)) {
    checks[code] = {
      severity: spec.health === "HEALTH_ERR" ? "HEALTH_ERR" : "HEALTH_WARN",
      summary: { message: spec.checks[code], count: 1 },
      muted: false,
    };
  }
  return {
    fsid: "5b8d0e4c-6a1f-4c2e-9f3a-1d2e3f4a5b6c",
    health: { status: spec.health, checks, mutes: [] },
    quorum_names: [],
    osdmap: { num_osds: 3, num_up_osds: 3, num_in_osds: 3 },
    pgmap: { num_pgs: 128 },
  };
}
