import QtQuick

// TEST STAGING ONLY (tests/plasma/test-keyring.sh, run "apply"): becomes
// contents/ui/ConfigConnection.qml, with the real page renamed to
// ConfigConnectionReal.qml, so the dialog shows the real page. It only
// changes the port (as typing into the spin box would), gives the secret
// field the keyboard focus and logs where the dialog's own Apply button and
// the field are on the screen; xinput.py then types the secret and clicks
// Apply through the X server. Nothing here presses Apply or calls saveConfig().
ConfigConnectionReal {
    id: page

    property int hookStep: 0

    function find(item, test) {
        if (!item)
            return null;
        if (test(item))
            return item;
        const kids = item.children || [];
        for (let k = 0; k < kids.length; k++) {
            const hit = find(kids[k], test);
            if (hit)
                return hit;
        }
        return null;
    }
    function centre(item) {
        const p = item.mapToGlobal(item.width / 2, item.height / 2);
        return Math.round(p.x) + "," + Math.round(p.y);
    }

    onKeyringStateChanged: console.log("proxmon-test: apply-hook keyring " + page.keyringState)

    Timer {
        interval: 500
        repeat: true
        running: true
        onTriggered: {
            const win = page.Window.window;
            if (!win || !page.visible)
                return;
            const apply = page.find(win.contentItem, function (i) {
                return i.text === "Apply" && i.clicked !== undefined && i.icon !== undefined;
            });
            const field = page.find(page, function (i) {
                return i.echoMode === TextInput.Password;
            });
            if (!apply || !field)
                return;
            if (page.hookStep === 0) {
                page.hookStep = 1;
                page.cfg_proxmoxPort = @PORT@;
                // The field may sit below the fold of the dialog: scroll it into view.
                const flick = page.flickable;
                if (flick) {
                    const at = field.mapToItem(flick.contentItem, 0, 0);
                    flick.contentY = Math.max(0, Math.min(flick.contentHeight - flick.height, at.y - flick.height / 2));
                }
                field.forceActiveFocus();
                return;
            }
            stop();
            console.log("proxmon-test: apply-hook ready apply=" + page.centre(apply) + " field=" + page.centre(field) + " apply-enabled=" + apply.enabled + " port=" + page.cfg_proxmoxPort + " field-focus=" + field.activeFocus + " window=" + win.x + "," + win.y + "," + win.width + "x" + win.height);
        }
    }
}
