// Numbers as people read them, by hand because V4 has no Intl. Units are
// IEC (what PVE's own GUI shows), so "GiB" not "GB". Anything unknown is
// an em dash, never "0": a missing reading must not look like an idle one.
//
// Where the words need translating (ages, uptimes), the parts are exported
// so QML can put them through i18n; the English formatters here serve the
// CLI and are the fallback.
//
// Conventions: one decimal below 10 of a unit, whole numbers above, and a
// trailing ".0" dropped ("1 GiB", "1.5 GiB", "12 GiB"; "4.2%", "12%").

export const UNKNOWN_TEXT = "\u2014";

const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

// Finite numbers only: x - x is 0 for them and NaN for NaN and ±Infinity.
// Spelled out rather than calling isFinite, which in V4 is a call per value
// and these run for every row on every refresh.
function isKnown(n: number | null | undefined): n is number {
  return typeof n === "number" && n - n === 0;
}

/** One decimal below 10, whole numbers from 10 on, without a trailing ".0". */
function shortNumberSlow(value: number): string {
  // A whole number has no decimals to drop.
  if (value >= 10) return String(Math.round(value));
  const text = value.toFixed(1);
  const end = text.length;
  return end > 2 && text.charCodeAt(end - 1) === 48 && text.charCodeAt(end - 2) === 46
    ? text.slice(0, -2)
    : text;
}

// Every row's CPU, memory and uptime text is built on every refresh, and in
// V4 toFixed and number-to-string conversions cost more than the rest of a
// row together. The common results are looked up instead: whole numbers up
// to 1023 and the tenths from 0 to 9.9. Immutable tables, so module scope
// is safe in plasmashell's shared engine.
const SMALL_WHOLE = 1024;
const WHOLE_TEXT: ReadonlyArray<string> = (function () {
  const out: string[] = new Array(SMALL_WHOLE);
  for (let i = 0; i < SMALL_WHOLE; i++) out[i] = String(i);
  return out;
})();
// TENTHS_TEXT[n] is shortNumberSlow(n / 10): "0", "0.1", …, "9.9", "10".
const TENTHS_TEXT: ReadonlyArray<string> = (function () {
  const out: string[] = new Array(101);
  for (let n = 0; n <= 100; n++) out[n] = shortNumberSlow(n / 10);
  return out;
})();

/** A whole number as text; the table for the usual small ones. */
export function wholeText(n: number): string {
  return n >= 0 && n < SMALL_WHOLE && n % 1 === 0 ? (WHOLE_TEXT[n] as string) : String(n);
}

/** One decimal below 10, whole numbers from 10 on, without a trailing ".0". */
function shortNumber(value: number): string {
  if (value >= 10) {
    const whole = Math.round(value);
    return whole < SMALL_WHOLE ? (WHOLE_TEXT[whole] as string) : String(whole);
  }
  // toFixed(1) picks the tenth nearest to the exact value. value * 10 is off
  // by far less than 1e-9 here, so away from a half-tenth Math.round picks
  // the same one; near a tie, toFixed decides as before.
  const scaled = value * 10;
  const n = Math.round(scaled);
  const off = scaled - n;
  if (n >= 0 && off > -0.499 && off < 0.499) return TENTHS_TEXT[n] as string;
  return shortNumberSlow(value);
}

// UNIT_SIZE[u] is 1024 ** u, exactly: dividing by it once gives the same
// double as dividing by 1024 u times (powers of two divide exactly).
const UNIT_SIZE: ReadonlyArray<number> = (function () {
  const out: number[] = [];
  for (let u = 0, size = 1; u < BYTE_UNITS.length; u++, size *= 1024) out.push(size);
  return out;
})();
const LAST_UNIT = BYTE_UNITS.length - 1;
// A code is unit * CODE_UNIT + CODE_WHOLE + whole for a whole number of the
// unit, and unit * CODE_UNIT + tenths for one below 10 of it.
const CODE_WHOLE = 1024;
const CODE_UNIT = 2048;
/** bytesCode of a reading that is unknown (the dash). */
export const UNKNOWN_BYTES = -1;
/** bytesCode of a reading past the table (1024 EiB and more): format it with formatBytes. */
export const UNCODED_BYTES = -2;

/**
 * formatBytes as a number: readings with equal codes (other than
 * UNCODED_BYTES) have equal texts, and bytesText(code) is that text. A
 * caller that keeps a text can so see that a new reading shows the same,
 * without building the text again.
 */
export function bytesCode(n: number | null | undefined): number {
  if (!isKnown(n) || n < 0) return UNKNOWN_BYTES;
  const whole = Math.round(n);
  if (whole < 1024) return CODE_WHOLE + whole;
  let unit = 1;
  while (unit < LAST_UNIT && n >= (UNIT_SIZE[unit + 1] as number)) unit++;
  let value = n / (UNIT_SIZE[unit] as number);
  // 1023.7 MiB would round to "1024 MiB"; show it as the next unit.
  if (value >= 10 && Math.round(value) >= 1024 && unit < LAST_UNIT) {
    value /= 1024;
    unit++;
  }
  if (value >= 10) {
    const w = Math.round(value);
    return w < SMALL_WHOLE ? unit * CODE_UNIT + CODE_WHOLE + w : UNCODED_BYTES;
  }
  const tenths = tenthsOf(value);
  // 9.96 shows as "10", as 10.2 does: one text, one code.
  return unit * CODE_UNIT + (tenths === 100 ? CODE_WHOLE + 10 : tenths);
}

/** The text of a bytesCode other than UNCODED_BYTES. */
export function bytesText(code: number): string {
  if (code < 0) return UNKNOWN_TEXT;
  const part = code % CODE_UNIT;
  const unit = (code - part) / CODE_UNIT;
  const number =
    part >= CODE_WHOLE ? (WHOLE_TEXT[part - CODE_WHOLE] as string) : (TENTHS_TEXT[part] as string);
  return number + " " + BYTE_UNITS[unit];
}

/** The tenth (0..100) that shortNumber shows for 0 <= value < 10; 100 is "10". */
function tenthsOf(value: number): number {
  // As in shortNumber: Math.round away from a half-tenth, toFixed near one.
  const scaled = value * 10;
  const n = Math.round(scaled);
  const off = scaled - n;
  if (off > -0.499 && off < 0.499) return n;
  const text = value.toFixed(1);
  // "d.d", or "10.0" for 9.95 and up.
  return text.length === 3 ? (text.charCodeAt(0) - 48) * 10 + (text.charCodeAt(2) - 48) : 100;
}

export function formatBytes(n: number | null | undefined): string {
  const code = bytesCode(n);
  if (code !== UNCODED_BYTES) return bytesText(code);
  return String(Math.round((n as number) / (UNIT_SIZE[LAST_UNIT] as number))) + " EiB";
}

// formatPercent's usual texts with the "%", so that a CPU text is a look-up
// rather than a new string: the tenths below 10 % and whole numbers to 100 %.
const TENTHS_PERCENT: ReadonlyArray<string> = TENTHS_TEXT.map(function (t) {
  return t + "%";
});
const WHOLE_PERCENT: ReadonlyArray<string> = (function () {
  const out: string[] = [];
  for (let i = 0; i <= 100; i++) out.push(WHOLE_TEXT[i] + "%");
  return out;
})();

/** A fraction (0.12) as "12%", below 10 % with one decimal ("4.2%"). Values above 1 are shown as they are. */
export function formatPercent(fraction: number | null | undefined): string {
  if (!isKnown(fraction)) return UNKNOWN_TEXT;
  const percent = Math.max(0, fraction * 100);
  if (percent >= 10) {
    const whole = Math.round(percent);
    return whole <= 100 ? (WHOLE_PERCENT[whole] as string) : shortNumber(percent) + "%";
  }
  return TENTHS_PERCENT[tenthsOf(percent)] as string;
}

/** "12 GiB / 64 GiB"; the dash stands in for whichever side is unknown. */
export function formatUsage(
  used: number | null | undefined,
  total: number | null | undefined,
): string {
  return formatBytes(used) + " / " + formatBytes(total);
}

export interface UptimeParts {
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

export function uptimeParts(seconds: number | null | undefined): UptimeParts | null {
  if (!isKnown(seconds) || seconds < 0) return null;
  let rest = Math.floor(seconds);
  const days = Math.floor(rest / 86400);
  rest -= days * 86400;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  return { days, hours, minutes, seconds: rest - minutes * 60 };
}

/** The two largest units from days and hours down ("3d 4h", "4h 12m"), a single one below an hour ("12m", "45s"). */
export function formatUptime(seconds: number | null | undefined): string {
  // uptimeParts inlined: one object fewer per row per refresh.
  if (!isKnown(seconds) || seconds < 0) return UNKNOWN_TEXT;
  let rest = Math.floor(seconds);
  const days = Math.floor(rest / 86400);
  rest -= days * 86400;
  const hours = Math.floor(rest / 3600);
  if (days > 0) return wholeText(days) + "d " + WHOLE_TEXT[hours] + "h";
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  if (hours > 0) return WHOLE_TEXT[hours] + "h " + WHOLE_TEXT[minutes] + "m";
  if (minutes > 0) return WHOLE_TEXT[minutes] + "m";
  return WHOLE_TEXT[rest - minutes * 60] + "s";
}

export type AgeUnit = "seconds" | "minutes" | "hours" | "days";

export interface AgeParts {
  unit: AgeUnit;
  /** Whole units, rounded down. */
  value: number;
}

/** How long ago, in the largest whole unit. Negative ages (clock skew) count as 0 s. */
export function formatAge(ms: number): AgeParts {
  const seconds = isKnown(ms) && ms > 0 ? Math.floor(ms / 1000) : 0;
  if (seconds < 60) return { unit: "seconds", value: seconds };
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return { unit: "minutes", value: minutes };
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return { unit: "hours", value: hours };
  return { unit: "days", value: Math.floor(hours / 24) };
}

const AGE_UNIT_TEXT: { readonly [unit in AgeUnit]: string } = {
  seconds: "s",
  minutes: "min",
  hours: "h",
  days: "d",
};

/** English default: "12 s ago", "3 min ago", "5 h ago", "2 d ago". */
export function ageText(parts: AgeParts): string {
  return parts.value + " " + AGE_UNIT_TEXT[parts.unit] + " ago";
}
