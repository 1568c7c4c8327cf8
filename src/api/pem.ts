// The cluster CA as people paste it into the widget's settings: the text of
// /etc/pve/pve-root-ca.pem. A CA certificate is public and may live in the
// config file; a private key must never get there (it would let anyone who
// reads ~/.config impersonate every node), so a pasted key is refused before
// anything is stored. Pure functions: the settings page and planTls share
// them, so what the page accepts is exactly what the widget will use.

/** Why a pasted text is not usable as a CA; QML words each one with i18n(). */
export type CaPemProblem =
  "empty" | "private-key" | "no-certificate" | "bad-certificate" | "too-long";

/** Far above a real chain (pve-root-ca.pem is about 2 KiB); keeps the config file sane. */
export const MAX_CA_PEM_CHARS = 64 * 1024;

const BEGIN_CERT = "-----BEGIN CERTIFICATE-----";
const END_CERT = "-----END CERTIFICATE-----";
// Every private-key armour openssl writes: PRIVATE KEY, RSA/EC/DSA PRIVATE
// KEY, ENCRYPTED PRIVATE KEY, OPENSSH PRIVATE KEY.
const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/i;

/**
 * A DER certificate is a SEQUENCE (0x30), whose base64 always starts with
 * "M"; anything else between the armour lines is not a certificate, however
 * well it is padded.
 */
function isCertificateBody(body: string): boolean {
  const b64 = body.replace(/\s+/g, "");
  return (
    b64.length >= 4 &&
    b64.length % 4 === 0 &&
    /^[A-Za-z0-9+/]+={0,2}$/.test(b64) &&
    b64.charAt(0) === "M"
  );
}

interface Scan {
  problem: CaPemProblem | null;
  blocks: string[];
}

function scan(text: string): Scan {
  if (text.trim() === "") {
    return { problem: "empty", blocks: [] };
  }
  if (PRIVATE_KEY.test(text)) {
    return { problem: "private-key", blocks: [] };
  }
  if (text.length > MAX_CA_PEM_CHARS) {
    return { problem: "too-long", blocks: [] };
  }
  const blocks: string[] = [];
  let at = text.indexOf(BEGIN_CERT);
  if (at < 0) {
    return { problem: "no-certificate", blocks };
  }
  while (at >= 0) {
    const bodyStart = at + BEGIN_CERT.length;
    const end = text.indexOf(END_CERT, bodyStart);
    const nextBegin = text.indexOf(BEGIN_CERT, bodyStart);
    if (end < 0 || (nextBegin >= 0 && nextBegin < end)) {
      return { problem: "bad-certificate", blocks: [] };
    }
    const body = text.slice(bodyStart, end);
    if (!isCertificateBody(body)) {
      return { problem: "bad-certificate", blocks: [] };
    }
    // Re-wrapped at 64 columns: a PEM that lost its line breaks on the way
    // through a clipboard or a one-line config value still parses.
    const b64 = body.replace(/\s+/g, "");
    const lines: string[] = [];
    for (let i = 0; i < b64.length; i += 64) {
      lines.push(b64.slice(i, i + 64));
    }
    blocks.push(BEGIN_CERT + "\n" + lines.join("\n") + "\n" + END_CERT + "\n");
    at = text.indexOf(BEGIN_CERT, end + END_CERT.length);
  }
  return { problem: null, blocks };
}

/**
 * Null when `text` holds one or more well-formed certificate blocks and no
 * private key; otherwise why not. Text around the blocks (openssl's
 * "subject=…" lines, a shell prompt) is tolerated.
 */
export function checkCaPem(text: string): CaPemProblem | null {
  return scan(text).problem;
}

/** Only the certificate blocks of an accepted text, canonically wrapped; null when checkCaPem refuses it. */
export function extractCaPem(text: string): string | null {
  const result = scan(text);
  return result.problem === null ? result.blocks.join("") : null;
}

/** How many certificates an accepted text holds (0 when refused), for the settings page. */
export function countCaCertificates(text: string): number {
  return scan(text).blocks.length;
}
