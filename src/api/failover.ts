// Failover between the addresses of one cluster. Every node of a Proxmox
// cluster serves the same API, so when the address in use is down the next
// one is asked, within the same request, and the one that answered is asked
// first from then on.
//
// What fails over, and what does not:
// - "unreachable" and "timeout": the address did not answer at all.
// - 595/596 on a cluster-wide path (not under /nodes/): pveproxy on that
//   address could not reach its own daemon, so it cannot answer for itself.
//   Under /nodes/{node} the same status says the *other* node is down, which
//   every address would repeat: no failover.
// - TLS: never. A certificate that does not verify is a security event and
//   is reported as it is; asking the next address would hide it. And an
//   address whose certificate failed is not asked again within the same
//   request (the transports refuse before the request is written, so the
//   token never reaches it).
// - Anything the server answered (401, 403, 500, bad data): no failover; the
//   next node would say the same.
// - POST: never. A POST that timed out may have been carried out; sending it
//   to another node could repeat the action.
//
// Each address has a client of its own (own transport, so own TLS policy:
// a pinned fingerprint is per node certificate).

import type { ProxmonError, Result } from "./errors";
import type { ApiCall, ProxmoxClient } from "./client";
import type { Logger } from "../scheduler";

export interface FailoverAddress {
  host: string;
  port: number;
  client: ProxmoxClient;
}

export interface FailoverClient extends ProxmoxClient {
  /** The address asked first (the last one that answered, else the first). */
  preferred(): { host: string; port: number };
  /** The address that answered the latest successful request, or null before any. */
  answered(): { host: string; port: number } | null;
}

export interface FailoverOptions {
  addresses: ReadonlyArray<FailoverAddress>;
  log?: Logger;
}

/** Whether `error` on `path` means "this address cannot answer", so the next may. */
export function shouldFailOver(error: ProxmonError, path: string): boolean {
  if (error.kind === "unreachable" || error.kind === "timeout") return true;
  if (error.kind === "node-unreachable") {
    const status = error.status;
    return (status === 595 || status === 596) && path.slice(0, 7) !== "/nodes/";
  }
  return false;
}

function noLog(): void {}

export function createFailoverClient(options: FailoverOptions): FailoverClient {
  const addresses = options.addresses.slice();
  if (addresses.length === 0) throw new Error("createFailoverClient needs at least one address");
  const log: Logger = options.log || noLog;
  let preferred = 0;
  let answered: number | null = null;

  function label(i: number): string {
    const a = addresses[i] as FailoverAddress;
    return (a.host.indexOf(":") >= 0 ? "[" + a.host + "]" : a.host) + ":" + a.port;
  }

  function get(path: string, query?: Record<string, string>): ApiCall<unknown> {
    const start = preferred;
    const n = addresses.length;
    let current: ApiCall<unknown> | null = null;
    let aborted = false;
    const result = new Promise<Result<unknown>>(function (resolve) {
      function tryAt(step: number): void {
        const index = (start + step) % n;
        let call: ApiCall<unknown>;
        try {
          call = (addresses[index] as FailoverAddress).client.get(path, query);
        } catch (e) {
          resolve({
            ok: false,
            error: { kind: "unreachable", message: String(e), path },
          });
          return;
        }
        current = call;
        call.result.then(
          function (answer) {
            if (answer.ok) {
              if (index !== preferred)
                log("info", "failover: " + label(index) + " answered; asking it first from now on");
              preferred = index;
              answered = index;
              resolve(answer);
              return;
            }
            if (!aborted && step + 1 < n && shouldFailOver(answer.error, path)) {
              log(
                "warn",
                "failover: " +
                  label(index) +
                  " " +
                  answer.error.kind +
                  " on " +
                  path +
                  "; trying " +
                  label((index + 1) % n),
              );
              tryAt(step + 1);
              return;
            }
            resolve(answer);
          },
          function (e: unknown) {
            resolve({ ok: false, error: { kind: "unreachable", message: String(e), path } });
          },
        );
      }
      tryAt(0);
    });
    return {
      result,
      abort(): void {
        aborted = true;
        if (current) current.abort();
      },
    };
  }

  return {
    get baseUrl(): string {
      return (addresses[preferred] as FailoverAddress).client.baseUrl;
    },
    get,
    post(path: string, params?: Record<string, string>): ApiCall<unknown> {
      return (addresses[preferred] as FailoverAddress).client.post(path, params);
    },
    cleanText(text: string, limit?: number): string {
      // Every client holds the same secret; any of them scrubs it.
      return (addresses[0] as FailoverAddress).client.cleanText(text, limit);
    },
    preferred(): { host: string; port: number } {
      const a = addresses[preferred] as FailoverAddress;
      return { host: a.host, port: a.port };
    },
    answered(): { host: string; port: number } | null {
      if (answered === null) return null;
      const a = addresses[answered] as FailoverAddress;
      return { host: a.host, port: a.port };
    },
  };
}
