// The Plasma 5.27 edition is generated, never written twice: the Plasma 6
// package's QML (contents/) is copied, its unversioned Qt 6 imports are
// rewritten into the versioned Qt 5.15 / KF5 forms, and the few files whose
// Plasma 5 API differs are laid over it from plasma5/ (see plasma5/README.md).
//
//   node scripts/plasma5.mjs package DIR      DIR holds a staged Plasma 6 package
//                                             (scripts/package.sh); turn it into
//                                             the Plasma 5 one, in place
//   node scripts/plasma5.mjs qml DIR          only the Plasma 5 QML (contents/ui and
//                                             contents/config, no bundles) in DIR, for
//                                             Qt 5's qmllint (scripts/lint-qml.sh)
//   node scripts/plasma5.mjs tests SRC DST    SRC/*.qml → DST/*.qml, imports
//                                             rewritten (the V4 tests under Qt 5)
//
// Kirigami 6 properties that Kirigami 2 lacks (the table API) are replaced
// in the copy. An import this table does not know fails the build with the file and the
// line: a new Plasma 6 import needs its Plasma 5 form here (or a Plasma 5
// file in plasma5/contents that replaces the file using it).
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const OVERLAY = join(here, "..", "plasma5");

/** Qt 6 / KF6 module → its Qt 5.15 / KF5 (Plasma 5.27, Debian 12) import. */
export const IMPORTS = Object.freeze({
  QtQml: "QtQml 2.15",
  "Qt.labs.qmlmodels": "Qt.labs.qmlmodels 1.0",
  "QtQml.Models": "QtQml.Models 2.15",
  QtQuick: "QtQuick 2.15",
  "QtQuick.Layouts": "QtQuick.Layouts 1.15",
  "QtQuick.Controls": "QtQuick.Controls 2.15",
  "QtQuick.Window": "QtQuick.Window 2.15",
  "QtQuick.Dialogs": "QtQuick.Dialogs 1.3",
  QtTest: "QtTest 1.15",
  "org.kde.kirigami": "org.kde.kirigami 2.20",
  "org.kde.plasma.plasmoid": "org.kde.plasma.plasmoid 2.0",
  "org.kde.plasma.core": "org.kde.plasma.core 2.0",
  "org.kde.plasma.components": "org.kde.plasma.components 3.0",
  "org.kde.plasma.extras": "org.kde.plasma.extras 2.0",
  "org.kde.plasma.configuration": "org.kde.plasma.configuration 2.0",
  // Plasma 5's applet settings pages: SimpleKCM from KDeclarative's module.
  "org.kde.kcmutils": "org.kde.kcm 1.4",
  "org.kde.notification": "org.kde.notification 1.0",
  "org.kde.quickcharts": "org.kde.quickcharts 1.0",
  "org.kde.quickcharts.controls": "org.kde.quickcharts.controls 1.0",
  "org.kde.kquickcontrolsaddons": "org.kde.kquickcontrolsaddons 2.0",
  // KSvg's SVG items (FrameSvgItem, SvgItem) were PlasmaCore's in Plasma 5.
  "org.kde.ksvg": "org.kde.plasma.core 2.0",
});

/**
 * Kirigami 6 API that Kirigami 2 (KF5) lacks → what the Plasma 5 copy uses
 * instead. Whole property paths only; the shared QML stays plain Plasma 6.
 */
export const API = Object.freeze({
  // Kirigami 2 has no cornerRadius: Plasma 5's frames round by smallSpacing.
  "Kirigami.Units.cornerRadius": "Kirigami.Units.smallSpacing",
});

const API_USE = new RegExp(
  "(?<![\\w.])(" +
    Object.keys(API)
      .map((k) => k.replace(/\./g, "\\."))
      .join("|") +
    ")(?![\\w])",
  "g",
);

/** A QML file's code with the Kirigami 6-only properties of API replaced. */
export function apiToKf5(text) {
  return text.replace(API_USE, (all) => API[all]);
}

const IMPORT_LINE = /^(\s*)import\s+([A-Za-z_][\w.]*)(\s+\d+(?:\.\d+)?)?(\s+as\s+\w+)?\s*;?\s*$/;

/**
 * One QML file's text with its module imports in their Qt 5 form. Already
 * versioned imports and file/folder imports ("…") stay as they are.
 * Throws on a module without a known Qt 5 form.
 */
export function toQt5(text, where = "QML") {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = IMPORT_LINE.exec(lines[i]);
    if (!m) continue;
    const [, indent, module, version, alias] = m;
    if (version) continue;
    const qt5 = IMPORTS[module];
    if (!qt5) {
      throw new Error(
        `${where}:${i + 1}: no Plasma 5 form for "import ${module}" — add it to scripts/plasma5.mjs or replace the file in plasma5/contents`,
      );
    }
    lines[i] = `${indent}import ${qt5}${alias ?? ""}`;
  }
  return lines.join("\n");
}

function qmlFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...qmlFiles(path));
    else if (name.endsWith(".qml")) out.push(path);
  }
  return out;
}

/** Turns a staged Plasma 6 package folder into the Plasma 5 one. */
export function makePlasma5Package(dir) {
  if (!existsSync(join(dir, "metadata.json")) || !existsSync(join(dir, "contents", "ui"))) {
    throw new Error(`${dir}: not a staged package (metadata.json, contents/ui)`);
  }
  // The Plasma 5 files first, so that a replaced file is never rewritten (it
  // may use what has no Qt 5 form, e.g. the Plasma 6 D-Bus module).
  const replaced = new Set();
  const overlay = join(OVERLAY, "contents");
  for (const file of qmlFiles(overlay).concat(listOther(overlay))) {
    const rel = relative(overlay, file);
    mkdirSync(dirname(join(dir, "contents", rel)), { recursive: true });
    copyFileSync(file, join(dir, "contents", rel));
    replaced.add(rel);
  }
  for (const file of qmlFiles(join(dir, "contents"))) {
    const rel = relative(join(dir, "contents"), file);
    if (replaced.has(rel)) continue;
    writeFileSync(file, apiToKf5(toQt5(readFileSync(file, "utf8"), `contents/${rel}`)));
  }
  const metadata = join(dir, "metadata.json");
  writeFileSync(
    metadata,
    JSON.stringify(plasma5Metadata(JSON.parse(readFileSync(metadata, "utf8"))), null, 2) + "\n",
  );
}

/**
 * The Plasma 5 metadata.json from the Plasma 6 one: the same plugin id (so
 * the settings carry over on a move to Plasma 6), name, version and texts;
 * Plasma 5's script keys; and no X-Plasma-API-Minimum-Version, so that a
 * Plasma 6 shell refuses this package instead of loading Plasma 5 QML.
 */
export function plasma5Metadata(p6) {
  const out = {};
  for (const [key, value] of Object.entries(p6)) {
    if (key === "X-Plasma-API-Minimum-Version") continue;
    out[key] = value;
  }
  out.KPackageStructure = "Plasma/Applet";
  out["X-Plasma-API"] = "declarativeappletscript";
  out["X-Plasma-MainScript"] = "ui/main.qml";
  out.KPlugin = { ...p6.KPlugin, ServiceTypes: ["Plasma/Applet"] };
  return out;
}

function listOther(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listOther(path));
    else if (!name.endsWith(".qml")) out.push(path);
  }
  return out;
}

/** The Plasma 5 package's QML alone (no bundles, no metadata) in DIR. */
export function makePlasma5Qml(dir) {
  const root = join(here, "..");
  mkdirSync(join(dir, "contents"), { recursive: true });
  for (const sub of ["ui", "config"])
    cpSync(join(root, "contents", sub), join(dir, "contents", sub), { recursive: true });
  copyFileSync(join(root, "metadata.json"), join(dir, "metadata.json"));
  makePlasma5Package(dir);
}

// `import X;` / `import X as Y;` inside a string (Qt.createQmlObject).
const INLINE_IMPORT = /\bimport ([A-Za-z_][\w.]*)((?: as \w+)?);/g;

/** The imports in QML strings of a test file, in their Qt 5 form. */
export function inlineToQt5(text) {
  return text.replace(INLINE_IMPORT, (all, module, alias) =>
    IMPORTS[module] ? `import ${IMPORTS[module]}${alias};` : all,
  );
}

/** SRC/*.qml (one level) → DST with Qt 5 imports; other files copied. */
export function makeQt5Tests(src, dst) {
  mkdirSync(dst, { recursive: true });
  for (const name of readdirSync(src)) {
    const path = join(src, name);
    if (statSync(path).isDirectory()) continue;
    if (name.endsWith(".qml"))
      writeFileSync(
        join(dst, name),
        apiToKf5(inlineToQt5(toQt5(readFileSync(path, "utf8"), path))),
      );
    else cpSync(path, join(dst, name));
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [cmd, a, b] = process.argv.slice(2);
  try {
    if (cmd === "package" && a) makePlasma5Package(a);
    else if (cmd === "qml" && a) makePlasma5Qml(a);
    else if (cmd === "tests" && a && b) makeQt5Tests(a, b);
    else {
      console.error("usage: plasma5.mjs package DIR | qml DIR | tests SRC DST");
      process.exit(2);
    }
  } catch (e) {
    console.error(`plasma5: ${e.message}`);
    process.exit(1);
  }
}
