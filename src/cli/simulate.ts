// `proxmon simulate`: the Proxmox simulator as a process, for trying the
// widget or the CLI without a cluster and for test harnesses in another
// process. The first stdout line is the machine-readable ready line; the
// human hints go to stderr so they never get in a harness's way.

import { rmSync } from "node:fs";

import { DEMO_SCENARIO } from "../demo/demo-scenario";
import { DEFAULT_TOKEN, type Scenario, type TokenSpec } from "../sim-engine/scenario";
import { formatReadyLine } from "../sim-server/ready-line";
import { loadScenarioFile, startSimulator, type SimulatorHandle } from "../sim-server/server";
import {
  booleanFlag,
  formatFlagHelp,
  parseArgs,
  parseInteger,
  rejectPositionals,
  stringFlag,
  type FlagSpec,
} from "./args";
import { CliError, EXIT_OK, usageError, type CliIo } from "./io";
import { waitForSignal } from "./signals";

export const SIMULATE_FLAGS: FlagSpec[] = [
  {
    name: "scenario",
    kind: "string",
    value: "FILE",
    help: "simulate the cluster in this scenario file (docs/scenario.md)",
  },
  {
    name: "replay",
    kind: "string",
    value: "DIR",
    help: "serve recorded API answers from this folder instead",
  },
  {
    name: "port",
    kind: "string",
    value: "N",
    help: "port to listen on (default 8006; 0 = any free port)",
  },
  { name: "host", kind: "string", value: "ADDR", help: "address to listen on (default 127.0.0.1)" },
  { name: "verbose", kind: "boolean", help: "log every request on stderr" },
];

export const SIMULATE_HELP =
  "Usage: proxmon simulate [--scenario FILE | --replay DIR] [--port N] [--host ADDR] [--verbose]\n\n" +
  "Runs a simulated Proxmox VE API over HTTPS with its own CA until Ctrl-C.\n" +
  "Without --scenario or --replay it simulates the built-in demo cluster.\n" +
  "The first line on stdout is 'PROXMON_SIMULATOR {json}' (url, caFile, fingerprint256, tokenId, control).\n\nOptions:\n" +
  formatFlagHelp(SIMULATE_FLAGS) +
  "\n";

export const DEFAULT_SIM_PORT = 8006;

function shellQuote(text: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(text) ? text : "'" + text.replace(/'/g, "'\\''") + "'";
}

function hints(handle: SimulatorHandle, source: string, token: TokenSpec | null): string {
  const host = handle.host;
  // The simulator's own fake test token: showing its secret here is what
  // makes the hint copy-pasteable, and it protects nothing real.
  const secret = token ? token.secret : "any-secret-at-least-16-chars";
  const tokenId = token ? token.id : "anyone@pve!any";
  const command =
    `PROXMON_TOKEN_SECRET=${shellQuote(secret)} proxmon status --host ${shellQuote(host)} --port ${handle.port}` +
    ` --ca ${shellQuote(handle.caFile)} --token-id ${shellQuote(tokenId)}`;
  return (
    `proxmon: simulator (${source}) listening on ${handle.url}\n` +
    `  API:          ${handle.apiUrl}\n` +
    `  CA file:      ${handle.caFile}\n` +
    `  Fingerprint:  ${handle.fingerprint256}\n` +
    `  Control API:  ${handle.controlUrl}\n` +
    (token
      ? `  Token:        ${token.id} (test secret below)\n`
      : "  Token:        none checked (any token is accepted)\n") +
    `  Try:\n    ${command}\n` +
    "  Ctrl-C stops it.\n"
  );
}

export async function runSimulate(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, SIMULATE_FLAGS);
  if (args.help) {
    io.out(SIMULATE_HELP);
    return EXIT_OK;
  }
  rejectPositionals(args, "simulate");
  const scenarioFile = stringFlag(args, "scenario");
  const replayDir = stringFlag(args, "replay");
  if (scenarioFile !== undefined && replayDir !== undefined) {
    throw usageError("use either --scenario or --replay, not both");
  }
  const portText = stringFlag(args, "port");
  const port =
    portText === undefined ? DEFAULT_SIM_PORT : parseInteger(portText, "--port", 0, 65535);
  const host = (stringFlag(args, "host") ?? "127.0.0.1").trim();
  if (host === "") throw usageError("--host needs an address");

  let scenario: Scenario | undefined;
  let source = "demo cluster";
  let token: TokenSpec | null = DEMO_SCENARIO.token;
  if (scenarioFile !== undefined) {
    try {
      scenario = loadScenarioFile(scenarioFile);
    } catch (err) {
      throw new CliError("config", (err as Error).message);
    }
    source = "scenario " + scenarioFile;
    token = scenario.token;
  } else if (replayDir !== undefined) {
    source = "replay of " + replayDir;
    token = DEFAULT_TOKEN;
  }

  const verbose = booleanFlag(args, "verbose");
  let handle: SimulatorHandle;
  try {
    handle = await startSimulator({
      scenario,
      replayDir,
      port,
      host,
      log: verbose
        ? (line) => io.err(new Date().toISOString().slice(11, 19) + " " + line + "\n")
        : undefined,
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === "EADDRINUSE") {
      throw new CliError(
        "io",
        `port ${port} on ${host} is in use; pick another with --port N (0 = any free port)`,
      );
    }
    if (e.code === "EADDRNOTAVAIL" || e.code === "EACCES") {
      throw new CliError("io", `cannot listen on ${host} port ${port} (${e.code})`);
    }
    if (e.code === "ENOENT" || e.code === "ENOTDIR") {
      throw new CliError("config", `replay folder ${replayDir ?? ""} does not exist`);
    }
    throw new CliError("io", e.message || String(err));
  }

  io.out(formatReadyLine(handle.ready) + "\n");
  io.err(hints(handle, source, token));
  const signal = await waitForSignal();
  await handle.stop();
  // The per-run CA and key are worthless once the simulator is gone.
  rmSync(handle.certificate.dir, { recursive: true, force: true });
  io.err(`proxmon: simulator stopped (${signal})\n`);
  return EXIT_OK;
}
