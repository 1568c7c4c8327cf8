// Reads the per-guest results out of a vzdump task log. A job that backed
// up several guests names them only here (its task `id` is empty), e.g.
//   INFO: Starting Backup of VM 101 (qemu)
//   INFO: Backup started at 2026-12-01 02:00:01
//   INFO: Finished Backup of VM 101 (00:00:12)
//   ERROR: Backup of VM 111 failed - unable to find VM '111'
// Lines must start with these prefixes (so text a hook script prints in
// the middle of a line cannot fake a result) and are read with prefix
// checks and digit loops only: one pass, linear in the log's length.

export interface GuestBackupResult {
  vmid: number;
  ok: boolean;
  /** Seconds the guest's backup took (from "Finished … (hh:mm:ss)"), when known. */
  durationSec: number | null;
  /** The error text after "failed - ", bounded. */
  error: string | null;
  /**
   * "INFO: Backup finished at 2026-12-01 02:00:13" of this guest, as seconds
   * of the node's local wall clock read as if UTC (the caller applies the
   * node's offset); null when the log has no such line.
   */
  finishedLocal: number | null;
}

const STARTING = "INFO: Starting Backup of VM ";
const FINISHED = "INFO: Finished Backup of VM ";
const BACKUP_OF = "ERROR: Backup of VM ";
const FAILED = " failed";
const FINISHED_AT = "INFO: Backup finished at ";
const FAILED_AT = "INFO: Failed at ";
const MAX_ERROR = 200;

/** Prefix check that looks at the prefix's length only. */
function starts(line: string, prefix: string): boolean {
  return line.lastIndexOf(prefix, 0) === 0;
}

/** Reads digits from `text` at `at`; returns [value, end] or null. */
function readInt(text: string, at: number, maxDigits: number): [number, number] | null {
  let i = at;
  while (i < text.length && i - at < maxDigits) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  if (i === at) return null;
  return [parseInt(text.slice(at, i), 10), i];
}

/** "2026-12-01 02:00:13" at `at` → seconds of that wall clock read as UTC. */
export function readWallClock(text: string, at: number): number | null {
  const fields: number[] = [];
  const seps = [45, 45, 32, 58, 58]; // - - space : :
  let i = at;
  for (let f = 0; f < 6; f++) {
    const n = readInt(text, i, f === 0 ? 4 : 2);
    if (n === null) return null;
    fields.push(n[0]);
    i = n[1];
    if (f < 5) {
      if (text.charCodeAt(i) !== seps[f]) return null;
      i++;
    }
  }
  const [y, mo, d, h, mi, s] = fields as [number, number, number, number, number, number];
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  return Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
}

/** "(00:00:12)" or "(1:02:03)" right after `at` → seconds. */
function readDuration(text: string, at: number): number | null {
  let i = at;
  while (i < text.length && text.charCodeAt(i) === 32) i++;
  if (text.charCodeAt(i) !== 40 /* ( */) return null;
  i++;
  let total = 0;
  for (let part = 0; part < 3; part++) {
    const n = readInt(text, i, 6);
    if (n === null) return null;
    total = total * 60 + n[0];
    i = n[1];
    if (part < 2) {
      if (text.charCodeAt(i) !== 58 /* : */) return null;
      i++;
    }
  }
  return text.charCodeAt(i) === 41 /* ) */ ? total : null;
}

function vmidAt(text: string, at: number): [number, number] | null {
  const n = readInt(text, at, 9);
  if (n === null || n[0] < 100) return null;
  return n;
}

/**
 * One result per guest, in the order the log first names them. A guest that
 * started but has neither a "Finished" nor a "failed" line is left out (the
 * task may still be running, or the log was cut).
 */
export function parseVzdumpLog(lines: readonly string[]): GuestBackupResult[] {
  const results: GuestBackupResult[] = [];
  const index: Record<string, number> = {};
  const set = (r: GuestBackupResult): void => {
    const key = String(r.vmid);
    const at = index[key];
    if (at === undefined) {
      index[key] = results.length;
      results.push(r);
    } else results[at] = r;
  };
  // "Backup finished at …" / "Failed at …" follow the guest's outcome line.
  let last: GuestBackupResult | null = null;
  for (const line of lines) {
    if (typeof line !== "string") continue;
    let at = starts(line, FINISHED) ? 0 : -1;
    if (at >= 0) {
      const v = vmidAt(line, at + FINISHED.length);
      last = null;
      if (v !== null) {
        last = {
          vmid: v[0],
          ok: true,
          durationSec: readDuration(line, v[1]),
          error: null,
          finishedLocal: null,
        };
        set(last);
      }
      continue;
    }
    if (starts(line, STARTING)) {
      last = null;
      continue;
    }
    if (last !== null) {
      at = starts(line, last.ok ? FINISHED_AT : FAILED_AT) ? 0 : -1;
      if (at >= 0) {
        last.finishedLocal = readWallClock(line, at + (last.ok ? FINISHED_AT : FAILED_AT).length);
        last = null;
        continue;
      }
    }
    at = starts(line, BACKUP_OF) ? 0 : -1;
    if (at >= 0) {
      const v = vmidAt(line, at + BACKUP_OF.length);
      if (v === null || line.slice(v[1], v[1] + FAILED.length) !== FAILED) continue;
      let rest = line.slice(v[1] + FAILED.length);
      if (starts(rest, " - ")) rest = rest.slice(3);
      last = {
        vmid: v[0],
        ok: false,
        durationSec: null,
        error: rest.length > MAX_ERROR ? rest.slice(0, MAX_ERROR) : rest,
        finishedLocal: null,
      };
      set(last);
    }
  }
  return results;
}

/** VMIDs named in "Starting Backup of VM N" lines (also those without an outcome yet). */
export function startedVmids(lines: readonly string[]): number[] {
  const out: number[] = [];
  const seen: Record<string, true> = {};
  for (const line of lines) {
    if (typeof line !== "string") continue;
    const at = starts(line, STARTING) ? 0 : -1;
    if (at < 0) continue;
    const v = vmidAt(line, at + STARTING.length);
    if (v !== null && seen[String(v[0])] !== true) {
      seen[String(v[0])] = true;
      out.push(v[0]);
    }
  }
  return out;
}
