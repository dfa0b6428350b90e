import { describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import { base32Checksum, CROCKFORD_ALPHABET } from "../core/base32.js";
import type { RecoveryKey } from "../core/brand.js";
import { labelledHash } from "../core/hash.js";
import { KDF_CONTEXT, LABEL } from "../core/labels.js";
import { seededRandom } from "../core/random.js";
import { loadSodium } from "../core/sodium.js";
import { wrapWithPassphrase } from "./passphrase-wrap.js";
import {
  generateRecoveryKey,
  parseRecoveryKey,
  recoveryKeyText,
  recoveryProof,
  recoveryWrapKey,
  unwrapWithRecovery,
  wrapWithRecovery,
} from "./recovery-key.js";
import { generateCode } from "./seeker-code.js";

const sodium = await loadSodium();
const random = seededRandom(sodium, new Uint8Array(32).fill(41));
const GROUPED = /^([0-9A-HJKMNP-TV-Z]{4}-){8}[0-9A-HJKMNP-TV-Z]{4}$/;

describe("recovery key text", () => {
  it("prints 20 random bytes as 36 characters in 9 groups of 4 that parse back", () => {
    for (let i = 0; i < 20; i++) {
      const { text, secret } = generateRecoveryKey(sodium, random);
      expect(secret).toHaveLength(20);
      expect(text).toMatch(GROUPED);
      expect(parseRecoveryKey(sodium, text)).toEqual({ text, secret });
    }
  });

  it("has 32 data characters and a 4-character checksum of their ascii", () => {
    const zero = recoveryKeyText(sodium, new Uint8Array(20) as RecoveryKey).replaceAll("-", "");
    const data = "0".repeat(32);
    expect(zero).toBe(data + base32Checksum(sodium, LABEL.recoveryChecksum, data, 20));
  });

  it("accepts the usual typing variations", () => {
    const { text, secret } = generateRecoveryKey(sodium, random);
    for (const v of [
      text.toLowerCase(),
      text.replaceAll("-", ""),
      text.replaceAll("-", " "),
      ` ${text.replaceAll("0", "O").replaceAll("1", "l")} `,
    ]) {
      expect(parseRecoveryKey(sodium, v).secret).toEqual(secret);
    }
  });

  it("catches single-character substitutions with INVALID_RECOVERY_KEY", () => {
    const plain = generateRecoveryKey(sodium, random).text.replaceAll("-", "");
    let total = 0;
    let caught = 0;
    for (let pos = 0; pos < plain.length; pos++) {
      for (const c of CROCKFORD_ALPHABET) {
        if (c === plain[pos]) continue;
        total++;
        if (
          codeOf(() => parseRecoveryKey(sodium, plain.slice(0, pos) + c + plain.slice(pos + 1))) ===
          "INVALID_RECOVERY_KEY"
        ) {
          caught++;
        }
      }
    }
    expect(total).toBe(36 * 31);
    expect(caught / total).toBeGreaterThanOrEqual(0.999);
  });

  it("rejects wrong lengths and characters, and help-seeker codes", () => {
    const plain = generateRecoveryKey(sodium, random).text.replaceAll("-", "");
    const code = generateCode(sodium, { helplineTag: 1, random });
    for (const bad of ["", plain.slice(4), `${plain}0000`, `${plain.slice(0, 35)}U`, code]) {
      expect(codeOf(() => parseRecoveryKey(sodium, bad))).toBe("INVALID_RECOVERY_KEY");
    }
  });
});

describe("recovery wrap", () => {
  const { secret } = generateRecoveryKey(sodium, random);
  const accountKey = random(32);

  it("derives R = H(recovery-wrap, secret), wrapKey = KDF(R, 1), proof = KDF(R, 2) with context bg-recov", () => {
    const r = labelledHash(sodium, LABEL.recoveryWrap, secret);
    expect(recoveryWrapKey(sodium, secret)).toEqual(
      sodium.crypto_kdf_derive_from_key(32, 1, KDF_CONTEXT.recovery, r),
    );
    expect(recoveryProof(sodium, secret)).toEqual(
      sodium.crypto_kdf_derive_from_key(32, 2, KDF_CONTEXT.recovery, r),
    );
    expect(recoveryProof(sodium, secret)).not.toEqual(recoveryWrapKey(sodium, secret));
    expect(codeOf(() => recoveryProof(sodium, new Uint8Array(32) as RecoveryKey))).toBe(
      "INVALID_RECOVERY_KEY",
    );
  });

  it("round-trips the account key as a kind-2 bundle", () => {
    const wrapped = wrapWithRecovery(sodium, accountKey, secret, random);
    expect(wrapped[2]).toBe(2);
    expect(unwrapWithRecovery(sodium, wrapped, secret)).toEqual(accountKey);
    const typed = parseRecoveryKey(sodium, recoveryKeyText(sodium, secret).toLowerCase()).secret;
    expect(unwrapWithRecovery(sodium, wrapped, typed)).toEqual(accountKey);
  });

  it("fails with UNWRAP_FAILED for another recovery key, WRONG_TYPE for another kind", () => {
    const wrapped = wrapWithRecovery(sodium, accountKey, secret, random);
    const other = generateRecoveryKey(sodium, random).secret;
    expect(codeOf(() => unwrapWithRecovery(sodium, wrapped, other))).toBe("UNWRAP_FAILED");
    const cheap = { ...sodium, crypto_pwhash: () => new Uint8Array(32).fill(1) } as unknown as typeof sodium;
    const pass = wrapWithPassphrase(cheap, accountKey, "x", { random }).wrapped;
    expect(codeOf(() => unwrapWithRecovery(sodium, pass, secret))).toBe("WRONG_TYPE");
  });
});
