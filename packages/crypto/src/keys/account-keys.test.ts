import { describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import type { AccountKey } from "../core/brand.js";
import { KDF_CONTEXT } from "../core/labels.js";
import { seededRandom } from "../core/random.js";
import { loadSodium } from "../core/sodium.js";
import { deriveAccountKeys, generateAccountKey } from "./account-keys.js";
import { seekerKeysFromMaster } from "./seeker-keys.js";

const sodium = await loadSodium();

describe("generateAccountKey", () => {
  it("takes 32 bytes from the random source", () => {
    const a = generateAccountKey(sodium, seededRandom(sodium, new Uint8Array(32).fill(1)));
    const b = generateAccountKey(sodium, seededRandom(sodium, new Uint8Array(32).fill(1)));
    const c = generateAccountKey(sodium, seededRandom(sodium, new Uint8Array(32).fill(2)));
    expect(a).toHaveLength(32);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(codeOf(() => generateAccountKey(sodium, () => new Uint8Array(16)))).toBe("MALFORMED");
  });
});

describe("deriveAccountKeys", () => {
  const accountKey = generateAccountKey(sodium, seededRandom(sodium, new Uint8Array(32).fill(3)));
  const keys = deriveAccountKeys(sodium, accountKey);
  const sub = (id: number) => sodium.crypto_kdf_derive_from_key(32, id, KDF_CONTEXT.account, accountKey);

  it("derives sign-in, signing, box and draft keys with KDF ids 1-4 and context bg-acct_", () => {
    expect(keys.signIn.publicKey).toEqual(sodium.crypto_sign_seed_keypair(sub(1)).publicKey);
    expect(keys.signIn.secretKey).toEqual(sodium.crypto_sign_seed_keypair(sub(1)).privateKey);
    expect(keys.signing.publicKey).toEqual(sodium.crypto_sign_seed_keypair(sub(2)).publicKey);
    expect(keys.signing.secretKey).toEqual(sodium.crypto_sign_seed_keypair(sub(2)).privateKey);
    expect(keys.box.publicKey).toEqual(sodium.crypto_box_seed_keypair(sub(3)).publicKey);
    expect(keys.box.secretKey).toEqual(sodium.crypto_box_seed_keypair(sub(3)).privateKey);
    expect(keys.draftKey).toEqual(sub(4));
  });

  it("is deterministic and gives four distinct keys", () => {
    expect(deriveAccountKeys(sodium, accountKey.slice() as AccountKey)).toEqual(keys);
    const all = [keys.signIn.publicKey, keys.signing.publicKey, keys.box.publicKey, keys.draftKey];
    expect(new Set(all.map((k) => sodium.to_hex(k))).size).toBe(4);
  });

  it("is separated from the help-seeker derivation by its KDF context", () => {
    const asSeeker = seekerKeysFromMaster(sodium, accountKey);
    expect(asSeeker.signIn.publicKey).not.toEqual(keys.signIn.publicKey);
    expect(asSeeker.draftKey).not.toEqual(keys.draftKey);
  });

  it("rejects an account key of the wrong length", () => {
    expect(codeOf(() => deriveAccountKeys(sodium, new Uint8Array(31) as AccountKey))).toBe("MALFORMED");
  });
});
