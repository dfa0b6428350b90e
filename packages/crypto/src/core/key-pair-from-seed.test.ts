import { describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import { boxKeyPairFromSeed, signKeyPairFromSeed } from "./key-pair-from-seed.js";
import { loadSodium } from "./sodium.js";

const sodium = await loadSodium();
const seed = new Uint8Array(32).map((_, i) => i);

describe("key pairs from seeds", () => {
  it("gives an Ed25519 pair that signs and verifies, and keeps its seed", () => {
    const kp = signKeyPairFromSeed(sodium, seed);
    expect(kp).toEqual(signKeyPairFromSeed(sodium, seed.slice()));
    expect(sodium.crypto_sign_ed25519_sk_to_seed(kp.secretKey)).toEqual(seed);
    const sig = sodium.crypto_sign_detached(Uint8Array.of(1, 2, 3), kp.secretKey);
    expect(sodium.crypto_sign_verify_detached(sig, Uint8Array.of(1, 2, 3), kp.publicKey)).toBe(true);
  });

  it("gives an X25519 pair whose public key is the base-point multiple of its secret key", () => {
    const kp = boxKeyPairFromSeed(sodium, seed);
    expect(kp.publicKey).toEqual(sodium.crypto_scalarmult_base(kp.secretKey));
    expect(kp.publicKey).not.toEqual(signKeyPairFromSeed(sodium, seed).publicKey);
  });

  it("rejects seeds that are not 32 bytes", () => {
    expect(codeOf(() => signKeyPairFromSeed(sodium, new Uint8Array(31)))).toBe("MALFORMED");
    expect(codeOf(() => boxKeyPairFromSeed(sodium, new Uint8Array(33)))).toBe("MALFORMED");
  });
});
