import { describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import type { HelplineId } from "../core/brand.js";
import { labelledHash } from "../core/hash.js";
import { idToBytes, newId } from "../core/ids.js";
import { KDF_CONTEXT, LABEL } from "../core/labels.js";
import { seededRandom } from "../core/random.js";
import { loadSodium } from "../core/sodium.js";
import { generateCode, parseCode } from "./seeker-code.js";
import { codeSalt, deriveSeekerKeys, SEEKER_ARGON2, seekerKeysFromMaster } from "./seeker-keys.js";

const sodium = await loadSodium();
const random = seededRandom(sodium, new Uint8Array(32).fill(11));
const helplineA = newId<HelplineId>(sodium, random);
const helplineB = newId<HelplineId>(sodium, random);
const code = generateCode(sodium, { helplineTag: 3, random });
const otherCode = generateCode(sodium, { helplineTag: 3, random });

describe("codeSalt", () => {
  it("is the first 16 bytes of H(code-salt, helplineId bytes), different per helpline", () => {
    const salt = codeSalt(sodium, helplineA);
    expect(salt).toEqual(labelledHash(sodium, LABEL.codeSalt, idToBytes(sodium, helplineA)).slice(0, 16));
    expect(salt).toHaveLength(16);
    expect(codeSalt(sodium, helplineB)).not.toEqual(salt);
    expect(codeOf(() => codeSalt(sodium, "not-an-id" as HelplineId))).toBe("MALFORMED");
  });
});

describe("seekerKeysFromMaster", () => {
  const master = random(32);
  const keys = seekerKeysFromMaster(sodium, master);
  const sub = (id: number) => sodium.crypto_kdf_derive_from_key(32, id, KDF_CONTEXT.seeker, master);

  it("splits the master key with KDF ids 1-4 and context bg-seekr", () => {
    expect(keys.signIn.publicKey).toEqual(sodium.crypto_sign_seed_keypair(sub(1)).publicKey);
    expect(keys.signIn.secretKey).toEqual(sodium.crypto_sign_seed_keypair(sub(1)).privateKey);
    expect(keys.messageSign.publicKey).toEqual(sodium.crypto_sign_seed_keypair(sub(2)).publicKey);
    expect(keys.box.publicKey).toEqual(sodium.crypto_box_seed_keypair(sub(3)).publicKey);
    expect(keys.box.secretKey).toEqual(sodium.crypto_box_seed_keypair(sub(3)).privateKey);
    expect(keys.draftKey).toEqual(sub(4));
  });

  it("gives independent keys (the box key is not a converted signing key)", () => {
    const all = [keys.signIn.publicKey, keys.messageSign.publicKey, keys.box.publicKey, keys.draftKey];
    expect(new Set(all.map((k) => sodium.to_hex(k))).size).toBe(4);
    const converted = sodium.crypto_sign_ed25519_pk_to_curve25519(keys.messageSign.publicKey);
    expect(keys.box.publicKey).not.toEqual(converted);
  });

  it("rejects a master key of the wrong length", () => {
    expect(codeOf(() => seekerKeysFromMaster(sodium, new Uint8Array(31)))).toBe("MALFORMED");
  });
});

describe("deriveSeekerKeys", () => {
  it("uses Argon2id with ops 3 and 64 MiB", () => {
    expect(SEEKER_ARGON2).toEqual({ opsLimit: 3, memLimitBytes: 64 * 1024 * 1024 });
  });

  // Four Argon2 runs at 64 MiB in total: keep it that way.
  it("is Argon2id(ascii(tag||secret), salt) then the KDF split; deterministic; separated by helpline and code", () => {
    const keys = deriveSeekerKeys(sodium, code, helplineA);
    const password = parseCode(sodium, code).code.replaceAll("-", "").slice(0, 22);
    const master = sodium.crypto_pwhash(
      32,
      password,
      codeSalt(sodium, helplineA),
      3,
      64 * 1024 * 1024,
      sodium.crypto_pwhash_ALG_ARGON2ID13,
    );
    expect(keys).toEqual(seekerKeysFromMaster(sodium, master));

    // The same code typed loosely on another device gives the same keys.
    const typed = parseCode(sodium, code.toLowerCase().replaceAll("-", " ")).code;
    expect(deriveSeekerKeys(sodium, typed, helplineA)).toEqual(keys);

    const otherHelpline = deriveSeekerKeys(sodium, code, helplineB);
    expect(otherHelpline.signIn.publicKey).not.toEqual(keys.signIn.publicKey);
    expect(otherHelpline.draftKey).not.toEqual(keys.draftKey);

    const other = deriveSeekerKeys(sodium, otherCode, helplineA);
    expect(other.signIn.publicKey).not.toEqual(keys.signIn.publicKey);
    expect(other.box.publicKey).not.toEqual(keys.box.publicKey);
  });

  it("refuses an invalid code before running Argon2", () => {
    const noArgon = {
      ...sodium,
      crypto_pwhash: () => {
        throw new Error("Argon2 ran");
      },
    } as unknown as typeof sodium;
    expect(codeOf(() => deriveSeekerKeys(noArgon, "0000" as never, helplineA))).toBe("INVALID_CODE_FORMAT");
    const typo = code.slice(0, -1) + (code.endsWith("0") ? "1" : "0");
    expect(codeOf(() => deriveSeekerKeys(noArgon, typo as never, helplineA))).toBe("INVALID_CODE_CHECKSUM");
  });
});
