// The built bundle inside Qt's real V4 engine: only this proves it has no
// syntax or built-in V4 lacks (see qml-runtime.md). Exercises the exported
// API the widget uses, with QML-made timers and XMLHttpRequest.
import QtQuick
import QtTest
import "../../contents/code/proxmon.mjs" as Proxmon
import "../../contents/code/demo.mjs" as Demo
import "../../contents/code/settings.mjs" as Settings
import "../../build/qml/features.mjs" as Features

TestCase {
    id: testCase
    name: "Bundle"

    Component {
        id: timerComponent
        Timer { repeat: false }
    }

    // The scheduler shim the widget uses too: one one-shot Timer per call.
    property var scheduler: ({
        now: function () { return Date.now(); },
        schedule: function (ms, callback) {
            var timer = timerComponent.createObject(testCase, { interval: Math.max(0, ms) });
            var done = false;
            timer.triggered.connect(function () {
                if (done) return;
                done = true;
                timer.destroy();
                callback();
            });
            timer.start();
            return function () {
                if (done) return;
                done = true;
                timer.stop();
                timer.destroy();
            };
        }
    })

    function readFile(url) {
        var xhr = new XMLHttpRequest();
        xhr.open("GET", url, false);
        xhr.send();
        return xhr.responseText;
    }

    function readFixture(name) {
        return readFile(Qt.resolvedUrl("../fixtures/" + name));
    }

    function test_decodes_real_capture() {
        var body = JSON.parse(readFixture("go-proxmox__pve7x_cluster_resources.json"));
        var decoded = Proxmon.decodeResources(body.data);
        verify(decoded !== null);
        compare(decoded.nodes.length, 4);
        verify(decoded.guests.length > 0);
        var snapshot = Proxmon.assembleSnapshot({ resources: decoded });
        compare(snapshot.nodes.length, 4);
        for (var i = 0; i < snapshot.guests.length; i++) {
            verify(snapshot.guests[i].vmid > 0);
            verify(snapshot.guests[i].name.length > 0);
        }
    }

    function test_garbage_never_throws() {
        compare(Proxmon.decodeResources("nope"), null);
        var decoded = Proxmon.decodeResources([null, 1, "x", { type: "qemu", vmid: "abc" },
            { type: "qemu", vmid: "101", node: "pve", cpu: -0.00005, status: "io-error" }]);
        compare(decoded.guests.length, 1);
        compare(decoded.guests[0].vmid, 101);
        compare(decoded.guests[0].cpu, 0);
        compare(decoded.guests[0].name, "VM 101");
    }

    function test_formatting_without_intl() {
        compare(Proxmon.formatBytes(1536 * 1024 * 1024), "1.5 GiB");
        compare(Proxmon.formatUptime(3 * 86400 + 4 * 3600), "3d 4h");
        compare(Proxmon.formatAge(12000).unit, "seconds");
    }

    function test_filter_and_token_checks() {
        var parsed = Proxmon.parseFilter("web-*, 100-199, 300-200, tag:prod");
        compare(parsed.problems.length, 1);
        verify(Proxmon.validateTokenId("root@pam") !== null);
        compare(Proxmon.validateTokenId("monitor@pve!proxmon"), null);
        compare(Proxmon.normaliseFingerprint("aa".repeat(32)).length, 95);
    }

    function test_scrubber_sees_through_format_characters() {
        // The explicit Cf table and the surrogate handling must work in V4 too.
        var secret = "0b1c2d3e-aaaa-bbbb-cccc-111122223333";
        var split = secret.slice(0, 6) + "\u00ad" + secret.slice(6, 20) + "\udb40\udc41" + secret.slice(20, 30) + "\u034f" + secret.slice(30);
        compare(Proxmon.redactTokenId("guest " + split + " stopped", "monitor@pve!proxmon", secret), "guest … stopped");
        compare(Proxmon.redactTokenId("soft\u00adhyphen", "monitor@pve!proxmon", secret), "soft\u00adhyphen");
    }

    ListModel { id: rows }

    function test_sync_ops_update_a_list_model_in_place() {
        function row(key, cpu) { return { key: key, cpuText: cpu }; }
        var before = [row("qemu/1", "1%"), row("qemu/2", "2%"), row("lxc/3", "3%")];
        for (var i = 0; i < before.length; i++) rows.append(before[i]);
        var after = [row("lxc/3", "3%"), row("qemu/1", "5%"), row("qemu/4", "0%")];
        var ops = Proxmon.syncOps(before, after);
        for (var j = 0; j < ops.length; j++) {
            var op = ops[j];
            if (op.op === "remove") rows.remove(op.index, op.count);
            else if (op.op === "insert") rows.insert(op.index, op.row);
            else if (op.op === "move") rows.move(op.from, op.to, 1);
            else if (op.op === "set") rows.set(op.index, op.row);
        }
        compare(rows.count, 3);
        compare(rows.get(0).key, "lxc/3");
        compare(rows.get(1).cpuText, "5%");
        compare(rows.get(2).key, "qemu/4");
        compare(Proxmon.syncOps(after, after).length, 0);
    }

    ListModel { id: patched }
    Repeater {
        id: patchedRows
        model: patched
        delegate: Item {
            required property string cpuText
            required property string rowKind
            property string shown: cpuText
            Component.onCompleted: testCase.delegatesMade++
        }
    }
    property int delegatesMade: 0

    // What the widget's façade does with the ops (WidgetFacade.qml applyOps):
    // a changed row gets only its changed roles, in place, and keeps its
    // delegate; the kind role is never handed to set().
    function test_apply_list_ops_patches_rows_in_place() {
        function row(key, cpu, mem) { return { key: key, rowKind: "guest", cpuText: cpu, memText: mem }; }
        var before = [row("qemu/1", "1%", "1 GiB"), row("qemu/2", "2%", "2 GiB"), row("lxc/3", "3%", "3 GiB")];
        Proxmon.applyListOps(patched, Proxmon.syncOps([], before));
        compare(patched.count, 3);
        compare(delegatesMade, 3);
        var after = [row("qemu/1", "5%", "1 GiB"), row("qemu/2", "2%", "4 GiB"), row("lxc/3", "3%", "3 GiB")];
        var ops = Proxmon.syncOps(before, after);
        compare(ops.length, 2);
        compare(JSON.stringify(Proxmon.rowPatch(ops[0].was, ops[0].row)), JSON.stringify({ cpuText: "5%" }));
        Proxmon.applyListOps(patched, ops);
        compare(delegatesMade, 3);
        compare(patched.get(0).cpuText, "5%");
        compare(patched.get(0).memText, "1 GiB");
        compare(patched.get(1).memText, "4 GiB");
        compare(patched.get(1).rowKind, "guest");
        compare(patchedRows.itemAt(0).shown, "5%");
        // Moves, removals and insertions still land where syncOps says.
        var third = [row("lxc/3", "3%", "3 GiB"), row("qemu/1", "6%", "1 GiB"), row("qemu/9", "0%", "1 GiB")];
        Proxmon.applyListOps(patched, Proxmon.syncOps(after, third));
        compare(patched.count, 3);
        for (var i = 0; i < third.length; i++) {
            compare(patched.get(i).key, third[i].key);
            compare(patched.get(i).cpuText, third[i].cpuText);
        }
    }

    function test_monitor_runs_on_the_demo_cluster() {
        var transport = Demo.createDemoTransport({ scheduler: scheduler, latencyMs: 5 });
        var views = [];
        var monitor = Proxmon.createMonitor({ scheduler: scheduler, transport: transport });
        monitor.onView(function (view) { views.push(view.phase); });
        monitor.configure(Demo.demoSettings(30));
        tryVerify(function () { return monitor.view().phase === "ok"; }, 3000);
        var view = monitor.view();
        compare(view.nodes.length, 3);
        verify(view.summary.guestsTotal > 5);
        verify(view.panel.averageCpuPercent !== null);
        verify(views.indexOf("ok") >= 0);
        monitor.dispose();
    }

    function test_power_action_runs_on_the_demo_cluster() {
        var transport = Demo.createDemoTransport({ scheduler: scheduler, latencyMs: 5 });
        var settings = Demo.demoSettings(30);
        var client = Proxmon.createClient({ transport: transport, host: settings.host, port: settings.port,
            tokenId: settings.tokenId, secret: settings.secret, timeoutMs: 2000 });
        var tr = function (template) {
            var args = Array.prototype.slice.call(arguments, 1);
            return template.replace(/%(\d)/g, function (m, n) { return String(args[Number(n) - 1]); });
        };
        var ended = [];
        var runner = Proxmon.createActionRunner({ client: client, scheduler: scheduler, tr: tr,
            onTaskEnd: function (r) { ended.push(r); }, pollDelaysMs: [300] });
        var g = transport.cluster.guests.filter(function (x) {
            return x.type === "qemu" && x.status === "running" && !x.hastate && !x.lock && !x.template;
        })[0];
        verify(g !== undefined);
        var guest = { vmid: g.vmid, type: g.type, name: g.name, node: g.node, status: g.status,
                      template: false, lock: null, hastate: null };
        compare(Proxmon.actionChoices(guest, tr).filter(function (c) { return c.allowed; })
                .map(function (c) { return c.action; }).join(","), "shutdown,reboot,suspend,stop,reset");
        var result = null;
        runner.run(guest, "reboot").then(function (r) { result = r; });
        verify(runner.progress(g.vmid) !== null);
        tryVerify(function () { return result !== null; }, 6000);
        compare(result.outcome, "ok");
        compare(result.exitstatus, "OK");
        compare(Proxmon.parseUpid(result.upid).type, "qmreboot");
        compare(ended.length, 1);
        compare(runner.progress(g.vmid), null);
        runner.dispose();
    }

    // The widget's session over the demo bundle, as WidgetFacade.qml wires it.
    function test_widget_session_runs_the_demo_bundle() {
        var views = 0;
        var session = Proxmon.createWidgetSession({
            scheduler: scheduler,
            createRequest: function () { return new XMLHttpRequest(); },
            send: function (xhr, body) { xhr.send(body); },
            loadNative: function () { return null; },
            loadDemo: function () { return Demo.createDemoModule(); }
        });
        compare(session.view().phase, "loading");
        compare(session.view().state.busy, true);
        session.onRows(function () { views++; });
        session.setPopupOpen(true);
        session.update({ demoMode: true, refreshInterval: 30 }, { secret: "", state: "idle", errorMessage: "", generation: 0 });
        tryVerify(function () { return session.view().phase === "ok"; }, 3000);
        var view = session.view();
        compare(view.nodes.length, 3);
        compare(view.headerSubtitle.indexOf("demo") >= 0, true);
        verify(view.cpuLabel.indexOf("%") > 0);
        verify(views > 0);
        // Leaving the demo with nothing set up: "not configured" with its buttons.
        session.update({ demoMode: false }, { secret: "", state: "idle", errorMessage: "", generation: 0 });
        compare(session.view().phase, "unconfigured");
        compare(session.view().state.showDemo, true);
        session.dispose();
    }

    // Power actions through the session (src/widget/guest-actions.ts) on the
    // demo cluster: menu, confirmation, the running task, its end.
    function test_widget_session_power_action_on_the_demo() {
        var session = Proxmon.createWidgetSession({
            scheduler: scheduler,
            createRequest: function () { return new XMLHttpRequest(); },
            send: function (xhr, body) { xhr.send(body); },
            loadNative: function () { return null; },
            loadDemo: function () { return Demo.createDemoModule(); }
        });
        session.setPopupOpen(true);
        var none = { secret: "", state: "idle", errorMessage: "", generation: 0 };
        session.update({ demoMode: true, refreshInterval: 30, actionsMode: "monitoring",
                         expandedNodes: ["node/pve1", "node/pve2", "node/pve3"] }, none, none);
        tryVerify(function () { return session.view().phase === "ok"; }, 3000);
        compare(session.view().actionsEnabled, true);
        var rows = session.view().guestsByNode;
        var row = null;
        Object.keys(rows).forEach(function (node) {
            rows[node].forEach(function (r) {
                if (!row && r.type === "qemu" && r.status === "running" && r.lock === "" && r.hastate === "") row = r;
            });
        });
        verify(row !== null);
        var reboot = session.actionMenu(row.key).filter(function (e) { return e.id === "power:reboot"; })[0];
        compare(reboot.enabled, true);
        session.chooseAction(row.key, "power:reboot");
        compare(session.view().guestActions[row.key].confirming, true);
        session.confirmAction(row.key);
        compare(session.view().guestActions[row.key].pending, true);
        tryVerify(function () { return session.view().guestActions[row.key] === undefined; }, 8000);
        session.dispose();
    }

    // Backups and cluster health in the session (issue 13): the demo's
    // backup jobs and tasks read in V4, badges and the section built, the
    // snooze menu and the settings list from the widget bundle.
    function test_widget_session_reads_backups_of_the_demo() {
        var session = Proxmon.createWidgetSession({
            scheduler: scheduler,
            createRequest: function () { return new XMLHttpRequest(); },
            send: function (xhr, body) { xhr.send(body); },
            loadNative: function () { return null; },
            loadDemo: function () { return Demo.createDemoModule(); }
        });
        session.setPopupOpen(true);
        session.update({ demoMode: true, refreshInterval: 30 }, { secret: "", state: "idle", errorMessage: "", generation: 0 });
        tryVerify(function () { return session.view().backups.groups.length > 0; }, 5000);
        var b = session.view().backups;
        compare(b.guestChips["100"][0].color, "positive");
        compare(b.guestChips["104"][0].color, "negative");
        verify(b.sectionSummary.length > 0);
        verify(b.headerBadges.length > 0);
        var list = session.snooze("guest", "104", "maintenance");
        compare(list.length, 1);
        compare(session.snoozeMenu("guest", "104").length, 5);
        var rows = Proxmon.snoozeSettingsRows(list, Math.floor(Date.now() / 1000));
        compare(rows[0].key, "guest:104");
        compare(Proxmon.removeSnoozeEntry(list, "guest:104").length, 0);
        session.dispose();
    }

    // The settings dialog's bundle: its pure helpers and a connection test
    // that is refused before anything is sent.
    function test_settings_bundle() {
        compare(Settings.effectiveTlsMode({ tlsMode: "system", tlsFingerprint: "", ignoreSsl: true }), "insecure");
        compare(Settings.checkCaPem(""), "empty");
        compare(Settings.keyringTexts("stored").placeholder, "Stored in KDE Wallet; type to replace it");
        verify(Settings.certificateAdvice({ mode: "pin", nativeAvailable: false, caProblem: null }).warning.indexOf("./install.sh") > 0);
        var test = Settings.createConnectionTest({
            scheduler: scheduler,
            createRequest: function () { return new XMLHttpRequest(); },
            send: function (xhr, body) { xhr.send(body); },
            loadNative: function () { return null; },
            readStoredSecret: function (done) { done(null, ""); }
        });
        test.run({ host: "127.0.0.1", port: 8006, tokenId: "monitor@pve!proxmon", secret: "x", secretStored: false,
                   tls: { tlsMode: "pin", tlsFingerprint: "AB", tlsCaPem: "", ignoreSsl: false } });
        compare(test.state().status, "error");
        verify(test.state().text.indexOf("SHA-256") >= 0);
        test.dispose();
    }

    // History and storage (issue 12): the reader, decoders, grouping, forecast
    // and panel label in V4 itself, against the demo cluster's rrddata.
    function test_history_runs_on_the_demo_cluster() {
        var transport = Demo.createDemoTransport({ scheduler: scheduler, latencyMs: 5 });
        var settings = Demo.demoSettings(30);
        var client = Proxmon.createClient({ transport: transport, host: settings.host, port: settings.port,
            tokenId: settings.tokenId, secret: settings.secret, timeoutMs: 2000 });
        var reader = Proxmon.createHistoryReader({ client: client, scheduler: scheduler });
        var changes = [];
        reader.onChange(function (c) { changes.push(c); });
        var node = transport.cluster.nodes[0].name;
        reader.setVisible([{ target: { kind: "node", node: node }, timeframe: "hour" }]);
        tryVerify(function () { return changes.length > 0; }, 5000);
        compare(changes[0].reset, true);
        var series = reader.series("node/" + node);
        verify(series.points.length >= 60);
        verify(series.points[series.points.length - 1].maxmem > 0);
        compare(reader.stats().requests, 1);
        reader.close();
        reader.dispose();
        var s = { storage: [
            { storage: "nas", node: "a", status: "available", shared: true, plugintype: "nfs", content: [], used: 90, total: 100 },
            { storage: "nas", node: "b", status: "available", shared: true, plugintype: "nfs", content: [], used: 90, total: 100 },
            { storage: "local", node: "a", status: "available", shared: false, plugintype: "dir", content: [], used: 10, total: 100 }
        ] };
        var groups = Proxmon.groupStorage(s);
        compare(groups.shared.length, 1);
        compare(groups.all[0].key, "storage/nas");
        var pts = [];
        for (var i = 0; i < 100; i++) pts.push({ time: 1000 + i * 1800, used: 700 + i * 0.5, total: 1000 });
        var f = Proxmon.forecastFull(pts);
        verify(f !== null && f.days > 0 && f.days <= 30);
        var label = Proxmon.panelLabel({ cluster: { name: null, quorate: null, version: null },
            nodes: [], guests: [], storage: s.storage }, "fullest-storage");
        compare(label.text, "nas 90 %");
        compare(Proxmon.decodeResourceRrd([{ time: 1 }, { cpu: 1 }], "qemu").points.length, 1);
    }

    // Issue 12 in the widget: the session reads history only with the popup
    // open, feeds chart rows, opens a guest detail and builds the storage section.
    function test_widget_session_history_and_storage() {
        var session = Proxmon.createWidgetSession({
            scheduler: scheduler,
            createRequest: function () { return new XMLHttpRequest(); },
            send: function (xhr, body) { xhr.send(body); },
            loadNative: function () { return null; },
            loadDemo: function () { return Demo.createDemoModule(); }
        });
        var updates = [];
        session.onHistory(function (u) { updates.push(u); });
        session.update({ demoMode: true, refreshInterval: 30, expandedNodes: ["node/pve1"], panelLabelMode: "guests" },
            { secret: "", state: "idle", errorMessage: "", generation: 0 });
        tryVerify(function () { return session.view().phase === "ok"; }, 3000);
        var key = session.view().nodes[0].key;
        session.showNodeHistory(key, true);
        wait(200);
        compare(updates.length, 0, "nothing is read with the popup closed");
        session.setPopupOpen(true);
        tryVerify(function () { return updates.some(function (u) { return u.key === key; }); }, 3000);
        verify(session.historyRows(key).length >= 30);
        verify(session.historyHover(key, 0, "mem").indexOf("Memory") === 0);
        var guest = session.view().guestsByNode["pve1"].filter(function (r) { return r.running; })[0];
        session.toggleGuestDetail(guest.key);
        compare(session.view().guestDetail.key, guest.key);
        tryVerify(function () { return session.historyRows(guest.key).length > 0; }, 3000);
        var storage = session.view().storage;
        verify(storage.visible);
        compare(storage.lines[0].title, "Shared");
        verify(/^\d+\/\d+$/.test(session.view().panelText));
        session.setPopupOpen(false);
        session.dispose();
    }

    // Qt delivers XHR events only when send() runs in a QML function.
    function xhrSend(xhr, body) { xhr.send(body); }

    // Several clusters (issue 11): migration, failover and the aggregate in V4.
    function test_connections_failover_and_aggregate() {
        var list = Features.readConnectionList({ proxmoxHost: "pve1.lan", proxmoxPort: 8443, apiTokenId: "m@pve!t", tlsMode: "system" });
        compare(list.connections.length, 1);
        compare(list.connections[0].hosts[0].entry, "pve1.lan:8443");
        compare(Features.legacyKeysOf(list.connections[0]).proxmoxPort, 8443);
        compare(Features.parseHostEntry("[fe80::1]:8006").value.host, "fe80::1");
        compare(Features.secretVariableName("home-lab"), "PROXMON_TOKEN_SECRET_HOME_LAB");
        var asked = [];
        function stub(name, answer) {
            return { baseUrl: "https://" + name, cleanText: function (t) { return t; },
                     post: function () { return { result: Promise.resolve(answer), abort: function () {} }; },
                     get: function (path) { asked.push(name); return { result: Promise.resolve(answer), abort: function () {} }; } };
        }
        var client = Features.createFailoverClient({ addresses: [
            { host: "a", port: 1, client: stub("a", { ok: false, error: { kind: "timeout", message: "t" } }) },
            { host: "b", port: 2, client: stub("b", { ok: true, value: 1 }) }] });
        var result = null;
        client.get("/cluster/resources").result.then(function (r) { result = r; });
        tryVerify(function () { return result !== null; }, 1000);
        compare(result.ok, true);
        compare(asked.join(","), "a,b");
        compare(client.answered().host, "b");
        var node = function (cpu) { return { online: true, cpuFraction: cpu }; };
        var view = function (nodes) { return { nodes: nodes, hasError: false, phase: "ok", stale: false, statusColor: "positive",
                                              summary: { cpuText: "x", nodesOnline: 1, nodesTotal: 1 }, toolTipSubText: "", errorMessage: "", state: { title: "" } }; };
        var panel = Features.aggregatePanel([{ key: "1", name: "a", view: view([node(0.1), node(0.3)]) },
                                             { key: "2", name: "b", view: view([node(0.8)]) }]);
        compare(panel.averageCpuPercent, 40);
        compare(panel.toolTipSubText.split("\n").length, 2);
        // What the widget's façade wires (proxmon.mjs): one wallet account per enabled connection.
        var two = JSON.stringify([{ name: "home", hosts: ["pve1.lan"], tokenId: "m@pve!t" },
                                  { name: "office", hosts: ["pve.office:8443"], tokenId: "m@pve!t" }]);
        var accounts = Proxmon.connectionSecretAccounts({ connections: two });
        compare(accounts.length, 2);
        compare(accounts[1].key, "m@pve!t@pve.office:8443");
        compare(Proxmon.connectionSecretKeys({ connections: two }).join(","), "m@pve!t@pve1.lan:8006,m@pve!t@pve.office:8443");
        var prefix = Proxmon.expandedPrefix(accounts[1].key);
        var stored = Proxmon.toggleExpandedNode(["node/a"], prefix, "node/b");
        compare(Proxmon.expandedNodesOf(stored, prefix).join(","), "node/b");
        compare(Proxmon.expandedNodesOf(stored, "").join(","), "node/a");
        var secrets = Proxmon.gatherSecrets([accounts[0].key], { secret: "s", state: "ok", errorMessage: "", generation: 2 }, {});
        compare(secrets[accounts[0].key].generation, 2);
        var multi = Proxmon.createMultiSession({ scheduler: scheduler, createRequest: function () { return new XMLHttpRequest(); },
                                                 send: xhrSend, loadNative: function () { return null; }, loadDemo: function () { return null; } });
        multi.update({ connections: two, refreshInterval: 3600 }, {});
        compare(multi.view().single, false);
        compare(multi.view().connections.length, 2);
        verify(multi.sessionFor(accounts[1].key) !== null);
        multi.dispose();
    }

    function test_xhr_transport_reports_an_unreachable_server() {
        var transport = Proxmon.createXhrTransport({
            createRequest: function () { return new XMLHttpRequest(); },
            send: xhrSend,
            scheduler: scheduler
        });
        var monitor = Proxmon.createMonitor({ scheduler: scheduler, transport: transport });
        // Port 9 (discard) on loopback: nothing listens there.
        monitor.configure({ host: "127.0.0.1", port: 9, tokenId: "monitor@pve!proxmon",
                            secret: "00000000-0000-4000-8000-000000000001", refreshIntervalSec: 30 });
        tryVerify(function () { return monitor.view().phase === "error"; }, 5000);
        compare(monitor.view().errorKind, "unreachable");
        verify(monitor.view().errorMessage.indexOf("00000000-0000-4000-8000-000000000001") < 0);
        monitor.dispose();
    }

    function test_xhr_transport_times_out_by_timer() {
        // run-qml-tests.mjs listens on this port and never answers.
        var env = JSON.parse(readFile(Qt.resolvedUrl("../../build/test-results/qml-env.json")));
        var transport = Proxmon.createXhrTransport({
            createRequest: function () { return new XMLHttpRequest(); },
            send: xhrSend,
            scheduler: scheduler
        });
        var client = Proxmon.createClient({ transport: transport, host: "127.0.0.1", port: env.hangPort,
            tokenId: "monitor@pve!proxmon", secret: "00000000-0000-4000-8000-000000000001", timeoutMs: 300 });
        var outcome = null;
        var started = Date.now();
        client.get("/version").result.then(function (r) { outcome = r; });
        tryVerify(function () { return outcome !== null; }, 3000);
        compare(outcome.ok, false);
        compare(outcome.error.kind, "timeout");
        verify(Date.now() - started >= 250);
    }
}
