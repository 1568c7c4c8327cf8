import { describe, it, expect } from "vitest";
import fc from "fast-check";
import {
  MAX_TEXT_LENGTH,
  nonNegative,
  own,
  sanitizeText,
  splitList,
  toBool,
  toFraction,
  toInteger,
  toKeyword,
  toNumber,
  toText,
} from "../../src/model/decode-values";

describe("toNumber", () => {
  it("accepts finite numbers and decimal strings", () => {
    expect(toNumber(106)).toBe(106);
    expect(toNumber(-5.75e-5)).toBe(-5.75e-5);
    expect(toNumber("106")).toBe(106);
    expect(toNumber("0.16")).toBe(0.16);
    expect(toNumber(" 5 ")).toBe(5);
    expect(toNumber("744189952")).toBe(744189952);
    expect(toNumber("-1.5e3")).toBe(-1500);
    expect(toNumber(".5")).toBe(0.5);
    expect(toNumber("5.")).toBe(5);
  });

  it("folds -0 into 0", () => {
    expect(Object.is(toNumber(-0), 0)).toBe(true);
    expect(Object.is(toNumber("-0"), 0)).toBe(true);
  });

  it("rejects everything else", () => {
    for (const v of [
      NaN,
      Infinity,
      -Infinity,
      true,
      false,
      null,
      undefined,
      {},
      [],
      [1],
      "",
      "   ",
      "abc",
      "0x10",
      "0b1",
      "1e999",
      "Infinity",
      "NaN",
      "1,5",
      "1 2",
      "+",
      ".",
      "1".repeat(100),
    ]) {
      expect(toNumber(v)).toBeNull();
    }
  });

  it("round-trips every finite double, as number and as its string", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        const expected = d === 0 ? 0 : d;
        expect(toNumber(d)).toBe(expected);
        expect(toNumber(String(d))).toBe(expected);
      }),
    );
  });
});

describe("toInteger / nonNegative / toFraction", () => {
  it("toInteger keeps only safe integers", () => {
    expect(toInteger("106")).toBe(106);
    expect(toInteger(100)).toBe(100);
    expect(toInteger(1.5)).toBeNull();
    expect(toInteger(2 ** 60)).toBeNull();
    expect(toInteger("x")).toBeNull();
  });

  it("nonNegative drops negatives and passes null", () => {
    expect(nonNegative(0)).toBe(0);
    expect(nonNegative(12)).toBe(12);
    expect(nonNegative(-1)).toBeNull();
    expect(nonNegative(null)).toBeNull();
  });

  it("toFraction clamps noise to [0, 1] and drops garbage", () => {
    expect(toFraction(-5.75e-5)).toBe(0);
    expect(toFraction(0.0249060195469461)).toBe(0.0249060195469461);
    expect(toFraction(1.02)).toBe(1);
    expect(toFraction("0.5")).toBe(0.5);
    expect(toFraction(-3)).toBeNull();
    expect(toFraction(undefined)).toBeNull();
    expect(toFraction(true)).toBeNull();
  });
});

describe("toBool", () => {
  it("accepts the wire spellings of booleans", () => {
    expect(toBool(1)).toBe(true);
    expect(toBool("1")).toBe(true);
    expect(toBool(true)).toBe(true);
    expect(toBool(0)).toBe(false);
    expect(toBool("0")).toBe(false);
    expect(toBool(false)).toBe(false);
  });

  it("is null for anything else", () => {
    for (const v of [2, -1, "true", "", null, undefined, {}, [], [1], 0.5]) {
      expect(toBool(v)).toBeNull();
    }
  });
});

describe("toText / sanitizeText", () => {
  it("keeps ordinary strings, trimmed", () => {
    expect(toText("server1")).toBe("server1");
    expect(toText("  web 01 ")).toBe("web 01");
    expect(toText("Ünïcödé ✓ 🚀")).toBe("Ünïcödé ✓ 🚀");
  });

  it("is null for non-strings and blank strings", () => {
    for (const v of [5, 0, true, null, undefined, {}, [], ["a"], "", "   ", "\n\t", "\u0000"]) {
      expect(toText(v)).toBeNull();
    }
  });

  it("strips control and bidi characters; line breaks become spaces", () => {
    expect(toText("a\u0000b\u001bc\u007fd\u009be")).toBe("abcde");
    expect(toText("web\nserver\tone")).toBe("web server one");
    expect(toText("evil\u202egnp.exe")).toBe("evilgnp.exe");
    expect(toText("line\u2028two")).toBe("line two");
  });

  it("limits the length without splitting a surrogate pair", () => {
    expect(toText("x".repeat(5000))).toBe("x".repeat(MAX_TEXT_LENGTH));
    const s = sanitizeText("a" + "🚀".repeat(150), MAX_TEXT_LENGTH);
    expect(s.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
    const last = s.charCodeAt(s.length - 1);
    expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
  });

  it("copes with a huge string cheaply", () => {
    const huge = " ".repeat(1_000_000) + "name";
    expect(toText(huge)).toBeNull();
    expect(toText("n".repeat(5_000_000))).toHaveLength(MAX_TEXT_LENGTH);
  });

  it("always returns safe, bounded, trimmed text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 400 }), (s) => {
        const t = toText(s);
        if (t === null) return;
        expect(t.length).toBeGreaterThan(0);
        expect(t.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
        expect(t).toBe(t.trim());
        // eslint-disable-next-line no-control-regex
        expect(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(t)).toBe(
          false,
        );
      }),
    );
  });
});

describe("toKeyword", () => {
  it("lower-cases and keeps [a-z-] words only", () => {
    expect(toKeyword("running")).toBe("running");
    expect(toKeyword(" IO-Error ")).toBe("io-error");
    expect(toKeyword("io_error")).toBeNull();
    expect(toKeyword("-")).toBeNull();
    expect(toKeyword("")).toBeNull();
    expect(toKeyword(1)).toBeNull();
    expect(toKeyword("a".repeat(100))).toBeNull();
  });
});

describe("splitList", () => {
  const sep = /[;,\s]+/;
  it("splits, drops empty parts and repeats, keeps order", () => {
    expect(splitList("b;a;;b, c  d;a", sep, 64, 64)).toEqual(["b", "a", "c", "d"]);
    expect(splitList(";;", sep, 64, 64)).toEqual([]);
    expect(splitList(5, sep, 64, 64)).toEqual([]);
  });

  it("bounds the number of items", () => {
    const many = Array.from({ length: 1000 }, (_, i) => "t" + i).join(";");
    expect(splitList(many, sep, 64, 64)).toHaveLength(64);
  });

  it("trims items around a plain separator", () => {
    expect(splitList(" images , rootdir,", /,/, 32, 64)).toEqual(["images", "rootdir"]);
  });
});

describe("own", () => {
  it("reads own properties only", () => {
    const o = JSON.parse('{"name":"a","__proto__":{"x":1}}') as Record<string, unknown>;
    expect(own(o, "name")).toBe("a");
    expect(own(o, "__proto__")).toEqual({ x: 1 });
    expect(own(o, "constructor")).toBeUndefined();
    expect(own(o, "toString")).toBeUndefined();
    expect(own(o, "x")).toBeUndefined();
  });
});
