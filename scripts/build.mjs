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
// Each of the three widget bundles is written as <name>.mjs and the layers
// <name>-1.mjs… it imports, none over LAYER_BYTES (bundle-layers.mjs says why).
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import { build } from "esbuild";
import { evaluationOrder, layerEntrySource, neededOutputs, packLayers } from "./bundle-layers.mjs";

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

function withoutIndentation(text) {
  return text
    .split("\n")
    .map((line) => hoistAsyncStep(line.replace(/^ +/, "")))
    .join("\n");
}

// 40 KB: what one compile leaves in plasmashell's memory on a cold cache
// grows with the file (about 40 bytes per byte); below this, the ~1 MiB a
// layer leaves is within the spread of runs, and more layers only add files.
const LAYER_BYTES = 40 * 1024;

// Builds `entry` into contents/code/<name>.mjs and the <name>-<k>.mjs layers
// it imports.
async function buildLayered(entry, name) {
  const code = "contents/code";
  const layersDir = `build/layers/${name}`;
  mkdirSync(code, { recursive: true });
  const ours = new RegExp(`^${name}(\\.|-\\d+\\.)mjs(\\.map)?$`);
  for (const f of readdirSync(code)) if (ours.test(f)) rmSync(code + "/" + f);
  rmSync(layersDir, { recursive: true, force: true });
  mkdirSync(layersDir, { recursive: true });

  const probe = await build({
    ...v4,
    entryPoints: [entry],
    outfile: `${code}/${name}.mjs`,
    write: false,
    metafile: true,
  });
  const sizes = Object.values(probe.metafile.outputs).find((o) => o.entryPoint)?.inputs ?? {};
  const order = evaluationOrder(probe.metafile.inputs, entry).filter((p) => p !== entry);
  const layers = packLayers(order, (p) => sizes[p]?.bytesInOutput ?? 0, LAYER_BYTES);
  const entryPoints = { [name]: entry };
  layers.forEach((_, k) => {
    const file = `${layersDir}/layer-${k + 1}.ts`;
    const rel = (p) => "./" + relative(dirname(file), p).replace(/\.ts$/, "");
    writeFileSync(file, layerEntrySource(layers, k, rel));
    entryPoints[`layer-${k + 1}`] = file;
  });

  // Kept in memory: only what the top file needs is written, the layer
  // entries' own outputs never are.
  const result = await build({
    ...v4,
    entryPoints,
    outdir: code,
    splitting: true,
    entryNames: "[name]",
    chunkNames: `${name}-[hash]`,
    outExtension: { ".js": ".mjs" },
    write: false,
    metafile: true,
  });
  // The chunks are named for their layer (<name>-1.mjs is evaluated first),
  // not for a hash: the same sources give the same file names.
  const outputs = result.metafile.outputs;
  const top = `${code}/${name}.mjs`;
  const layerOf = new Map(layers.flatMap((modules, k) => modules.map((m) => [m, k + 1])));
  const names = new Map();
  for (const path of neededOutputs(outputs, [top])) {
    const first = Object.keys(outputs[path].inputs)[0];
    names.set(path, path === top ? top : `${code}/${name}-${layerOf.get(first)}.mjs`);
  }
  const base = (p) => p.slice(code.length + 1);
  const rename = (text) => {
    for (const [from, to] of names) text = text.split(base(from)).join(base(to));
    return text;
  };
  for (const file of result.outputFiles) {
    const path = relative(process.cwd(), file.path);
    const isMap = path.endsWith(".map");
    const to = names.get(isMap ? path.slice(0, -".map".length) : path);
    if (!to) continue;
    const text = rename(file.text);
    writeFileSync(isMap ? to + ".map" : to, isMap ? text : withoutIndentation(text));
  }
}

for (const [entry, name] of [
  ["src/index.ts", "proxmon"],
  ["src/demo/entry.ts", "demo"],
  ["src/settings-page.ts", "settings"],
]) {
  await buildLayered(entry, name);
}

const bundles = [
  // Not part of the widget: what the V4 tests run of features whose QML has
  // not landed yet (src/features-entry.ts).
  ["src/features-entry.ts", "build/qml/features.mjs"],
];
for (const [entry, outfile] of bundles) {
  await build({ ...v4, entryPoints: [entry], outfile });
  writeFileSync(outfile, withoutIndentation(readFileSync(outfile, "utf8")));
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
