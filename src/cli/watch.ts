// `proxmon watch`: the widget's monitor (controller, diff, filter, rate
// limiter) in a terminal. Notifications go to stdout, one per line with
// --json, so a script or a non-KDE desktop can act on them; connection
// trouble goes to stderr so stdout stays nothing but notifications.

import type { ProxmonError } from "../api/errors";
import { createNodejsTransport } from "../api/transport-nodejs.node";
import { createMonitor, DEFAULT_REFRESH_SECONDS, MIN_REFRESH_SECONDS } from "../monitor";
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
import {
  CONNECTION_FLAGS,
  resolveConnection,
  tlsAdvice,
  warnIfInsecure,
  type Connection,
} from "./connection";
import { CliError, EXIT_OK, oneLine, usageError, type CliIo } from "./io";
import { readSecret } from "./secret";
import { waitForSignal } from "./signals";
import {
  HEALTH_WATCH_FLAGS,
  filterSnoozed,
  parseSnoozeFlags,
  startHealthWatch,
} from "./watch-health";

export const WATCH_FLAGS: FlagSpec[] = [
  ...CONNECTION_FLAGS,
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
  "Usage: proxmon watch [--json] --host HOST --token-id ID [options]\n\n" +
  "Refreshes like the widget and prints every notification it would show:\n" +
  "  text:   [HH:MM:SS] title — body\n" +
  '  --json: {"time":ISO,"kind":…,"urgency":…,"title":…,"body":…,"guests":[vmid,…]}\n' +
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
}

export function toNotificationLine(n: Notification, nowMs: number): NotificationLine {
  return {
    time: new Date(nowMs).toISOString(),
    kind: n.kind,
    urgency: n.urgency,
    title: n.title,
    body: n.body,
    guests: n.guests.slice(),
  };
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
  const rateText = stringFlag(args, "rate-limit");
  const rate =
    rateText === undefined
      ? DEFAULT_NOTIFICATION_SETTINGS.rateLimitSeconds
      : parseSeconds(rateText, "--rate-limit", 0, 86400);
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

function describeFailure(error: ProxmonError, connection: Connection): string {
  return `${error.kind}: ${oneLine(error.message)}${tlsAdvice(error, connection)}`;
}

export async function runWatch(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, WATCH_FLAGS);
  if (args.help) {
    io.out(WATCH_HELP);
    return EXIT_OK;
  }
  rejectPositionals(args, "watch");
  const connection = resolveConnection(args, io.env);
  const intervalText = stringFlag(args, "interval");
  const interval =
    intervalText === undefined
      ? DEFAULT_REFRESH_SECONDS
      : parseSeconds(intervalText, "--interval", 1, 86400);
  const notifications = notificationSettings(args);
  const json = booleanFlag(args, "json");
  warnIfInsecure(connection, io);
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
  const secret = await readSecret(io);

  const print = (n: Notification): void => {
    const now = Date.now();
    // Values are scrubbed before serialising (io.json), never the JSON text.
    if (json) io.json(toNotificationLine(n, now));
    else io.out(formatNotificationText(n, now));
  };
  let latest: Snapshot | null = null;
  const health = startHealthWatch(
    args,
    connection,
    secret,
    () => latest,
    print,
    snoozeFlags,
    nodeScheduler,
  );
  const transport = createNodejsTransport({ tls: connection.tls });
  const monitor = createMonitor({
    scheduler: nodeScheduler,
    transport,
    notify(n) {
      if (filterSnoozed(n, health.snoozes(), Math.floor(Date.now() / 1000))) print(n);
    },
  });

  let reportFatal: (err: CliError) => void = () => undefined;
  const fatal = new Promise<CliError>((resolve) => {
    reportFatal = resolve;
  });
  let connected = false;
  let lastError = "";
  let failures = 0;
  monitor.onState((state) => {
    if (state.refreshing) return;
    if (state.error) {
      if (state.error.kind === "config") {
        reportFatal(new CliError("config", oneLine(state.error.message)));
        return;
      }
      failures = state.consecutiveFailures;
      const line = describeFailure(state.error, connection);
      if (line !== lastError) {
        io.err(`proxmon: watch: refresh failed (${line}) — retrying\n`);
        lastError = line;
      }
      return;
    }
    if (!state.data) return;
    latest = state.data;
    if (!connected) {
      connected = true;
      io.err(
        `proxmon: watch: connected to ${connection.host}:${connection.port} — ${state.data.nodes.length} node(s), ${state.data.guests.length} guest(s); refreshing every ${Math.max(MIN_REFRESH_SECONDS, interval)} s, Ctrl-C stops\n`,
      );
    } else if (lastError !== "") {
      io.err(`proxmon: watch: recovered after ${failures} failed refresh(es)\n`);
    }
    lastError = "";
    failures = 0;
  });

  monitor.configure({
    host: connection.host,
    port: connection.port,
    tokenId: connection.tokenId,
    secret,
    refreshIntervalSec: Math.max(MIN_REFRESH_SECONDS, interval),
    timeoutSec: connection.timeoutSec,
    notifications,
  });
  const problem = monitor.configurationProblem();
  if (problem !== null) {
    health.stop();
    monitor.dispose();
    transport.close();
    throw new CliError("config", problem);
  }

  const outcome = await waitForSignal(fatal);
  health.stop();
  monitor.stop();
  monitor.dispose();
  transport.close();
  if (outcome instanceof CliError) throw outcome;
  io.err(`proxmon: watch: stopped (${outcome})\n`);
  return EXIT_OK;
}
