import { describe, expect, it } from "vitest";
import { encodeBase32 } from "../core/base32.js";
import type { RootPublicKey } from "../core/brand.js";
import type { CryptoError } from "../core/errors.js";
import { labelledHash } from "../core/hash.js";
import { LABEL } from "../core/labels.js";
import { seededRandom } from "../core/random.js";
import { loadSodium } from "../core/sodium.js";
import { fingerprintsEqual, rootFingerprint } from "./fingerprint.js";
import { generateRootKey } from "./root-key.js";

const sodium = await loadSodium();
const random = seededRandom(sodium, new Uint8Array(32).fill(61));
const rootPk = generateRootKey(sodium, random).keyPair.publicKey;
const otherPk = generateRootKey(sodium, random).keyPair.publicKey;

describe("rootFingerprint", () => {
  it("is the first 15 bytes of H(root-fingerprint, rootPk) in 6 space-separated groups of 4", () => {
    const fp = rootFingerprint(sodium, rootPk);
    expect(fp).toMatch(/^([0-9A-HJKMNP-TV-Z]{4} ){5}[0-9A-HJKMNP-TV-Z]{4}$/);
    const expected = encodeBase32(labelledHash(sodium, LABEL.fingerprint, rootPk).subarray(0, 15));
    expect(fp.replaceAll(" ", "")).toBe(expected);
    expect(rootFingerprint(sodium, otherPk)).not.toBe(fp);
  });

  it("rejects a key that is not 32 bytes", () => {
    let code: string | undefined;
    try {
      rootFingerprint(sodium, new Uint8Array(31) as RootPublicKey);
    } catch (e) {
      code = (e as CryptoError).code;
    }
    expect(code).toBe("MALFORMED");
  });
});

describe("fingerprintsEqual", () => {
  const fp = rootFingerprint(sodium, rootPk);

  it("ignores case, spacing, dashes and O/0, I/L/1 confusions", () => {
    expect(fingerprintsEqual(fp, fp)).toBe(true);
    expect(fingerprintsEqual(fp.toLowerCase(), fp)).toBe(true);
    expect(fingerprintsEqual(fp.replaceAll(" ", "-"), fp)).toBe(true);
    expect(fingerprintsEqual(fp.replaceAll(" ", ""), ` ${fp} `)).toBe(true);
    expect(fingerprintsEqual(fp.replaceAll("0", "O").replaceAll("1", "I"), fp)).toBe(true);
  });

  it("tells different fingerprints apart", () => {
    expect(fingerprintsEqual(rootFingerprint(sodium, otherPk), fp)).toBe(false);
    const last = fp.at(-1) === "Z" ? "Y" : "Z";
    expect(fingerprintsEqual(fp.slice(0, -1) + last, fp)).toBe(false);
  });

  it("never matches malformed input, even with itself", () => {
    expect(fingerprintsEqual("", "")).toBe(false);
    expect(fingerprintsEqual(fp.slice(0, -1), fp.slice(0, -1))).toBe(false);
    const withU = `${fp.slice(0, -1)}U`;
    expect(fingerprintsEqual(withU, withU)).toBe(false);
  });
});
