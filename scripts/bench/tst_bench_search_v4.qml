// The V4 half of the search section of `npm run bench` (issue 15), run by
// qmltestrunner: the cost of one keystroke in the popup's search, in Qt's
// engine, for 1,000 guests (and 500 and 10,000 for scale).
import QtQuick
import QtTest
import "../../build/bench/search-bench.mjs" as Bench

TestCase {
    name: "BenchSearchV4"

    // CPU time of the JS thread in ms (as tst_bench_v4.qml).
    function clock() {
        var xhr = new XMLHttpRequest();
        xhr.open("GET", "file:///proc/thread-self/schedstat", false);
        xhr.send();
        var ns = parseInt(xhr.responseText, 10);
        return ns > 0 ? ns / 1e6 : Date.now();
    }

    function median(values) {
        var v = values.slice().sort(function (a, b) { return a - b; });
        return v[Math.floor(v.length / 2)];
    }

    function test_search() {
        var sizes = [500, 1000, 10000];
        for (var s = 0; s < sizes.length; s++) {
            var bench = Bench.createSearchBench(sizes[s]);
            var strokes = Bench.KEYSTROKES.length;
            // Warm up: one round.
            for (var w = 0; w < strokes; w++) bench.keystroke();
            var rounds = sizes[s] > 1000 ? 5 : 25;
            var overhead = [];
            for (var o = 0; o < 50; o++) { var a = clock(); overhead.push(clock() - a); }
            var cost = median(overhead);
            // Per keystroke position: the median over the rounds.
            var per = [];
            for (var k = 0; k < strokes; k++) per.push([]);
            for (var r = 0; r < rounds; r++) {
                for (var k2 = 0; k2 < strokes; k2++) {
                    var t0 = clock();
                    bench.keystroke();
                    per[k2].push(Math.max(0, clock() - t0 - cost));
                }
            }
            var medians = per.map(median);
            var sum = 0;
            var max = 0;
            for (var m = 0; m < medians.length; m++) { sum += medians[m]; max = Math.max(max, medians[m]); }
            var f0 = clock();
            for (var f = 0; f < rounds * strokes; f++) bench.filterOnly();
            var filterMs = (clock() - f0) / (rounds * strokes);
            console.log("BENCHSEARCH " + JSON.stringify({
                guests: sizes[s],
                meanMs: sum / medians.length,
                maxMs: max,
                filterMs: filterMs,
                perKeystroke: medians
            }));
        }
    }
}
