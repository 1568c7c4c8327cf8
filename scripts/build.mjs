// Builds the two products of the TypeScript sources:
//  - contents/code/proxmon.mjs: the core, for Qt's V4 engine inside Plasma
//    (es2016 so esbuild lowers what V4 cannot parse; platform neutral so no
//    Node built-in can sneak in);
//  - dist/cli.mjs: the proxmon CLI and simulator, for Node 20;
//  - contents/locale/<lang>/LC_MESSAGES/*.mo: po/*.po compiled with msgfmt
//    (scripts/i18n-compile.sh; without gettext the widget stays English,
//    except in CI, where a missing msgfmt is an error).
import { spawnSync } from "node:child_process";
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
