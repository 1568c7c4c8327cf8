// The widget's power actions (issue 10, items 3 and 4): which entries a
// guest row's menu offers, whether each is enabled and why not, the inline
// two-step confirmation (which times out by itself on the injected
// scheduler), the spinner text while a task runs, and the result as one
// notification that takes the place of the plain state-change notification
// for the same guest. QML draws what `menu()` and `rows()` say and forwards
// the clicks; it decides nothing.
//
// Requests: none per refresh. GET /access/permissions once when the actions
// connection is set up, again at most every `permissionsMaxAgeMs` when a
// menu is opened, and after PVE refused an action with a 403; per action one
// POST, the task's status polls (runner.ts) and one monitor refresh at the end.

import type { ApiCall } from "../api/client";
import type { Notification } from "../notify/limiter";
import { redactTokenId, type Translator } from "../notify/message";
import type { GuestInfo } from "../model/types";
import type { Cancel, Logger, Scheduler } from "../scheduler";
import { anonymousGuestName } from "../view/anonymise";
import { fetchPermissions, guestPermission, type PermissionMap } from "../actions/permissions";
import {
  createActionRunner,
  type ActionApi,
  type ActionEvent,
  type ActionResult,
  type ActionRunner,
} from "../actions/runner";
import {
  actionChoices,
  actionLabel,
  isPowerAction,
  type ActionGuest,
  type PowerAction,
} from "../actions/rules";

/** Settings → Actions: "actionsMode" in main.xml. */
export type ActionsMode = "off" | "monitoring" | "separate";

export function actionsModeOf(value: unknown): ActionsMode {
  return value === "monitoring" || value === "separate" ? value : "off";
}

/** What the session knows of the connection the actions use. */
export interface ActionsConnection {
  mode: ActionsMode;
  /** The client that signs with the actions token; null while it cannot be made (no secret yet). */
  client: (ActionApi & { get(path: string): ApiCall<unknown> }) | null;
  /** Changes whenever the client does (token, secret, host, TLS): a new runner, permissions read again. */
  key: string;
  /** Why there is no client, for the menu ("" when there is one or actions are off). */
  problem: string;
  /** "https://host:port/", or "" (the demo has no web UI). */
  webUrl: string;
  /** Desktop notifications are on: success is then reported quietly (low urgency). */
  notifySuccess: boolean;
  /** Developer mode: stand-in names in every text. */
  anonymise: boolean;
  /** The token IDs and secret to scrub from notification texts. */
  tokenIds: string[];
  secrets: string[];
}

export interface ActionMenuEntry {
  /** "power:shutdown", "web", "console"; "" for a separator. */
  id: string;
  text: string;
  icon: string;
  enabled: boolean;
  /** Stop and reset: drawn in the negative colour. */
  destructive: boolean;
  /** Why it is disabled (or what it does); "" for none. */
  tooltip: string;
  separator: boolean;
}

/** One row's action state; rows without any are absent from `rows()`. */
export interface RowActionState {
  pending: boolean;
  /** "Shutting down web-01…" */
  pendingText: string;
  confirming: boolean;
  /** "Shut down web-01?" */
  confirmText: string;
  confirmLabel: string;
  cancelLabel: string;
  /** The action being confirmed is stop or reset. */
  destructive: boolean;
}

export interface GuestActionsDeps {
  scheduler: Scheduler;
  tr: Translator;
  log?: Logger;
  /** Delivers the result notifications (the session's notify dependency). */
  notify?: (notification: Notification) => void;
  /** Something in `rows()` or `enabled()` changed: publish the view. */
  onChange: () => void;
  /** A task ended: refresh the monitor now. */
  refreshNow: () => void;
  /** The guests of the current snapshot (real names), or null before the first one. */
  guests: () => ReadonlyArray<GuestInfo> | null;
  /** How long a confirmation waits for its second click; default 8 s. */
  confirmTimeoutMs?: number;
  /** Permissions are read again when a menu opens and they are older; default 15 min. */
  permissionsMaxAgeMs?: number;
  /** After a result, a state-change notification of that guest is absorbed this long; default 120 s. */
  claimMs?: number;
  /** For the runner (tests): delays between task polls. */
  pollDelaysMs?: number[];
}

export interface GuestActions {
  configure(connection: ActionsConnection): void;
  /** Actions are on: rows get a menu and a hover button. */
  enabled(): boolean;
  /** The menu of the row `key` ("qemu/101"), computed when it opens; [] when actions are off. */
  menu(key: string): ActionMenuEntry[];
  /** A menu entry was chosen: a power entry asks for confirmation; a link returns its URL. */
  choose(key: string, id: string): string;
  confirm(key: string): void;
  cancel(key: string): void;
  /** Row key → its action state, only rows that have one. */
  rows(): { [key: string]: RowActionState };
  /**
   * Whether a state-change notification from the monitor is about guests
   * whose action result is (or will be) notified instead: then it is dropped.
   */
  absorb(notification: Notification): boolean;
  dispose(): void;
}

export const DEFAULT_CONFIRM_TIMEOUT_MS = 8000;
export const DEFAULT_PERMISSIONS_MAX_AGE_MS = 15 * 60 * 1000;
export const DEFAULT_CLAIM_MS = 120000;

/** Guest state changes the result notification speaks for. */
const STATE_KINDS: ReadonlyArray<string> = [
  "guest-started",
  "guest-stopped",
  "guest-paused",
  "guest-resumed",
];

function parseKey(key: string): { type: "qemu" | "lxc"; vmid: number } | null {
  const slash = key.indexOf("/");
  if (slash <= 0) return null;
  const type = key.slice(0, slash);
  const id = key.slice(slash + 1);
  if ((type !== "qemu" && type !== "lxc") || !/^[0-9]{1,10}$/.test(id)) return null;
  return { type, vmid: Number(id) };
}

function questionFor(action: PowerAction, name: string, tr: Translator): string {
  switch (action) {
    case "start":
      return tr("Start %1?", name);
    case "shutdown":
      return tr("Shut down %1?", name);
    case "reboot":
      return tr("Reboot %1?", name);
    case "stop":
      return tr("Stop %1 hard, like pulling the plug?", name);
    case "reset":
      return tr("Reset %1 hard, like pressing the reset button?", name);
    case "suspend":
      return tr("Pause %1?", name);
    case "resume":
      return tr("Resume %1?", name);
  }
}

const ICONS: { [action: string]: string } = {
  start: "media-playback-start",
  shutdown: "system-shutdown",
  reboot: "system-reboot",
  suspend: "media-playback-pause",
  resume: "media-playback-start",
  stop: "media-playback-stop",
  reset: "view-refresh",
};

/** PVE's own console pages: noVNC for VMs, xterm.js for containers. */
export function consoleUrl(
  webUrl: string,
  guest: Pick<ActionGuest, "type" | "vmid" | "name" | "node">,
): string {
  if (webUrl === "") return "";
  return (
    webUrl +
    "?console=" +
    (guest.type === "lxc" ? "lxc&xtermjs=1" : "kvm&novnc=1") +
    "&vmid=" +
    String(guest.vmid) +
    "&vmname=" +
    encodeURIComponent(guest.name) +
    "&node=" +
    encodeURIComponent(guest.node) +
    "&resize=off&cmd="
  );
}

/** The web UI with the guest selected in the resource tree. */
export function guestWebUrl(webUrl: string, guest: Pick<ActionGuest, "type" | "vmid">): string {
  if (webUrl === "") return "";
  return webUrl + "#v1:0:=" + guest.type + "%2F" + String(guest.vmid) + ":4:::::::";
}

interface Confirmation {
  key: string;
  action: PowerAction;
  timer: Cancel;
}

export function createGuestActions(deps: GuestActionsDeps): GuestActions {
  const { scheduler, tr } = deps;
  const log: Logger = deps.log || function () {};
  const confirmMs = deps.confirmTimeoutMs ?? DEFAULT_CONFIRM_TIMEOUT_MS;
  const maxAge = deps.permissionsMaxAgeMs ?? DEFAULT_PERMISSIONS_MAX_AGE_MS;
  const claimMs = deps.claimMs ?? DEFAULT_CLAIM_MS;
  let connection: ActionsConnection | null = null;
  let runner: ActionRunner | null = null;
  let unsubscribe: (() => void) | null = null;
  let permissions: PermissionMap | null = null;
  let permissionsAt = -Infinity;
  let permissionsCall: ApiCall<PermissionMap | null> | null = null;
  let confirmation: Confirmation | null = null;
  // VMID → until when its state changes are spoken for (Infinity while running).
  const claims: { [vmid: string]: number } = {};
  let disposed = false;

  const on = (): boolean => connection !== null && connection.mode !== "off";

  function changed(): void {
    if (disposed) return;
    try {
      deps.onChange();
    } catch (err) {
      log("warn", "actions: view update failed: " + String(err));
    }
  }

  function findGuest(key: string): GuestInfo | null {
    const id = parseKey(key);
    const guests = deps.guests();
    if (id === null || guests === null) return null;
    for (let i = 0; i < guests.length; i++) {
      const g = guests[i] as GuestInfo;
      if (g.vmid === id.vmid && g.type === id.type) return g;
    }
    return null;
  }

  /** The guest as the runner sees it: in developer mode with its stand-in name (texts only). */
  function actionGuest(g: GuestInfo): ActionGuest {
    return {
      vmid: g.vmid,
      type: g.type === "lxc" ? "lxc" : "qemu",
      name: connection && connection.anonymise ? anonymousGuestName(g) : g.name,
      node: g.node,
      status: g.status,
      template: g.template,
      lock: g.lock,
      hastate: g.hastate,
    };
  }

  function loadPermissions(): void {
    const c = connection;
    if (!c || !c.client || permissionsCall) return;
    const key = c.key;
    const call = fetchPermissions(c.client);
    permissionsCall = call;
    permissionsAt = scheduler.now();
    call.result.then((result) => {
      if (permissionsCall !== call) return;
      permissionsCall = null;
      if (disposed || !connection || connection.key !== key) return;
      if (result.ok) {
        permissions = result.value;
        log(
          "info",
          "actions: permissions read (" +
            (permissions ? Object.keys(permissions).length : 0) +
            " paths)",
        );
      } else {
        // Unknown rights: offer the actions and let PVE say no (a 403 names what is missing).
        log("warn", "actions: permissions could not be read: " + result.error.kind);
      }
      changed();
    });
  }

  function dropRunner(): void {
    if (unsubscribe) unsubscribe();
    unsubscribe = null;
    if (runner) runner.dispose();
    runner = null;
    if (permissionsCall) permissionsCall.abort();
    permissionsCall = null;
    permissions = null;
    permissionsAt = -Infinity;
  }

  function clearConfirmation(): void {
    if (confirmation) confirmation.timer();
    confirmation = null;
  }

  function scrub(text: string): string {
    const c = connection;
    if (!c) return text;
    let out = text;
    for (let i = 0; i < c.tokenIds.length; i++) {
      out = redactTokenId(out, c.tokenIds[i] as string, c.secrets[i]);
    }
    return out;
  }

  function report(result: ActionResult): void {
    if (!deps.notify || !connection) return;
    if (result.success && !connection.notifySuccess) return;
    const name = result.message;
    const title = result.success
      ? name
      : result.outcome === "failed" || result.outcome === "refused"
        ? tr("%1 failed", actionLabel(result.action, tr))
        : tr("%1: no result yet", actionLabel(result.action, tr));
    const n: Notification = {
      kind: "single",
      urgency: result.success ? "low" : "normal",
      title: scrub(title),
      body: result.success ? "" : scrub(result.message),
      events: [],
      suppressedCount: 0,
      suppressed: [],
      guests: [result.vmid],
    };
    try {
      deps.notify(n);
    } catch (err) {
      log("warn", "actions: notification failed: " + String(err));
    }
  }

  function onEvent(event: ActionEvent): void {
    if (event.kind === "settled") {
      const r = event.result;
      claims[String(r.vmid)] = scheduler.now() + claimMs;
      log(
        "info",
        "actions: " +
          r.action +
          " of " +
          r.vmid +
          " ended " +
          r.outcome +
          (r.exitstatus ? " (" + r.exitstatus + ")" : ""),
      );
      report(r);
      // PVE said 403 anyway: the rights changed since they were read.
      if (r.error && r.error.kind === "permission") {
        permissionsAt = -Infinity;
        loadPermissions();
      }
    }
    changed();
  }

  function ensureRunner(): ActionRunner | null {
    const c = connection;
    if (!c || c.mode === "off" || !c.client) return null;
    if (!runner) {
      runner = createActionRunner({
        client: c.client,
        scheduler,
        tr,
        pollDelaysMs: deps.pollDelaysMs,
        onTaskEnd: () => deps.refreshNow(),
      });
      unsubscribe = runner.subscribe(onEvent);
    }
    return runner;
  }

  function choiceEntries(g: GuestInfo): ActionMenuEntry[] {
    const guest = actionGuest(g);
    const pending = runner !== null && runner.progress(g.vmid) !== null;
    const c = connection as ActionsConnection;
    return actionChoices(guest, tr).map((choice) => {
      let enabled = choice.allowed && !pending && c.client !== null;
      let text = choice.label;
      let tooltip = choice.reason || "";
      if (enabled && permissions) {
        const perm = guestPermission(
          permissions,
          { vmid: g.vmid, name: guest.name, pool: g.pool },
          tr,
        );
        if (!perm.allowed) {
          enabled = false;
          text = tr("%1 (needs %2 on %3)", choice.label, perm.privilege, perm.path);
          tooltip = perm.reason;
        }
      }
      if (choice.allowed && c.client === null) tooltip = c.problem;
      if (choice.allowed && pending)
        tooltip = tr("Another action is still running for %1.", guest.name);
      return {
        id: "power:" + choice.action,
        text,
        icon: ICONS[choice.action] || "",
        enabled,
        destructive: choice.destructive,
        tooltip,
        separator: false,
      };
    });
  }

  function separator(): ActionMenuEntry {
    return {
      id: "",
      text: "",
      icon: "",
      enabled: false,
      destructive: false,
      tooltip: "",
      separator: true,
    };
  }

  return {
    configure(next: ActionsConnection): void {
      if (disposed) return;
      const before = connection;
      connection = next;
      if (!before || before.key !== next.key || next.mode === "off") {
        if (before && runner)
          log("info", "actions: connection changed; running tasks are no longer followed");
        dropRunner();
        clearConfirmation();
        if (next.mode !== "off" && next.client) {
          ensureRunner();
          loadPermissions();
        }
      }
      if (!before || before.mode !== next.mode) changed();
    },
    enabled: on,
    menu(key: string): ActionMenuEntry[] {
      if (!on()) return [];
      const g = findGuest(key);
      if (g === null) return [];
      if (permissionsCall === null && scheduler.now() - permissionsAt > maxAge) loadPermissions();
      const c = connection as ActionsConnection;
      const entries = choiceEntries(g);
      const guest = actionGuest(g);
      if (c.webUrl !== "") {
        if (entries.length > 0) entries.push(separator());
        entries.push({
          id: "web",
          text: tr("Open in web UI"),
          icon: "internet-web-browser",
          enabled: true,
          destructive: false,
          tooltip: "",
          separator: false,
        });
        entries.push({
          id: "console",
          text: tr("Open console"),
          icon: "utilities-terminal",
          enabled: !g.template && g.status !== "stopped",
          destructive: false,
          tooltip:
            g.template || g.status === "stopped"
              ? tr("%1 is not running.", guest.name)
              : tr("Opens the Proxmox console in the browser (needs %1).", "VM.Console"),
          separator: false,
        });
      }
      return entries;
    },
    choose(key: string, id: string): string {
      if (!on()) return "";
      const g = findGuest(key);
      if (g === null) return "";
      const c = connection as ActionsConnection;
      if (id === "web") return guestWebUrl(c.webUrl, g);
      if (id === "console") return consoleUrl(c.webUrl, g);
      if (id.indexOf("power:") !== 0) return "";
      const action = id.slice(6);
      if (!isPowerAction(action)) return "";
      const entry = choiceEntries(g).filter((e) => e.id === id)[0];
      if (!entry || !entry.enabled) return "";
      clearConfirmation();
      const timer = scheduler.schedule(confirmMs, () => {
        if (confirmation && confirmation.timer === timer) {
          confirmation = null;
          changed();
        }
      });
      confirmation = { key, action, timer };
      changed();
      return "";
    },
    confirm(key: string): void {
      const c = confirmation;
      if (!c || c.key !== key) return;
      clearConfirmation();
      const g = findGuest(key);
      const r = ensureRunner();
      if (g === null || r === null) {
        changed();
        return;
      }
      claims[String(g.vmid)] = Infinity;
      log("info", "actions: " + c.action + " of " + g.vmid + " confirmed");
      r.run(actionGuest(g), c.action, { permissions, pool: g.pool });
      changed();
    },
    cancel(key: string): void {
      if (!confirmation || confirmation.key !== key) return;
      clearConfirmation();
      changed();
    },
    rows(): { [key: string]: RowActionState } {
      const out: { [key: string]: RowActionState } = {};
      if (!on()) return out;
      const active = runner ? runner.active() : [];
      for (let i = 0; i < active.length; i++) {
        const p = active[i] as (typeof active)[number];
        const g = findGuest("qemu/" + p.vmid) || findGuest("lxc/" + p.vmid);
        if (g === null) continue;
        out[g.type + "/" + g.vmid] = {
          pending: true,
          pendingText: p.message,
          confirming: false,
          confirmText: "",
          confirmLabel: "",
          cancelLabel: "",
          destructive: false,
        };
      }
      const c = confirmation;
      if (c && !out[c.key]) {
        const g = findGuest(c.key);
        if (g !== null) {
          out[c.key] = {
            pending: false,
            pendingText: "",
            confirming: true,
            confirmText: questionFor(c.action, actionGuest(g).name, tr),
            confirmLabel: tr("Confirm"),
            cancelLabel: tr("Cancel"),
            destructive: c.action === "stop" || c.action === "reset",
          };
        }
      }
      return out;
    },
    absorb(n: Notification): boolean {
      if (!on() || n.events.length === 0) return false;
      const now = scheduler.now();
      for (let i = 0; i < n.events.length; i++) {
        const e = n.events[i] as Notification["events"][number];
        if (STATE_KINDS.indexOf(e.kind) < 0 || e.vmid === undefined) return false;
        const until = claims[String(e.vmid)];
        if (until === undefined || until < now) return false;
      }
      // Spoken for: a settled action's claim is used up by this one.
      for (let i = 0; i < n.events.length; i++) {
        const id = String((n.events[i] as Notification["events"][number]).vmid);
        if (claims[id] !== Infinity) delete claims[id];
      }
      log("debug", "actions: state-change notification replaced by the action's result");
      return true;
    },
    dispose(): void {
      disposed = true;
      clearConfirmation();
      dropRunner();
      connection = null;
    },
  };
}
