import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import {
  base32Checksum,
  CROCKFORD_ALPHABET,
  decodeBase32,
  encodeBase32,
  groupBase32,
  isCanonicalBase32,
  normaliseBase32,
} from "./base32.js";
import { labelledHash } from "./hash.js";
import { LABEL } from "./labels.js";
import { loadSodium } from "./sodium.js";

const sodium = await loadSodium();

describe("Crockford base32", () => {
  it("uses the Crockford alphabet without I, L, O, U", () => {
    expect(CROCKFORD_ALPHABET).toHaveLength(32);
    expect(new Set(CROCKFORD_ALPHABET).size).toBe(32);
    expect(CROCKFORD_ALPHABET).not.toMatch(/[ILOU]/);
  });

  it("encodes known values", () => {
    // RFC 4648 base32 of "foobar" is MZXW6YTBOI; the same 5-bit digits in Crockford's alphabet:
    expect(encodeBase32(new TextEncoder().encode("foobar"))).toBe("CSQPYRK1E8");
    expect(encodeBase32(Uint8Array.of(0xff, 0xc0), 10)).toBe("ZZ");
    expect(encodeBase32(Uint8Array.of(0x08), 5)).toBe("1");
    expect(encodeBase32(new Uint8Array(0))).toBe("");
  });

  it("pads the last character with zero bits", () => {
    // 8 bits -> 2 characters: 11111111 00 -> "ZW"
    expect(encodeBase32(Uint8Array.of(0xff))).toBe("ZW");
    expect(decodeBase32("ZW", 8)).toEqual(Uint8Array.of(0xff));
  });

  it("round-trips any bit string", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 40 }), fc.nat(), (bytes, n) => {
        const bits = bytes.length === 0 ? 0 : n % (bytes.length * 8 + 1);
        const text = encodeBase32(bytes, bits);
        expect(text).toHaveLength(Math.ceil(bits / 5));
        expect(isCanonicalBase32(text)).toBe(true);
        const expected = bytes.slice(0, Math.ceil(bits / 8));
        if (bits % 8 !== 0) expected[expected.length - 1]! &= (0xff << (8 - (bits % 8))) & 0xff;
        expect(decodeBase32(text, bits)).toEqual(expected);
      }),
    );
  });

  it("decodes strictly: length, characters and zero padding", () => {
    expect(codeOf(() => decodeBase32("ZZZ", 10))).toBe("MALFORMED");
    expect(codeOf(() => decodeBase32("Z", 10))).toBe("MALFORMED");
    expect(codeOf(() => decodeBase32("zz", 10))).toBe("MALFORMED");
    expect(codeOf(() => decodeBase32("ZU", 10))).toBe("MALFORMED");
    expect(codeOf(() => decodeBase32("ZX", 8))).toBe("MALFORMED"); // X = 11101: the two padding bits are 01
    expect(codeOf(() => encodeBase32(Uint8Array.of(1), 9))).toBe("MALFORMED");
  });

  it("normalises typed input", () => {
    expect(normaliseBase32("k7qm-2xh9 o1l")).toBe("K7QM2XH9011");
    expect(normaliseBase32(" a.b_c\td\u00a0e\u2013f\n")).toBe("ABCDEF");
    expect(normaliseBase32("Oil")).toBe("011");
  });

  it("leaves characters outside the alphabet for validation to reject", () => {
    expect(isCanonicalBase32(normaliseBase32("u"))).toBe(false);
    expect(isCanonicalBase32(normaliseBase32("ı"))).toBe(false); // dotless i is not case-mapped to I
    expect(isCanonicalBase32(normaliseBase32("*"))).toBe(false);
    expect(isCanonicalBase32(normaliseBase32("ab-01"))).toBe(true);
  });

  it("groups for display", () => {
    expect(groupBase32("ABCDEFGHJK", "-")).toBe("ABCD-EFGH-JK");
    expect(groupBase32("ABCDEFGH", " ")).toBe("ABCD EFGH");
    expect(groupBase32("")).toBe("");
  });

  it("computes checksums as the first bits of the labelled hash of the characters", () => {
    const data = "0123456789ABCDEFGHJK";
    const h = labelledHash(sodium, LABEL.codeChecksum, new TextEncoder().encode(data));
    expect(base32Checksum(sodium, LABEL.codeChecksum, data, 10)).toBe(encodeBase32(h, 10));
    expect(base32Checksum(sodium, LABEL.recoveryChecksum, data, 10)).not.toBe(
      base32Checksum(sodium, LABEL.codeChecksum, data, 10),
    );
    expect(codeOf(() => base32Checksum(sodium, LABEL.codeChecksum, "abc", 10))).toBe("MALFORMED");
  });
});
