// What every command writes through. Output is scrubbed of the token secret
// at this one choke point, so a message built from server text (or a bug
// that formats the wrong variable) still cannot leak it to a terminal, a
// log file or a CI transcript.

import { redactSecret } from "../api/errors";

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A failure the CLI reports as one line: "proxmon: <kind>: <message>". */
export class CliError extends Error {
  readonly kind: string;
  readonly exitCode: number;
  constructor(kind: string, message: string, exitCode?: number) {
    super(message);
    this.name = "CliError";
    this.kind = kind;
    this.exitCode = exitCode ?? (kind === "usage" || kind === "config" ? EXIT_USAGE : EXIT_FAILURE);
  }
}

export function usageError(message: string): CliError {
  return new CliError("usage", message, EXIT_USAGE);
}

export interface InputStream extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  stdin: InputStream;
  /** Whether stderr is a terminal (decides on prompts and colour-free symbols). */
  stderrIsTTY: boolean;
  /** Once known, the secret is removed from everything written. */
  setSecret(secret: string): void;
}

export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}

export function createProcessIo(): CliIo {
  let secret = "";
  const scrub = (text: string): string => (secret ? redactSecret(text, secret) : text);
  return {
    out: (text) => void process.stdout.write(scrub(text)),
    err: (text) => void process.stderr.write(scrub(text)),
    env: process.env,
    stdin: process.stdin,
    stderrIsTTY: Boolean(process.stderr.isTTY),
    setSecret(value: string) {
      // A few characters would also match ordinary words ("too short"); the
      // client refuses such a secret before sending it anyway.
      const trimmed = value.trim();
      secret = trimmed.length >= 8 ? trimmed : "";
    },
  };
}

export function formatError(kind: string, message: string): string {
  return "proxmon: " + kind + ": " + oneLine(message) + "\n";
}
