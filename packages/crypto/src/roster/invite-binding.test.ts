import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { HelplineId, MemberId } from "../core/brand.js";
import { newId } from "../core/ids.js";
import { KDF_CONTEXT } from "../core/labels.js";
import { seededRandom } from "../core/random.js";
import { loadSodium } from "../core/sodium.js";
import { deriveAccountKeys, generateAccountKey } from "../keys/account-keys.js";
import {
  generateInviteSecret,
  type InviteContext,
  inviteKey,
  inviteKeyProof,
  openInviteSecret,
  SEALED_INVITE_SECRET_BYTES,
  sealInviteSecret,
  verifyInviteKeyProof,
} from "./invite-binding.js";

const sodium = await loadSodium();
const random = seededRandom(sodium, new Uint8Array(32).fill(4));

const ctx: InviteContext = {
  helplineId: newId<HelplineId>(sodium, random),
  memberId: newId<MemberId>(sodium, random),
  role: "counsellor",
};
const keys = { signInPk: random(32), signPk: random(32), boxPk: random(32) };
const mismatch = expect.objectContaining({ code: "INVITE_KEY_MISMATCH" });

describe("invite key binding", () => {
  const secret = generateInviteSecret(sodium, random);
  const proof = inviteKeyProof(sodium, secret, ctx, keys);

  it("a proof made with the invite secret verifies for exactly those keys", () => {
    expect(proof).toHaveLength(32);
    expect(() => verifyInviteKeyProof(sodium, secret, ctx, keys, proof)).not.toThrow();
    // Deterministic: the same inputs give the same proof.
    expect(inviteKeyProof(sodium, secret, ctx, keys)).toEqual(proof);
  });

  it("a server that swaps any one key, the member, the role or the helpline is caught", () => {
    const other = random(32);
    for (const swapped of [
      { ...keys, signInPk: other },
      { ...keys, signPk: other },
      { ...keys, boxPk: other },
    ]) {
      expect(() => verifyInviteKeyProof(sodium, secret, ctx, swapped, proof)).toThrow(mismatch);
    }
    for (const moved of [
      { ...ctx, memberId: newId<MemberId>(sodium, random) },
      { ...ctx, helplineId: newId<HelplineId>(sodium, random) },
      { ...ctx, role: "supervisor" as const },
    ]) {
      expect(() => verifyInviteKeyProof(sodium, secret, moved, keys, proof)).toThrow(mismatch);
    }
  });

  it("without the secret no proof verifies; malformed proofs and keys fail the same way", () => {
    const guessed = inviteKeyProof(sodium, generateInviteSecret(sodium, random), ctx, keys);
    expect(() => verifyInviteKeyProof(sodium, secret, ctx, keys, guessed)).toThrow(mismatch);
    expect(() => verifyInviteKeyProof(sodium, secret, ctx, keys, proof.subarray(0, 31))).toThrow(mismatch);
    expect(() => verifyInviteKeyProof(sodium, secret, ctx, { ...keys, boxPk: random(31) }, proof)).toThrow(
      mismatch,
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 31 }), fc.integer({ min: 0, max: 7 }), (at, bit) => {
        const flipped = proof.slice();
        flipped[at]! ^= 1 << bit;
        expect(() => verifyInviteKeyProof(sodium, secret, ctx, keys, flipped)).toThrow(mismatch);
      }),
      { numRuns: 64 },
    );
  });

  it("the secret must have 32 bytes", () => {
    expect(() => inviteKeyProof(sodium, random(16), ctx, keys)).toThrow(
      expect.objectContaining({ code: "MALFORMED" }),
    );
  });
});

describe("invite secrets sealed for their inviter (protocol 2: no root involved)", () => {
  const accountKey = generateAccountKey(sodium, random);
  const inviter = deriveAccountKeys(sodium, accountKey);
  const sealedCtx = { ...ctx, inviterSignPk: inviter.signing.publicKey };
  const secret = generateInviteSecret(sodium, random);

  it("the inviter opens it, for this invite only", () => {
    const sealed = sealInviteSecret(sodium, accountKey, secret, sealedCtx, random);
    expect(sealed).toHaveLength(SEALED_INVITE_SECRET_BYTES);
    expect(openInviteSecret(sodium, accountKey, sealed, sealedCtx)).toEqual(secret);
    // Moved to another invite (member, role, helpline) or credited to another inviter: refused.
    for (const moved of [
      { ...sealedCtx, memberId: newId<MemberId>(sodium, random) },
      { ...sealedCtx, role: "supervisor" as const },
      { ...sealedCtx, helplineId: newId<HelplineId>(sodium, random) },
      { ...sealedCtx, inviterSignPk: random(32) },
    ]) {
      expect(() => openInviteSecret(sodium, accountKey, sealed, moved)).toThrow(mismatch);
    }
  });

  it("another supervisor's account, tampered bytes or a wrong length are INVITE_KEY_MISMATCH", () => {
    const sealed = sealInviteSecret(sodium, accountKey, secret, sealedCtx, random);
    const other = generateAccountKey(sodium, random);
    expect(() => openInviteSecret(sodium, other, sealed, sealedCtx)).toThrow(mismatch);
    const tampered = sealed.slice();
    tampered[40]! ^= 0x01;
    expect(() => openInviteSecret(sodium, accountKey, tampered, sealedCtx)).toThrow(mismatch);
    expect(() => openInviteSecret(sodium, accountKey, sealed.subarray(1), sealedCtx)).toThrow(mismatch);
    // The AEAD failure stays attached for diagnosis.
    try {
      openInviteSecret(sodium, other, sealed, sealedCtx);
    } catch (e) {
      expect((e as Error).cause).toBeDefined();
    }
  });

  it("an inviter signing key that is not 32 bytes is MALFORMED when sealing, a mismatch when opening", () => {
    const short = { ...sealedCtx, inviterSignPk: inviter.signing.publicKey.subarray(1) };
    const malformed = expect.objectContaining({ code: "MALFORMED" });
    expect(() => sealInviteSecret(sodium, accountKey, secret, short, random)).toThrow(malformed);
    const sealed = sealInviteSecret(sodium, accountKey, secret, sealedCtx, random);
    expect(() => openInviteSecret(sodium, accountKey, sealed, short)).toThrow(mismatch);
  });

  it("the invite key is KDF(accountKey, 6, bg-acct_), apart from the account's own keys", () => {
    const k = inviteKey(sodium, accountKey);
    expect(k).toEqual(sodium.crypto_kdf_derive_from_key(32, 6, KDF_CONTEXT.account, accountKey));
    expect(k).not.toEqual(inviter.draftKey);
    expect(() => inviteKey(sodium, random(31))).toThrow(expect.objectContaining({ code: "MALFORMED" }));
  });
});

// Mutation tests (issue 8, docs/PROTOCOL.md §12): the keys derived for one proof or one sealed secret
// do not stay in memory after use, whether the check passes or fails.
describe("derived invite keys are wiped after use", () => {
  /** sodium, recording the key (last argument) of every MAC and AEAD call. */
  function recording() {
    const keysUsed: Uint8Array[] = [];
    const watched = new Set([
      "crypto_auth",
      "crypto_auth_verify",
      "crypto_aead_xchacha20poly1305_ietf_encrypt",
      "crypto_aead_xchacha20poly1305_ietf_decrypt",
    ]);
    const proxy = new Proxy(sodium, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver);
        if (typeof name !== "string" || !watched.has(name) || typeof value !== "function") return value;
        return (...args: unknown[]) => {
          keysUsed.push(args.at(-1) as Uint8Array);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const wiped = () => keysUsed.length > 0 && keysUsed.every((k) => k.every((b) => b === 0));
    return { s: proxy, keysUsed, wiped };
  }
  const accountKey = generateAccountKey(sodium, random);
  const inviter = deriveAccountKeys(sodium, accountKey);
  const sealedCtx = { ...ctx, inviterSignPk: inviter.signing.publicKey };
  const secret = generateInviteSecret(sodium, random);

  it("the binding key of a proof and of its check (passing and failing)", () => {
    const made = recording();
    const proof = inviteKeyProof(made.s, secret, ctx, keys);
    expect(made.wiped()).toBe(true);
    const checked = recording();
    verifyInviteKeyProof(checked.s, secret, ctx, keys, proof);
    expect(checked.wiped()).toBe(true);
    const refused = recording();
    expect(() =>
      verifyInviteKeyProof(refused.s, secret, { ...ctx, role: "supervisor" }, keys, proof),
    ).toThrow(mismatch);
    expect(refused.wiped()).toBe(true);
  });

  it("the invite key that seals and opens a secret (opening and refusing)", () => {
    const sealing = recording();
    const sealed = sealInviteSecret(sealing.s, accountKey, secret, sealedCtx, random);
    expect(sealing.wiped()).toBe(true);
    const opening = recording();
    expect(openInviteSecret(opening.s, accountKey, sealed, sealedCtx)).toEqual(secret);
    expect(opening.wiped()).toBe(true);
    const refusing = recording();
    expect(() =>
      openInviteSecret(refusing.s, accountKey, sealed, { ...sealedCtx, role: "supervisor" }),
    ).toThrow(mismatch);
    expect(refusing.wiped()).toBe(true);
  });
});
