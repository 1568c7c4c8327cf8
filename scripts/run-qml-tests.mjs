// Runs tests/qml/tst_*.qml in qmltestrunner: the built bundle inside Qt's
// real V4 engine, which is the only way to prove it has no syntax or
// built-in that V4 lacks. Never skips: a missing Qt is an error that says
// how to install it.
//
// With --qt5 the same tests run under Qt 5.15's engine (the Plasma 5.27
// edition's, Debian 12's own Qt): copies of tests/qml with the imports in
// their Qt 5 form (scripts/plasma5.mjs) in build/qt5/tests/qml, where links
// make the same relative paths reach the same bundles and fixtures.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { makeQt5Tests } from "./plasma5.mjs";

const qt5 = process.argv.includes("--qt5");
const passOn = process.argv.slice(2).filter((a) => a !== "--qt5");
const runner = qt5
  ? (process.env.QMLTESTRUNNER5 ?? "/usr/lib/qt5/bin/qmltestrunner")
  : (process.env.QMLTESTRUNNER ?? "/usr/lib/qt6/bin/qmltestrunner");
if (!existsSync(runner)) {
  console.error(
    "qml tests: qmltestrunner not found. Install it with:\n" +
      (qt5
        ? "  apt-get install -y --no-install-recommends qtdeclarative5-dev-tools qml-module-qttest \\\n" +
          "    qml-module-qtquick2 qml-module-qtquick-window2 qml-module-qtqml-models2"
        : "  apt-get install -y --no-install-recommends qt6-declarative-dev-tools qml6-module-qttest \\\n" +
          "    qml6-module-qtquick qml6-module-qtquick-window qml6-module-qtqml-workerscript"),
  );
  process.exit(2);
}
let input = "tests/qml";
if (qt5) {
  rmSync("build/qt5", { recursive: true, force: true });
  mkdirSync("build/qt5/tests", { recursive: true });
  symlinkSync("../../contents", "build/qt5/contents");
  symlinkSync("..", "build/qt5/build");
  symlinkSync("../../../tests/fixtures", "build/qt5/tests/fixtures");
  makeQt5Tests("tests/qml", "build/qt5/tests/qml");
  input = "build/qt5/tests/qml";
}
if (!existsSync("contents/code/proxmon.mjs")) {
  console.error("qml tests: contents/code/proxmon.mjs missing — run `npm run build` first");
  process.exit(2);
}
// A server that accepts connections and never answers, so the V4 test can
// prove the XHR transport's timer-driven timeout (XHR itself has none).
const sockets = new Set();
const hang = createServer((socket) => {
  sockets.add(socket);
  socket.on("close", () => sockets.delete(socket));
  socket.on("error", () => {});
});
await new Promise((resolve) => hang.listen(0, "127.0.0.1", resolve));
mkdirSync("build/test-results", { recursive: true });
writeFileSync("build/test-results/qml-env.json", JSON.stringify({ hangPort: hang.address().port }));

const child = spawn(runner, ["-input", input, ...passOn], {
  stdio: "inherit",
  env: {
    ...process.env,
    QT_QPA_PLATFORM: "offscreen",
    // Lets the tests read the real fixtures with XMLHttpRequest on file://.
    QML_XHR_ALLOW_FILE_READ: "1",
  },
});
const status = await new Promise((resolve) => {
  child.on("exit", (code) => resolve(code ?? 1));
  child.on("error", () => resolve(1));
});
for (const socket of sockets) socket.destroy();
hang.close();
process.exit(status);
