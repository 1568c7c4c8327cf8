// `proxmon watch`: the widget's monitor (controller, diff, filter, rate
// limiter) in a terminal. Notifications go to stdout, one per line with
// --json, so a script or a non-KDE desktop can act on them; connection
// trouble goes to stderr so stdout stays nothing but notifications.

import type { ProxmonError } from "../api/errors";
import { createNodejsTransport, type NodejsTransport } from "../api/transport-nodejs.node";
import { formatAddress } from "../connections/model";
import {
  createMonitor,
  DEFAULT_REFRESH_SECONDS,
  MIN_REFRESH_SECONDS,
  type Monitor,
} from "../monitor";
import { isEmptyWhitelist, parseFilter, type NotifyMode } from "../notify/filter";
import type { Notification } from "../notify/limiter";
import { DEFAULT_NOTIFICATION_SETTINGS, type NotificationSettings } from "../notify/pipeline";
import type { Snapshot } from "../model/types";
import type { Scheduler } from "../scheduler";
import {
  booleanFlag,
  formatFlagHelp,
  parseArgs,
  parseSeconds,
  rejectPositionals,
  stringFlag,
  type FlagSpec,
  type ParsedArgs,
} from "./args";
import { CONNECTION_FLAGS, tlsAdvice } from "./connection";
import {
  CONFIG_FLAGS,
  connectionOf,
  readSecrets,
  resolveTargets,
  warnInsecureTargets,
  type Target,
  type TargetAddress,
} from "./targets";
import { CliError, EXIT_OK, oneLine, usageError, type CliIo } from "./io";
import { waitForSignal } from "./signals";
import {
  HEALTH_WATCH_FLAGS,
  filterSnoozed,
  parseSnoozeFlags,
  rateLimitFlag,
  startHealthWatch,
  type HealthWatchHandle,
} from "./watch-health";

export const WATCH_FLAGS: FlagSpec[] = [
  ...CONNECTION_FLAGS,
  ...CONFIG_FLAGS,
  { name: "json", kind: "boolean", help: "one JSON object per notification and line" },
  {
    name: "interval",
    kind: "string",
    value: "SECONDS",
    help: `refresh interval (default ${DEFAULT_REFRESH_SECONDS}, at least ${MIN_REFRESH_SECONDS})`,
  },
  {
    name: "notify-mode",
    kind: "string",
    value: "MODE",
    help: "all | whitelist | blacklist (default all)",
  },
  {
    name: "notify-filter",
    kind: "string",
    value: "TEXT",
    help: "names, VMIDs, ranges, tag:X, node:X; comma separated",
  },
  { name: "no-start", kind: "boolean", help: "no notifications when guests start" },
  { name: "no-stop", kind: "boolean", help: "no notifications when guests stop" },
  { name: "no-node-change", kind: "boolean", help: "no notifications for nodes and quorum" },
  {
    name: "rate-limit",
    kind: "string",
    value: "SECONDS",
    help: "min. time between equal notifications (default 120; 0 = off)",
  },
  // Backups (issue 13)
  ...HEALTH_WATCH_FLAGS,
];

export const WATCH_HELP =
  "Usage: proxmon watch [--json] --host HOST --token-id ID [options]\n" +
  "       proxmon watch [--json] [--config FILE] [--connection NAME] [options]\n\n" +
  "Refreshes like the widget and prints every notification it would show; with a config\n" +
  "file every enabled connection at once, each on its own schedule (titles name it):\n" +
  "  text:   [HH:MM:SS] title — body\n" +
  '  --json: {"time":ISO,"kind":…,"urgency":…,"title":…,"body":…,"guests":[vmid,…]}\n' +
  '          (+ "connection":NAME with several connections)\n' +
  "Connection problems and recoveries are reported on stderr. Ctrl-C stops.\n\nOptions:\n" +
  formatFlagHelp(WATCH_FLAGS) +
  "\n";

export interface NotificationLine {
  time: string;
  kind: string;
  urgency: string;
  title: string;
  body: string;
  guests: number[];
  /** Several connections only: the connection's name. */
  connection?: string;
}

export function toNotificationLine(n: Notification, nowMs: number): NotificationLine {
  const line: NotificationLine = {
    time: new Date(nowMs).toISOString(),
    kind: n.kind,
    urgency: n.urgency,
    title: n.title,
    body: n.body,
    guests: n.guests.slice(),
  };
  if (n.connection !== undefined) line.connection = n.connection;
  return line;
}

function clock(ms: number): string {
  const d = new Date(ms);
  const two = (n: number): string => (n < 10 ? "0" : "") + n;
  return two(d.getHours()) + ":" + two(d.getMinutes()) + ":" + two(d.getSeconds());
}

/** "[HH:MM:SS] title — body"; further body lines are indented under the first. */
export function formatNotificationText(n: Notification, nowMs: number): string {
  const prefix = "[" + clock(nowMs) + "] ";
  const lines = n.body.split("\n").filter((l) => l.trim() !== "");
  const first = prefix + n.title + (lines.length > 0 ? " — " + lines[0] : "");
  const rest = lines.slice(1).map((l) => " ".repeat(prefix.length) + l);
  return [first, ...rest].join("\n") + "\n";
}

export function notificationSettings(args: ParsedArgs): NotificationSettings {
  const mode = (stringFlag(args, "notify-mode") ?? "all").trim().toLowerCase();
  if (mode !== "all" && mode !== "whitelist" && mode !== "blacklist") {
    throw usageError("--notify-mode must be all, whitelist or blacklist");
  }
  const patterns = stringFlag(args, "notify-filter") ?? "";
  const problems = parseFilter(patterns).problems;
  if (problems.length > 0) {
    throw usageError(
      "--notify-filter: " + problems.map((p) => `'${p.entry}': ${p.message}`).join("; "),
    );
  }
  const rate = rateLimitFlag(args);
  return {
    ...DEFAULT_NOTIFICATION_SETTINGS,
    enabled: true,
    mode: mode as NotifyMode,
    patterns,
    notifyOnStart: !booleanFlag(args, "no-start"),
    notifyOnStop: !booleanFlag(args, "no-stop"),
    notifyOnNodeChange: !booleanFlag(args, "no-node-change"),
    rateLimitEnabled: rate > 0,
    rateLimitSeconds: rate,
  };
}

export const nodeScheduler: Scheduler = {
  now: () => Date.now(),
  schedule(delayMs, callback) {
    const timer = setTimeout(callback, Math.max(0, delayMs));
    return () => clearTimeout(timer);
  },
};

function describeFailure(error: ProxmonError, target: Target, fromFile: boolean): string {
  const advice = fromFile
    ? error.kind === "tls" && error.certificate
      ? ` If you have checked it, pin it in the config file ("fingerprints": ${error.certificate.fingerprint256}) or give "ca".`
      : ""
    : tlsAdvice(error, connectionOf(target));
  return `${error.kind}: ${oneLine(error.message)}${advice}`;
}

/** One connection's monitor and what watch remembers about it. */
interface Watched {
  target: Target;
  monitor: Monitor;
  transports: NodejsTransport[];
  health: HealthWatchHandle;
}

export async function runWatch(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, WATCH_FLAGS);
  if (args.help) {
    io.out(WATCH_HELP);
    return EXIT_OK;
  }
  rejectPositionals(args, "watch");
  const targets = resolveTargets(args, io.env);
  const intervalText = stringFlag(args, "interval");
  const interval =
    intervalText === undefined
      ? DEFAULT_REFRESH_SECONDS
      : parseSeconds(intervalText, "--interval", 1, 86400);
  const notifications = notificationSettings(args);
  const json = booleanFlag(args, "json");
  warnInsecureTargets(targets, io);
  if (interval < MIN_REFRESH_SECONDS) {
    io.err(
      `proxmon: watch: --interval ${interval} is raised to the minimum of ${MIN_REFRESH_SECONDS} s\n`,
    );
  }
  if (isEmptyWhitelist(notifications)) {
    io.err(
      "proxmon: watch: --notify-mode whitelist without a --notify-filter entry: no guest notifications will be shown\n",
    );
  }
  const snoozeFlags = parseSnoozeFlags(
    stringFlag(args, "snooze"),
    stringFlag(args, "maintenance"),
    Math.floor(Date.now() / 1000),
  );
  const secrets = await readSecrets(io, targets);
  const several = targets.targets.length > 1;
  const fromFile = targets.source === "config";

  const print = (n: Notification): void => {
    const now = Date.now();
    // Values are scrubbed before serialising (io.json), never the JSON text.
    if (json) io.json(toNotificationLine(n, now));
    else io.out(formatNotificationText(n, now));
  };

  let reportFatal: (err: CliError) => void = () => undefined;
  const fatal = new Promise<CliError>((resolve) => {
    reportFatal = resolve;
  });
  const watched: Watched[] = [];

  function stopAll(): void {
    for (const w of watched) {
      w.health.stop();
      w.monitor.stop();
      w.monitor.dispose();
      for (const t of w.transports) t.close();
    }
  }

  for (let index = 0; index < targets.targets.length; index++) {
    const target = targets.targets[index] as Target;
    const secret = secrets[index] as string;
    const prefix = several ? `proxmon: watch: ${target.name}: ` : "proxmon: watch: ";
    let latest: Snapshot | null = null;
    // Health notifications (failed tasks, HA, Ceph) name the connection like the monitor's.
    const named = (n: Notification): Notification => {
      if (!several) return n;
      n.connection = target.name;
      n.title = target.name + ": " + n.title;
      return n;
    };
    const health = startHealthWatch(
      args,
      connectionOf(target),
      secret,
      () => latest,
      (n) => print(named(n)),
      snoozeFlags,
      nodeScheduler,
    );
    // Each address its own transport: its own TLS policy (a pin per node certificate).
    const transports: NodejsTransport[] = [];
    const byAddress: Record<string, NodejsTransport> = Object.create(null) as Record<
      string,
      NodejsTransport
    >;
    for (const a of target.addresses) {
      const t = createNodejsTransport({ tls: a.tls });
      transports.push(t);
      byAddress[formatAddress(a)] = t;
    }
    const first = transports[0] as NodejsTransport;
    const monitor = createMonitor({
      scheduler: nodeScheduler,
      transport: first,
      transportFor: (address) => byAddress[formatAddress(address)] ?? first,
      notify(n) {
        if (filterSnoozed(n, health.snoozes(), Math.floor(Date.now() / 1000))) print(n);
      },
    });
    watched.push({ target, monitor, transports, health });

    let connected = false;
    let lastError = "";
    let failures = 0;
    monitor.onState((state) => {
      if (state.refreshing) return;
      if (state.error) {
        if (state.error.kind === "config") {
          reportFatal(
            new CliError(
              "config",
              (several ? `connection "${target.name}": ` : "") + oneLine(state.error.message),
            ),
          );
          return;
        }
        failures = state.consecutiveFailures;
        const line = describeFailure(state.error, target, fromFile);
        if (line !== lastError) {
          io.err(`${prefix}refresh failed (${line}) — retrying\n`);
          lastError = line;
        }
        return;
      }
      if (!state.data) return;
      latest = state.data;
      const at = monitor.activeAddress() ?? target.addresses[0];
      if (!connected) {
        connected = true;
        io.err(
          `${prefix}connected to ${at ? formatAddress(at) : target.name} — ${state.data.nodes.length} node(s), ${state.data.guests.length} guest(s); refreshing every ${Math.max(MIN_REFRESH_SECONDS, interval)} s, Ctrl-C stops\n`,
        );
      } else if (lastError !== "") {
        io.err(`${prefix}recovered after ${failures} failed refresh(es)\n`);
      }
      lastError = "";
      failures = 0;
    });

    const head = target.addresses[0] as TargetAddress;
    monitor.configure({
      host: head.host,
      port: head.port,
      addresses: target.addresses.map((a) => ({ host: a.host, port: a.port })),
      connectionName: several ? target.name : undefined,
      tokenId: target.tokenId,
      secret,
      refreshIntervalSec: Math.max(MIN_REFRESH_SECONDS, interval),
      timeoutSec: target.timeoutSec,
      notifications,
    });
    const problem = monitor.configurationProblem();
    if (problem !== null) {
      stopAll();
      throw new CliError("config", (several ? `connection "${target.name}": ` : "") + problem);
    }
  }

  const outcome = await waitForSignal(fatal);
  stopAll();
  if (outcome instanceof CliError) throw outcome;
  io.err(`proxmon: watch: stopped (${outcome})\n`);
  return EXIT_OK;
}
