// Primitive coercions shared by every decoder. PVE's Perl serialiser sends
// numbers as strings and booleans as 0/1 depending on version and code path
// (pve-api.md §1), and a hostile or broken server may send anything, so each
// helper accepts the known spellings and answers null for the rest instead
// of throwing. They run tens of times per guest on every refresh inside
// Qt's V4 engine: no regex on the common (already well-typed) path, no
// closures, no intermediate arrays.

const hasOwnProperty = Object.prototype.hasOwnProperty;

/** Longest text we keep from the API: enough for any real name, small enough for a panel. */
export const MAX_TEXT_LENGTH = 200;

// Decimal only: Number() would also take "0x1f", "0b1" and "Infinity",
// none of which PVE ever sends, so accepting them would only let garbage in.
const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
// Longer numeric strings than this are not plausible readings; refusing them
// early keeps a multi-megabyte string from going through trim and regex.
const MAX_NUMERIC_STRING = 64;

export type JsonRecord = { readonly [key: string]: unknown };

/** A plain object (not null, not an array). */
export function isRecord(v: unknown): v is JsonRecord {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Own property only: a key such as "constructor" or "__proto__" must never
 * pick up something from the prototype chain.
 */
export function own(o: JsonRecord, key: string): unknown {
  return hasOwnProperty.call(o, key) ? o[key] : undefined;
}

export function toNumber(v: unknown): number | null {
  if (typeof v === "number") {
    if (v - v !== 0) return null; // NaN and ±Infinity; cheaper than isFinite's coercion
    return v === 0 ? 0 : v; // folds -0, which would otherwise print as "-0" and break equality
  }
  if (typeof v !== "string" || v.length === 0 || v.length > MAX_NUMERIC_STRING) return null;
  const s = v.trim();
  if (!DECIMAL.test(s)) return null;
  const n = +s;
  if (n - n !== 0) return null; // "1e999"
  return n === 0 ? 0 : n;
}

export function toInteger(v: unknown): number | null {
  const n = toNumber(v);
  return n !== null && Number.isSafeInteger(n) ? n : null;
}

/** Only 0 and positive numbers pass; sizes, counts and uptimes are never negative. */
export function nonNegative(n: number | null): number | null {
  return n !== null && n >= 0 ? n : null;
}

export function toNonNegative(v: unknown): number | null {
  return nonNegative(toNumber(v));
}

// PVE reports LXC cpu slightly below zero (-5.75e-05 seen on 9.2.2): that is
// rounding noise meaning "idle". A clearly negative value is garbage, not idle.
const CPU_NEGATIVE_TOLERANCE = -0.01;

/** A CPU fraction clamped to [0, 1]; null when absent or clearly garbage. */
export function toFraction(v: unknown): number | null {
  const n = toNumber(v);
  if (n === null || n < CPU_NEGATIVE_TOLERANCE) return null;
  if (n <= 0) return 0;
  return n > 1 ? 1 : n;
}

export function toBool(v: unknown): boolean | null {
  if (v === 0 || v === false || v === "0") return false;
  if (v === 1 || v === true || v === "1") return true;
  return null;
}

// Anything that can move text around on screen or fake a different line in
// a notification: C0/C1 controls, DEL, line/paragraph separators and the
// bidirectional embedding/override/isolate marks.
function isUnsafeChar(c: number): boolean {
  return (
    c < 0x20 ||
    (c >= 0x7f && c <= 0x9f) ||
    c === 0x2028 ||
    c === 0x2029 ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069)
  );
}

// Exactly the characters isUnsafeChar rejects.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHAR = /[\u0000-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069]/;

function isBreakingSpace(c: number): boolean {
  // Tab and line breaks separated words; dropping them would glue the words.
  return c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;
}

/**
 * Untrusted text made safe to show: unsafe characters removed (line breaks
 * become spaces), trimmed, cut to maxLength without splitting a surrogate
 * pair. Returns "" when nothing is left.
 */
export function sanitizeText(s: string, maxLength: number): string {
  // Nearly every name is short and clean: one native scan settles it (in
  // V4 a JS loop costs a builtin call per character). With printable ASCII
  // at both ends trim() has nothing to remove, whichever engine's idea of
  // white space it uses, and is skipped: V4's copies the string even then
  // (a tenth of a refresh's decoding, measured).
  if (s.length <= maxLength && !UNSAFE_CHAR.test(s)) {
    const first = s.charCodeAt(0);
    const last = s.charCodeAt(s.length - 1);
    return first > 0x20 && first < 0x7f && last > 0x20 && last < 0x7f ? s : s.trim();
  }
  // Look at no more than a generous window: a megabyte-long "name" must not
  // cost a megabyte of work on every refresh.
  if (s.length > maxLength * 4 + 16) s = s.slice(0, maxLength * 4 + 16);
  let i = 0;
  const n = s.length;
  while (i < n && !isUnsafeChar(s.charCodeAt(i))) i++;
  if (i < n) {
    let out = s.slice(0, i);
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (!isUnsafeChar(c)) out += s.charAt(i);
      else if (isBreakingSpace(c)) out += " ";
    }
    s = out;
  }
  s = s.trim();
  if (s.length > maxLength) {
    let end = maxLength;
    const last = s.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end--;
    s = s.slice(0, end).trim();
  }
  return s;
}

/** A non-empty, sanitised string; numbers and other types are not text. */
export function toText(v: unknown, maxLength: number = MAX_TEXT_LENGTH): string | null {
  if (typeof v !== "string" || v.length === 0) return null;
  const s = sanitizeText(v, maxLength);
  return s.length > 0 ? s : null;
}

/**
 * A lower-case keyword of [a-z-] (a status or type word). Anything else is
 * not a keyword we could reason about, so null rather than a mangled guess.
 */
export function toKeyword(v: unknown, maxLength: number = 32): string | null {
  if (typeof v !== "string" || v.length === 0 || v.length > maxLength + 8) return null;
  const s = v.trim().toLowerCase();
  const n = s.length;
  if (n === 0 || n > maxLength) return null;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x61 || c > 0x7a) && c !== 0x2d) return null;
  }
  // A lone "-" or "--" carries no meaning.
  if (s.charCodeAt(0) === 0x2d && s.charCodeAt(n - 1) === 0x2d) return null;
  return s;
}

/**
 * Splits a separated list (tags, storage content), dropping empty parts and
 * repeats while keeping the order. The caller only gets here when the field
 * is present, so guests without tags pay nothing.
 */
export function splitList(
  v: unknown,
  separators: RegExp,
  maxItems: number,
  maxItemLength: number,
): string[] {
  const result: string[] = [];
  if (typeof v !== "string" || v.length === 0) return result;
  const text = sanitizeText(v, maxItems * (maxItemLength + 1));
  if (text.length === 0) return result;
  const parts = text.split(separators);
  for (let i = 0; i < parts.length && result.length < maxItems; i++) {
    let part = (parts[i] as string).trim();
    if (part.length === 0) continue;
    if (part.length > maxItemLength) {
      part = sanitizeText(part, maxItemLength);
      if (part.length === 0) continue;
    }
    if (result.indexOf(part) === -1) result.push(part);
  }
  return result;
}
