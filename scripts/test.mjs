// `npm test`: build the bundle, run the vitest suites, then load the built
// bundle in Qt's real V4 engines (qmltestrunner of Qt 6 and of Qt 5.15). Prints one closing line
// "tests: N passed, N failed" so CI can read the totals of both runners.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";

function run(cmd, args, extra = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", ...extra });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

mkdirSync("build/test-results", { recursive: true });
if (run("node", ["scripts/build.mjs"]) !== 0) process.exit(1);

const vitestJson = "build/test-results/vitest.json";
const vitestStatus = run("npx", [
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile=${vitestJson}`,
  ...process.argv.slice(2),
]);
let passed = 0;
let failed = 0;
try {
  const report = JSON.parse(readFileSync(vitestJson, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
} catch {
  failed += 1;
  console.error("tests: vitest wrote no report");
}
if (vitestStatus !== 0 && failed === 0) failed += 1;

// Qt 6 (the Plasma 6 edition) and Qt 5.15 (the Plasma 5.27 edition) run
// the same bundles and the same tests.
for (const extra of [[], ["--qt5"]]) {
  const qml = spawnSync("node", ["scripts/run-qml-tests.mjs", ...extra], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const qmlOut = qml.stdout?.toString() ?? "";
  process.stdout.write(qmlOut);
  const totals = /Totals: (\d+) passed, (\d+) failed/.exec(qmlOut);
  if (totals) {
    passed += Number(totals[1]);
    failed += Number(totals[2]);
  }
  if (qml.status !== 0 && (!totals || Number(totals[2]) === 0)) failed += 1;
}

writeFileSync("build/test-results/npm-test.json", JSON.stringify({ passed, failed }));
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
