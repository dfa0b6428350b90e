import type { BoxKeyPair, EpochKey, GrantBytes, StaffEpochKey } from "../core/brand.js";
import { samePublicBytes } from "../core/byte-order.js";
import { CryptoError } from "../core/errors.js";
import type { Sodium } from "../core/sodium.js";
import type { EpochKeys, EpochRecord, Grant } from "../core/types.js";
import { checkEpochKeys } from "./epoch-keys-check.js";
import { verifyGrant } from "./grant.js";

/**
 * Verifies a grant (see `verifyGrant`), opens it with the caller's box key and checks the keys
 * against the record's commitments (`KEY_COMMITMENT_MISMATCH`), so a signer cannot give one reader
 * a different key than the others. Staff get K_e and S_e (K_e only in epoch 0); the help-seeker
 * gets K_e only.
 *
 * @example
 * const keys = openGrant(sodium, grantBytes, record, myBoxKeyPair);
 * // keys.key opens messages of record.epoch; keys.staffKey (staff only) opens notes
 */
export function openGrant(
  sodium: Sodium,
  bytes: GrantBytes,
  record: EpochRecord,
  myBox: BoxKeyPair,
): EpochKeys {
  const grant = verifyGrant(sodium, bytes, record);
  requireRecipient(grant, myBox);
  const opened = openGrantBox(sodium, grant, myBox);
  const key = opened.slice(0, 32) as EpochKey;
  const keys: EpochKeys =
    opened.length === 64
      ? { epoch: record.epoch, key, staffKey: opened.slice(32) as StaffEpochKey }
      : { epoch: record.epoch, key };
  sodium.memzero(opened);
  checkEpochKeys(sodium, record, keys);
  return keys;
}

/** `NOT_A_READER` unless the grant names `myBox` as its recipient. */
export function requireRecipient(grant: Grant, myBox: BoxKeyPair): void {
  if (!samePublicBytes(grant.recipientBoxPk, myBox.publicKey)) {
    throw new CryptoError("NOT_A_READER", "this grant is for another reader");
  }
}

/** The grant's sealed keys opened with libsodium; `DECRYPT_FAILED` (libsodium's refusal as cause). */
export function openGrantBox(sodium: Sodium, grant: Grant, myBox: BoxKeyPair): Uint8Array {
  try {
    return sodium.crypto_box_seal_open(grant.sealed, myBox.publicKey, myBox.secretKey);
  } catch (cause) {
    throw new CryptoError("DECRYPT_FAILED", "grant does not open with this box key", { cause });
  }
}
