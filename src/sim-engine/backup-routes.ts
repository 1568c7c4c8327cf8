// GET routes for backups, tasks, HA and Ceph (see backups.ts), registered
// in api.ts's findRoute with one call. Permission checks are the schema's.
// The routing helpers come in as arguments so api.ts and this file do not
// import each other at run time.

import type { Acl } from "./acl";
import type { Failer, NodeRouteFactory, Route } from "./api";
import { canAuditGuest } from "./render";
import {
  canSeeTask,
  renderBackupJobs,
  renderBackupVolumes,
  renderCephStatus,
  renderHaStatus,
  renderNotBackedUp,
  renderTaskRow,
  scriptedTasks,
  type SimTaskRow,
} from "./backups";
import type { SimCluster } from "./cluster-model";
import { dataReply, type ApiReply } from "./reply";

const TASK_LIST_PARAMS = [
  "errors",
  "limit",
  "since",
  "source",
  "start",
  "statusfilter",
  "typefilter",
  "until",
  "userfilter",
  "vmid",
];

/** A list with PVE's `total` attribute next to `data` in the envelope. */
function totalReply(data: unknown[], total: number): ApiReply {
  const reply = dataReply(data);
  reply.body = JSON.stringify({ data, total });
  return reply;
}

function isOk(status: string | undefined): boolean {
  return status === "OK" || (status !== undefined && status.indexOf("WARNINGS: ") === 0);
}

/** Tasks.pm node_tasks: filters, then start/limit over the newest-first list; `total` in the envelope. */
function listNodeTasks(
  cl: SimCluster,
  node: string,
  acl: Acl,
  q: Record<string, string>,
  fail: Failer,
): ApiReply {
  for (const key of ["limit", "start", "since", "until", "vmid"]) {
    const v = q[key];
    if (v !== undefined && !/^\d+$/.test(v))
      return fail.param(key, `type check ('integer') failed - got '${v}'`);
  }
  let rows: SimTaskRow[] = scriptedTasks(cl).filter(
    (t) => t.node === node && canSeeTask(cl, acl, t),
  );
  const source = q.source ?? "archive";
  if (source === "archive") rows = rows.filter((t) => t.status !== undefined);
  else if (source === "active") rows = rows.filter((t) => t.status === undefined);
  if (q.typefilter !== undefined) rows = rows.filter((t) => t.type === q.typefilter);
  if (q.vmid !== undefined) rows = rows.filter((t) => t.id === q.vmid);
  if (q.userfilter !== undefined)
    rows = rows.filter((t) => t.user.indexOf(q.userfilter ?? "") >= 0);
  if (q.errors === "1") rows = rows.filter((t) => t.status !== undefined && !isOk(t.status));
  if (q.since !== undefined) rows = rows.filter((t) => t.starttime >= parseInt(q.since ?? "0", 10));
  if (q.until !== undefined) rows = rows.filter((t) => t.starttime <= parseInt(q.until ?? "0", 10));
  const start = parseInt(q.start ?? "0", 10);
  const limit = parseInt(q.limit ?? "50", 10);
  return totalReply(rows.slice(start, start + limit).map(renderTaskRow), rows.length);
}

export function findBackupRoute(
  segments: string[],
  nodeRoute: NodeRouteFactory,
  decodeSegment: (segment: string) => string,
): Route | null {
  const [a, b, c, d, e] = segments;
  const n = segments.length;
  if (a === "cluster" && n === 2 && b === "backup") {
    return {
      params: [],
      handle(cl, acl, _q, fail) {
        if (!acl.has("/", "Sys.Audit")) return fail.permission("/", "Sys.Audit");
        return dataReply(renderBackupJobs(cl));
      },
    };
  }
  if (a === "cluster" && n === 3 && b === "backup-info" && c === "not-backed-up") {
    return {
      params: [],
      handle(cl, acl, _q, fail) {
        if (!acl.has("/", "Sys.Audit")) return fail.permission("/", "Sys.Audit");
        return dataReply(renderNotBackedUp(cl, (g) => canAuditGuest(acl, g)));
      },
    };
  }
  if (a === "cluster" && n === 2 && b === "tasks") {
    return {
      params: [],
      // user => 'all': everybody may ask; the list is what the ACL lets them see.
      handle(cl, acl) {
        return dataReply(
          scriptedTasks(cl)
            .filter((t) => canSeeTask(cl, acl, t))
            .slice(0, 100)
            .map(renderTaskRow),
        );
      },
    };
  }
  if (a === "cluster" && n === 4 && b === "ha" && c === "status" && d === "current") {
    return {
      params: [],
      handle(cl, acl, _q, fail) {
        if (!acl.has("/", "Sys.Audit")) return fail.permission("/", "Sys.Audit");
        return dataReply(renderHaStatus(cl));
      },
    };
  }
  if (a === "cluster" && n === 3 && b === "ceph" && c === "status") {
    return {
      params: [],
      handle(cl, acl, _q, fail) {
        if (!acl.hasAny("/", ["Sys.Audit", "Datastore.Audit"]))
          return fail.permission("/", "Sys.Audit|Datastore.Audit");
        const ceph = cl.scenario.backups ? cl.scenario.backups.ceph : null;
        if (ceph === null)
          return fail.error(500, "rados_connect failed - No such file or directory");
        return dataReply(renderCephStatus(ceph));
      },
    };
  }
  if (a !== "nodes" || b === undefined) return null;
  const nodeName = decodeSegment(b);
  if (n === 3 && c === "tasks") {
    return nodeRoute(nodeName, TASK_LIST_PARAMS, (cl, node, acl, q, fail) =>
      listNodeTasks(cl, node.name, acl, q, fail),
    );
  }
  if (n === 5 && c === "tasks" && d !== undefined && e === "log") {
    return nodeRoute(nodeName, ["start", "limit", "download"], (cl, node, acl, q, fail) => {
      const upid = decodeSegment(d);
      if (upid.indexOf("UPID:") !== 0) return fail.param("upid", "unable to parse worker upid");
      const task = scriptedTasks(cl).filter((t) => t.upid === upid && t.node === node.name)[0];
      if (!task) return fail.param("upid", "no such task");
      if (!canSeeTask(cl, acl, task)) return fail.permission(`/nodes/${node.name}`, "Sys.Audit");
      const start = parseInt(q.start ?? "0", 10) || 0;
      const limit = q.limit !== undefined ? parseInt(q.limit, 10) || 0 : 50;
      const lines = task.log.map((t, i) => ({ n: i + 1, t }));
      return totalReply(lines.slice(start, limit > 0 ? start + limit : undefined), lines.length);
    });
  }
  if (n === 5 && c === "storage" && d !== undefined && e === "content") {
    return nodeRoute(nodeName, ["content", "vmid"], (cl, _node, acl, q, fail) => {
      const storage = decodeSegment(d);
      if (!acl.hasAny(`/storage/${storage}`, ["Datastore.Audit", "Datastore.AllocateSpace"]))
        return fail.permission(`/storage/${storage}`, "Datastore.Audit|Datastore.AllocateSpace");
      if (!cl.storage.some((s) => s.storage === storage))
        return fail.error(500, `storage '${storage}' does not exist`);
      if (q.content !== undefined && q.content !== "backup") return dataReply([]);
      let rows = renderBackupVolumes(cl, acl, storage);
      if (q.vmid !== undefined) rows = rows.filter((r) => String(r.vmid) === q.vmid);
      return dataReply(rows);
    });
  }
  return null;
}
