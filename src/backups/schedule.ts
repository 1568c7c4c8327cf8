// The common forms of systemd calendar events that PVE's job scheduler
// accepts (pve-common PVE::CalendarEvent / proxmox-time): keywords such as
// `daily` and `weekly`, an optional weekday list (`mon..fri`, `sat`,
// `mon,wed`), an optional date (`*-*-*`, `*-*-01`, `2026-12-01`) and a time
// (`02:00`, `21:30`, `*:0/15`, `0/4:00`), with lists, ranges `a..b` and
// repetitions `a/step`. Anything else parses to null and the caller falls
// back to the max-age thresholds. Input is capped and parsed with
// character loops (no regex), so hostile text costs linear time.

export interface CalendarEvent {
  /** Index 0 = Monday … 6 = Sunday. */
  weekdays: boolean[];
  /** Index 1…12. */
  months: boolean[];
  /** Index 1…31. */
  days: boolean[];
  /** null = every year. */
  years: number[] | null;
  hours: boolean[];
  minutes: boolean[];
}

const MAX_SPEC_LENGTH = 200;
const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

const KEYWORDS: Record<string, string> = {
  minutely: "*-*-* *:*",
  hourly: "*-*-* *:00",
  daily: "*-*-* 00:00",
  weekly: "mon *-*-* 00:00",
  monthly: "*-*-01 00:00",
  yearly: "*-01-01 00:00",
  annually: "*-01-01 00:00",
  quarterly: "*-01,04,07,10-01 00:00",
  semiannually: "*-01,07-01 00:00",
};

function fill(size: number, value: boolean): boolean[] {
  const out: boolean[] = [];
  for (let i = 0; i < size; i++) out.push(value);
  return out;
}

function parseUint(text: string): number | null {
  if (text.length === 0 || text.length > 4) return null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  return parseInt(text, 10);
}

/** One component ("*", "5", "1..5", "0/15", "*\/2", "1,3,5") into a set over [min, max]. */
function parseComponent(text: string, min: number, max: number): boolean[] | null {
  const set = fill(max + 1, false);
  for (const item of text.split(",")) {
    let base = item;
    let step = 0;
    const slash = item.indexOf("/");
    if (slash >= 0) {
      const s = parseUint(item.slice(slash + 1));
      if (s === null || s === 0) return null;
      step = s;
      base = item.slice(0, slash);
    }
    let from: number;
    let to: number;
    if (base === "*") {
      from = min;
      to = max;
    } else {
      const dots = base.indexOf("..");
      const a = parseUint(dots >= 0 ? base.slice(0, dots) : base);
      const b = dots >= 0 ? parseUint(base.slice(dots + 2)) : a;
      if (a === null || b === null || a < min || b > max || a > b) return null;
      from = a;
      // "5/10" repeats from 5 to the end; "5" alone is just 5.
      to = step > 0 && dots < 0 ? max : b;
    }
    for (let v = from; v <= to; v += step > 0 ? step : 1) set[v] = true;
  }
  return set;
}

function parseWeekdays(text: string): boolean[] | null {
  const set = fill(7, false);
  for (const item of text.split(",")) {
    const dots = item.indexOf("..");
    const a = WEEKDAYS.indexOf((dots >= 0 ? item.slice(0, dots) : item).slice(0, 3));
    const b = dots >= 0 ? WEEKDAYS.indexOf(item.slice(dots + 2).slice(0, 3)) : a;
    if (a < 0 || b < 0) return null;
    // "sat..mon" wraps around the week, as systemd allows.
    for (let d = a; ; d = (d + 1) % 7) {
      set[d] = true;
      if (d === b) break;
    }
  }
  return set;
}

function isWeekdayToken(token: string): boolean {
  const c = token.charCodeAt(0);
  return c >= 97 && c <= 122;
}

export function parseCalendarEvent(spec: string | null | undefined): CalendarEvent | null {
  if (typeof spec !== "string" || spec.length > MAX_SPEC_LENGTH) return null;
  let text = spec.trim().toLowerCase();
  const keyword = KEYWORDS[text];
  if (Object.prototype.hasOwnProperty.call(KEYWORDS, text) && keyword !== undefined) text = keyword;
  const tokens = text.split(" ").filter((t) => t !== "");
  if (tokens.length === 0 || tokens.length > 3) return null;
  const event: CalendarEvent = {
    weekdays: fill(7, true),
    months: fill(13, true),
    days: fill(32, true),
    years: null,
    hours: fill(24, false),
    minutes: fill(60, false),
  };
  event.months[0] = false;
  event.days[0] = false;
  let i = 0;
  if (isWeekdayToken(tokens[0] as string)) {
    const w = parseWeekdays(tokens[0] as string);
    if (w === null) return null;
    event.weekdays = w;
    i++;
  }
  let sawTime = false;
  for (; i < tokens.length; i++) {
    const token = tokens[i] as string;
    if (token.indexOf("-") >= 0 && token.indexOf(":") < 0) {
      const parts = token.split("-");
      if (parts.length < 2 || parts.length > 3) return null;
      if (parts.length === 3) {
        const y = parts[0] as string;
        if (y !== "*") {
          const years = parseComponent(y, 1970, 2199);
          if (years === null) return null;
          event.years = [];
          for (let v = 1970; v <= 2199; v++) if (years[v]) event.years.push(v);
        }
      }
      const m = parseComponent(parts[parts.length - 2] as string, 1, 12);
      const d = parseComponent(parts[parts.length - 1] as string, 1, 31);
      if (m === null || d === null) return null;
      event.months = m;
      event.days = d;
    } else {
      if (sawTime) return null;
      sawTime = true;
      const parts = token.split(":");
      // "02:00", "2:00:00", or a bare minute spec ("*/15", "0/5") as PVE allows.
      if (parts.length > 3) return null;
      const h = parts.length >= 2 ? parseComponent(parts[0] as string, 0, 23) : fill(24, true);
      const m = parseComponent(parts[parts.length >= 2 ? 1 : 0] as string, 0, 59);
      if (h === null || m === null) return null;
      event.hours = h;
      event.minutes = m;
    }
  }
  if (!sawTime) {
    event.hours[0] = true;
    event.minutes[0] = true;
  }
  return event;
}

/** Offset of local time from UTC in minutes at an epoch (east positive), e.g. +60 for CET. */
export type LocalOffset = (epochSec: number) => number;

export const UTC_OFFSET: LocalOffset = () => 0;

const DAY = 86400;
/** How far back a run is looked for: a yearly schedule still resolves. */
const MAX_DAYS_BACK = 400;

/** The latest run at or before `epochSec`, or null when none within MAX_DAYS_BACK days. */
export function previousRun(
  event: CalendarEvent,
  epochSec: number,
  offset: LocalOffset = UTC_OFFSET,
): number | null {
  const off = offset(epochSec) * 60;
  const local = Math.floor(epochSec) + off;
  const dayStart = Math.floor(local / DAY) * DAY;
  const minuteOfDay = Math.floor((local - dayStart) / 60);
  for (let back = 0; back <= MAX_DAYS_BACK; back++) {
    const start = dayStart - back * DAY;
    const date = new Date(start * 1000);
    const weekday = (date.getUTCDay() + 6) % 7;
    if (!event.weekdays[weekday]) continue;
    if (!event.months[date.getUTCMonth() + 1] || !event.days[date.getUTCDate()]) continue;
    if (event.years !== null && event.years.indexOf(date.getUTCFullYear()) < 0) continue;
    const limit = back === 0 ? minuteOfDay : 24 * 60 - 1;
    for (let m = limit; m >= 0; m--) {
      if (event.hours[Math.floor(m / 60)] && event.minutes[m % 60]) return start + m * 60 - off;
    }
  }
  return null;
}
