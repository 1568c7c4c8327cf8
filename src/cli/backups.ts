// `proxmon backups`: backup coverage, last good backup and state per guest,
// and failed tasks, from PVE itself (jobs, not-backed-up, vzdump tasks and
// their logs, backup volumes where the token may list them). Exit 0 when
// it could read enough to show something, whatever the states; non-zero on
// a connection error or when every source was refused.

import { decodeResources, type DecodedResources } from "../model/decode-resources";
import { parseFilter } from "../notify/filter";
import { plainTranslator, type Translator } from "../notify/message";
import {
  DEFAULT_THRESHOLDS,
  thresholdsForMaxAge,
  type BackupThresholds,
} from "../backups/coverage";
import { featureLabel } from "../backups/features";
import { createBackupReader, type BackupData, type ReaderClient } from "../backups/reader";
import {
  buildReport,
  DEFAULT_FAILED_WINDOW_SEC,
  toBackupsJson,
  type BackupReport,
} from "../backups/report";
import type { LocalOffset } from "../backups/schedule";
import {
  booleanFlag,
  formatFlagHelp,
  parseArgs,
  parseSeconds,
  rejectPositionals,
  stringFlag,
  type FlagSpec,
} from "./args";
import { CONNECTION_FLAGS, apiError, openApi, type Connection } from "./connection";
import { CONFIG_FLAGS, resolveOneConnection } from "./targets";
import { CliError, EXIT_FAILURE, EXIT_OK, oneLine, usageError, type CliIo } from "./io";

export const BACKUPS_FLAGS: FlagSpec[] = [
  ...CONNECTION_FLAGS,
  ...CONFIG_FLAGS,
  { name: "json", kind: "boolean", help: "print one JSON object (docs/cli.md)" },
  {
    name: "since",
    kind: "string",
    value: "SECONDS",
    help: `failed tasks of this window (default ${DEFAULT_FAILED_WINDOW_SEC})`,
  },
  {
    name: "max-age",
    kind: "string",
    value: "DAYS",
    help: "due after DAYS, overdue after twice that (default 7 and 14) where no schedule applies",
  },
  {
    name: "exclude",
    kind: "string",
    value: "LIST",
    help: "never nag about these: VMIDs, ranges 100-199, tag:NAME, names (comma separated)",
  },
  { name: "ignore-no-job", kind: "boolean", help: "guests in no backup job count as excluded" },
  { name: "no-storage", kind: "boolean", help: "do not list backup volumes on storage" },
];

export const BACKUPS_HELP =
  "Usage: proxmon backups [--json] [--since SECONDS] [--max-age DAYS] [--exclude LIST] --host HOST --token-id ID\n\n" +
  "Shows each guest's backup jobs, last successful and failed backup and its state\n" +
  "(ok, due, overdue, never, excluded, unknown), and the failed tasks of the last 24 hours.\n" +
  "Needs Sys.Audit on / (jobs, not-backed-up, HA) and on /nodes/{node} (tasks of all users);\n" +
  "backup volumes on storage need Datastore.Allocate (more than PVEAuditor).\n" +
  "Exit 0 when it could read what it needed; 1 on a connection or permission error that leaves nothing to show.\n\nOptions:\n" +
  formatFlagHelp(BACKUPS_FLAGS) +
  "\n";

/** Minutes east of UTC on this machine at that moment (node logs are in local time). */
export const localOffset: LocalOffset = (epochSec) =>
  -new Date(epochSec * 1000).getTimezoneOffset();

export interface BackupsRead {
  resources: DecodedResources;
  data: BackupData;
}

/** /cluster/resources, then one full read of the backup reader. */
export async function readBackupsOnce(
  client: ReaderClient,
  connection: Connection,
  readStorage = true,
): Promise<BackupsRead> {
  const r = await client.get("/cluster/resources").result;
  if (!r.ok) throw apiError(r.error, connection);
  const resources = decodeResources(r.value);
  if (resources === null)
    throw new CliError("bad-response", "GET /cluster/resources answered in an unexpected format");
  const reader = createBackupReader({ client, clock: () => Date.now(), readStorage });
  const data = await reader.read({
    guests: resources.guests,
    nodes: resources.nodes.filter((n) => n.status === "online").map((n) => n.name),
    storage: resources.storage,
  });
  return { resources, data };
}

function date(epoch: number | null): string {
  if (epoch === null) return "-";
  const d = new Date(epoch * 1000);
  const two = (n: number): string => (n < 10 ? "0" : "") + n;
  return (
    d.getFullYear() +
    "-" +
    two(d.getMonth() + 1) +
    "-" +
    two(d.getDate()) +
    " " +
    two(d.getHours()) +
    ":" +
    two(d.getMinutes())
  );
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

export function formatBackupsText(report: BackupReport, tr: Translator = plainTranslator): string {
  const lines: string[] = [];
  lines.push(tr("Backup jobs:"));
  if (report.jobs.length === 0) lines.push("  " + tr("(none readable)"));
  for (const j of report.jobs) {
    lines.push(
      "  " +
        pad(oneLine(j.id), 24) +
        pad(j.enabled ? tr("enabled") : tr("disabled"), 10) +
        pad(oneLine(j.schedule ?? "-"), 20) +
        tr("next %1", date(j.nextRun)),
    );
  }
  lines.push("");
  lines.push(
    "  " +
      pad("VMID", 10) +
      pad(tr("NAME"), 22) +
      pad(tr("STATE"), 10) +
      pad(tr("LAST OK"), 18) +
      pad(tr("LAST FAILURE"), 18) +
      tr("JOBS"),
  );
  for (const g of report.guests) {
    let jobs = g.jobs.length > 0 ? g.jobs.map(oneLine).join(",") : tr("in no job");
    if (g.onlyDisabled) jobs += " " + tr("(only in a disabled job)");
    lines.push(
      "  " +
        pad(String(g.vmid), 10) +
        pad(oneLine(g.name).slice(0, 21), 22) +
        pad(g.state, 10) +
        pad(date(g.lastOk), 18) +
        pad(date(g.lastFailure), 18) +
        jobs,
    );
  }
  lines.push("");
  if (report.failedTasks.length === 0) lines.push(tr("No failed tasks in the window."));
  else lines.push(tr("Failed tasks:"));
  for (const f of report.failedTasks) {
    lines.push(
      "  " +
        pad(date(f.endtime), 18) +
        pad(oneLine(f.node), 12) +
        pad(oneLine(f.type), 12) +
        pad(oneLine(f.id ?? "-"), 8) +
        oneLine(f.exitstatus),
    );
  }
  const missing = report.features.filter((f) => f.available === false);
  if (missing.length > 0) {
    lines.push("");
    for (const f of missing) {
      lines.push(
        f.missing
          ? tr(
              "Not readable: %1 (needs %2 on %3)",
              featureLabel(f.id, tr),
              f.missing.privilege,
              f.missing.path,
            )
          : tr("Not readable: %1 (%2)", featureLabel(f.id, tr), oneLine(f.message ?? "")),
      );
    }
  }
  return lines.join("\n") + "\n";
}

export async function runBackups(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, BACKUPS_FLAGS);
  if (args.help) {
    io.out(BACKUPS_HELP);
    return EXIT_OK;
  }
  rejectPositionals(args, "backups");
  const sinceText = stringFlag(args, "since");
  const sinceSec =
    sinceText === undefined
      ? DEFAULT_FAILED_WINDOW_SEC
      : parseSeconds(sinceText, "--since", 0, 366 * 86400);
  const maxAgeText = stringFlag(args, "max-age");
  let thresholds: BackupThresholds = DEFAULT_THRESHOLDS;
  if (maxAgeText !== undefined) {
    const days = Number(maxAgeText.trim());
    if (maxAgeText.trim() === "" || !isFinite(days) || days <= 0 || days > 3650)
      throw usageError("--max-age must be a number of days from 0 to 3650 (e.g. 7 or 1.5)");
    thresholds = thresholdsForMaxAge(days);
  }
  const exclude = parseFilter(stringFlag(args, "exclude") ?? "");
  if (exclude.problems.length > 0) {
    throw usageError(
      "--exclude: " + exclude.problems.map((p) => `'${p.entry}': ${p.message}`).join("; "),
    );
  }
  const json = booleanFlag(args, "json");
  const { connection, secret } = await resolveOneConnection(args, io, "backups");
  const api = openApi(connection, secret);
  try {
    const { resources, data } = await readBackupsOnce(
      api.client,
      connection,
      !booleanFlag(args, "no-storage"),
    );
    const report = buildReport(data, resources.guests, {
      thresholds,
      exclude,
      ignoreUncovered: booleanFlag(args, "ignore-no-job"),
      sinceSec,
      offset: localOffset,
    });
    if (report.nothingReadable) {
      const f = report.features.filter((x) => x.id === "jobs")[0];
      const need =
        f && f.missing ? `${f.missing.privilege} on ${f.missing.path}` : "Sys.Audit on /";
      throw new CliError(
        "permission",
        `the token can read neither backup jobs nor tasks (needs ${need}); nothing to show`,
        EXIT_FAILURE,
      );
    }
    if (json) io.json(toBackupsJson(report));
    else io.out(formatBackupsText(report));
    return EXIT_OK;
  } finally {
    api.transport.close();
  }
}
