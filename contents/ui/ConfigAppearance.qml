import QtQuick
import QtQuick.Controls as QQC2
import org.kde.kirigami as Kirigami
import org.kde.kcmutils as KCM
import "../code/proxmon.mjs" as Proxmon

// Settings → Appearance: what the panel shows beside the icon (issue 12) and
// how dense the popup's guest list is (issue 15). The panel choices and their
// texts come from src/history/panel-label.ts.
KCM.SimpleKCM {
    id: page

    property string cfg_panelLabelMode: "average-cpu"
    property string cfg_rowDensity: "normal"

    readonly property var choices: Proxmon.panelLabelChoices(function (template, a, b) {
            return i18n(template, a === undefined ? "" : a, b === undefined ? "" : b);
        })

    Kirigami.FormLayout {
        QQC2.ComboBox {
            objectName: "panelLabelBox"
            Kirigami.FormData.label: i18n("Panel shows:")
            textRole: "text"
            valueRole: "value"
            model: page.choices
            // From the choices, not indexOfValue(): Qt 5 evaluates this
            // before the box has its model and never again.
            currentIndex: Math.max(0, page.choices.map(function (c) {
                        return c.value;
                    }).indexOf(page.cfg_panelLabelMode))
            onActivated: page.cfg_panelLabelMode = currentValue
        }
        QQC2.Label {
            text: i18n("The tooltip always shows the summary.")
            font: Kirigami.Theme.smallFont
        }
        QQC2.RadioButton {
            objectName: "densityNormal"
            Kirigami.FormData.label: i18n("Guest rows:")
            text: i18nc("row density", "Normal")
            checked: page.cfg_rowDensity !== "compact"
            onToggled: if (checked)
                page.cfg_rowDensity = "normal"
        }
        QQC2.RadioButton {
            objectName: "densityCompact"
            text: i18nc("row density", "Compact: one line per guest, less spacing (for many guests)")
            checked: page.cfg_rowDensity === "compact"
            onToggled: if (checked)
                page.cfg_rowDensity = "compact"
        }
    }
}
