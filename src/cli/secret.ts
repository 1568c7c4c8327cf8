// Where the token secret comes from: the environment, or stdin. Never argv
// (see args.ts). On a terminal it is typed without echo; from a pipe only
// the first line is taken, so `pass show pve/token | proxmon status` works.

import { CliError, type CliIo, type InputStream } from "./io";

export const SECRET_ENV = "PROXMON_TOKEN_SECRET";
/** Nobody types or pipes a secret this long; the cap stops an endless pipe from eating memory. */
const MAX_SECRET_CHARS = 4096;

/** Several connections (issue 11): whose secret is asked for, and its own variable. */
export interface SecretPrompt {
  /** The connection's name, shown in the prompt; absent with one connection. */
  label?: string;
  /** PROXMON_TOKEN_SECRET_<NAME>, named in the "no secret" message. */
  variable?: string;
}

function missing(prompt?: SecretPrompt): CliError {
  const which = prompt && prompt.variable ? `${prompt.variable} or ${SECRET_ENV}` : SECRET_ENV;
  const whose = prompt && prompt.label ? ` for connection "${prompt.label}"` : "";
  return new CliError(
    "config",
    `no token secret${whose}: set ${which}, or pipe the secret on stdin (or run in a terminal to be asked for it)`,
  );
}

function readFirstLine(stdin: InputStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const finish = (): void => {
      stdin.removeListener("data", onData);
      stdin.removeListener("end", onEnd);
      stdin.removeListener("error", onError);
      stdin.pause();
      // Let the process exit even if the writer keeps the pipe open.
      (stdin as unknown as { unref?: () => void }).unref?.();
      const line = buffered.split(/\r?\n/)[0] ?? "";
      resolve(line);
    };
    const onData = (chunk: Buffer | string): void => {
      buffered += chunk.toString();
      if (buffered.indexOf("\n") >= 0 || buffered.length > MAX_SECRET_CHARS) finish();
    };
    const onEnd = (): void => finish();
    const onError = (err: Error): void => {
      stdin.removeListener("data", onData);
      stdin.removeListener("end", onEnd);
      reject(
        new CliError("config", "cannot read the token secret from stdin (" + err.message + ")"),
      );
    };
    stdin.on("data", onData);
    stdin.once("end", onEnd);
    stdin.once("error", onError);
    stdin.resume();
  });
}

function promptHidden(io: CliIo, label?: string): Promise<string> {
  const stdin = io.stdin;
  return new Promise((resolve, reject) => {
    let typed = "";
    const restore = (): void => {
      stdin.removeListener("data", onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      io.err("\n");
    };
    const onData = (chunk: Buffer | string): void => {
      const text = chunk.toString();
      for (const ch of text) {
        if (ch === "\r" || ch === "\n") {
          restore();
          resolve(typed);
          return;
        }
        if (ch === "\u0003") {
          restore();
          reject(new CliError("aborted", "cancelled at the secret prompt", 130));
          return;
        }
        if (ch === "\u0004") {
          if (typed === "") {
            restore();
            resolve("");
            return;
          }
          continue;
        }
        if (ch === "\u007f" || ch === "\b") {
          typed = typed.slice(0, -1);
          continue;
        }
        if (ch === "\u0015") {
          // Ctrl-U: start over, as in a shell.
          typed = "";
          continue;
        }
        if (ch >= " " && typed.length < MAX_SECRET_CHARS) typed += ch;
      }
    };
    io.err(label ? `Token secret for ${label}: ` : "Token secret: ");
    stdin.setRawMode?.(true);
    stdin.on("data", onData);
    stdin.resume();
  });
}

export async function readSecret(io: CliIo, prompt?: SecretPrompt): Promise<string> {
  const fromEnv = io.env[SECRET_ENV];
  let secret: string;
  if (fromEnv !== undefined && fromEnv.trim() !== "") {
    secret = fromEnv.trim();
  } else if (io.stdin.isTTY) {
    secret = (await promptHidden(io, prompt && prompt.label)).trim();
  } else {
    secret = (await readFirstLine(io.stdin)).trim();
  }
  if (secret === "") throw missing(prompt);
  io.setSecret(secret);
  return secret;
}
