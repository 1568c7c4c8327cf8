// A small flag parser: the CLI has four commands with a dozen flags, which
// does not justify a dependency, and owning it lets us refuse secret flags
// before anything else looks at the command line.

import { usageError } from "./io";

export type FlagKind = "string" | "boolean";

export interface FlagSpec {
  name: string;
  kind: FlagKind;
  /** Placeholder shown in help, e.g. "FILE". */
  value?: string;
  help: string;
}

export interface ParsedArgs {
  flags: Record<string, string | boolean | undefined>;
  positionals: string[];
  help: boolean;
}

const SECRET_FLAG = /^--?(token[-_]?secret|secret|api[-_]?secret|password|passwd|pass)(=|$)/i;

/**
 * Command lines are visible to every local user (ps, /proc) and end up in
 * shell history, so a secret there is already leaked. The value is never
 * echoed back.
 */
export function refuseSecretFlags(argv: ReadonlyArray<string>): void {
  for (const arg of argv) {
    if (arg === "--") break;
    const match = SECRET_FLAG.exec(arg);
    if (match) {
      throw usageError(
        `--${match[1]} is not accepted: a secret on the command line is visible to other users (ps) and stays in your shell history. ` +
          "Set PROXMON_TOKEN_SECRET in the environment, or leave it unset and type the secret when asked (or pipe it on stdin).",
      );
    }
  }
}

function flagName(arg: string): string {
  const eq = arg.indexOf("=");
  return eq >= 0 ? arg.slice(0, eq) : arg;
}

export function parseArgs(argv: ReadonlyArray<string>, specs: ReadonlyArray<FlagSpec>): ParsedArgs {
  const byName: Record<string, FlagSpec> = Object.create(null) as Record<string, FlagSpec>;
  for (const spec of specs) byName[spec.name] = spec;
  const flags: Record<string, string | boolean | undefined> = {};
  const positionals: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === "-h" || arg === "--help") {
      help = true;
      continue;
    }
    if (!arg.startsWith("--") || arg === "--") {
      if (arg.startsWith("-") && arg.length > 1) {
        throw usageError(`unknown option ${flagName(arg)} (see --help)`);
      }
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = (eq >= 0 ? arg.slice(2, eq) : arg.slice(2)).toLowerCase();
    const spec = byName[name];
    if (!spec) {
      throw usageError(`unknown option --${name} (see --help)`);
    }
    if (spec.kind === "boolean") {
      if (eq >= 0) throw usageError(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else {
      value = argv[i + 1];
      if (value === undefined || (value.startsWith("--") && value.length > 2)) {
        throw usageError(`--${name} needs a value${spec.value ? " (" + spec.value + ")" : ""}`);
      }
      i++;
    }
    flags[name] = value;
  }
  return { flags, positionals, help };
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags[name];
  return typeof value === "string" ? value : undefined;
}

export function booleanFlag(args: ParsedArgs, name: string): boolean {
  return args.flags[name] === true;
}

/** Whole number within [min, max]; the flag's own name goes into the message. */
export function parseInteger(text: string, what: string, min: number, max: number): number {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) {
    throw usageError(`${what} must be a whole number from ${min} to ${max}`);
  }
  const n = Number(trimmed);
  if (n < min || n > max) {
    throw usageError(`${what} must be a whole number from ${min} to ${max}`);
  }
  return n;
}

export function parseSeconds(text: string, what: string, min: number, max: number): number {
  const trimmed = text.trim();
  const n = Number(trimmed);
  if (trimmed === "" || !isFinite(n) || n < min || n > max) {
    throw usageError(`${what} must be a number of seconds from ${min} to ${max}`);
  }
  return n;
}

export function rejectPositionals(args: ParsedArgs, command: string): void {
  if (args.positionals.length > 0) {
    // Not echoed: a stray argument may well be a pasted secret.
    throw usageError(
      `${command} takes no arguments besides options (got ${args.positionals.length}); see proxmon ${command} --help`,
    );
  }
}

export function formatFlagHelp(specs: ReadonlyArray<FlagSpec>): string {
  const rows = specs.map((s) => ["--" + s.name + (s.value ? " " + s.value : ""), s.help]);
  const width = Math.min(28, Math.max(...rows.map((r) => (r[0] as string).length)));
  return rows
    .map((r) => {
      const left = r[0] as string;
      const pad =
        left.length > width ? "\n" + " ".repeat(width + 4) : " ".repeat(width - left.length + 2);
      return "  " + left + pad + r[1];
    })
    .join("\n");
}
