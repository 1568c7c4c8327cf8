// The translation catalogue stays in step with the sources: a new i18n*()
// in QML or tr*() in the core must reach the committed template, and every
// template string needs a finished German translation (the check names each
// one that is missing, fuzzy or has other %N placeholders).
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..", "..");

function check(what: string, cwd = root) {
  const r = spawnSync("node", ["scripts/i18n.mjs", "check", what], { cwd, encoding: "utf8" });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe("translations", () => {
  it("the committed template holds every source string", () => {
    const r = check("template");
    expect(r.out).toContain("all checked");
    expect(r.status).toBe(0);
  });

  it("po/de.po translates every template string", () => {
    const r = check("catalogues");
    expect(r.out).toMatch(/po\/de\.po: (\d+) of \1 translated/);
    expect(r.status).toBe(0);
  });

  it("fails, naming the string, when a source string is not in the template", () => {
    withCopy((copy) => {
      writeFileSync(
        join(copy, "contents", "ui", "I18nProbe.qml"),
        'import QtQuick\nItem { property string t: i18n("A QML string nobody extracted") }\n',
      );
      writeFileSync(
        join(copy, "src", "i18n-probe.ts"),
        'export const probe = (tr: (t: string) => string) => tr("A core string nobody extracted");\n',
      );
      const r = check("template", copy);
      expect(r.status).toBe(1);
      expect(r.out).toContain('not in the template: "A QML string nobody extracted"');
      expect(r.out).toContain('not in the template: "A core string nobody extracted"');
    });
  });

  it("fails, naming the string, when German is missing or fuzzy", () => {
    withCopy((copy) => {
      const po = join(copy, "po", "de.po");
      // The first two one-line translations: one emptied, one marked fuzzy.
      const one = /\n#, kde-format\nmsgid "([^"\n]+)"\nmsgstr "[^"\n]+"\n/g;
      const text = readFileSync(po, "utf8");
      const [a, b] = [one.exec(text), one.exec(text)];
      if (!a || !b) throw new Error("no one-line entries in de.po");
      const changed = text
        .replace(a[0], `\n#, kde-format\nmsgid "${a[1]}"\nmsgstr ""\n`)
        .replace(b[0], b[0].replace("#, kde-format", "#, fuzzy, kde-format"));
      writeFileSync(po, changed);
      const r = check("catalogues", copy);
      expect(r.status).toBe(1);
      expect(r.out).toContain(`po/de.po: untranslated: "${a[1]}"`);
      expect(r.out).toContain(`po/de.po: fuzzy: "${b[1]}"`);
    });
  });
});

/** A throwaway copy of what the extraction reads, to break on purpose. */
function withCopy(body: (copy: string) => void): void {
  const copy = mkdtempSync(join(tmpdir(), "proxmon-i18n-test-"));
  try {
    for (const part of ["metadata.json", "package.json", "po", "src", "contents", "scripts"]) {
      cpSync(join(root, part), join(copy, part), { recursive: true });
    }
    symlinkSync(join(root, "node_modules"), join(copy, "node_modules"));
    body(copy);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
