// The one machine-readable line `proxmon simulate` prints once it listens,
// so a test harness in another process (or a chroot) can find the port, the
// CA to trust and the control endpoint. It never carries the token secret:
// whoever started the simulator has the scenario file that holds it.

export const READY_PREFIX = "PROXMON_SIMULATOR ";

export interface ReadyInfo {
  /** "https://127.0.0.1:PORT" (API under /api2/json). */
  url: string;
  /** PEM file of the simulator's CA. */
  caFile: string;
  /** SHA-256 of the served certificate, "AA:BB:...". */
  fingerprint256: string;
  /** "user@realm!tokenname", or null when the simulator checks no token. */
  tokenId: string | null;
  /** Control API base: url + "/__sim". */
  control: string;
}

/** Only the listed fields are written, whatever else the object carries. */
export function formatReadyLine(info: ReadyInfo): string {
  const safe: ReadyInfo = {
    url: info.url,
    caFile: info.caFile,
    fingerprint256: info.fingerprint256,
    tokenId: info.tokenId,
    control: info.control,
  };
  return READY_PREFIX + JSON.stringify(safe);
}

/** Finds the ready line in some output; null if there is none (yet). */
export function parseReadyLine(output: string): ReadyInfo | null {
  for (const line of output.split(/\r?\n/)) {
    if (line.indexOf(READY_PREFIX) !== 0) continue;
    try {
      const value = JSON.parse(line.slice(READY_PREFIX.length)) as Partial<ReadyInfo>;
      if (
        typeof value.url === "string" &&
        typeof value.caFile === "string" &&
        typeof value.fingerprint256 === "string" &&
        (typeof value.tokenId === "string" || value.tokenId === null) &&
        typeof value.control === "string"
      ) {
        return {
          url: value.url,
          caFile: value.caFile,
          fingerprint256: value.fingerprint256,
          tokenId: value.tokenId,
          control: value.control,
        };
      }
    } catch {
      // Not ours after all; keep looking.
    }
  }
  return null;
}
