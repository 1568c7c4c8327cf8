// Builds the bundles once before any test file runs: the CLI tests spawn
// dist/cli.mjs, and parallel test files must never see it half-written.
import { execFileSync } from "node:child_process";

export default function setup(): void {
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
}
