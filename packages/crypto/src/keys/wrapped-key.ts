import { aeadOpen, aeadSeal, NONCE_BYTES } from "../core/aead.js";
import type { WrappedKeyBytes } from "../core/brand.js";
import { concat, labelBytes, Reader, Writer } from "../core/codec.js";
import { CryptoError, isCryptoError } from "../core/errors.js";
import { LABEL, WIRE_TYPE, WIRE_VERSION } from "../core/labels.js";
import type { RandomSource } from "../core/random.js";
import type { Sodium } from "../core/sodium.js";

/**
 * Wrapped key (type 0x06, PROTOCOL.md §2): a 32-byte secret sealed under a wrap key.
 *
 *   u8 version | u8 type=0x06 | u8 kind | fixed16 salt | u32 opslimit | u32 memlimit KiB | bytes sealed
 *
 * Kind 1 derives the wrap key from a passphrase (Argon2id with the salt and parameters above); kind 2
 * (recovery) takes a 32-byte key and carries zero salt and zero parameters (one value, one encoding).
 * Kind 3 was protocol 1's root-for-owner copy of the root seed; it is retired and refused. The header
 * is in the AD, so no field can be changed without the unwrap failing.
 */
export type WrappedKeyKind = "passphrase" | "recovery";

export interface WrappedKey {
  readonly kind: WrappedKeyKind;
  readonly salt: Uint8Array;
  readonly opsLimit: number;
  readonly memLimitKiB: number;
  /** `nonce || ciphertext || tag` of the 32-byte secret. */
  readonly sealed: Uint8Array;
}

export const WRAPPED_SECRET_BYTES = 32;
export const WRAP_SALT_BYTES = 16;
const SEALED_BYTES = NONCE_BYTES + WRAPPED_SECRET_BYTES + 16;
const KIND_BYTE: Record<WrappedKeyKind, number> = { passphrase: 1, recovery: 2 };
const KIND_OF = new Map(Object.entries(KIND_BYTE).map(([k, v]) => [v, k as WrappedKeyKind]));

/** Serialize; round-trips with `parseWrappedKey`. */
export function encodeWrappedKey(w: WrappedKey): WrappedKeyBytes {
  return concat(header(w), new Writer().bytes(checkSealed(w.sealed)).finish()) as WrappedKeyBytes;
}

/**
 * Strict parse: `UNSUPPORTED_VERSION`, `WRONG_TYPE`, or `MALFORMED` for an unknown kind, a non-zero
 * (or the retired kind 3), a non-zero salt or parameters on kind 2, a sealed field of the wrong size,
 * short data or trailing bytes.
 */
export function parseWrappedKey(bytes: Uint8Array): WrappedKey {
  const r = new Reader(bytes);
  if (r.u8() !== WIRE_VERSION) throw new CryptoError("UNSUPPORTED_VERSION", "unknown wrapped-key version");
  if (r.u8() !== WIRE_TYPE.wrappedKey) throw new CryptoError("WRONG_TYPE", "not a wrapped key");
  const kind = KIND_OF.get(r.u8());
  if (kind === undefined) throw new CryptoError("MALFORMED", "unknown wrapped-key kind");
  const salt = r.fixed(WRAP_SALT_BYTES);
  const opsLimit = r.u32();
  const memLimitKiB = r.u32();
  const sealed = checkSealed(r.bytes(SEALED_BYTES));
  r.end();
  if (kind !== "passphrase" && (salt.some((b) => b !== 0) || opsLimit !== 0 || memLimitKiB !== 0)) {
    throw new CryptoError("MALFORMED", `a ${kind} wrapped key has no salt or KDF parameters`);
  }
  return { kind, salt, opsLimit, memLimitKiB, sealed };
}

/**
 * Wrap under a 32-byte key: kind 2 (recovery: the account key under the key from the recovery sheet).
 *
 * @example
 * const wrapped = wrapUnderKey(sodium, "recovery", accountKey, recoveryWrapKey(sodium, secret), random);
 */
export function wrapUnderKey(
  sodium: Sodium,
  kind: "recovery",
  secret: Uint8Array,
  key: Uint8Array,
  random: RandomSource,
): WrappedKeyBytes {
  const zero = { salt: new Uint8Array(WRAP_SALT_BYTES), opsLimit: 0, memLimitKiB: 0 };
  return sealWrappedKey(sodium, { kind, ...zero }, secret, key, random);
}

/** Inverse of `wrapUnderKey`; `WRONG_TYPE` for another kind, `UNWRAP_FAILED` for a wrong key or tampering. */
export function unwrapUnderKey(
  sodium: Sodium,
  kind: "recovery",
  wrapped: WrappedKeyBytes,
  key: Uint8Array,
): Uint8Array {
  const w = parseWrappedKey(wrapped);
  if (w.kind !== kind) throw new CryptoError("WRONG_TYPE", `expected a ${kind} wrapped key, got ${w.kind}`);
  return openWrappedKey(sodium, w, key);
}

function header(w: Omit<WrappedKey, "sealed">): Uint8Array {
  return new Writer()
    .u8(WIRE_VERSION)
    .u8(WIRE_TYPE.wrappedKey)
    .u8(KIND_BYTE[w.kind])
    .fixed(w.salt, WRAP_SALT_BYTES)
    .u32(w.opsLimit)
    .u32(w.memLimitKiB)
    .finish();
}

function ad(w: Omit<WrappedKey, "sealed">): Uint8Array {
  return concat(labelBytes(LABEL.accountWrap), header(w));
}

/** Seal `secret` under `key` with the header's AD (`L(account-wrap) || header`) and encode. */
export function sealWrappedKey(
  sodium: Sodium,
  w: Omit<WrappedKey, "sealed">,
  secret: Uint8Array,
  key: Uint8Array,
  random: RandomSource,
): WrappedKeyBytes {
  if (secret.length !== WRAPPED_SECRET_BYTES)
    throw new CryptoError("MALFORMED", "a wrapped secret has 32 bytes");
  if (key.length !== 32) throw new CryptoError("MALFORMED", "a wrap key has 32 bytes");
  return encodeWrappedKey({ ...w, sealed: aeadSeal(sodium, key, secret, ad(w), random) });
}

/** Open a parsed bundle under `key`; `UNWRAP_FAILED` when the AEAD does not verify. */
export function openWrappedKey(sodium: Sodium, w: WrappedKey, key: Uint8Array): Uint8Array {
  if (key.length !== 32) throw new CryptoError("MALFORMED", "a wrap key has 32 bytes");
  try {
    return aeadOpen(sodium, key, w.sealed, ad(w));
  } catch (e) {
    if (isCryptoError(e, "DECRYPT_FAILED")) {
      throw new CryptoError("UNWRAP_FAILED", "wrong passphrase or key, or a tampered bundle", { cause: e });
    }
    throw e;
  }
}

function checkSealed(sealed: Uint8Array): Uint8Array {
  if (sealed.length !== SEALED_BYTES)
    throw new CryptoError("MALFORMED", `sealed field must be ${SEALED_BYTES} bytes`);
  return sealed;
}
