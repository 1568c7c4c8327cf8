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

/** The code point at `i` (a lone surrogate is itself); above 0xFFFF it takes two units. */
export function codePointAt(text: string, i: number): number {
  const high = text.charCodeAt(i);
  if (high >= 0xd800 && high <= 0xdbff && i + 1 < text.length) {
    const low = text.charCodeAt(i + 1);
    if (low >= 0xdc00 && low <= 0xdfff) return (high - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
  }
  return high;
}

/** How many UTF-16 units the format character at `i` takes; 0 when there is none. */
export function formatCharAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0xad) return 0;
  const code = codePointAt(text, i);
  return isFormatCodePoint(code) ? (code > 0xffff ? 2 : 1) : 0;
}

/**
 * Replaces every occurrence of `needle` in `text`, ignoring case and any
 * format characters (see isFormatCodePoint) inside the occurrence. The
 * rest of the text, format characters included, is kept as it was. Linear
 * in the text (times the needle's length at worst, as indexOf).
 */
export function replaceLoosely(text: string, needle: string, replacement: string): string {
  const wanted = lowerAligned(stripFormat(needle));
  if (wanted === "" || text.length < wanted.length) return text;
  // The visible text, and at which visible offsets how much was dropped.
  let kept = "";
  const dropAt: number[] = [];
  const dropSize: number[] = [];
  let runStart = 0;
  let visible = 0;
  for (let i = 0; i < text.length;) {
    const size = text.charCodeAt(i) < 0xad ? 0 : formatCharAt(text, i);
    if (size === 0) {
      i++;
      visible++;
      continue;
    }
    kept += text.slice(runStart, i);
    dropAt.push(visible);
    dropSize.push(size);
    i += size;
    runStart = i;
  }
  let lower: string;
  if (dropAt.length === 0) {
    lower = lowerAligned(text);
  } else {
    lower = lowerAligned(kept + text.slice(runStart));
  }
  let at = lower.indexOf(wanted);
  if (at < 0) return text;
  // Visible offset → offset in text: add what was dropped up to it. Matches
  // come in order, so one pointer walks the drops once.
  let drop = 0;
  let shift = 0;
  const original = (offset: number): number => {
    while (drop < dropAt.length && (dropAt[drop] as number) <= offset) {
      shift += dropSize[drop] as number;
      drop++;
    }
    return offset + shift;
  };
  const parts: string[] = [];
  let copied = 0;
  while (at >= 0) {
    parts.push(text.slice(copied, original(at)), replacement);
    copied = original(at + wanted.length - 1) + 1;
    at = lower.indexOf(wanted, at + wanted.length);
  }
  parts.push(text.slice(copied));
  return parts.join("");
}

/**
 * Lower case with offsets that stay aligned to the original: the engine's
 * own when it keeps the length (nearly always), else A–Z only.
 */
function lowerAligned(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower;
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
  let out: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length;) {
    const size = formatCharAt(text, i);
    if (size === 0) {
      i++;
      continue;
    }
    out = (out ?? "") + text.slice(start, i);
    i += size;
    start = i;
  }
  return out === null ? text : out + text.slice(start);
}
