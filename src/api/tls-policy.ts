// How the client decides to trust a Proxmox node's certificate. PVE ships a
// self-made cluster CA, so "system" trust fails out of the box; pinning the
// node's SHA-256 fingerprint (shown in the GUI under Node → System →
// Certificates) or trusting the cluster CA are the usual ways out. Only the
// Node transport can enforce "pin", "ca" and "insecure": QML's XMLHttpRequest
// has no TLS hooks and always uses the system store.

export type TlsPolicy =
  | { mode: "system" }
  | { mode: "pin"; fingerprint256: string }
  | { mode: "ca"; caPem: string }
  | { mode: "insecure" };

const HEX = "0123456789ABCDEF";

/**
 * Accepts what people paste: PVE's "AA:BB:…", openssl's
 * "sha256 Fingerprint=AA:BB:…", bare hex, any case, stray spaces.
 * Returns the canonical "AA:BB:…" form, or null when it is not a SHA-256.
 */
export function normaliseFingerprint(input: string): string | null {
  let text = input.trim();
  const eq = text.lastIndexOf("=");
  if (eq >= 0 && /^\s*sha-?256(\s+fingerprint)?\s*$/i.test(text.slice(0, eq))) {
    text = text.slice(eq + 1);
  } else if (/^sha-?256:/i.test(text)) {
    text = text.slice(text.indexOf(":") + 1);
  }
  let hex = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i).toUpperCase();
    if (HEX.indexOf(ch) >= 0) {
      hex += ch;
    } else if (ch !== ":" && ch !== " " && ch !== "\t" && ch !== "-") {
      return null;
    }
  }
  if (hex.length !== 64) {
    return null;
  }
  const pairs: string[] = [];
  for (let i = 0; i < hex.length; i += 2) {
    pairs.push(hex.slice(i, i + 2));
  }
  return pairs.join(":");
}

/** False when either side is not a valid SHA-256 fingerprint: nothing matches garbage. */
export function fingerprintsEqual(a: string, b: string): boolean {
  const left = normaliseFingerprint(a);
  return left !== null && left === normaliseFingerprint(b);
}
