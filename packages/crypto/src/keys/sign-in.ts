import type { HelplineId, SignPublicKey, SignSecretKey } from "../core/brand.js";
import { Writer } from "../core/codec.js";
import { CryptoError, isCryptoError } from "../core/errors.js";
import { idToBytes } from "../core/ids.js";
import { LABEL } from "../core/labels.js";
import { signWithLabel, verifyWithLabel } from "../core/sign.js";
import type { Sodium } from "../core/sodium.js";

/** A sign-in challenge (PROTOCOL.md §8): the server's single-use nonce, bound to where and as whom. */
export interface SignInChallenge {
  /** The web origin the client runs on, exactly as `location.origin` (scheme, host, optional port). */
  readonly origin: string;
  readonly helplineId: HelplineId;
  readonly role: "seeker" | "staff";
  /** 32 random bytes from the server, valid 60 s, single use. */
  readonly nonce: Uint8Array;
}

export const SIGN_IN_NONCE_BYTES = 32;
const ROLE_BYTE = { seeker: 1, staff: 2 } as const;
// An origin has no path, query or fragment; a mismatch in form (trailing "/") would fail late and obscurely.
const ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]+$/;
const MAX_ORIGIN_BYTES = 255;

/**
 * The signed bytes: `str origin || fixed16 helplineId || u8 role (1 help-seeker, 2 staff) || fixed32 nonce`
 * (the label is prepended by the signature). `CHALLENGE_INVALID` for a malformed challenge.
 */
export function signInMessage(sodium: Sodium, challenge: SignInChallenge): Uint8Array {
  const { origin, helplineId, role, nonce } = challenge;
  if (
    typeof origin !== "string" ||
    !ORIGIN.test(origin) ||
    new TextEncoder().encode(origin).length > MAX_ORIGIN_BYTES
  ) {
    throw new CryptoError("CHALLENGE_INVALID", "origin is not a web origin");
  }
  if (role !== "seeker" && role !== "staff") throw new CryptoError("CHALLENGE_INVALID", "unknown role");
  if (!(nonce instanceof Uint8Array) || nonce.length !== SIGN_IN_NONCE_BYTES) {
    throw new CryptoError("CHALLENGE_INVALID", `a nonce has ${SIGN_IN_NONCE_BYTES} bytes`);
  }
  let id: Uint8Array;
  try {
    id = idToBytes(sodium, helplineId);
  } catch (cause) {
    throw new CryptoError("CHALLENGE_INVALID", "helpline id is not a 16-byte id", { cause });
  }
  return new Writer()
    .str(origin)
    .fixed(id, 16)
    .u8(ROLE_BYTE[role])
    .fixed(nonce, SIGN_IN_NONCE_BYTES)
    .finish();
}

/**
 * Sign a challenge with the sign-in key (a help-seeker's `signIn` or a staff member's `signIn`).
 *
 * @example
 * const signature = signChallenge(sodium, { origin: location.origin, helplineId, role: "seeker", nonce }, keys.signIn.secretKey);
 */
export function signChallenge(
  sodium: Sodium,
  challenge: SignInChallenge,
  signInSecretKey: SignSecretKey,
): Uint8Array {
  if (signInSecretKey.length !== sodium.crypto_sign_SECRETKEYBYTES) {
    throw new CryptoError("CHALLENGE_INVALID", "not a sign-in secret key");
  }
  return signWithLabel(sodium, LABEL.signIn, signInMessage(sodium, challenge), signInSecretKey);
}

/**
 * Server side: throws `CHALLENGE_INVALID` unless `signature` signs exactly this challenge (origin,
 * helpline, role and nonce) under the registered sign-in key. Nonce freshness and single use are the
 * caller's job (PROTOCOL.md §8).
 *
 * @example
 * verifyChallenge(sodium, { origin, helplineId, role: "staff", nonce }, signature, member.signInPk);
 */
export function verifyChallenge(
  sodium: Sodium,
  challenge: SignInChallenge,
  signature: Uint8Array,
  signInPublicKey: SignPublicKey,
): void {
  const message = signInMessage(sodium, challenge);
  try {
    verifyWithLabel(sodium, LABEL.signIn, message, signature, signInPublicKey);
  } catch (e) {
    if (isCryptoError(e, "BAD_SIGNATURE")) {
      throw new CryptoError("CHALLENGE_INVALID", "the sign-in signature does not verify", { cause: e });
    }
    throw e;
  }
}
