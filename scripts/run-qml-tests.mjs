// Runs tests/qml/tst_*.qml in qmltestrunner: the built bundle inside Qt's
// real V4 engine, which is the only way to prove it has no syntax or
// built-in that V4 lacks. Never skips: a missing Qt is an error that says
// how to install it.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";

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

const child = spawn(runner, ["-input", "tests/qml", ...process.argv.slice(2)], {
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
