// The second bundle, contents/code/demo.mjs: the demo cluster and the
// simulated pveproxy it runs on. Only DemoLoader.qml imports it, and only
// when the user chooses the demo, so no Plasma engine parses the scenario
// otherwise. No state at module level: the widget's engine is shared.

import type { DemoModule } from "../widget/session";
import { createDemoTransport } from "./transport";
import { demoSettings } from "./settings";

export { createDemoTransport, DEMO_HOST, DEMO_PORT } from "./transport";
export { demoSettings } from "./settings";

/** What the widget session needs of the demo (src/widget/session.ts). */
export function createDemoModule(): DemoModule {
  return {
    createTransport: (deps) => createDemoTransport({ scheduler: deps.scheduler }),
    settings: demoSettings,
  };
}
