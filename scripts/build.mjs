// Builds the products of the TypeScript sources:
//  - contents/code/proxmon.mjs: the core, for Qt's V4 engine inside Plasma
//    (es2016 so esbuild lowers what V4 cannot parse; platform neutral so no
//    Node built-in can sneak in);
//  - contents/code/demo.mjs: the demo cluster (src/demo + src/sim-engine),
//    same rules, loaded by DemoLoader.qml only when the user chooses the demo;
//  - dist/cli.mjs: the proxmon CLI and simulator, for Node 20.
import { build } from "esbuild";

const common = { bundle: true, format: "esm", logLevel: "warning", legalComments: "none" };

await build({
  ...common,
  entryPoints: ["src/index.ts"],
  outfile: "contents/code/proxmon.mjs",
  platform: "neutral",
  target: "es2016",
  // Keep names readable in plasmashell's journal stack traces.
  minify: false,
});

await build({
  ...common,
  entryPoints: ["src/demo/entry.ts"],
  outfile: "contents/code/demo.mjs",
  platform: "neutral",
  target: "es2016",
  minify: false,
});

await build({
  ...common,
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/cli.mjs",
  platform: "node",
  target: "node20",
});
