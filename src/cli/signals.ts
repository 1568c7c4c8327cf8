// Long-running commands (simulate, watch) end on Ctrl-C or SIGTERM, or
// earlier when `until` settles; either way the handlers are removed so the
// process can exit by itself.

export function waitForSignal<T = never>(until?: Promise<T>): Promise<string | T> {
  return new Promise((resolve) => {
    const done = (value: string | T): void => {
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
      resolve(value);
    };
    const onSignal = (signal: string): void => done(signal);
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    if (until) until.then(done);
  });
}
