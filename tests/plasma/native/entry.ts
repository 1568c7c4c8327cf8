// The part of the core the native TLS test runs in Qt's engine: the adapter
// and the API client over it, bundled like contents/code/proxmon.mjs.
export {
  createNativeTransport,
  fromNativeResult,
  nativeTlsSpec,
} from "../../../src/api/transport-native";
export { createClient } from "../../../src/api/client";
export { classifyWireFailure, WIRE_DETAIL } from "../../../src/api/errors";
// The widget's own choice of transport for a policy (pin → a fresh client).
export { nativeTransportFor } from "../../../src/widget/transport-choice";
