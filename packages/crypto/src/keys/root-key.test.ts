import { describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import { base32Checksum, CROCKFORD_ALPHABET, encodeBase32 } from "../core/base32.js";
import { KDF_CONTEXT, LABEL } from "../core/labels.js";
import { seededRandom } from "../core/random.js";
import { loadSodium } from "../core/sodium.js";
import { generateRecoveryKey } from "./recovery-key.js";
import {
  generateRootKey,
  parseRootRecoveryText,
  rootKeyFromSeed,
  rootKeyFromSheet,
  rootRecoveryText,
  wipeRootKey,
} from "./root-key.js";

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

describe("root key from its sheet", () => {
  it("gives back the root of the printed sheet, and wipes on request", () => {
    const root = generateRootKey(sodium, random);
    const fromSheet = rootKeyFromSheet(sodium, rootRecoveryText(sodium, root.seed).toLowerCase());
    expect(fromSheet).toEqual(root);
    wipeRootKey(fromSheet);
    expect(fromSheet.seed.every((b) => b === 0)).toBe(true);
    expect(fromSheet.keyPair.secretKey.every((b) => b === 0)).toBe(true);
    expect(codeOf(() => rootKeyFromSheet(sodium, "0000-0000"))).toBe("INVALID_RECOVERY_KEY");
  });

  it("has no server-side wrap any more (protocol 2 retired the kind-3 root wrap)", async () => {
    const module: Record<string, unknown> = await import("./root-key.js");
    expect(module.wrapRootSeed).toBeUndefined();
    expect(module.unwrapRootSeed).toBeUndefined();
    expect(KDF_CONTEXT.account).toBe("bg-acct_");
  });
});
