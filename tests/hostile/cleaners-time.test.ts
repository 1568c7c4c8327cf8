// Every cleaner that sees server or user text runs in linear time: each
// adversarial 1 MiB input of cleaner-cases.ts must be handled well under a
// second. A regular expression that backtracks takes seconds to hours on
// these (the old `/\S+$/` in untrusted() took ~3 s), so each case runs in
// its own worker thread that is stopped when it overruns; the bound is
// generous so that a loaded CI machine does not make it flaky.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Worker } from "node:worker_threads";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { CASES } from "./cleaner-cases";

// The linear code needs 20–300 ms for each on a loaded 2-core machine (one
// case of dense format characters up to ~750 ms); the old regexes were stopped
// at KILL_MS. A wide margin keeps CI noise from making this flaky.
const BOUND_MS = 2000;
/** Past this the worker is stopped: a quadratic cleaner would otherwise run for hours. */
const KILL_MS = 10000;

let dir: string;
let bundle: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "proxmon-cleaners-"));
  bundle = join(dir, "cases.mjs");
  await build({
    entryPoints: [resolve(__dirname, "cleaner-cases.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: bundle,
    logLevel: "silent",
  });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Milliseconds the case took, or Infinity when it had to be stopped. */
function timeCase(name: string): Promise<number> {
  return new Promise((done, fail) => {
    const worker = new Worker(bundle);
    const timer = setTimeout(() => {
      void worker.terminate();
      done(Infinity);
    }, KILL_MS);
    worker.once("message", (m: { ms?: number; error?: string }) => {
      clearTimeout(timer);
      void worker.terminate();
      if (m.error !== undefined) fail(new Error(m.error));
      else done(m.ms ?? Infinity);
    });
    worker.once("error", (err) => {
      clearTimeout(timer);
      fail(err);
    });
    worker.postMessage(name);
  });
}

describe("cleaners on adversarial 1 MiB inputs", () => {
  for (const name of Object.keys(CASES)) {
    it(
      `${name}: under ${BOUND_MS} ms`,
      async () => {
        const ms = await timeCase(name);
        if (process.env.PROXMON_CLEANER_TIMES) console.log(`${ms.toFixed(1)} ms  ${name}`);
        expect(ms).toBeLessThan(BOUND_MS);
      },
      KILL_MS + 5000,
    );
  }
});
