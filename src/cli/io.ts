// What every command writes through. Output is scrubbed of the token secret
// at this one choke point (structured output value by value, see json()), so a message built from server text (or a bug
// that formats the wrong variable) still cannot leak it to a terminal, a
// log file or a CI transcript.

import { REDACTED, isSpaceCode, redactSecret } from "../api/errors";
import { replaceLoosely } from "../api/redact";

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
  /** Text for a person; scrubbed of the secret as a whole. */
  out(text: string): void;
  err(text: string): void;
  /** One JSON document (or line) on stdout, its strings scrubbed before serialising. */
  json(value: unknown, indent?: number): void;
  /**
   * Text laid out from values (a table): `render` gets a copy of `value`
   * with every string scrubbed, so the layout measures what is shown;
   * scrubbing the laid-out text could change a cell's width, or let a
   * token-looking cell swallow its neighbour.
   */
  render<T>(value: T, render: (scrubbed: T) => string): void;
  env: Record<string, string | undefined>;
  stdin: InputStream;
  /** Whether stderr is a terminal (decides on prompts and colour-free symbols). */
  stderrIsTTY: boolean;
  /**
   * Once known, the secret is removed from everything written. With
   * several connections each secret is added: all of them are removed.
   */
  setSecret(secret: string): void;
}

/** Every run of whitespace that holds a line break becomes one space; one pass, no regex. */
export function oneLine(text: string): string {
  const parts: string[] = [];
  let copied = 0;
  for (let i = 0; i < text.length;) {
    if (!isSpaceCode(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let end = i;
    let breaks = false;
    while (end < text.length && isSpaceCode(text.charCodeAt(end))) {
      const c = text.charCodeAt(end);
      if (c === 0x0a || c === 0x0d) breaks = true;
      end++;
    }
    if (breaks) {
      parts.push(text.slice(copied, i), " ");
      copied = end;
    }
    i = end;
  }
  if (copied === 0) return text.trim();
  parts.push(text.slice(copied));
  return parts.join("").trim();
}

/**
 * A copy of a JSON-able value with `scrub` applied to every string in it,
 * keys included. Structured output is scrubbed this way, before it is
 * serialised: scrubbing the serialised text could cut an escape sequence
 * in half (a name like `PVEAPIToken=x"y`) and print invalid JSON.
 */
export function mapStrings<T>(value: T, scrub: (text: string) => string): T {
  if (typeof value === "string") return scrub(value) as unknown as T;
  if (Array.isArray(value)) return value.map((v: unknown) => mapStrings(v, scrub)) as unknown as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      out[scrub(key)] = mapStrings((value as Record<string, unknown>)[key], scrub);
    }
    return out as T;
  }
  return value;
}

export interface IoSinks {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  stdin: InputStream;
  stderrIsTTY: boolean;
}

/** The scrubbing io over any pair of sinks; createProcessIo binds it to the process. */
export function createIo(sinks: IoSinks): CliIo {
  let secret = "";
  // Several connections (issue 11): every secret read so far; `secret` is the first.
  const others: string[] = [];
  const scrub = (text: string): string => {
    let out = secret ? redactSecret(text, secret) : text;
    for (let i = 0; i < others.length; i++) out = redactSecret(out, others[i] as string);
    return out;
  };
  return {
    out: (text) => sinks.out(scrub(text)),
    err: (text) => sinks.err(scrub(text)),
    json(value, indent) {
      sinks.out(JSON.stringify(mapStrings(value, scrub), null, indent) + "\n");
    },
    render(value, render) {
      // The secret itself is still removed from the result: it cannot be
      // in a scrubbed cell, so this changes nothing that was laid out.
      let text = render(mapStrings(value, scrub));
      if (secret) text = replaceLoosely(text, secret, REDACTED);
      for (let i = 0; i < others.length; i++)
        text = replaceLoosely(text, others[i] as string, REDACTED);
      sinks.out(text);
    },
    env: sinks.env,
    stdin: sinks.stdin,
    stderrIsTTY: sinks.stderrIsTTY,
    setSecret(value: string) {
      // A few characters would also match ordinary words ("too short"); the
      // client refuses such a secret before sending it anyway.
      const trimmed = value.trim();
      if (trimmed.length < 8) return;
      if (secret === "") secret = trimmed;
      else if (trimmed !== secret && others.indexOf(trimmed) < 0) others.push(trimmed);
    },
  };
}

export function createProcessIo(): CliIo {
  return createIo({
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    env: process.env,
    stdin: process.stdin,
    stderrIsTTY: Boolean(process.stderr.isTTY),
  });
}

export function formatError(kind: string, message: string): string {
  return "proxmon: " + kind + ": " + oneLine(message) + "\n";
}
