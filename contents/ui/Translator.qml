import QtQml

// The core's translators over i18n / i18nc (same "%1" placeholders), for
// the widget's façade and the settings page alike.
QtObject {
    function tr(template) {
        return i18n.apply(null, arguments);
    }
    function trc(context, template) {
        return i18nc.apply(null, arguments);
    }
}
