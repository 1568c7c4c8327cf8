import QtQuick

// TEST STAGING ONLY (tests/plasma/test-connections.sh, through
// scripts/package.sh --test-hooks): opens the popup and, once a connection's
// guest VM 100 offers "Shut down", chooses and confirms it in that
// connection's own session — what the row's menu and its Confirm button call
// (the clicks themselves are test-actions.sh's) — once per connection. Logs
// the entry as the menu would show it, and that the action was sent.
Item {
    id: hooks

    readonly property bool expandOnStart: true
    property var sent: ({})
    property var said: ({})

    function say(key, line) {
        if (said[key] === line)
            return;
        const next = {};
        for (const k in said)
            next[k] = said[k];
        next[key] = line;
        said = next;
        console.log("proxmon-test: " + line);
    }

    Timer {
        interval: 500
        repeat: true
        running: true
        onTriggered: {
            const app = hooks.parent.app;
            if (!app || !app.multi || !app.multiView)
                return;
            const list = app.multiView.connections;
            for (let i = 0; i < list.length; i++) {
                const c = list[i];
                const session = app.multi.sessionFor(c.key);
                if (!session || hooks.sent[c.name])
                    continue;
                const menu = session.actionMenu("qemu/100");
                let entry = null;
                for (let j = 0; j < menu.length; j++)
                    if (menu[j].id === "power:shutdown")
                        entry = menu[j];
                if (!entry)
                    continue;
                hooks.say("entry " + c.name, "entry " + c.name + " " + (entry.enabled ? "enabled" : "disabled") + " " + entry.tooltip);
                if (!entry.enabled)
                    continue;
                const next = {};
                for (const k in hooks.sent)
                    next[k] = hooks.sent[k];
                next[c.name] = true;
                hooks.sent = next;
                session.chooseAction("qemu/100", "power:shutdown");
                session.confirmAction("qemu/100");
                console.log("proxmon-test: action sent " + c.name);
            }
        }
    }
}
