// Runs tests/qml/tst_*.qml in qmltestrunner: the built bundle inside Qt's
// real V4 engine, which is the only way to prove it has no syntax or
// built-in that V4 lacks. Never skips: a missing Qt is an error that says
// how to install it.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const runner = process.env.QMLTESTRUNNER ?? "/usr/lib/qt6/bin/qmltestrunner";
if (!existsSync(runner)) {
  console.error(
    "qml tests: qmltestrunner not found. Install it with:\n" +
      "  apt-get install -y --no-install-recommends qt6-declarative-dev-tools qml6-module-qttest \\\n" +
      "    qml6-module-qtquick qml6-module-qtquick-window qml6-module-qtqml-workerscript",
  );
  process.exit(2);
}
if (!existsSync("contents/code/proxmon.mjs")) {
  console.error("qml tests: contents/code/proxmon.mjs missing — run `npm run build` first");
  process.exit(2);
}
const r = spawnSync(runner, ["-input", "tests/qml", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: {
    ...process.env,
    QT_QPA_PLATFORM: "offscreen",
    // Lets the tests read the real fixtures with XMLHttpRequest on file://.
    QML_XHR_ALLOW_FILE_READ: "1",
  },
});
process.exit(r.status ?? 1);
