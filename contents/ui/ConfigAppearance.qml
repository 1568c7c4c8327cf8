import QtQuick
import QtQuick.Controls as QQC2
import org.kde.kirigami as Kirigami
import org.kde.kcmutils as KCM

// Settings → Appearance: how dense the popup's guest list is.
KCM.SimpleKCM {
    id: page

    property string cfg_rowDensity: "normal"

    Kirigami.FormLayout {
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
