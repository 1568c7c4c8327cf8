// Runs power actions and follows them to the end: one POST, then the task's
// status on the injected scheduler (1 s, slowing to 5 s; the next poll is
// scheduled only after the previous answer, so there is never more than one
// in flight and never two back to back), and for HA-managed guests the
// guest's state in /cluster/resources, because the HA task only queues a
// request. One action per guest at a time; an answer that arrives after its
// action was cancelled or disposed of changes nothing.

import type { ApiCall } from "../api/client";
import type { ProxmonError } from "../api/errors";
import type { Translator } from "../notify/message";
import type { Cancel, Scheduler } from "../scheduler";
import type { PermissionMap } from "./permissions";
import { guestPermission } from "./permissions";
import type { PowerOptions, Upid } from "./request";
import {
  classifyExitStatus,
  decodeTaskStatus,
  isHaTask,
  parseUpid,
  powerRequest,
  taskStatusPath,
} from "./request";
import type { ActionGuest, PowerAction } from "./rules";
import { actionLabel, checkAction, targetStatus } from "./rules";

/** What the runner needs of the API client (a ProxmoxClient has it). */
export interface ActionApi {
  get(path: string, query?: Record<string, string>): ApiCall<unknown>;
  post(path: string, params?: Record<string, string>): ApiCall<unknown>;
  cleanText(text: string, limit?: number): string;
}

export type ActionOutcome = "ok" | "warnings" | "failed" | "queued" | "timeout" | "refused";

/** Plain data: also the CLI's `--json` object (without `error`). */
export interface ActionResult {
  vmid: number;
  type: "qemu" | "lxc";
  node: string;
  action: PowerAction;
  upid: string | null;
  outcome: ActionOutcome;
  exitstatus: string | null;
  /** One translated sentence for a notification or a terminal. */
  message: string;
  /** ok and warnings; the widget shows success quietly. */
  success: boolean;
  /** For a failed request: the classified error (a 403 carries aclPath and privilege). */
  error: ProxmonError | null;
  /** For a refusal because of missing rights: what is missing, where. */
  missing: { privilege: string; path: string } | null;
}

export type ActionPhase = "sending" | "task" | "ha";

export interface ActionProgress {
  vmid: number;
  action: PowerAction;
  phase: ActionPhase;
  upid: string | null;
  /** Translated: "Shutting down web-01…", "Waiting for the HA manager…". */
  message: string;
  /** Scheduler time the action was sent. */
  since: number;
}

export type ActionEvent =
  { kind: "progress"; progress: ActionProgress } | { kind: "settled"; result: ActionResult };

export interface RunOptions extends PowerOptions {
  /** Follow the task to its end (default true); false settles as "queued" after the POST. */
  follow?: boolean;
  /** Give up following after this long (default: the runner's waitTimeoutMs). */
  waitTimeoutMs?: number;
  /** The token's privileges; when given, an action it may not run is refused before sending. */
  permissions?: PermissionMap | null;
  /** The guest's pool, for the permission check. */
  pool?: string | null;
}

export interface ActionRunnerDeps {
  client: ActionApi;
  scheduler: Scheduler;
  tr: Translator;
  /** Called when a task has ended (ok, warnings, failed, or HA gave up): refresh the monitor now. */
  onTaskEnd?: (result: ActionResult) => void;
  /** Delays between polls; the last one repeats. Default 1, 1, 2, 3, 5 s. */
  pollDelaysMs?: number[];
  /** Default 300 s (the CLI's --wait-timeout default). */
  waitTimeoutMs?: number;
}

export interface ActionRunner {
  /** Runs one action; always resolves (a refusal resolves at once, nothing sent). */
  run(guest: ActionGuest, action: PowerAction, options?: RunOptions): Promise<ActionResult>;
  /** What is in progress for this guest, or null. */
  progress(vmid: number): ActionProgress | null;
  /** Everything in progress, oldest first. */
  active(): ActionProgress[];
  subscribe(listener: (event: ActionEvent) => void): () => void;
  /** Stops following (the task on the server goes on); the run settles as "queued". */
  cancel(vmid: number): void;
  /** cancel() for every action; late answers are ignored from now on. */
  dispose(): void;
}

export const DEFAULT_POLL_DELAYS_MS = [1000, 1000, 2000, 3000, 5000];
export const DEFAULT_WAIT_TIMEOUT_MS = 300000;

interface Run {
  guest: ActionGuest;
  action: PowerAction;
  progress: ActionProgress;
  upid: Upid | null;
  deadline: number;
  polls: number;
  call: ApiCall<unknown> | null;
  timer: Cancel | null;
  settled: boolean;
  resolve: (result: ActionResult) => void;
  /** The task's exit status once it ended (HA phase keeps it for the result). */
  exitstatus: string | null;
}

function doneMessage(action: PowerAction, name: string, tr: Translator): string {
  switch (action) {
    case "start":
      return tr("%1 started.", name);
    case "shutdown":
      return tr("%1 shut down.", name);
    case "reboot":
      return tr("%1 rebooted.", name);
    case "stop":
      return tr("%1 stopped.", name);
    case "reset":
      return tr("%1 reset.", name);
    case "suspend":
      return tr("%1 paused.", name);
    case "resume":
      return tr("%1 resumed.", name);
  }
}

function runningMessage(action: PowerAction, name: string, tr: Translator): string {
  switch (action) {
    case "start":
      return tr("Starting %1…", name);
    case "shutdown":
      return tr("Shutting down %1…", name);
    case "reboot":
      return tr("Rebooting %1…", name);
    case "stop":
      return tr("Stopping %1…", name);
    case "reset":
      return tr("Resetting %1…", name);
    case "suspend":
      return tr("Pausing %1…", name);
    case "resume":
      return tr("Resuming %1…", name);
  }
}

/** Errors worth another poll: the node or the network may be back in a moment. */
function isTransient(error: ProxmonError): boolean {
  return (
    error.kind === "timeout" ||
    error.kind === "unreachable" ||
    error.kind === "node-unreachable" ||
    (error.kind === "server" && error.status !== undefined && error.status >= 500)
  );
}

/** The guest's status in a /cluster/resources answer; null when not found. */
function guestStatusIn(data: unknown, vmid: number): string | null {
  if (!Array.isArray(data)) return null;
  for (let i = 0; i < data.length; i++) {
    const entry = data[i] as unknown;
    if (entry === null || typeof entry !== "object") continue;
    const o = entry as Record<string, unknown>;
    const id =
      typeof o.vmid === "number" ? o.vmid : typeof o.vmid === "string" ? Number(o.vmid) : NaN;
    if (id === vmid && (o.type === "qemu" || o.type === "lxc")) {
      return typeof o.status === "string" ? o.status : null;
    }
  }
  return null;
}

/** An action that was not sent; also the starting shape of every result. */
export function refusedResult(
  guest: ActionGuest,
  action: PowerAction,
  message: string,
): ActionResult {
  return {
    vmid: guest.vmid,
    type: guest.type,
    node: guest.node,
    action,
    upid: null,
    outcome: "refused",
    exitstatus: null,
    message,
    success: false,
    error: null,
    missing: null,
  };
}

export function createActionRunner(deps: ActionRunnerDeps): ActionRunner {
  const { client, scheduler, tr } = deps;
  const delays =
    deps.pollDelaysMs && deps.pollDelaysMs.length > 0 ? deps.pollDelaysMs : DEFAULT_POLL_DELAYS_MS;
  const defaultWait = deps.waitTimeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  const runs = new Map<number, Run>();
  const listeners: Array<(event: ActionEvent) => void> = [];
  let disposed = false;

  function emit(event: ActionEvent): void {
    const copy = listeners.slice();
    for (let i = 0; i < copy.length; i++) {
      try {
        (copy[i] as (event: ActionEvent) => void)(event);
      } catch {
        // A listener's failure must not stop the action's bookkeeping.
      }
    }
  }

  function settle(
    run: Run,
    outcome: ActionOutcome,
    message: string,
    extra?: Partial<ActionResult>,
  ): void {
    if (run.settled) return;
    run.settled = true;
    if (run.timer) run.timer();
    run.timer = null;
    if (run.call) run.call.abort();
    run.call = null;
    if (runs.get(run.guest.vmid) === run) runs.delete(run.guest.vmid);
    const result = refusedResult(run.guest, run.action, "");
    result.outcome = outcome;
    result.message = message;
    result.upid = run.upid ? run.upid.text : null;
    result.exitstatus = run.exitstatus;
    result.success = outcome === "ok" || outcome === "warnings";
    if (extra) {
      if (extra.error !== undefined) result.error = extra.error;
      if (extra.exitstatus !== undefined) result.exitstatus = extra.exitstatus;
    }
    // The task is over (or will never be seen ending): the monitor should look now.
    const ended = outcome === "ok" || outcome === "warnings" || outcome === "failed";
    emit({ kind: "settled", result });
    if (ended && deps.onTaskEnd) {
      try {
        deps.onTaskEnd(result);
      } catch {
        // The hook is the widget's business.
      }
    }
    run.resolve(result);
  }

  function setPhase(run: Run, phase: ActionPhase, message: string): void {
    run.progress = {
      vmid: run.progress.vmid,
      action: run.progress.action,
      phase,
      upid: run.upid ? run.upid.text : null,
      message,
      since: run.progress.since,
    };
    emit({ kind: "progress", progress: run.progress });
  }

  function nextDelay(run: Run): number {
    const d = delays[Math.min(run.polls, delays.length - 1)] as number;
    run.polls++;
    return Math.max(1, d);
  }

  /** Waits, then sends one request; its answer goes to `handle` unless the run is over by then. */
  function pollLater(
    run: Run,
    send: () => ApiCall<unknown>,
    handle: (value: unknown) => void,
  ): void {
    const now = scheduler.now();
    if (now >= run.deadline) {
      timeout(run);
      return;
    }
    const delay = Math.min(nextDelay(run), run.deadline - now);
    run.timer = scheduler.schedule(delay, () => {
      run.timer = null;
      if (run.settled) return;
      const call = send();
      run.call = call;
      call.result.then((result) => {
        if (run.settled || run.call !== call) return;
        run.call = null;
        if (result.ok) {
          handle(result.value);
          return;
        }
        if (isTransient(result.error)) {
          pollLater(run, send, handle);
          return;
        }
        failWith(run, result.error);
      });
    });
  }

  function timeout(run: Run): void {
    const seconds = Math.round((run.deadline - run.progress.since) / 1000);
    const name = run.guest.name;
    const message =
      run.progress.phase === "ha"
        ? tr(
            "The HA manager accepted the request, but %1 did not reach %2 within %3 s.",
            name,
            targetStatus(run.action),
            seconds,
          )
        : tr(
            "%1 of %2 is still running after %3 s; it goes on in Proxmox.",
            actionLabel(run.action, tr),
            name,
            seconds,
          );
    settle(run, "timeout", message);
  }

  function failWith(run: Run, error: ProxmonError): void {
    const label = actionLabel(run.action, tr);
    const message =
      error.kind === "permission" && error.privilege && error.aclPath
        ? tr(
            "%1 of %2 was refused: the token lacks %3 on %4.",
            label,
            run.guest.name,
            error.privilege,
            error.aclPath,
          )
        : tr("%1 of %2 failed: %3", label, run.guest.name, error.message);
    settle(run, "failed", message, { error });
  }

  function followTask(run: Run): void {
    const upid = run.upid as Upid;
    pollLater(
      run,
      () => client.get(taskStatusPath(upid)),
      (value) => {
        const state = decodeTaskStatus(value);
        if (state === null) {
          failWith(run, {
            kind: "bad-response",
            message: tr("Proxmox answered the task status in an unexpected format."),
          });
          return;
        }
        if (state.running) {
          followTask(run);
          return;
        }
        const exit = client.cleanText(state.exitstatus) || "unexpected status";
        run.exitstatus = exit;
        const verdict = classifyExitStatus(state.exitstatus);
        if (verdict.outcome === "failed") {
          settle(
            run,
            "failed",
            tr("%1 of %2 failed: %3", actionLabel(run.action, tr), run.guest.name, exit),
          );
          return;
        }
        if (isHaTask(upid)) {
          run.polls = 0;
          setPhase(
            run,
            "ha",
            tr(
              "The HA manager was asked; waiting for %1 to be %2…",
              run.guest.name,
              targetStatus(run.action),
            ),
          );
          followGuest(run, verdict.outcome);
          return;
        }
        finishOk(run, verdict.outcome, verdict.outcome === "warnings" ? verdict.warnings : 0);
      },
    );
  }

  function finishOk(run: Run, outcome: "ok" | "warnings", warnings: number): void {
    const done = doneMessage(run.action, run.guest.name, tr);
    settle(
      run,
      outcome,
      outcome === "warnings" ? tr("%1 (Proxmox reported %2 warning(s).)", done, warnings) : done,
    );
  }

  function followGuest(run: Run, taskOutcome: "ok" | "warnings"): void {
    const target = targetStatus(run.action);
    pollLater(
      run,
      () => client.get("/cluster/resources", { type: "vm" }),
      (value) => {
        if (guestStatusIn(value, run.guest.vmid) === target) {
          const done = doneMessage(run.action, run.guest.name, tr);
          settle(run, taskOutcome, tr("%1 (confirmed after the HA manager acted.)", done));
          return;
        }
        followGuest(run, taskOutcome);
      },
    );
  }

  function run(
    guest: ActionGuest,
    action: PowerAction,
    options: RunOptions = {},
  ): Promise<ActionResult> {
    const refuse = (
      reason: string,
      missing: { privilege: string; path: string } | null,
    ): Promise<ActionResult> => {
      const result = refusedResult(guest, action, reason);
      result.missing = missing;
      return Promise.resolve(result);
    };
    if (disposed) return refuse(tr("ProxMon is shutting down."), null);
    const check = checkAction(guest, action, tr);
    if (!check.ok) return refuse(check.reason, null);
    if (runs.has(guest.vmid)) {
      return refuse(tr("Another action is still running for %1.", guest.name), null);
    }
    if (options.permissions) {
      const perm = guestPermission(
        options.permissions,
        { vmid: guest.vmid, name: guest.name, pool: options.pool ?? null },
        tr,
      );
      if (!perm.allowed) {
        return refuse(perm.reason, { privilege: perm.privilege, path: perm.path });
      }
    }
    const request = powerRequest(guest, action, options);
    const since = scheduler.now();
    return new Promise<ActionResult>((resolve) => {
      const r: Run = {
        guest,
        action,
        progress: {
          vmid: guest.vmid,
          action,
          phase: "sending",
          upid: null,
          message: runningMessage(action, guest.name, tr),
          since,
        },
        upid: null,
        deadline: since + Math.max(0, options.waitTimeoutMs ?? defaultWait),
        polls: 0,
        call: null,
        timer: null,
        settled: false,
        resolve,
        exitstatus: null,
      };
      runs.set(guest.vmid, r);
      emit({ kind: "progress", progress: r.progress });
      const call = client.post(request.path, request.params);
      r.call = call;
      call.result.then((answer) => {
        if (r.settled || r.call !== call) return;
        r.call = null;
        if (!answer.ok) {
          failWith(r, answer.error);
          return;
        }
        const upid = parseUpid(answer.value);
        if (upid === null) {
          failWith(r, {
            kind: "bad-response",
            message: tr("Proxmox did not answer with a task ID."),
          });
          return;
        }
        r.upid = upid;
        if (options.follow === false) {
          settle(
            r,
            "queued",
            tr("%1 of %2 was sent (task %3).", actionLabel(action, tr), guest.name, upid.type),
          );
          return;
        }
        setPhase(r, "task", runningMessage(action, guest.name, tr));
        followTask(r);
      });
    });
  }

  function cancel(vmid: number): void {
    const r = runs.get(vmid);
    if (!r) return;
    settle(
      r,
      "queued",
      tr(
        "No longer following %1 of %2; it goes on in Proxmox.",
        actionLabel(r.action, tr),
        r.guest.name,
      ),
    );
  }

  return {
    run,
    progress: (vmid) => {
      const r = runs.get(vmid);
      return r ? r.progress : null;
    },
    active: () => {
      const out: ActionProgress[] = [];
      runs.forEach((r) => out.push(r.progress));
      return out.sort((a, b) => a.since - b.since);
    },
    subscribe(listener) {
      listeners.push(listener);
      return () => {
        const i = listeners.indexOf(listener);
        if (i >= 0) listeners.splice(i, 1);
      };
    },
    cancel,
    dispose() {
      disposed = true;
      const vmids: number[] = [];
      runs.forEach((_r, vmid) => vmids.push(vmid));
      for (let i = 0; i < vmids.length; i++) cancel(vmids[i] as number);
      listeners.length = 0;
    },
  };
}
