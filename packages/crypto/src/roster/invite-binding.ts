/**
 * Invite key binding (PROTOCOL.md §3, "Invites"): a malicious server cannot slip its own keys into a
 * roster when a supervisor admits a new member.
 *
 *   inviteSecret = 32 random bytes, made by the inviting supervisor's browser; it travels only in the
 *                  invite link's #fragment (never sent to the server in clear)
 *   bindingKey   = KDF(inviteSecret, 1, "bg-invit")
 *   keyProof     = crypto_auth(bindingKey, L("briefgeheim/invite-binding/v1") || fixed16 helplineId
 *                  || fixed16 memberId || u8 role (1 supervisor, 2 counsellor)
 *                  || fixed32 signInPk || fixed32 signPk || fixed32 boxPk)         (HMAC-SHA-512-256)
 *
 * The invitee's client sends `keyProof` with its acceptance. So that the inviter can check it later,
 * from any device, the inviter stores the secret on the server encrypted under a key derived from
 * their own account key (protocol 2: no supervisor holds the helpline root any more):
 *
 *   inviteKey     = KDF(accountKey, 6, "bg-acct_")
 *   sealedSecret  = AEAD(inviteKey, inviteSecret, AD = L("briefgeheim/invite-secret/v2")
 *                   || fixed16 helplineId || fixed16 memberId || u8 role || fixed32 inviterSignPk)  (72 bytes)
 *
 * At admission the inviter's client opens the sealed secret and verifies the proof over the keys the
 * server lists; any failure is `INVITE_KEY_MISMATCH`. The server never holds the secret, so it can
 * neither forge a proof for its own keys nor move a sealed secret to another invite (the AD names it).
 * Any other supervisor admits by comparing the member's safety code (member-safety-code.ts).
 */
import { aeadOpen, aeadSeal } from "../core/aead.js";
import type { AccountKey, HelplineId, MemberId } from "../core/brand.js";
import { concat, labelBytes, Writer } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";
import { idToBytes } from "../core/ids.js";
import { KDF_CONTEXT, LABEL } from "../core/labels.js";
import type { RandomSource } from "../core/random.js";
import type { Sodium } from "../core/sodium.js";
import type { Role } from "../core/types.js";

export const INVITE_SECRET_BYTES = 32;
/** Length of a sealed invite secret: nonce 24 + secret 32 + tag 16. */
export const SEALED_INVITE_SECRET_BYTES = 72;
export const INVITE_KEY_PROOF_BYTES = 32;

const ROLE_CODE: Record<Role, number> = { supervisor: 1, counsellor: 2 };
/** `KDF(accountKey, 6, "bg-acct_")`: ids 1-4 are the account's keys (§2), 5 was the retired root wrap. */
const INVITE_KEY_KDF_ID = 6;

/** Which invite a secret belongs to: the member id is the invite's id. */
export interface InviteContext {
  readonly helplineId: HelplineId | string;
  readonly memberId: MemberId | string;
  readonly role: Role;
}

/** The invite and who made it: the sealed secret names its inviter's signing key. */
export interface SealedInviteContext extends InviteContext {
  readonly inviterSignPk: Uint8Array;
}

/** The keys a new member registered with their acceptance, as the server lists them. */
export interface InviteKeys {
  readonly signInPk: Uint8Array;
  readonly signPk: Uint8Array;
  readonly boxPk: Uint8Array;
}

/**
 * A new invite secret (32 random bytes), for the invite link's fragment.
 *
 * @example
 * const secret = generateInviteSecret(sodium, systemRandom(sodium));
 */
export function generateInviteSecret(_sodium: Sodium, random: RandomSource): Uint8Array {
  return random(INVITE_SECRET_BYTES);
}

function contextBytes(sodium: Sodium, ctx: InviteContext): Uint8Array {
  return new Writer()
    .fixed(idToBytes(sodium, ctx.helplineId), 16)
    .fixed(idToBytes(sodium, ctx.memberId), 16)
    .u8(ROLE_CODE[ctx.role])
    .finish();
}

function checkSecret(secret: Uint8Array): void {
  if (secret.length !== INVITE_SECRET_BYTES) {
    throw new CryptoError("MALFORMED", `an invite secret has ${INVITE_SECRET_BYTES} bytes`);
  }
}

/** The MAC key of an invite secret: `KDF(secret, 1, "bg-invit")`. */
function bindingKey(sodium: Sodium, secret: Uint8Array): Uint8Array {
  checkSecret(secret);
  return sodium.crypto_kdf_derive_from_key(sodium.crypto_auth_KEYBYTES, 1, KDF_CONTEXT.invite, secret);
}

function bindingMessage(sodium: Sodium, ctx: InviteContext, keys: InviteKeys): Uint8Array {
  const w = new Writer()
    .fixed(contextBytes(sodium, ctx), 33)
    .fixed(keys.signInPk, 32)
    .fixed(keys.signPk, 32)
    .fixed(keys.boxPk, 32);
  return concat(labelBytes(LABEL.inviteBinding), w.finish());
}

/**
 * The invitee's proof that these keys are the ones the holder of the invite link registered.
 *
 * @example
 * const keyProof = inviteKeyProof(sodium, secret, { helplineId, memberId, role }, {
 *   signInPk: keys.signIn.publicKey, signPk: keys.signing.publicKey, boxPk: keys.box.publicKey,
 * });
 */
export function inviteKeyProof(
  sodium: Sodium,
  secret: Uint8Array,
  ctx: InviteContext,
  keys: InviteKeys,
): Uint8Array {
  const key = bindingKey(sodium, secret);
  try {
    return sodium.crypto_auth(bindingMessage(sodium, ctx, keys), key);
  } finally {
    sodium.memzero(key);
  }
}

/**
 * Throws `INVITE_KEY_MISMATCH` unless `proof` binds exactly these keys to this invite (constant-time
 * comparison). A proof of the wrong length, for another member, role or helpline, or for any other
 * key fails the same way.
 *
 * @example
 * verifyInviteKeyProof(sodium, secret, { helplineId, memberId, role }, listedKeys, listedProof);
 */
export function verifyInviteKeyProof(
  sodium: Sodium,
  secret: Uint8Array,
  ctx: InviteContext,
  keys: InviteKeys,
  proof: Uint8Array,
): void {
  const key = bindingKey(sodium, secret);
  let ok = false;
  try {
    ok =
      proof.length === INVITE_KEY_PROOF_BYTES &&
      sodium.crypto_auth_verify(proof, bindingMessage(sodium, ctx, keys), key);
  } catch {
    ok = false; // keys or ids of the wrong length: not a binding of these keys either
  } finally {
    sodium.memzero(key);
  }
  if (!ok) {
    throw new CryptoError("INVITE_KEY_MISMATCH", "these keys are not the ones bound by the invite");
  }
}

/**
 * `KDF(accountKey, 6, "bg-acct_")`: the inviting supervisor's key for the secrets of their invites.
 *
 * @example
 * const key = inviteKey(sodium, ctx.accountKey);
 */
export function inviteKey(sodium: Sodium, accountKey: AccountKey | Uint8Array): Uint8Array {
  if (accountKey.length !== 32) throw new CryptoError("MALFORMED", "an account key has 32 bytes");
  return sodium.crypto_kdf_derive_from_key(32, INVITE_KEY_KDF_ID, KDF_CONTEXT.account, accountKey);
}

function secretAd(sodium: Sodium, ctx: SealedInviteContext): Uint8Array {
  if (ctx.inviterSignPk.length !== 32) throw new CryptoError("MALFORMED", "a signing key has 32 bytes");
  return concat(labelBytes(LABEL.inviteSecret), contextBytes(sodium, ctx), ctx.inviterSignPk);
}

/**
 * Encrypts an invite secret for its inviter (under `inviteKey`), bound to the invite (helpline,
 * member id, role) and the inviter's signing key so that it cannot be moved to another invite.
 *
 * @example
 * const sealed = sealInviteSecret(sodium, ctx.accountKey, secret,
 *   { helplineId, memberId, role, inviterSignPk: ctx.keys.signing.publicKey }, random);
 */
export function sealInviteSecret(
  sodium: Sodium,
  accountKey: AccountKey | Uint8Array,
  secret: Uint8Array,
  ctx: SealedInviteContext,
  random: RandomSource,
): Uint8Array {
  checkSecret(secret);
  const key = inviteKey(sodium, accountKey);
  try {
    return aeadSeal(sodium, key, secret, secretAd(sodium, ctx), random);
  } finally {
    sodium.memzero(key);
  }
}

/**
 * Opens a sealed invite secret: `INVITE_KEY_MISMATCH` when it does not open under this account for
 * this invite (tampered, moved from another invite, or sealed by someone else). Wipe it after use.
 *
 * @example
 * const secret = openInviteSecret(sodium, ctx.accountKey, sealed, { ...invite, inviterSignPk });
 */
export function openInviteSecret(
  sodium: Sodium,
  accountKey: AccountKey | Uint8Array,
  sealed: Uint8Array,
  ctx: SealedInviteContext,
): Uint8Array {
  if (sealed.length !== SEALED_INVITE_SECRET_BYTES) {
    throw new CryptoError("INVITE_KEY_MISMATCH", "a sealed invite secret has 72 bytes");
  }
  const key = inviteKey(sodium, accountKey);
  try {
    return aeadOpen(sodium, key, sealed, secretAd(sodium, ctx));
  } catch (cause) {
    throw new CryptoError("INVITE_KEY_MISMATCH", "the invite secret does not open for this invite", {
      cause,
    });
  } finally {
    sodium.memzero(key);
  }
}
