// What the session may still call once it is disposed: nothing of QML's.
// The translator, notifier, timers, XMLHttpRequest and loaders handed in
// belong to QML objects destroyed with the widget, while promises the
// session started (a full backups read is many requests in a row, history
// reads, a power action's task) can still settle afterwards. Calling into
// destroyed QML objects printed "Value is undefined and could not be
// converted to an object" from i18n in Qt 6.8 and came before crashes of the
// process, so every such dependency is cut off at dispose().

import { plainTranslator } from "../notify/message";
import { plainContextTranslator } from "./texts";
import type { WidgetSessionDeps } from "./session";

export function cutOffAtDispose(deps: WidgetSessionDeps, gone: () => boolean): WidgetSessionDeps {
  const tr = deps.tr || plainTranslator;
  const trc = deps.trc || plainContextTranslator;
  const scheduler = deps.scheduler;
  return {
    ...deps,
    tr: (template, ...args) => (gone() ? plainTranslator : tr)(template, ...args),
    trc: (context, template, ...args) =>
      (gone() ? plainContextTranslator : trc)(context, template, ...args),
    notify: deps.notify
      ? (n) => {
          if (!gone() && deps.notify) deps.notify(n);
        }
      : undefined,
    saveSnoozes: deps.saveSnoozes
      ? (list) => {
          if (!gone() && deps.saveSnoozes) deps.saveSnoozes(list);
        }
      : undefined,
    scheduler: {
      now: () => scheduler.now(),
      schedule(ms, callback) {
        if (gone()) return () => undefined;
        const cancel = scheduler.schedule(ms, () => {
          if (!gone()) callback();
        });
        return () => {
          if (!gone()) cancel();
        };
      },
    },
    createRequest: () => {
      if (gone()) throw new Error("the widget is gone");
      return deps.createRequest();
    },
    send: (xhr, body) => {
      if (gone()) throw new Error("the widget is gone");
      deps.send(xhr, body);
    },
    loadNative: () => (gone() ? null : deps.loadNative()),
    loadDemo: () => (gone() ? null : deps.loadDemo()),
    // Named, not only spread: multi-session hands in deps inherited through Object.create.
    plasma: deps.plasma,
  };
}
