import { describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import { base32Checksum, CROCKFORD_ALPHABET, encodeBase32 } from "../core/base32.js";
import { KDF_CONTEXT, LABEL } from "../core/labels.js";
import { seededRandom } from "../core/random.js";
import { loadSodium } from "../core/sodium.js";
import { deriveAccountKeys, generateAccountKey } from "./account-keys.js";
import { generateRecoveryKey } from "./recovery-key.js";
import {
  generateRootKey,
  parseRootRecoveryText,
  rootKeyFromSeed,
  rootRecoveryText,
  rootWrapKey,
  unwrapRootSeed,
  wrapRootSeed,
} from "./root-key.js";
import { wrapUnderKey } from "./wrapped-key.js";

const sodium = await loadSodium();
const random = seededRandom(sodium, new Uint8Array(32).fill(51));
const GROUPED = /^([0-9A-HJKMNP-TV-Z]{4}-){13}[0-9A-HJKMNP-TV-Z]{4}$/;

describe("root key", () => {
  it("is an Ed25519 key pair from a random 32-byte seed", () => {
    const root = generateRootKey(sodium, seededRandom(sodium, new Uint8Array(32).fill(1)));
    expect(root).toEqual(generateRootKey(sodium, seededRandom(sodium, new Uint8Array(32).fill(1))));
    expect(root.seed).toHaveLength(32);
    expect(sodium.crypto_sign_ed25519_sk_to_seed(root.keyPair.secretKey)).toEqual(root.seed);
    expect(sodium.crypto_sign_ed25519_sk_to_pk(root.keyPair.secretKey)).toEqual(root.keyPair.publicKey);
    expect(rootKeyFromSeed(sodium, root.seed)).toEqual(root);
    expect(codeOf(() => rootKeyFromSeed(sodium, new Uint8Array(31)))).toBe("MALFORMED");
  });
});

describe("root recovery text", () => {
  it("prints the seed as 56 characters (52 data + 4 checksum) in 14 groups of 4 and parses back", () => {
    for (let i = 0; i < 10; i++) {
      const { seed } = generateRootKey(sodium, random);
      const text = rootRecoveryText(sodium, seed);
      expect(text).toMatch(GROUPED);
      const data = encodeBase32(seed);
      expect(text.replaceAll("-", "")).toBe(data + base32Checksum(sodium, LABEL.recoveryChecksum, data, 20));
      expect(parseRootRecoveryText(sodium, text)).toEqual(seed);
      expect(parseRootRecoveryText(sodium, text.toLowerCase().replaceAll("-", " "))).toEqual(seed);
    }
  });

  it("catches single-character substitutions", () => {
    const plain = rootRecoveryText(sodium, generateRootKey(sodium, random).seed).replaceAll("-", "");
    let caught = 0;
    let total = 0;
    for (let pos = 0; pos < plain.length; pos++) {
      for (const c of CROCKFORD_ALPHABET) {
        if (c === plain[pos]) continue;
        total++;
        const typo = plain.slice(0, pos) + c + plain.slice(pos + 1);
        if (codeOf(() => parseRootRecoveryText(sodium, typo)) === "INVALID_RECOVERY_KEY") caught++;
      }
    }
    expect(total).toBe(56 * 31);
    expect(caught / total).toBeGreaterThanOrEqual(0.999);
  });

  it("rejects non-zero padding bits even with a matching checksum (one seed, one text)", () => {
    const data = `${"0".repeat(51)}1`; // the last character's low 4 bits are padding
    const text = data + base32Checksum(sodium, LABEL.recoveryChecksum, data, 20);
    expect(codeOf(() => parseRootRecoveryText(sodium, text))).toBe("INVALID_RECOVERY_KEY");
  });

  it("rejects staff recovery keys and other lengths", () => {
    const staff = generateRecoveryKey(sodium, random).text;
    expect(codeOf(() => parseRootRecoveryText(sodium, staff))).toBe("INVALID_RECOVERY_KEY");
    expect(codeOf(() => parseRootRecoveryText(sodium, ""))).toBe("INVALID_RECOVERY_KEY");
    expect(codeOf(() => rootRecoveryText(sodium, new Uint8Array(20)))).toBe("MALFORMED");
  });
});

describe("root seed wrapped for its owner (kind 3)", () => {
  const accountKey = generateAccountKey(sodium, random);
  const root = generateRootKey(sodium, random);

  it("uses KDF(accountKey, 5, bg-acct_), a key apart from the four account keys", () => {
    const key = rootWrapKey(sodium, accountKey);
    expect(key).toEqual(sodium.crypto_kdf_derive_from_key(32, 5, KDF_CONTEXT.account, accountKey));
    expect(key).not.toEqual(deriveAccountKeys(sodium, accountKey).draftKey);
  });

  it("round-trips and fails for another account key or kind", () => {
    const wrapped = wrapRootSeed(sodium, root.seed, accountKey, random);
    expect(wrapped[2]).toBe(3);
    expect(unwrapRootSeed(sodium, wrapped, accountKey)).toEqual(root);
    const other = generateAccountKey(sodium, random);
    expect(codeOf(() => unwrapRootSeed(sodium, wrapped, other))).toBe("UNWRAP_FAILED");
    const recovery = wrapUnderKey(sodium, "recovery", root.seed, rootWrapKey(sodium, accountKey), random);
    expect(codeOf(() => unwrapRootSeed(sodium, recovery, accountKey))).toBe("WRONG_TYPE");
  });
});
