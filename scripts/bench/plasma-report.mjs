// The figures of `npm run bench:plasma` against their goals, from the
// samples plasma-sample.py left in OUT (RUN-empty.json, RUN-widget.json).
//   node scripts/bench/plasma-report.mjs OUT GUESTS REFRESH_SECONDS RESULT.json
// Also used by scripts/bench.mjs to print the last result again.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

export const GOALS = Object.freeze({
  memoryRatio: 1.15,
  requestsPerInterval: 1,
});

// panel and desktop: each applet started once before in the same home, so
// that QML comes from the disk cache as at every login after the first;
// panel-first: the very first start, everything compiled (plasma.sh).
const RUNS = ["panel", "panel-first", "desktop"];
const WHAT = {
  panel: "panel, popup closed",
  "panel-first": "panel, popup closed, first start (no QML disk cache)",
  desktop: "desktop, full view",
};

function load(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null;
}

/**
 * MiB per minute by a least-squares line through samples taken every
 * `seconds`, over the second half of the window (the first refreshes fill
 * caches): 0 for a flat curve.
 */
export function slopePerMinute(values, seconds = 5) {
  if (!Array.isArray(values) || values.length < 4) return null;
  const ys = values.slice(Math.floor(values.length / 2));
  const n = ys.length;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  ys.forEach((y, x) => {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  });
  return +(((sxy / sxx) * 60) / seconds).toFixed(2);
}

/**
 * Resident MiB by part (plasma-sample.py's rssByMappingKiB): the JS heap,
 * malloc's main arena, the other anonymous memory (threads' arenas), and
 * everything file-backed (libraries, fonts, caches).
 */
export function parts(sample) {
  const m = sample && sample.rssByMappingKiB;
  if (!m) return null;
  const out = { jsHeap: 0, mallocMain: 0, otherAnon: 0, files: 0 };
  for (const [name, kib] of Object.entries(m)) {
    const key =
      name.indexOf("JSGCHeap") >= 0
        ? "jsHeap"
        : name === "[heap]"
          ? "mallocMain"
          : name.startsWith("[") || name.startsWith("/memfd:") || name.startsWith("/SYSV")
            ? "otherAnon"
            : "files";
    out[key] += kib / 1024;
  }
  for (const k of Object.keys(out)) out[k] = +out[k].toFixed(1);
  return out;
}

/** One run (panel or desktop): the widget against the empty applet. */
export function compare(empty, widget, refreshSeconds) {
  if (!empty || !widget) return null;
  const intervals = widget.windowSeconds / refreshSeconds;
  const requests = widget.requests;
  return {
    emptyRssMiB: empty.rssMedianMiB,
    widgetRssMiB: widget.rssMedianMiB,
    rssExtraMiB: +(widget.rssMedianMiB - empty.rssMedianMiB).toFixed(1),
    memoryRatio: +(widget.rssMedianMiB / empty.rssMedianMiB).toFixed(3),
    // How much the widget's memory moved during the window (growth).
    widgetRssDriftMiB: +(widget.rssLastMiB - widget.rssFirstMiB).toFixed(1),
    widgetRssSpreadMiB: +(Math.max(...widget.rssMiB) - Math.min(...widget.rssMiB)).toFixed(1),
    // The trend over the window's second half, all resident memory and the
    // anonymous part (heaps) alone.
    widgetRssSlopeMiBPerMin: slopePerMinute(widget.rssMiB),
    widgetAnonSlopeMiBPerMin: slopePerMinute(widget.rssAnonMiB),
    emptyRssSlopeMiBPerMin: slopePerMinute(empty.rssMiB),
    emptyCpuSecondsPerMin: empty.cpuSecondsPerMin,
    widgetCpuSecondsPerMin: widget.cpuSecondsPerMin,
    requestsPerInterval: requests === null ? null : +(requests / intervals).toFixed(2),
    cpuMsPerRefresh: requests
      ? Math.round(
          ((widget.cpuSecondsPerMin - empty.cpuSecondsPerMin) * 1000 * widget.windowSeconds) /
            60 /
            requests,
        )
      : null,
    emptyWakeupsPerMin: empty.mainVoluntaryPerMin,
    widgetWakeupsPerMin: widget.mainVoluntaryPerMin,
    wakeupsPerRefresh: requests
      ? +(
          ((widget.mainVoluntaryPerMin - empty.mainVoluntaryPerMin) * widget.windowSeconds) /
          60 /
          requests
        ).toFixed(1)
      : null,
    emptyBusySecondsPerMin: empty.mainBusySecondsPerMin,
    widgetBusySecondsPerMin: widget.mainBusySecondsPerMin,
    widgetAllThreadsWakeupsPerMin: widget.allVoluntaryPerMin,
    widgetThreads: widget.threads,
    emptyParts: parts(empty),
    widgetParts: parts(widget),
  };
}

const f = (x, digits = 1) => (x === null || x === undefined ? "—" : Number(x).toFixed(digits));

/** Lines for the terminal: each figure with its goal. */
export function describe(result) {
  const lines = [
    `Plasma 6.3 host (plasmoidviewer, ${result.guests} guests, ${result.refreshSeconds} s refresh, ${result.windowSeconds} s window, ${result.date}):`,
  ];
  for (const run of RUNS) {
    const r = result[run];
    if (!r) continue;
    const what = WHAT[run];
    const panel = run !== "desktop";
    const memOk = r.memoryRatio <= GOALS.memoryRatio;
    lines.push(
      `  ${what}: RSS ${f(r.widgetRssMiB)} MiB vs empty ${f(r.emptyRssMiB)} MiB = +${f(r.rssExtraMiB)} MiB, ${f((r.memoryRatio - 1) * 100)} % more` +
        (panel
          ? ` (goal ≤ ${f((GOALS.memoryRatio - 1) * 100, 0)} %: ${memOk ? "met" : "NOT met"})`
          : "") +
        `; drift in window ${f(r.widgetRssDriftMiB)} MiB` +
        (r.widgetRssSlopeMiBPerMin === undefined || r.widgetRssSlopeMiBPerMin === null
          ? ""
          : `, trend ${f(r.widgetRssSlopeMiBPerMin, 2)} MiB/min (anonymous ${f(r.widgetAnonSlopeMiBPerMin, 2)}; empty ${f(r.emptyRssSlopeMiBPerMin, 2)})`),
    );
    if (r.emptyParts && r.widgetParts) {
      const d = (k) => f(r.widgetParts[k] - r.emptyParts[k]);
      lines.push(
        `  ${what}: where the extra memory is: JS heap +${d("jsHeap")} MiB, malloc (main) +${d("mallocMain")}, ` +
          `other anonymous (threads' arenas) +${d("otherAnon")}, libraries and files +${d("files")}`,
      );
    }
    const idle =
      r.requestsPerInterval !== null &&
      r.requestsPerInterval <= GOALS.requestsPerInterval + 0.2 &&
      r.widgetBusySecondsPerMin <= (2 * 60) / result.refreshSeconds;
    lines.push(
      `  ${what}: CPU ${f(r.widgetCpuSecondsPerMin, 2)} s/min (empty ${f(r.emptyCpuSecondsPerMin, 2)}), ${f(r.cpuMsPerRefresh, 0)} ms per refresh; ` +
        `${f(r.requestsPerInterval, 2)} requests per interval; main thread ${f(r.widgetWakeupsPerMin)} wake-ups/min ` +
        `(empty ${f(r.emptyWakeupsPerMin)}), ${f(r.wakeupsPerRefresh)} per refresh, awake in ${f(r.widgetBusySecondsPerMin, 0)} s of 60 (empty ${f(r.emptyBusySecondsPerMin, 0)})` +
        (panel
          ? ` (goal: one refresh per interval and nothing between: ${idle ? "met" : "NOT met"})`
          : ""),
    );
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [out, guests, refresh, resultFile] = process.argv.slice(2);
  const refreshSeconds = Number(refresh);
  const result = { guests: Number(guests), refreshSeconds, date: new Date().toISOString() };
  for (const run of RUNS) {
    const empty = load(`${out}/${run}-empty.json`);
    const widget = load(`${out}/${run}-widget.json`);
    if (widget) result.windowSeconds = widget.windowSeconds;
    result[run] = compare(empty, widget, refreshSeconds);
  }
  mkdirSync(dirname(resultFile), { recursive: true });
  writeFileSync(resultFile, JSON.stringify(result, null, 2));
  for (const line of describe(result)) console.log(line);
}
