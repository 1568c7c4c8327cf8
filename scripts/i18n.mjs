// Translations the KDE way: one gettext domain, plasma_applet_<KPlugin.Id>,
// for the QML (i18n, i18nc, i18np, i18ncp) and for the TypeScript core (the
// injected translator: tr, trc, trp, trcp with KI18n's argument order), so
// QML can hand its i18n straight to the core and both find their strings in
// the same catalogue.
//
//   node scripts/i18n.mjs extract   write po/<domain>.pot, msgmerge every po/*.po
//   node scripts/i18n.mjs check [template|catalogues]
//                                   fail when the committed .pot misses a source
//                                   string (or keeps a gone one), or a po/*.po
//                                   misses, fuzzes or breaks a translation
//
// QML goes through xgettext with KDE's keywords (as KDE's Messages.sh does);
// TypeScript through the TypeScript parser, which knows the language (this
// xgettext does not). A translator call whose text is not a literal cannot
// be extracted and is an error. References name files, not lines, so moving
// code does not make the template stale; a new or changed text does.
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import ts from "typescript";

const root = new URL("..", import.meta.url).pathname;
const pluginId = JSON.parse(readFileSync(join(root, "metadata.json"), "utf8")).KPlugin.Id;
export const domain = "plasma_applet_" + pluginId;
const potPath = join(root, "po", domain + ".pot");

/** KI18n's calls in QML and their argument positions (1-based), as xgettext keywords. */
const QML_KEYWORDS = ["i18n:1", "i18nc:1c,2", "i18np:1,2", "i18ncp:1c,2,3"].flatMap((k) => [
  "-k" + k,
  "-kx" + k,
]);
/** The core's translator calls: positions of [context, singular, plural] (0-based, -1 = none). */
const TS_CALLS = { tr: [-1, 0, -1], trc: [0, 1, -1], trp: [-1, 0, 1], trcp: [0, 1, 2] };

function walk(dir, suffix, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, suffix, out);
    else if (name.endsWith(suffix) && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

function need(tool) {
  const r = spawnSync(tool, ["--version"], { stdio: "ignore" });
  if (r.error) {
    throw new Error(
      `${tool} not found: install GNU gettext (Debian/Ubuntu: sudo apt install gettext; ` +
        "scripts/install-test-deps.sh does it for the tests)",
    );
  }
}

function run(tool, args) {
  need(tool);
  const r = spawnSync(tool, args, { cwd: root, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${tool} ${args.join(" ")} failed:\n${r.stderr}`);
  return r;
}

// ---------------------------------------------------------------- PO files

function unquote(line) {
  return JSON.parse(line.replace(/\\([^"\\nt])/g, "$1"));
}

/** Entries of a .po/.pot file: {ctx, id, plural, strs[], flags[], refs[], obsolete}. */
export function parsePo(text) {
  const entries = [];
  let e = null;
  let field = null;
  const start = () => {
    if (e === null) e = { ctx: null, id: null, plural: null, strs: [], flags: [], refs: [] };
  };
  const end = () => {
    if (e && e.id !== null) entries.push(e);
    e = null;
    field = null;
  };
  for (const raw of text.split("\n")) {
    const obsolete = raw.startsWith("#~");
    const line = obsolete ? raw.replace(/^#~\s?/, "") : raw;
    if (line.trim() === "") {
      end();
      continue;
    }
    if (!obsolete && line.startsWith("#")) {
      if (e && e.id !== null) end();
      start();
      if (line.startsWith("#,"))
        e.flags.push(
          ...line
            .slice(2)
            .split(",")
            .map((f) => f.trim()),
        );
      if (line.startsWith("#:")) e.refs.push(...line.slice(2).trim().split(/\s+/));
      continue;
    }
    const m = /^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$/.exec(line);
    if (m) {
      if ((m[1] === "msgctxt" || m[1] === "msgid") && e && e.id !== null) end();
      start();
      if (obsolete) e.obsolete = true;
      const value = unquote(m[3]);
      if (m[1] === "msgctxt") field = ["ctx"];
      else if (m[1] === "msgid") field = ["id"];
      else if (m[1] === "msgid_plural") field = ["plural"];
      else field = ["strs", m[2] === undefined ? 0 : Number(m[2])];
      set(e, field, value);
    } else if (/^\s*"/.test(line) && e && field) {
      set(e, field, get(e, field) + unquote(line.trim()));
    }
  }
  end();
  return entries;
}

function get(e, field) {
  return field[0] === "strs" ? e.strs[field[1]] : e[field[0]];
}
function set(e, field, value) {
  if (field[0] === "strs") e.strs[field[1]] = value;
  else e[field[0]] = value;
}

export function entryKey(e) {
  return (e.ctx === null ? "" : e.ctx + "\u0004") + e.id;
}

function quote(text) {
  return JSON.stringify(text).replace(/\\u00([0-9a-f]{2})/g, (_, h) =>
    h === "09" ? "\\t" : "\\x" + h,
  );
}

function formatEntry(e) {
  const lines = [];
  if (e.refs.length) lines.push("#: " + e.refs.join(" "));
  if (e.flags.length) lines.push("#, " + e.flags.join(", "));
  if (e.ctx !== null) lines.push("msgctxt " + quote(e.ctx));
  lines.push("msgid " + quote(e.id));
  if (e.plural !== null) {
    lines.push("msgid_plural " + quote(e.plural));
    lines.push('msgstr[0] ""', 'msgstr[1] ""');
  } else {
    lines.push('msgstr ""');
  }
  return lines.join("\n");
}

// ------------------------------------------------------------ TypeScript

/** The text of a string literal, or of literals joined with +; null for anything else. */
function literal(node) {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isParenthesizedExpression(node)) return literal(node.expression);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const l = literal(node.left);
    const r = literal(node.right);
    return l === null || r === null ? null : l + r;
  }
  return null;
}

function calleeName(expr) {
  if (ts.isIdentifier(expr)) return expr.text;
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text;
  return null;
}

/** Every translator call in src/: {entries, problems}. */
export function extractTs() {
  const entries = [];
  const problems = [];
  for (const file of walk(join(root, "src"), ".ts")) {
    const rel = relative(root, file);
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
    const visit = (node) => {
      if (ts.isCallExpression(node)) {
        const name = calleeName(node.expression);
        const shape = name !== null && Object.prototype.hasOwnProperty.call(TS_CALLS, name);
        if (shape) {
          const [c, s, p] = TS_CALLS[name];
          const pick = (i) =>
            i < 0 ? null : node.arguments[i] ? literal(node.arguments[i]) : null;
          const e = {
            ctx: pick(c),
            id: pick(s),
            plural: pick(p),
            strs: [],
            flags: [],
            refs: [rel],
          };
          const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
          if (e.id === null || (c >= 0 && e.ctx === null) || (p >= 0 && e.plural === null)) {
            problems.push(`${rel}:${line + 1}: ${name}() needs literal strings to be extracted`);
          } else {
            if (/%\d/.test(e.id + (e.plural ?? ""))) e.flags.push("kde-format");
            entries.push(e);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { entries, problems };
}

// ------------------------------------------------------------------- QML

export function extractQml() {
  // plasma5/contents: the Plasma 5 edition's own files (scripts/plasma5.mjs).
  const files = walk(join(root, "contents"), ".qml")
    .concat(
      existsSync(join(root, "plasma5", "contents"))
        ? walk(join(root, "plasma5", "contents"), ".qml")
        : [],
    )
    .map((f) => relative(root, f));
  const dir = mkdtempSync(join(tmpdir(), "proxmon-i18n-"));
  try {
    const out = join(dir, "qml.pot");
    run("xgettext", [
      "--from-code=UTF-8",
      "-C",
      "--kde",
      "-ci18n",
      ...QML_KEYWORDS,
      "--add-location=file",
      "--force-po",
      "-o",
      out,
      ...files,
    ]);
    return parsePo(readFileSync(out, "utf8")).filter((e) => e.id !== "");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** QML first (in xgettext's order), then the core; one entry per context + text. */
export function buildTemplate() {
  const ts = extractTs();
  const byKey = new Map();
  const ordered = [];
  for (const e of extractQml().concat(ts.entries)) {
    const key = entryKey(e);
    const seen = byKey.get(key);
    if (seen) {
      for (const r of e.refs) if (seen.refs.indexOf(r) < 0) seen.refs.push(r);
      for (const f of e.flags) if (seen.flags.indexOf(f) < 0) seen.flags.push(f);
      if (seen.plural === null && e.plural !== null) seen.plural = e.plural;
    } else {
      byKey.set(key, e);
      ordered.push(e);
    }
  }
  const qmlCount = ordered.filter((e) => e.refs.some((r) => r.endsWith(".qml"))).length;
  return { entries: ordered, problems: ts.problems, qmlCount, tsCount: ordered.length - qmlCount };
}

function templateText(entries) {
  const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
  const header = [
    "# Translations of the ProxMon Plasma widget and its core.",
    "# This file is distributed under the same license as ProxMon (GPL-3.0-or-later).",
    "# Generated by scripts/i18n.mjs extract; do not edit.",
    "#",
    "#, fuzzy",
    'msgid ""',
    'msgstr ""',
    `"Project-Id-Version: proxmon ${version}\\n"`,
    '"Report-Msgid-Bugs-To: \\n"',
    '"MIME-Version: 1.0\\n"',
    '"Content-Type: text/plain; charset=UTF-8\\n"',
    '"Content-Transfer-Encoding: 8bit\\n"',
    '"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"',
  ].join("\n");
  return [header].concat(entries.map(formatEntry)).join("\n\n") + "\n";
}

// --------------------------------------------------------------- commands

function extract() {
  const t = buildTemplate();
  if (t.problems.length) {
    console.error(t.problems.join("\n"));
    process.exit(1);
  }
  writeFileSync(potPath, templateText(t.entries));
  // Same line wrapping as every other gettext tool writes, so msgmerge makes no noise.
  run("msgcat", ["--force-po", "-o", potPath, potPath]);
  console.log(
    `${relative(root, potPath)}: ${t.entries.length} strings (${t.qmlCount} QML, ${t.tsCount} TypeScript)`,
  );
  for (const po of catalogues()) {
    run("msgmerge", ["--quiet", "--update", "--backup=none", "--previous", po, potPath]);
    const s = catalogueProblems(parsePo(readFileSync(po, "utf8")), t.entries);
    console.log(`${relative(root, po)}: ${s.translated} translated, ${s.problems.length} to do`);
  }
}

export function catalogues() {
  return readdirSync(join(root, "po"))
    .filter((n) => n.endsWith(".po"))
    .sort()
    .map((n) => join(root, "po", n));
}

function placeholders(text) {
  return (text.match(/%\d+/g) || []).filter((v, i, all) => all.indexOf(v) === i).sort();
}

/** What a catalogue lacks against the template: untranslated, fuzzy, broken placeholders. */
export function catalogueProblems(poEntries, templateEntries) {
  const byKey = new Map(
    poEntries.filter((e) => !e.obsolete && e.id !== "").map((e) => [entryKey(e), e]),
  );
  const problems = [];
  let translated = 0;
  for (const t of templateEntries) {
    const name = (t.ctx !== null ? `[${t.ctx}] ` : "") + JSON.stringify(t.id);
    const e = byKey.get(entryKey(t));
    if (!e) problems.push(`missing: ${name}`);
    else if (e.flags.indexOf("fuzzy") >= 0) problems.push(`fuzzy: ${name}`);
    else if (e.strs.length === 0 || e.strs.some((s) => s === undefined || s === "")) {
      problems.push(`untranslated: ${name}`);
    } else {
      // KI18n wants every %N of the original in the translation (a plural's
      // count may be left out of the singular form, as in English).
      const want = placeholders(t.id + " " + (t.plural ?? ""));
      const bad = e.strs.some((s, i) => {
        const have = placeholders(s);
        const need = e.plural !== null && i === 0 ? placeholders(t.id) : want;
        return need.some((p) => have.indexOf(p) < 0) || have.some((p) => want.indexOf(p) < 0);
      });
      if (bad) problems.push(`placeholders differ: ${name}`);
      else translated++;
    }
  }
  return { translated, problems };
}

/** Source strings missing from the committed template, or left in it after they went. */
function templateFailures(t) {
  const failures = t.problems.slice();
  const committed = parsePo(readFileSync(potPath, "utf8")).filter((e) => e.id !== "");
  const have = new Set(committed.map(entryKey));
  const want = new Set(t.entries.map(entryKey));
  for (const e of t.entries) {
    if (!have.has(entryKey(e))) {
      failures.push(`not in the template: ${JSON.stringify(e.id)} (${e.refs.join(" ")})`);
    }
  }
  for (const e of committed) {
    if (!want.has(entryKey(e))) {
      failures.push(`in the template but gone from the sources: ${JSON.stringify(e.id)}`);
    }
  }
  if (failures.length) failures.push("→ run `npm run i18n:extract`, then translate in po/*.po");
  return failures;
}

/** Every template string needs a finished translation in every po/*.po. */
function catalogueFailures(t) {
  const failures = [];
  for (const po of catalogues()) {
    const s = catalogueProblems(parsePo(readFileSync(po, "utf8")), t.entries);
    for (const p of s.problems) failures.push(`${relative(root, po)}: ${p}`);
    console.log(`${relative(root, po)}: ${s.translated} of ${t.entries.length} translated`);
  }
  return failures;
}

function check(what) {
  const t = buildTemplate();
  const failures = (what === "catalogues" ? [] : templateFailures(t)).concat(
    what === "template" ? [] : catalogueFailures(t),
  );
  if (failures.length) {
    console.error(failures.join("\n"));
    process.exit(1);
  }
  console.log(
    `${relative(root, potPath)}: ${t.entries.length} strings (${t.qmlCount} QML, ${t.tsCount} TypeScript), all checked`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cmd = process.argv[2];
  try {
    if (cmd === "extract") extract();
    else if (cmd === "check") check(process.argv[3] || "all");
    else {
      console.error("usage: node scripts/i18n.mjs extract | check [template|catalogues]");
      process.exit(2);
    }
  } catch (e) {
    console.error("i18n: " + (e instanceof Error ? e.message : String(e)));
    process.exit(1);
  }
}
