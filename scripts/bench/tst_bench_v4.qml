// The V4 half of `npm run bench`, run by qmltestrunner: the same refresh
// processing as the Node half, on the same bodies, inside Qt's engine.
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

    function measureExpansion(bodies, expansion) {
        var processor = Bench.createRefreshProcessor(expansion);
        processor.run(bodies[0], 0);
        var tick = 1;
        var run = function () { processor.run(bodies[tick % 2], tick * 30000); tick++; };
        var processMs = timeIt(run);
        var stages = Bench.createStageBench(bodies, expansion);
        return {
            processMs: processMs,
            trackerMs: timeIt(stages.tracker),
            viewMs: timeIt(stages.viewModel),
            syncMs: timeIt(stages.sync)
        };
    }

    function test_bench() {
        var sizes = JSON.parse(readFile(Qt.resolvedUrl("../../build/bench/sizes.json")));
        for (var s = 0; s < sizes.length; s++) {
            var n = sizes[s];
            var bodies = [readFile(Qt.resolvedUrl("../../build/bench/resources-" + n + "-0.json")),
                          readFile(Qt.resolvedUrl("../../build/bench/resources-" + n + "-1.json"))];
            var body = bodies[0];
            var parseMs = timeIt(function () { JSON.parse(body); });
            var decodeMs = timeIt(function () { Bench.createRefreshProcessor().decode(body); });
            var result = { guests: n, parseMs: parseMs, decodeMs: decodeMs };
            var expansions = ["all", "one"];
            for (var e = 0; e < expansions.length; e++)
                result[expansions[e]] = measureExpansion(bodies, expansions[e]);
            result.processMs = result.all.processMs;
            console.log("BENCH " + JSON.stringify(result));
        }
    }
}
