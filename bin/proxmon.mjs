#!/usr/bin/env node
// The CLI is TypeScript bundled by `npm run build`; this shim only finds it.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const cli = new URL("../dist/cli.mjs", import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write("proxmon: not built yet — run `npm run build` in the project folder\n");
  process.exit(2);
}
await import(cli.href);
