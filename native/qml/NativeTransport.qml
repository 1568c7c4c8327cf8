// The plain-function face of TlsClient for the TypeScript core
// (createNativeTransport in src/api/transport-native.ts):
//
//   NativeTransport { id: nativeTls }
//   ... createNativeTransport({ nativeRequest: nativeTls.request, policy })
//
// request(spec, onDone) starts a request and returns { abort() }; onDone(result)
// is called exactly once, never before request() returned. See tlsclient.h
// for the spec and result fields.
import QtQml

QtObject {
    id: root

    /** Version of the request/result contract (TlsClient.apiVersion). */
    readonly property int apiVersion: client.apiVersion
    /** Requests not finished yet. */
    readonly property int pending: _pending

    property int _pending: 0
    property var _callbacks: ({})

    property TlsClient client: TlsClient {
        onFinished: (id, result) => root._done(id, result)
    }

    function request(spec, onDone) {
        const id = root.client.request(spec);
        root._callbacks[id] = onDone;
        root._pending++;
        const client = root.client;
        return {
            abort: function () {
                client.abort(id);
            }
        };
    }

    function _done(id, result) {
        const callback = root._callbacks[id];
        if (callback === undefined) {
            return;
        }
        delete root._callbacks[id];
        root._pending--;
        callback(result);
    }
}
