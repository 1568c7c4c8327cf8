// `proxmon start|shutdown|reboot|stop|reset|suspend|resume VMID`: the
// widget's action core in a terminal. The guest is looked up in
// /cluster/resources first (its node, type, state and lock), so an action
// its rules refuse is refused before anything is sent (exit 2). Stop and
// reset pull the plug: on a terminal they ask, off one they need --yes.

import { createInterface } from "node:readline";

import type { GuestInfo } from "../model/types";
import { plainTranslator } from "../notify/message";
import type { ActionOutcome, ActionResult } from "../actions/runner";
import { createActionRunner, DEFAULT_WAIT_TIMEOUT_MS, refusedResult } from "../actions/runner";
import type { PowerAction } from "../actions/rules";
import { POWER_ACTIONS, checkAction, isDestructive } from "../actions/rules";
import {
  booleanFlag,
  formatFlagHelp,
  parseArgs,
  parseInteger,
  parseSeconds,
  stringFlag,
  type FlagSpec,
} from "./args";
import { CONNECTION_FLAGS, openApi } from "./connection";
import { CONFIG_FLAGS, resolveOneConnection } from "./targets";
import {
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  formatError,
  oneLine,
  usageError,
  type CliIo,
} from "./io";
import { lookupGuest } from "./guest-lookup";
import { nodeScheduler } from "./watch";

export const POWER_FLAGS: FlagSpec[] = [
  ...CONNECTION_FLAGS,
  ...CONFIG_FLAGS,
  {
    name: "node",
    kind: "string",
    value: "NODE",
    help: "the guest's node (default: found in /cluster/resources)",
  },
  { name: "wait", kind: "boolean", help: "follow the task until it ends" },
  {
    name: "wait-timeout",
    kind: "string",
    value: "SECONDS",
    help: `give up waiting after this long (default ${DEFAULT_WAIT_TIMEOUT_MS / 1000})`,
  },
  { name: "yes", kind: "boolean", help: "do not ask before stop or reset" },
  { name: "json", kind: "boolean", help: "print one JSON object (docs/cli.md)" },
];

export function powerHelp(action: PowerAction): string {
  return (
    `Usage: proxmon ${action} VMID [--node NODE] [--wait] [--wait-timeout SECONDS] [--yes] [--json] --host HOST --token-id ID\n\n` +
    "Sends POST /nodes/{node}/{qemu|lxc}/{vmid}/status/" +
    action +
    " (needs VM.PowerMgmt on /vms/{vmid}).\n" +
    "Exit 0: ok, warnings, or queued (without --wait); 1: failed or timeout; 2: refused before sending.\n\nOptions:\n" +
    formatFlagHelp(POWER_FLAGS) +
    "\n"
  );
}

/** The `--json` contract. */
export interface PowerJson {
  vmid: number;
  type: "qemu" | "lxc";
  node: string;
  action: string;
  upid: string | null;
  outcome: ActionOutcome;
  exitstatus: string | null;
  message: string;
}

export function toPowerJson(result: ActionResult): PowerJson {
  return {
    vmid: result.vmid,
    type: result.type,
    node: result.node,
    action: result.action,
    upid: result.upid,
    outcome: result.outcome,
    exitstatus: result.exitstatus,
    message: result.message,
  };
}

export function exitCodeFor(outcome: ActionOutcome): number {
  if (outcome === "ok" || outcome === "warnings" || outcome === "queued") return EXIT_OK;
  return outcome === "refused" ? EXIT_USAGE : EXIT_FAILURE;
}

function ask(io: CliIo, question: string): Promise<boolean> {
  return new Promise((resolveAnswer) => {
    io.err(question);
    const rl = createInterface({ input: io.stdin, terminal: false });
    let answered = false;
    rl.once("line", (line) => {
      answered = true;
      rl.close();
      const a = line.trim().toLowerCase();
      resolveAnswer(a === "y" || a === "yes");
    });
    rl.once("close", () => {
      if (!answered) resolveAnswer(false);
    });
  });
}

function report(io: CliIo, result: ActionResult, json: boolean): number {
  const code = exitCodeFor(result.outcome);
  if (json) io.json(toPowerJson(result));
  if (code === EXIT_OK) {
    if (!json) io.out(result.message + "\n");
  } else {
    io.err(formatError(result.outcome, result.message));
  }
  return code;
}

export function powerCommand(action: PowerAction) {
  return async function runPower(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, POWER_FLAGS);
    if (args.help) {
      io.out(powerHelp(action));
      return EXIT_OK;
    }
    if (args.positionals.length !== 1) {
      throw usageError(`${action} takes exactly one VMID (see proxmon ${action} --help)`);
    }
    const vmid = parseInteger(args.positionals[0] as string, "VMID", 100, 999999999);
    const waitText = stringFlag(args, "wait-timeout");
    const waitTimeoutMs =
      waitText === undefined
        ? DEFAULT_WAIT_TIMEOUT_MS
        : parseSeconds(waitText, "--wait-timeout", 1, 86400) * 1000;
    const json = booleanFlag(args, "json");
    const nodeFlag = stringFlag(args, "node");
    const { connection, secret } = await resolveOneConnection(args, io, action);
    const api = openApi(connection, secret);
    const tr = plainTranslator;
    try {
      const found = await lookupGuest(api.client, connection, vmid);
      const guest: GuestInfo = nodeFlag !== undefined ? { ...found, node: nodeFlag.trim() } : found;
      const check = checkAction(guest, action, tr);
      if (!check.ok) return report(io, refusedResult(guest, action, check.reason), json);
      if (isDestructive(action) && !booleanFlag(args, "yes")) {
        const interactive = Boolean(io.stdin.isTTY) && io.stderrIsTTY;
        if (!interactive) {
          return report(
            io,
            refusedResult(
              guest,
              action,
              tr(
                "%1 is a hard %2 (no clean shutdown): pass --yes to confirm it when not on a terminal.",
                guest.name,
                action,
              ),
            ),
            json,
          );
        }
        const what = action === "stop" ? "Stop" : "Reset";
        const yes = await ask(
          io,
          `${what} ${oneLine(guest.name)} (${guest.vmid}) on ${guest.node} hard, without a clean shutdown? [y/N] `,
        );
        if (!yes)
          return report(
            io,
            refusedResult(guest, action, tr("Not confirmed; nothing was sent.")),
            json,
          );
      }
      const runner = createActionRunner({
        client: api.client,
        scheduler: nodeScheduler,
        tr,
        waitTimeoutMs,
      });
      const result = await runner.run(guest, action, {
        follow: booleanFlag(args, "wait"),
        waitTimeoutMs,
      });
      return report(io, result, json);
    } finally {
      api.transport.close();
    }
  };
}

/** The verbs, for main.ts's command table. */
export const POWER_COMMANDS: ReadonlyArray<PowerAction> = POWER_ACTIONS;
