/**
 * Senders and readers for the envelope and thread-verification tests (not exported by the package):
 * a signing key pair from one repeated byte, and an epoch reader with a fresh member id (the
 * help-seeker's fixed one) and a random box key, so each test file names its people by small numbers.
 */
import type { BoxPublicKey, MemberId, SignKeyPair, SignPublicKey, SignSecretKey } from "../src/core/brand.js";
import { newId, SEEKER_MEMBER_ID } from "../src/core/ids.js";
import type { RandomSource } from "../src/core/random.js";
import type { Sodium } from "../src/core/sodium.js";
import type { Reader } from "../src/core/types.js";

/** The signing key pair seeded with 32 bytes of `seed`. */
export function filledSigner(sodium: Sodium, seed: number): SignKeyPair {
  const kp = sodium.crypto_sign_seed_keypair(new Uint8Array(32).fill(seed));
  return { publicKey: kp.publicKey as SignPublicKey, secretKey: kp.privateKey as SignSecretKey };
}

/** A reader of an epoch signing with `who`'s key. */
export function testReader(
  sodium: Sodium,
  random: RandomSource,
  kind: Reader["kind"],
  who: SignKeyPair,
): Reader {
  return {
    kind,
    memberId: kind === "seeker" ? SEEKER_MEMBER_ID : newId<MemberId>(sodium, random),
    signPk: who.publicKey,
    boxPk: random(32) as BoxPublicKey,
  };
}
