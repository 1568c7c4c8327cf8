import { readFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { checkCaPem, countCaCertificates, extractCaPem, MAX_CA_PEM_CHARS } from "../../src/api/pem";
import { makeNodeCertificate } from "../../src/sim-server/certs";

// Made once per run with openssl, like the simulator's: no key material in the repository.
const made = makeNodeCertificate({ commonName: "pve-pem-test" });
const CA_PEM = made.caPem;
const CA_KEY = readFileSync(join(made.dir, "ca.key"), "utf8");

const BODY = "MIIB" + "QUJD".repeat(40);
const block = (body: string) =>
  "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";

describe("checkCaPem", () => {
  it("accepts pve-root-ca.pem as cat prints it", () => {
    expect(checkCaPem(CA_PEM)).toBeNull();
    expect(countCaCertificates(CA_PEM)).toBe(1);
  });
  it("accepts a chain and text around the blocks", () => {
    const text =
      "root@pve:~# cat /etc/pve/pve-root-ca.pem\n" + CA_PEM + "subject=CN=x\n" + block(BODY);
    expect(checkCaPem(text)).toBeNull();
    expect(countCaCertificates(text)).toBe(2);
  });
  it("refuses any pasted private key, even next to a valid certificate", () => {
    expect(checkCaPem(CA_KEY)).toBe("private-key");
    expect(checkCaPem(CA_PEM + CA_KEY)).toBe("private-key");
    for (const kind of [
      "PRIVATE KEY",
      "RSA PRIVATE KEY",
      "EC PRIVATE KEY",
      "ENCRYPTED PRIVATE KEY",
    ]) {
      const key = `-----BEGIN ${kind}-----\nMIIB\n-----END ${kind}-----\n`;
      expect(checkCaPem(CA_PEM + key)).toBe("private-key");
      expect(extractCaPem(CA_PEM + key)).toBeNull();
    }
    expect(checkCaPem(made.keyPem)).toBe("private-key");
  });
  it("says empty for blank text and no-certificate for other text", () => {
    expect(checkCaPem("")).toBe("empty");
    expect(checkCaPem("  \n\t")).toBe("empty");
    expect(checkCaPem("AB:CD:EF")).toBe("no-certificate");
    expect(checkCaPem("-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----")).toBe(
      "no-certificate",
    );
  });
  it("refuses truncated blocks and bodies that are not base64 DER", () => {
    expect(checkCaPem(CA_PEM.slice(0, CA_PEM.length - 30))).toBe("bad-certificate");
    expect(checkCaPem(block(""))).toBe("bad-certificate");
    expect(checkCaPem(block("MII*" + BODY.slice(4)))).toBe("bad-certificate");
    expect(checkCaPem(block("QUJD" + BODY.slice(4)))).toBe("bad-certificate");
    expect(checkCaPem(block(BODY + "A"))).toBe("bad-certificate");
    // A BEGIN inside an unterminated block.
    expect(checkCaPem("-----BEGIN CERTIFICATE-----\nMIIB\n" + block(BODY))).toBe("bad-certificate");
  });
  it("refuses a text longer than any real chain", () => {
    const huge = block(BODY) + "x".repeat(MAX_CA_PEM_CHARS);
    expect(checkCaPem(huge)).toBe("too-long");
  });
});

describe("extractCaPem", () => {
  it("keeps only the certificate blocks, wrapped at 64 columns", () => {
    const flat = CA_PEM.replace(/\n(?!-----END)/g, " ").replace(/\s+-----END/, "-----END");
    const out = extractCaPem("junk\n" + flat + "more junk");
    expect(out).toBe(CA_PEM.replace(/\r\n/g, "\n"));
  });
  it("returns null when checkCaPem refuses", () => {
    expect(extractCaPem("")).toBeNull();
    expect(extractCaPem(block("%%%%"))).toBeNull();
  });
});
