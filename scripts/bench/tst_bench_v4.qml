// The V4 half of `npm run bench`, run by qmltestrunner: the same refresh
// processing as the Node half, on the same bodies, inside Qt's engine.
// scripts/bench.mjs runs one data row (one size, one expansion) per
// qmltestrunner process, so that no case inherits the heap another one grew.
import QtQuick
import QtTest
import "../../build/bench/process.mjs" as Bench

TestCase {
    name: "BenchV4"

    function readFile(url) {
        var xhr = new XMLHttpRequest();
        xhr.open("GET", url, false);
        xhr.send();
        return xhr.responseText;
    }

    function median(values) {
        values.sort(function (a, b) { return a - b; });
        return values[Math.floor(values.length / 2)];
    }

    // CPU time of this (the JS) thread in ms, from the kernel's scheduler
    // statistics: on a shared, loaded machine wall time also counts the time
    // other processes had the core. Wall time where /proc cannot be read.
    function clock() {
        var xhr = new XMLHttpRequest();
        xhr.open("GET", "file:///proc/thread-self/schedstat", false);
        xhr.send();
        var ns = parseInt(xhr.responseText, 10);
        return ns > 0 ? ns / 1e6 : Date.now();
    }

    // Repeat until the sample is long enough, and take the median of
    // several such samples. At least 100 ms each: the kernel brings a
    // running thread's CPU time up to date only at a scheduler tick (4 ms
    // here) or a context switch, so each reading can lag by a tick.
    function timeIt(fn) {
        var samples = [];
        var started = clock();
        while (samples.length < 9 || (clock() - started < 3000 && samples.length < 200))
            samples.push(chunk(fn));
        return median(samples);
    }

    function chunk(fn) {
        var runs = 0;
        var t0 = clock();
        var t;
        do { fn(); runs++; t = clock(); } while (t - t0 < 100);
        return (t - t0) / runs;
    }

    // V4's collector is not incremental: a collection lands inside whichever
    // call happens to allocate when the heap is full, costing up to a whole
    // refresh at 10,000 guests. A median of single calls then says more about
    // where collections fell than about the work. So parse, decode and refresh
    // are timed in interleaved blocks (each started from a collected heap,
    // with the processor's state alive throughout) and compared by their
    // totals: each pays for the garbage it makes.
    function block(fn, runs) {
        gc();
        var t0 = clock();
        for (var i = 0; i < runs; i++) fn();
        return clock() - t0;
    }

    function test_bench_data() {
        var sizes = JSON.parse(readFile(Qt.resolvedUrl("../../build/bench/sizes.json")));
        var rows = [];
        for (var s = 0; s < sizes.length; s++) {
            rows.push({ tag: sizes[s] + "-all", guests: sizes[s], expansion: "all" });
            rows.push({ tag: sizes[s] + "-one", guests: sizes[s], expansion: "one" });
        }
        return rows;
    }

    function test_bench(row) {
        var n = row.guests;
        var bodies = [readFile(Qt.resolvedUrl("../../build/bench/resources-" + n + "-0.json")),
                      readFile(Qt.resolvedUrl("../../build/bench/resources-" + n + "-1.json"))];
        var processor = Bench.createRefreshProcessor(row.expansion);
        var t0 = clock();
        processor.run(bodies[0], 0);
        var tick = 1;
        var refresh = function () { processor.run(bodies[tick % 2], tick * 30000); tick++; };
        var bodyTick = 0;
        var parse = function () { JSON.parse(bodies[bodyTick++ % 2]); };
        // decode() keeps no state, so it may share the refreshing processor.
        var decode = function () { processor.decode(bodies[bodyTick++ % 2]); };
        // Blocks of at least ~150 ms, 8 rounds: ~25 s for 10,000 guests.
        var runs = Math.max(2, Math.ceil(150 / Math.max(0.01, clock() - t0)));
        var rounds = 8;
        var parseTotal = 0, decodeTotal = 0, refreshTotal = 0;
        for (var r = 0; r < rounds; r++) {
            parseTotal += block(parse, runs);
            decodeTotal += block(decode, runs);
            refreshTotal += block(refresh, runs);
        }
        var calls = rounds * runs;
        var stages = Bench.createStageBench(bodies, row.expansion);
        var result = {
            guests: n,
            expansion: row.expansion,
            parseMs: parseTotal / calls,
            decodeMs: decodeTotal / calls,
            processMs: refreshTotal / calls,
            trackerMs: timeIt(stages.tracker),
            viewMs: timeIt(stages.viewModel),
            syncMs: timeIt(stages.sync)
        };
        console.log("BENCH " + JSON.stringify(result));
    }
}
