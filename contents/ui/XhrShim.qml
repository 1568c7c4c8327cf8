import QtQml

// XMLHttpRequest for the core's XHR transport. Qt delivers a request's events
// only when send() was called from a function of a QML file, so both the
// widget's façade and the settings page hand these two functions in.
QtObject {
    function createRequest() {
        return new XMLHttpRequest();
    }
    function send(xhr, body) {
        xhr.send(body);
    }
}
