#!/usr/bin/env python3
# Inside the Plasma root (scripts/bench/plasma.sh): what one plasmoidviewer
# process costs over a window, read from /proc only, so it works against
# whatever the widget's QML is.
#
#   plasma-sample.py --pid PID --warm SECONDS --window SECONDS --out FILE.json
#                    [--stats-url URL --ca FILE]   (the simulator's request counters)
#
# After --warm seconds it records, for --window seconds: CPU time
# (utime+stime of all threads, /proc/PID/stat), voluntary and involuntary
# context switches of the main (GUI/JS) thread and of all threads
# (/proc/PID/task/*/status), per thread name, the seconds in which the main
# thread woke up at all, and the resident memory (VmRSS) every 5 s. With --stats-url, the simulator's request count over
# the same window (the refreshes the widget made). At the end, the resident
# KiB per mapping (rssByMappingKiB): the JS heap, malloc's arenas, each
# library, so that the widget and the empty applet can be told apart part
# by part.
import argparse
import json
import os
import ssl
import statistics
import time
import urllib.request

TICK = os.sysconf("SC_CLK_TCK")


def read(path):
    with open(path) as f:
        return f.read()


def cpu_seconds(pid):
    stat = read(f"/proc/{pid}/stat")
    fields = stat[stat.rindex(")") + 2 :].split()
    # utime, stime are fields 14 and 15 (1-based) of the whole line.
    return (int(fields[11]) + int(fields[12])) / TICK


def status_fields(path):
    out = {}
    for line in read(path).splitlines():
        key, _, value = line.partition(":")
        out[key] = value.strip()
    return out


def switches(pid):
    """Main thread and per thread name: (voluntary, involuntary)."""
    main = status_fields(f"/proc/{pid}/task/{pid}/status")
    by_name = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            s = status_fields(f"/proc/{pid}/task/{tid}/status")
            name = read(f"/proc/{pid}/task/{tid}/comm").strip()
        except OSError:
            continue  # a thread that ended meanwhile
        v, n = by_name.get(name, (0, 0))
        by_name[name] = (v + int(s["voluntary_ctxt_switches"]), n + int(s["nonvoluntary_ctxt_switches"]))
    return (int(main["voluntary_ctxt_switches"]), int(main["nonvoluntary_ctxt_switches"])), by_name


def rss_mib(pid, field="VmRSS"):
    kib = status_fields(f"/proc/{pid}/status").get(field, "0 kB").split()[0]
    return int(kib) / 1024


def rss_by_mapping(pid):
    """Resident KiB per mapping name: each library or file, [heap] (malloc's
    main arena), /memfd:JSGCHeap (the QML engine's JS heap), [anon] (every
    unnamed anonymous mapping: the other threads' malloc arenas, large
    blocks, the renderer's buffers), so that two applets can be compared
    part by part."""
    out = {}
    name = "[anon]"
    for line in read(f"/proc/{pid}/smaps").splitlines():
        head = line.split(None, 5)
        if len(head) >= 5 and "-" in head[0] and not head[0].endswith(":"):
            name = head[5].strip() if len(head) == 6 and head[5].strip() else "[anon]"
        elif head and head[0] == "Rss:":
            out[name] = out.get(name, 0) + int(head[1])
    return dict(sorted(((k, v) for k, v in out.items() if v > 0), key=lambda kv: -kv[1]))


def requests(url, ca):
    if not url:
        return None
    ctx = ssl.create_default_context(cafile=ca)
    with urllib.request.urlopen(url, context=ctx, timeout=10) as r:
        return json.load(r)["total"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--warm", type=float, required=True)
    p.add_argument("--window", type=float, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--stats-url")
    p.add_argument("--ca")
    a = p.parse_args()
    pid = a.pid
    rss_warm = []
    start = time.monotonic()
    while time.monotonic() - start < a.warm:
        rss_warm.append(rss_mib(pid))
        time.sleep(5)
    cpu0, (main0, names0), req0 = cpu_seconds(pid), switches(pid), requests(a.stats_url, a.ca)
    t0 = time.monotonic()
    rss = []
    # Anonymous memory (the heaps: JS, malloc) apart from file-backed pages
    # (libraries, fonts, icon caches mapped and touched as they are needed).
    rss_anon = []
    rss_file = []
    # Once a second: did the main thread wake up in that second? A refresh
    # every 10 s shows as one or two busy seconds in ten; a 1-second tick
    # as every second busy.
    busy_seconds = 0
    last = main0[0]
    tick = 0
    while True:
        if tick % 5 == 0:
            rss.append(rss_mib(pid))
            rss_anon.append(rss_mib(pid, "RssAnon"))
            rss_file.append(rss_mib(pid, "RssFile"))
        left = a.window - (time.monotonic() - t0)
        if left <= 0:
            break
        time.sleep(min(1, left))
        tick += 1
        now = switches(pid)[0][0]
        if now != last:
            busy_seconds += 1
        last = now
    cpu1, (main1, names1), req1 = cpu_seconds(pid), switches(pid), requests(a.stats_url, a.ca)
    seconds = time.monotonic() - t0
    per_min = 60 / seconds
    threads = {}
    for name, (v, n) in names1.items():
        v0, n0 = names0.get(name, (0, 0))
        threads[name] = {"voluntaryPerMin": round((v - v0) * per_min, 1), "involuntaryPerMin": round((n - n0) * per_min, 1)}
    result = {
        "windowSeconds": round(seconds, 1),
        "cpuSecondsPerMin": round((cpu1 - cpu0) * per_min, 3),
        "mainVoluntaryPerMin": round((main1[0] - main0[0]) * per_min, 1),
        "mainInvoluntaryPerMin": round((main1[1] - main0[1]) * per_min, 1),
        "mainBusySecondsPerMin": round(busy_seconds * per_min, 1),
        "allVoluntaryPerMin": round(sum(t["voluntaryPerMin"] for t in threads.values()), 1),
        "threads": threads,
        "rssMiB": [round(x, 1) for x in rss],
        "rssAnonMiB": [round(x, 1) for x in rss_anon],
        "rssFileMiB": [round(x, 1) for x in rss_file],
        "rssWarmMiB": [round(x, 1) for x in rss_warm],
        "rssMedianMiB": round(statistics.median(rss), 1),
        "rssFirstMiB": round(rss[0], 1),
        "rssLastMiB": round(rss[-1], 1),
        "requests": None if req0 is None else req1 - req0,
        "rssByMappingKiB": rss_by_mapping(pid),
    }
    with open(a.out, "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
