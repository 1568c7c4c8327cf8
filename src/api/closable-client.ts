// A GET-only view of a client that can be closed: what a part of the
// session that reads on its own schedule (backups and health) holds, so that
// once the widget is gone nothing it started touches the transport or the
// translator again. Those belong to QML objects that are destroyed with the
// widget; calling into them afterwards failed in Qt 6.8's engine
// ("Value is undefined …" from i18n) and preceded crashes of the process.

import type { Result } from "./errors";

/** A call as the readers see it; abort() when the client has one. */
export interface GetCall {
  readonly result: Promise<Result<unknown>>;
  abort?: () => void;
}

export interface GetClient {
  get(path: string, query?: Record<string, string>): GetCall;
}

export interface ClosableClient {
  readonly client: GetClient;
  /** Aborts what is in flight; every later call settles at once, unsent. */
  close(): void;
  readonly closed: () => boolean;
}

export function closableClient(inner: GetClient): ClosableClient {
  let closed = false;
  // In-flight calls by number; a plain object keeps removal O(1).
  let open: Record<number, GetCall> = {};
  let next = 0;

  function refused(path: string): GetCall {
    // Never shown: whoever asked is gone. Not translated on purpose (the
    // translator may already be destroyed).
    const value: Result<unknown> = {
      ok: false,
      error: { kind: "aborted", message: "closed", path },
    };
    return { result: Promise.resolve(value), abort: () => undefined };
  }

  return {
    client: {
      get(path, query) {
        if (closed) return refused(path);
        const id = next++;
        const call = inner.get(path, query);
        open[id] = call;
        const result = call.result.then((r) => {
          delete open[id];
          return closed ? refused(path).result : r;
        });
        return {
          result,
          abort: () => {
            if (call.abort) call.abort();
          },
        };
      },
    },
    close() {
      if (closed) return;
      closed = true;
      const calls = open;
      open = {};
      for (const id of Object.keys(calls)) {
        const call = calls[Number(id)];
        if (call && call.abort) call.abort();
      }
    },
    closed: () => closed,
  };
}
