import { describe, expect, it } from "vitest";

import { fingerprintsEqual, normaliseFingerprint } from "../../src/api/tls-policy";

const CANONICAL =
  "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
const BARE = CANONICAL.split(":").join("");

describe("normaliseFingerprint", () => {
  it("accepts the forms people paste", () => {
    expect(normaliseFingerprint(CANONICAL)).toBe(CANONICAL);
    expect(normaliseFingerprint(CANONICAL.toLowerCase())).toBe(CANONICAL);
    expect(normaliseFingerprint(BARE)).toBe(CANONICAL);
    expect(normaliseFingerprint(`  ${BARE.toLowerCase()}\n`)).toBe(CANONICAL);
    expect(normaliseFingerprint(CANONICAL.split(":").join(" "))).toBe(CANONICAL);
    expect(normaliseFingerprint(`sha256 Fingerprint=${CANONICAL}`)).toBe(CANONICAL);
    expect(normaliseFingerprint(`SHA256:${BARE}`)).toBe(CANONICAL);
  });

  it("refuses anything that is not 32 bytes of hex", () => {
    expect(normaliseFingerprint("")).toBeNull();
    expect(normaliseFingerprint(BARE.slice(2))).toBeNull();
    expect(normaliseFingerprint(BARE + "00")).toBeNull();
    expect(normaliseFingerprint(BARE.slice(1) + "G")).toBeNull();
    // A SHA-1 fingerprint is a common mistake.
    expect(
      normaliseFingerprint("AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01"),
    ).toBeNull();
  });
});

describe("fingerprintsEqual", () => {
  it("compares normalised values", () => {
    expect(fingerprintsEqual(CANONICAL, BARE.toLowerCase())).toBe(true);
    expect(fingerprintsEqual(CANONICAL, BARE.replace(/^AB/, "AC"))).toBe(false);
  });

  it("never matches invalid input, even with itself", () => {
    expect(fingerprintsEqual("", "")).toBe(false);
    expect(fingerprintsEqual("zz", "zz")).toBe(false);
  });
});
