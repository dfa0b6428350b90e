import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import { base32Checksum, CROCKFORD_ALPHABET } from "../core/base32.js";
import type { SeekerCode } from "../core/brand.js";
import { CryptoError } from "../core/errors.js";
import { LABEL } from "../core/labels.js";
import { seededRandom } from "../core/random.js";
import { loadSodium } from "../core/sodium.js";
import {
  codeHelplineTag,
  codePassword,
  generateCode,
  MAX_HELPLINE_TAG,
  parseCode,
  SEEKER_CODE_SECRET_BITS,
} from "./seeker-code.js";

const sodium = await loadSodium();
const CANONICAL_CODE = /^([0-9A-HJKMNP-TV-Z]{4}-){5}[0-9A-HJKMNP-TV-Z]{4}$/;

const fixed = (bytes: Uint8Array) => () => bytes.slice();
const seeded = (n: number) => seededRandom(sodium, new Uint8Array(32).fill(n));
const plain = (code: string) => code.replaceAll("-", "");

describe("generateCode / parseCode", () => {
  it("makes 24 characters in 6 groups of 4 that parse back to the same code and tag", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: MAX_HELPLINE_TAG }),
        fc.uint8Array({ minLength: 13, maxLength: 13 }),
        (tag, raw) => {
          const code = generateCode(sodium, { helplineTag: tag, random: fixed(raw) });
          expect(code).toMatch(CANONICAL_CODE);
          expect(parseCode(sodium, code)).toEqual({ code, helplineTag: tag });
          expect(codeHelplineTag(sodium, code)).toBe(tag);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("lays out tag | secret | check as specified", () => {
    const ones = generateCode(sodium, { helplineTag: 1023, random: fixed(new Uint8Array(13).fill(0xff)) });
    const data = `ZZ${"Z".repeat(20)}`;
    expect(plain(ones)).toBe(data + base32Checksum(sodium, LABEL.codeChecksum, data, 10));
    const zeros = generateCode(sodium, { helplineTag: 33, random: fixed(new Uint8Array(13)) });
    expect(plain(zeros).slice(0, 22)).toBe(`11${"0".repeat(20)}`);
  });

  it("uses exactly 100 secret bits (above the 88-bit minimum): all but the top 4 bits of the 13th byte", () => {
    expect(SEEKER_CODE_SECRET_BITS).toBeGreaterThanOrEqual(88);
    const base = new Uint8Array(13);
    const reference = generateCode(sodium, { helplineTag: 5, random: fixed(base) });
    const used = new Set<string>();
    let usedBits = 0;
    for (let bit = 0; bit < 104; bit++) {
      const raw = base.slice();
      raw[bit >> 3]! ^= 0x80 >> (bit & 7);
      const code = generateCode(sodium, { helplineTag: 5, random: fixed(raw) });
      const dropped = bit >= 96 && bit < 100;
      expect(code === reference).toBe(dropped);
      if (!dropped) {
        usedBits++;
        used.add(code);
      }
    }
    expect(usedBits).toBe(SEEKER_CODE_SECRET_BITS);
    expect(used.size).toBe(SEEKER_CODE_SECRET_BITS);
  });

  it("draws fresh randomness for every code", () => {
    const random = seeded(1);
    const codes = new Set(Array.from({ length: 50 }, () => generateCode(sodium, { helplineTag: 9, random })));
    expect(codes.size).toBe(50);
  });

  it("validates the helpline tag", () => {
    for (const tag of [-1, 1024, 1.5, Number.NaN]) {
      expect(codeOf(() => generateCode(sodium, { helplineTag: tag, random: seeded(2) }))).toBe("MALFORMED");
    }
  });

  it("reads lower case, spaces, dots, underscores, missing dashes and O/I/L confusions as the same code", () => {
    // Find a code (deterministically) that contains both 0 and 1 to exercise the confusions.
    const random = seeded(3);
    let code = generateCode(sodium, { helplineTag: 1, random });
    while (!/0/.test(plain(code).slice(2)) || !/1/.test(plain(code).slice(2))) {
      code = generateCode(sodium, { helplineTag: 1, random });
    }
    const variants = [
      code.toLowerCase(),
      plain(code),
      code.replaceAll("-", " "),
      ` ${code.replaceAll("-", ".")}\n`,
      code.replaceAll("-", "_"),
      code.replaceAll("0", "O"),
      code.replaceAll("0", "o").toLowerCase(),
      code.replaceAll("1", "I"),
      code.replaceAll("1", "l").toLowerCase(),
      code.replaceAll("1", "L"),
      plain(code).replace(/(.{2})/g, "$1 "),
    ];
    for (const v of variants) expect(parseCode(sodium, v)).toEqual({ code, helplineTag: 1 });
  });

  it("catches at least 99% of single-character substitutions (and all in the check digits)", () => {
    const random = seeded(4);
    let total = 0;
    let caught = 0;
    for (let n = 0; n < 5; n++) {
      const text = plain(generateCode(sodium, { helplineTag: 100 * n, random }));
      for (let pos = 0; pos < text.length; pos++) {
        for (const c of CROCKFORD_ALPHABET) {
          if (c === text[pos]) continue;
          const typo = text.slice(0, pos) + c + text.slice(pos + 1);
          total++;
          const result = codeOf(() => parseCode(sodium, typo));
          if (result === "INVALID_CODE_CHECKSUM") caught++;
          else if (pos >= 22) throw new Error("a substitution in the check digits was accepted");
          else expect(result).toBeUndefined();
        }
      }
    }
    expect(total).toBe(5 * 24 * 31);
    expect(caught / total).toBeGreaterThanOrEqual(0.99);
  });

  it("catches adjacent transpositions", () => {
    const text = plain(generateCode(sodium, { helplineTag: 77, random: seeded(5) }));
    let swaps = 0;
    for (let pos = 0; pos < 23; pos++) {
      if (text[pos] === text[pos + 1]) continue;
      swaps++;
      const typo = text.slice(0, pos) + text[pos + 1] + text[pos] + text.slice(pos + 2);
      expect(codeOf(() => parseCode(sodium, typo))).toBe("INVALID_CODE_CHECKSUM");
    }
    expect(swaps).toBeGreaterThan(15);
  });

  it("rejects wrong lengths and characters with INVALID_CODE_FORMAT, without echoing the input", () => {
    const text = plain(generateCode(sodium, { helplineTag: 0, random: seeded(6) }));
    const bad = [
      "",
      text.slice(1),
      `${text}0`,
      `${text.slice(0, 23)}U`,
      `${text.slice(0, 23)}*`,
      `${text.slice(0, 23)}é`,
    ];
    for (const input of bad) {
      let error: unknown;
      try {
        parseCode(sodium, input);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CryptoError);
      expect((error as CryptoError).code).toBe("INVALID_CODE_FORMAT");
      if (input.length > 4) expect((error as CryptoError).message).not.toContain(input.slice(2, 10));
    }
  });

  it("turns a code into the Argon2 password ascii(tag || secret), without check digits", () => {
    const code = generateCode(sodium, { helplineTag: 512, random: seeded(7) });
    expect(new TextDecoder().decode(codePassword(sodium, code))).toBe(plain(code).slice(0, 22));
    expect(codeOf(() => codePassword(sodium, "nonsense" as SeekerCode))).toBe("INVALID_CODE_FORMAT");
  });
});
