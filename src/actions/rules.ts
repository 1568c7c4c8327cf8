// Which power actions a guest's type, state, template flag and lock allow,
// decided before anything is sent. PVE refuses the same things (a template
// cannot start, a locked guest refuses every action unless root skips the
// lock), but only after a round trip, and for some only inside the task.

import type { Translator } from "../notify/message";

export type PowerAction = "start" | "shutdown" | "reboot" | "stop" | "reset" | "suspend" | "resume";

/** Menu order: the gentle ones first, the hard ones (stop, reset) last. */
export const POWER_ACTIONS: readonly PowerAction[] = [
  "start",
  "shutdown",
  "reboot",
  "suspend",
  "resume",
  "stop",
  "reset",
];

/** PVE's container suspend/resume is experimental: not offered. */
const LXC_ACTIONS: readonly PowerAction[] = ["start", "shutdown", "reboot", "stop"];

/** Pulling the plug: the guest's OS gets no say. Confirm twice, never the default. */
export function isDestructive(action: PowerAction): boolean {
  return action === "stop" || action === "reset";
}

export function isPowerAction(text: string): text is PowerAction {
  return (POWER_ACTIONS as readonly string[]).indexOf(text) >= 0;
}

/** What the rules need to know of a guest (a GuestInfo has all of it). */
export interface ActionGuest {
  vmid: number;
  type: "qemu" | "lxc";
  name: string;
  node: string;
  status: string;
  template: boolean;
  lock: string | null;
  hastate: string | null;
}

export type ActionCheck = { ok: true } | { ok: false; reason: string };

export interface ActionChoice {
  action: PowerAction;
  /** The action's name for a menu ("Shut down"). */
  label: string;
  destructive: boolean;
  allowed: boolean;
  /** Why not, in the user's words; null when allowed. */
  reason: string | null;
}

/** QEMU's run states in which the process exists but is not running normally. */
function isHeld(status: string): boolean {
  return status === "paused" || status === "suspended";
}

function actionsFor(guest: ActionGuest): readonly PowerAction[] {
  return guest.type === "lxc" ? LXC_ACTIONS : POWER_ACTIONS;
}

export function actionLabel(action: PowerAction, tr: Translator): string {
  switch (action) {
    case "start":
      return tr("Start");
    case "shutdown":
      return tr("Shut down");
    case "reboot":
      return tr("Reboot");
    case "stop":
      return tr("Stop (hard)");
    case "reset":
      return tr("Reset (hard)");
    case "suspend":
      return tr("Pause");
    case "resume":
      return tr("Resume");
  }
}

/** Which states an action starts from. */
function stateAllows(action: PowerAction, status: string): boolean {
  switch (action) {
    case "start":
      return status === "stopped";
    case "shutdown":
    case "reboot":
    case "suspend":
    case "reset":
      return status === "running";
    case "resume":
      return isHeld(status);
    case "stop":
      // Anything with a process: running, paused, prelaunch, io-error, …
      return status !== "stopped" && status !== "unknown";
  }
}

function stateReason(action: PowerAction, guest: ActionGuest, tr: Translator): string {
  const name = guest.name;
  if (guest.status === "unknown") {
    return tr("The state of %1 is unknown (its node may be offline).", name);
  }
  switch (action) {
    case "start":
      return tr("%1 is already running.", name);
    case "resume":
      return tr("%1 is not paused.", name);
    default:
      return guest.status === "stopped"
        ? tr("%1 is not running.", name)
        : tr("%1 is %2, not running.", name, guest.status);
  }
}

/** May `action` be sent for `guest`? Refusals say why, naming the guest. */
export function checkAction(guest: ActionGuest, action: PowerAction, tr: Translator): ActionCheck {
  if (guest.template) {
    return { ok: false, reason: tr("%1 is a template: templates cannot be powered.", guest.name) };
  }
  if (actionsFor(guest).indexOf(action) < 0) {
    return {
      ok: false,
      reason:
        guest.type === "lxc"
          ? tr("Containers cannot be paused or reset from ProxMon.")
          : tr("This action is not available for %1.", guest.name),
    };
  }
  if (guest.lock !== null && guest.lock !== "") {
    return {
      ok: false,
      reason: tr(
        "%1 is locked (%2): Proxmox refuses power actions until the lock is released.",
        guest.name,
        guest.lock,
      ),
    };
  }
  if (!stateAllows(action, guest.status)) {
    return { ok: false, reason: stateReason(action, guest, tr) };
  }
  return { ok: true };
}

/**
 * Every action the guest's type offers, each allowed or not with the reason,
 * for a menu that shows disabled entries instead of hiding them. Templates
 * get an empty list: nothing to offer at all.
 */
export function actionChoices(guest: ActionGuest, tr: Translator): ActionChoice[] {
  if (guest.template) return [];
  return actionsFor(guest).map((action) => {
    const check = checkAction(guest, action, tr);
    return {
      action,
      label: actionLabel(action, tr),
      destructive: isDestructive(action),
      allowed: check.ok,
      reason: check.ok ? null : check.reason,
    };
  });
}

/** The state /cluster/resources shows once the action took effect. */
export function targetStatus(action: PowerAction): "running" | "stopped" | "paused" {
  switch (action) {
    case "shutdown":
    case "stop":
      return "stopped";
    case "suspend":
      return "paused";
    default:
      return "running";
  }
}

/**
 * HA manages the guest: start, stop and shutdown then only queue a request
 * for the HA manager. "ignored" means HA leaves the guest alone.
 */
export function isHaManaged(guest: ActionGuest): boolean {
  return guest.hastate !== null && guest.hastate !== "" && guest.hastate !== "ignored";
}
