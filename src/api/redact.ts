// Character-level helpers of the secret scrubber. Everything here is one
// pass over the text (no regular expressions), because it runs on whatever
// a server or a user typed, inside plasmashell's only JavaScript thread.

/**
 * Unicode general category Cf (format characters, Unicode 15.1) plus the
 * combining grapheme joiner U+034F: invisible, so a secret with one of them
 * inserted looks whole on screen but would slip past a plain search. Sorted
 * [first, last] ranges; an explicit table because `\p{Cf}` is not available
 * in every Qt engine the widget runs in.
 */
const FORMAT_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x0600, 0x0605],
  [0x061c, 0x061c],
  [0x06dd, 0x06dd],
  [0x070f, 0x070f],
  [0x0890, 0x0891],
  [0x08e2, 0x08e2],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0xfeff, 0xfeff],
  [0xfff9, 0xfffb],
  [0x110bd, 0x110bd],
  [0x110cd, 0x110cd],
  [0x13430, 0x1343f],
  [0x1bca0, 0x1bca3],
  [0x1d173, 0x1d17a],
  [0xe0001, 0xe0001],
  [0xe0020, 0xe007f],
];

/** Whether a code point is a format character (Cf) or the combining grapheme joiner. */
export function isFormatCodePoint(code: number): boolean {
  if (code < 0xad) return false;
  for (let i = 0; i < FORMAT_RANGES.length; i++) {
    const range = FORMAT_RANGES[i] as readonly [number, number];
    if (code < range[0]) return false;
    if (code <= range[1]) return true;
  }
  return false;
}

/** The code point at `i` and how many UTF-16 units it takes (a lone surrogate is itself). */
export function codePointAt(text: string, i: number): { code: number; size: number } {
  const high = text.charCodeAt(i);
  if (high >= 0xd800 && high <= 0xdbff && i + 1 < text.length) {
    const low = text.charCodeAt(i + 1);
    if (low >= 0xdc00 && low <= 0xdfff) {
      return { code: (high - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000, size: 2 };
    }
  }
  return { code: high, size: 1 };
}

/**
 * Replaces every occurrence of `needle` in `text`, ignoring ASCII case and
 * any format characters (see isFormatCodePoint) inside the occurrence. The
 * rest of the text, format characters included, is kept as it was. Linear
 * in the text (times the needle's length at worst, as indexOf).
 */
export function replaceLoosely(text: string, needle: string, replacement: string): string {
  const wanted = asciiLower(stripFormat(needle));
  if (wanted === "" || text.length < wanted.length) return text;
  // The visible characters of the text, and where each came from.
  const kept: string[] = [];
  const from: number[] = [];
  let dropped = false;
  for (let i = 0; i < text.length;) {
    const cp = codePointAt(text, i);
    if (isFormatCodePoint(cp.code)) {
      dropped = true;
    } else {
      kept.push(text.substr(i, cp.size));
      for (let k = 0; k < cp.size; k++) from.push(i + k);
    }
    i += cp.size;
  }
  const visible = dropped ? kept.join("") : text;
  const lower = asciiLower(visible);
  let at = lower.indexOf(wanted);
  if (at < 0) return text;
  let out = "";
  let copied = 0;
  while (at >= 0) {
    const start = dropped ? (from[at] as number) : at;
    const lastUnit = at + wanted.length - 1;
    const end = (dropped ? (from[lastUnit] as number) : lastUnit) + 1;
    out += text.slice(copied, start) + replacement;
    copied = end;
    at = lower.indexOf(wanted, at + wanted.length);
  }
  return out + text.slice(copied);
}

/** Lower-cases A–Z only, so offsets stay aligned with the original text. */
function asciiLower(text: string): string {
  let upper = false;
  for (let i = 0; i < text.length && !upper; i++) {
    const c = text.charCodeAt(i);
    upper = c >= 0x41 && c <= 0x5a;
  }
  if (!upper) return text;
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) {
      parts.push(text.slice(start, i), String.fromCharCode(c + 0x20));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.join("");
}

/** The text without format characters. */
export function stripFormat(text: string): string {
  let parts: string[] | null = null;
  let start = 0;
  for (let i = 0; i < text.length;) {
    const cp = codePointAt(text, i);
    if (isFormatCodePoint(cp.code)) {
      if (parts === null) parts = [];
      parts.push(text.slice(start, i));
      start = i + cp.size;
    }
    i += cp.size;
  }
  if (parts === null) return text;
  parts.push(text.slice(start));
  return parts.join("");
}
