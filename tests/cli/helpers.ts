// Runs the built CLI (dist/cli.mjs) as a user would, with a clean
// environment, and collects what it wrote.

import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";

export const ROOT = resolve(__dirname, "../..");
export const CLI = resolve(ROOT, "dist/cli.mjs");

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string>;
  /** Written to stdin, which is then closed; without it stdin is /dev/null. */
  input?: string;
  timeoutMs?: number;
}

/** Only what the CLI needs: PROXMON_* from the developer's shell must not leak into tests. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
  if (process.env.HOME) env.HOME = process.env.HOME;
  if (process.env.TZ) env.TZ = process.env.TZ;
  return env;
}

export function startCli(args: string[], options: RunOptions = {}): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...baseEnv(), ...(options.env ?? {}) },
    stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
}

export function collect(child: ChildProcess, timeoutMs = 20_000): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      fail(
        new Error(`CLI did not finish in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`),
      );
    }, timeoutMs);
    child.on("error", fail);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr });
    });
  });
}

export function runCli(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const child = startCli(args, options);
  if (options.input !== undefined) child.stdin?.end(options.input);
  return collect(child, options.timeoutMs);
}

/** Resolves once `predicate` holds for the output so far. */
export function waitForOutput(
  child: ChildProcess,
  stream: "stdout" | "stderr",
  predicate: (text: string) => boolean,
  timeoutMs: number,
): Promise<string> {
  return new Promise((done, fail) => {
    let text = "";
    const source = stream === "stdout" ? child.stdout : child.stderr;
    const timer = setTimeout(() => {
      source?.off("data", onData);
      fail(new Error(`timed out waiting on ${stream}; got: ${text}`));
    }, timeoutMs);
    const onData = (c: Buffer): void => {
      text += c.toString();
      if (predicate(text)) {
        clearTimeout(timer);
        source?.off("data", onData);
        done(text);
      }
    };
    source?.on("data", onData);
  });
}
