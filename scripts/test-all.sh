#!/usr/bin/env bash
# Everything a fresh Debian 12 machine needs to run every test, in the order
# CI runs them: system packages, npm dependencies, lint, unit + V4 tests,
# then the widget inside a real Plasma 6 and the Plasma 5 edition inside a
# real Plasma 5.27. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v node >/dev/null || { echo "Node.js 20 or later is needed (apt install nodejs npm)" >&2; exit 1; }
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
  { echo "Node.js 20 or later is needed; found $(node --version)" >&2; exit 1; }

bash scripts/install-test-deps.sh
npm ci --no-audit --no-fund
npm run lint
npm test
# Both Plasma suites run even when the first fails, so one CI run reports
# both. One after the other, not side by side: on a 2-core runner the two
# would slow each other's timed checks (the Plasma 5 one adds about 2 minutes,
# and about 5 to build its root the first time).
rm -f build/test-results/plasma.json build/test-results/plasma5.json
plasma_rc=0
npm run test:plasma || plasma_rc=$?
npm run test:plasma5 || plasma_rc=$?

# A suite that wrote no result counts as one failure.
node -e '
const fs = require("fs");
let passed = 0, failed = 0;
for (const f of ["npm-test.json", "plasma.json", "plasma5.json"]) {
  let r;
  try {
    r = JSON.parse(fs.readFileSync("build/test-results/" + f, "utf8"));
  } catch (e) {
    r = { passed: 0, failed: 1 };
    console.log(`${f}: no result`);
  }
  console.log(`${f.replace(/\.json$/, "")}: ${r.passed} passed, ${r.failed} failed`);
  passed += r.passed; failed += r.failed;
}
console.log(`all: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);'
exit "$plasma_rc"
