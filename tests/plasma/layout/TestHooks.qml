import QtQuick
import QtQuick.Window
import org.kde.plasma.plasmoid

// TEST STAGING ONLY (scripts/package.sh --test-hooks FILE, run by
// tests/plasma/test-layout.sh): stands in for contents/ui/TestHooks.qml.
// An Item, so main.qml's PlasmoidItem becomes its parent: it opens the
// popup, then logs as "proxmon-test: {json}" lines where the widget sits in
// its window and the colours its chips are drawn in — first with the
// viewer's window focused, then after a window of its own took the focus.
Item {
    id: hooks

    readonly property bool expandOnStart: true
    property int step: 0

    function walk(item, visit) {
        if (!item)
            return;
        visit(item);
        const kids = item.children || [];
        for (let i = 0; i < kids.length; i++)
            walk(kids[i], visit);
        if (item.contentItem && kids.indexOf(item.contentItem) < 0)
            walk(item.contentItem, visit);
    }
    function rgb(c) {
        return [Math.round(c.r * 255), Math.round(c.g * 255), Math.round(c.b * 255), Math.round(c.a * 255)];
    }
    function rect(item) {
        const p = item.mapToItem(null, 0, 0);
        return [Math.round(p.x), Math.round(p.y), Math.round(item.width), Math.round(item.height)];
    }
    function report(state) {
        const plasmoid = hooks.parent;
        const full = plasmoid ? plasmoid.fullRepresentationItem : null;
        const out = {
            state: state,
            plasmoid: plasmoid ? rect(plasmoid) : null,
            full: full ? rect(full) : null,
            window: full && full.Window.window ? [full.Window.window.width, full.Window.window.height] : null,
            active: full && full.Window.window ? full.Window.window.active : null,
            icon: String(Plasmoid.icon),
            chips: []
        };
        walk(full, function (it) {
            if (it.objectName === "guestChip" && it.visible && it.label) {
                // The theme colours where the chip is, for the old chip (its
                // tint as text on the card: alternate background at half
                // opacity over the background).
                const theme = Qt.createQmlObject("import QtQuick; import org.kde.kirigami as Kirigami; Item { readonly property color bg: Kirigami.Theme.backgroundColor; readonly property color alt: Kirigami.Theme.alternateBackgroundColor }", it);
                out.chips.push({ text: it.text, fg: rgb(it.label.color), bg: rgb(it.color), tint: rgb(it.tint), themeBg: rgb(theme.bg), themeAlt: rgb(theme.alt) });
                theme.destroy();
            }
        });
        console.log("proxmon-test: " + JSON.stringify(out));
    }

    Window {
        id: thief
        width: 120
        height: 80
        x: 1100
        y: 650
        color: "black"
        // A transient child would keep the viewer's window active.
        transientParent: null
    }

    Timer {
        interval: 3000
        running: true
        repeat: true
        onTriggered: {
            hooks.step++;
            const own = hooks.parent && hooks.parent.fullRepresentationItem ? hooks.parent.fullRepresentationItem.Window.window : null;
            if (hooks.step === 1) {
                // Without a window manager nothing has the focus at first.
                if (own)
                    own.requestActivate();
            } else if (hooks.step === 2) {
                hooks.report("focused");
                thief.visible = true;
            } else if (hooks.step === 3) {
                // Once it is mapped; asked at once, X ignores it.
                thief.requestActivate();
            } else if (hooks.step === 4) {
                hooks.report("unfocused");
                console.log("proxmon-test: done");
                stop();
            }
        }
    }
}
