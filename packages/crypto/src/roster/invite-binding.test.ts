import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { HelplineId, MemberId } from "../core/brand.js";
import { newId } from "../core/ids.js";
import { seededRandom } from "../core/random.js";
import { loadSodium } from "../core/sodium.js";
import { generateRootKey } from "../keys/root-key.js";
import {
  generateInviteSecret,
  type InviteContext,
  inviteKeyProof,
  openInviteSecret,
  rootAdminKey,
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

describe("invite secrets sealed for the helpline's supervisors", () => {
  const root = generateRootKey(sodium, random);
  const secret = generateInviteSecret(sodium, random);

  it("any holder of the root seed opens it, for this invite only", () => {
    const sealed = sealInviteSecret(sodium, root.seed, secret, ctx, random);
    expect(sealed).toHaveLength(SEALED_INVITE_SECRET_BYTES);
    expect(openInviteSecret(sodium, root.seed, sealed, ctx)).toEqual(secret);
    // Moved to another invite (member, role or helpline): refused.
    for (const moved of [
      { ...ctx, memberId: newId<MemberId>(sodium, random) },
      { ...ctx, role: "supervisor" as const },
      { ...ctx, helplineId: newId<HelplineId>(sodium, random) },
    ]) {
      expect(() => openInviteSecret(sodium, root.seed, sealed, moved)).toThrow(mismatch);
    }
  });

  it("another root, tampered bytes or a wrong length are INVITE_KEY_MISMATCH", () => {
    const sealed = sealInviteSecret(sodium, root.seed, secret, ctx, random);
    const otherRoot = generateRootKey(sodium, random);
    expect(() => openInviteSecret(sodium, otherRoot.seed, sealed, ctx)).toThrow(mismatch);
    const tampered = sealed.slice();
    tampered[40]! ^= 0x01;
    expect(() => openInviteSecret(sodium, root.seed, tampered, ctx)).toThrow(mismatch);
    expect(() => openInviteSecret(sodium, root.seed, sealed.subarray(1), ctx)).toThrow(mismatch);
  });

  it("the admin key is a KDF of the root seed, distinct from the seed and per root", () => {
    const k = rootAdminKey(sodium, root.seed);
    expect(k).toHaveLength(32);
    expect(k).not.toEqual(root.seed);
    expect(rootAdminKey(sodium, root.seed)).toEqual(k);
    expect(rootAdminKey(sodium, generateRootKey(sodium, random).seed)).not.toEqual(k);
    expect(() => rootAdminKey(sodium, random(31))).toThrow(expect.objectContaining({ code: "MALFORMED" }));
  });
});
