// Settings that point a monitor at the in-memory demo cluster, so "Try the
// demo cluster" runs the real pipeline (client, decoders, controller) with
// no network and no token of the user's.

import type { MonitorSettings } from "../monitor";
import { DEFAULT_TOKEN } from "../sim-engine/scenario";
import { DEMO_HOST, DEMO_PORT, DEMO_SCENARIO } from "./transport";

export function demoSettings(refreshIntervalSec: number): MonitorSettings {
  const token = DEMO_SCENARIO.token || DEFAULT_TOKEN;
  return {
    host: DEMO_HOST,
    port: DEMO_PORT,
    tokenId: token.id,
    secret: token.secret,
    refreshIntervalSec,
  };
}
