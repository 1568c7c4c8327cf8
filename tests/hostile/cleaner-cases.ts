// Adversarial 1 MiB inputs, one per cleaner that sees server or user text.
// Runs inside a worker thread (see cleaners-time.test.ts) so that a
// super-linear cleaner can be stopped instead of hanging the test run.

import { parentPort } from "node:worker_threads";

import {
  classifyResponse,
  classifyWireFailure,
  parsePermissionReason,
  redactSecret,
  type RequestContext,
} from "../../src/api/errors";
import { checkCaPem, extractCaPem } from "../../src/api/pem";
import { replaceLoosely } from "../../src/api/redact";
import { normaliseFingerprint } from "../../src/api/tls-policy";
import { validateTokenId } from "../../src/api/client";
import { parseArgs } from "../../src/cli/args";
import { formatError, oneLine } from "../../src/cli/io";
import { renderTable } from "../../src/cli/status";
import { decodeGuestEntry } from "../../src/model/decode-resources";
import { sanitizeText, toNumber } from "../../src/model/decode-values";
import { parseFilter } from "../../src/notify/filter";
import { redactTokenId } from "../../src/notify/message";
import { compareNatural } from "../../src/view/sort";

const MIB = 1024 * 1024;
const SCAN = 64 * 1024;
const SECRET = "6f1c2d3e-4b5a-4c6d-8e7f-90a1b2c3d4e5";
const ctx: RequestContext = { host: "pve", port: 8006, path: "/cluster/resources", secret: SECRET };

const fill = (unit: string, size = MIB): string => unit.repeat(Math.ceil(size / unit.length));
/** The case: the scanned 64 KiB end in a space after one long word. */
const longWordThenSpace = "x".repeat(SCAN - 1) + " " + fill("y");
const spaces = fill(" ") + "x";

function response(status: number, reason: string, body: string) {
  return { status, reason, headers: {}, body };
}

export const CASES: Record<string, () => unknown> = {
  "untrusted: 500 text body, long word then space at 64 KiB": () =>
    classifyResponse(response(500, "", longWordThenSpace), ctx),
  "untrusted: 200 non-JSON preview, long word then space at 64 KiB": () =>
    classifyResponse(response(200, "OK", longWordThenSpace), ctx),
  "untrusted: reason phrase of 1 MiB": () =>
    classifyResponse(response(502, longWordThenSpace, ""), ctx),
  // A body over 64 KiB is not parsed for its message: just under it is the worst case.
  "permission: 403 JSON message with an unclosed ACL path": () =>
    classifyResponse(
      response(
        403,
        "Forbidden",
        JSON.stringify({ message: "Permission check failed (/" + fill(" ", SCAN - 100) }),
      ),
      ctx,
    ),
  "permission: 403 JSON message with an unclosed privilege": () =>
    classifyResponse(
      response(
        403,
        "Forbidden",
        JSON.stringify({ message: "Permission check failed (/a," + fill(" ", SCAN - 100) }),
      ),
      ctx,
    ),
  "permission: 403 reason phrase of 1 MiB": () =>
    classifyResponse(response(403, "Permission check failed (/a, " + spaces, ""), ctx),
  "parsePermissionReason: 1 MiB of spaces after the path": () =>
    parsePermissionReason("Permission check failed (/" + spaces),
  "parsePermissionReason: 1 MiB of repeated markers": () =>
    parsePermissionReason(fill("Permission check failed (/a, b ")),
  "redactSecret: repeated PVEAPIToken=": () => redactSecret(fill("PVEAPIToken="), SECRET),
  "redactSecret: '=' then spaces": () => redactSecret(fill("=" + " ".repeat(1000)), SECRET),
  "redactSecret: near-misses of the secret": () =>
    redactSecret(fill(SECRET.slice(0, -1) + "\u00ad"), SECRET),
  "replaceLoosely: format characters everywhere": () =>
    replaceLoosely(fill("\u200b6f1c"), SECRET, "x"),
  "wire failure: 1 MiB detail": () =>
    classifyWireFailure({ kind: "unreachable", detail: longWordThenSpace }, ctx),
  "wire failure: TLS detail of 1 MiB": () =>
    classifyWireFailure({ kind: "tls", detail: "A" + longWordThenSpace }, ctx),
  "oneLine: 1 MiB of spaces without a line break": () => oneLine(spaces),
  "formatError: spaces and line breaks": () => formatError("x", fill("  \n  ")),
  "renderTable: a cell of 1 MiB of spaces": () =>
    renderTable(
      [
        { title: "A", align: "left" },
        { title: "B", align: "left" },
      ],
      [[spaces, ""]],
    ),
  "sanitizeText: 1 MiB of control and bidi characters": () =>
    sanitizeText(fill("\u202e\u0001a"), 200),
  "toNumber: 1 MiB of digits": () => toNumber(fill("1")),
  "decodeGuestEntry: 1 MiB of tags and separators": () =>
    decodeGuestEntry({ vmid: 100, node: "pve", tags: fill("a; ,"), name: spaces }, "qemu"),
  "parseFilter: 1 MiB of entries": () => parseFilter(fill("1 - 2,tag:*a*,")),
  "parseFilter: 1 MiB of spaces and dashes": () => parseFilter(fill(" - ")),
  "pem: 1 MiB after BEGIN": () => checkCaPem("-----BEGIN " + fill("A ")),
  "pem: a 1 MiB certificate body": () => extractCaPem("-----BEGIN CERTIFICATE-----" + fill("M ")),
  "fingerprint: sha256 then 1 MiB of spaces": () => normaliseFingerprint("sha256" + spaces + "=AA"),
  "token id: 1 MiB": () => validateTokenId(fill("a@b!")),
  "cli args: a 1 MiB value": () =>
    parseArgs(["--host", spaces], [{ name: "host", kind: "string", help: "" }]),
  "redactTokenId: 1 MiB": () =>
    redactTokenId(fill("monitor@pve!prox"), "monitor@pve!proxmon", SECRET),
  "compareNatural: 1 MiB of digit runs": () => compareNatural(fill("a1"), fill("a1") + "b"),
};

parentPort?.on("message", (name: string) => {
  const run = CASES[name];
  if (!run) {
    parentPort?.postMessage({ error: "no case " + name });
    return;
  }
  // The faster of two runs: the first also pays for compiling the code.
  let best = Infinity;
  for (let i = 0; i < 2; i++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  parentPort?.postMessage({ ms: best });
});
