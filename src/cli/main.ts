// Entry point of the `proxmon` command (bundled to dist/cli.mjs). Every
// failure ends here as one line on stderr — "proxmon: <class>: <message>" —
// with exit 2 for usage and configuration mistakes and 1 for the rest; a
// stack trace would only bury the sentence that says what to do.

import { readFileSync } from "node:fs";

import { refuseSecretFlags } from "./args";
import { runBackups } from "./backups";
import { runDoctor } from "./doctor";
import { runHistory } from "./history";
import {
  CliError,
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  createProcessIo,
  formatError,
  type CliIo,
} from "./io";
import { POWER_COMMANDS, powerCommand } from "./power";
import { runSimulate } from "./simulate";
import { runStatus } from "./status";
import { runWatch } from "./watch";

type Command = (argv: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  status: runStatus,
  doctor: runDoctor,
  watch: runWatch,
  simulate: runSimulate,
  // Backups (issue 13)
  backups: runBackups,
  history: runHistory,
};
for (const action of POWER_COMMANDS) COMMANDS[action] = powerCommand(action);

export const MAIN_HELP =
  "Usage: proxmon <command> [options]\n\n" +
  "Commands:\n" +
  "  status     show nodes, guests and storage once (--json for scripts)\n" +
  "  doctor     check reachability, TLS, the token and its privileges\n" +
  "  watch      print a line for every change the widget would notify\n" +
  "  simulate   run a simulated Proxmox VE API for testing\n" +
  "  backups    backup state per guest and failed tasks (--json for scripts)\n" +
  "  history    NODE|VMID [--timeframe hour|day|week] [--json]: RRD history as sparklines\n" +
  "  start|shutdown|reboot|stop|reset|suspend|resume VMID [--node N] [--wait] [--yes] [--json]\n" +
  "             power a guest (needs VM.PowerMgmt; stop and reset ask first)\n\n" +
  "Connection: --host, --port (8006), --token-id, --timeout, --ca FILE | --fingerprint SHA256 | --insecure\n" +
  "(or PROXMON_HOST, PROXMON_PORT, PROXMON_TOKEN_ID). The token secret is read from\n" +
  "PROXMON_TOKEN_SECRET or stdin, never from the command line.\n" +
  "Several clusters: --config FILE (default $XDG_CONFIG_HOME/proxmon/config.json when no --host\n" +
  "is given), --connection NAME; secrets from PROXMON_TOKEN_SECRET_<NAME> (docs/cli.md).\n\n" +
  "Run 'proxmon <command> --help' for a command's options; 'proxmon --version' for the version.\n";

function version(): string {
  // dist/cli.mjs sits one level below package.json; the sources two.
  for (const rel of ["../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), "utf8")) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === "proxmon" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // Try the next place.
    }
  }
  return "unknown";
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    refuseSecretFlags(argv);
    const first = argv[0];
    if (first === undefined) {
      io.err(MAIN_HELP);
      return EXIT_USAGE;
    }
    if (first === "--help" || first === "-h" || first === "help") {
      const topic = argv[1];
      const command = topic !== undefined ? COMMANDS[topic] : undefined;
      if (command) return await command(["--help"], io);
      io.out(MAIN_HELP);
      return EXIT_OK;
    }
    if (first === "--version" || first === "-V" || first === "version") {
      io.out("proxmon " + version() + "\n");
      return EXIT_OK;
    }
    const command = Object.prototype.hasOwnProperty.call(COMMANDS, first)
      ? COMMANDS[first]
      : undefined;
    if (!command) {
      // Only a plausible command word is echoed; anything else could be a pasted secret.
      const shown = /^[a-z-]{1,20}$/.test(first) ? ` '${first}'` : "";
      throw new CliError(
        "usage",
        `unknown command${shown}; expected status, doctor, watch, backups, history, simulate or a power action such as start (see proxmon --help)`,
      );
    }
    return await command(argv.slice(1), io);
  } catch (err) {
    if (err instanceof CliError) {
      io.err(formatError(err.kind, err.message));
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.err(formatError("internal", message || "unexpected failure"));
    return EXIT_FAILURE;
  }
}

const io = createProcessIo();
main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = EXIT_FAILURE;
  },
);
