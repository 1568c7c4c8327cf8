// Builds the products of the TypeScript sources:
//  - contents/code/proxmon.mjs: the core, for Qt's V4 engine inside Plasma
//    (es2016 so esbuild lowers what V4 cannot parse; platform neutral so no
//    Node built-in can sneak in);
//  - contents/code/demo.mjs: the demo cluster (src/demo + src/sim-engine),
//    same rules, loaded by DemoLoader.qml only when the user chooses the demo;
//  - contents/code/settings.mjs: what the settings dialog's Connection page
//    calls, same rules (the dialog has an engine of its own);
//  - dist/cli.mjs: the proxmon CLI and simulator, for Node 20;
//  - contents/locale/<lang>/LC_MESSAGES/*.mo: po/*.po compiled with msgfmt
//    (scripts/i18n-compile.sh; without gettext the widget stays English,
//    except in CI, where a missing msgfmt is an error).
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

const common = { bundle: true, format: "esm", logLevel: "warning", legalComments: "none" };

// For V4: every line stays where it was, so a line number in plasmashell's
// journal points at real code, and the source map beside each bundle (never
// packaged) names what the short local names stand for. Local names are
// shortened and the indentation dropped (together a quarter of the size,
// which every Plasma engine parses); template literals are lowered to
// concatenations first, so no string spans lines.
const v4 = {
  ...common,
  platform: "neutral",
  target: "es2016",
  supported: { "template-literal": false },
  minifyIdentifiers: true,
  sourcemap: true,
};

// esbuild's lowered async helper declares its `step` arrow after the two
// arrows that call it; Qt 6.8's V4 compiler warns ("qt.qml.usedbeforedeclared")
// on every engine that parses it. A function declaration is hoisted: same
// line, same behaviour, no warning.
function hoistAsyncStep(line) {
  const m = /^var (\w+) = \((\w+)\) => (\2\.done \? .*\.then\(\w+, \w+\));$/.exec(line);
  return m ? "function " + m[1] + "(" + m[2] + ") { return " + m[3] + "; }" : line;
}

function dropIndentation(file) {
  const text = readFileSync(file, "utf8");
  writeFileSync(
    file,
    text
      .split("\n")
      .map((line) => hoistAsyncStep(line.replace(/^ +/, "")))
      .join("\n"),
  );
}

const bundles = [
  ["src/index.ts", "contents/code/proxmon.mjs"],
  ["src/demo/entry.ts", "contents/code/demo.mjs"],
  ["src/settings-page.ts", "contents/code/settings.mjs"],
  // Not part of the widget: what the V4 tests run of features whose QML has
  // not landed yet (src/features-entry.ts).
  ["src/features-entry.ts", "build/qml/features.mjs"],
];
for (const [entry, outfile] of bundles) {
  await build({ ...v4, entryPoints: [entry], outfile });
  dropIndentation(outfile);
}

await build({
  ...common,
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/cli.mjs",
  platform: "node",
  target: "node20",
});

const i18n = spawnSync(
  "bash",
  ["scripts/i18n-compile.sh", "contents"].concat(process.env.CI ? ["--required"] : []),
  { stdio: "inherit" },
);
if (i18n.status !== 0) process.exit(1);
