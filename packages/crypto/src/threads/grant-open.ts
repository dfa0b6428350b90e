import type { BoxKeyPair, EpochKey, GrantBytes, StaffEpochKey } from "../core/brand.js";
import { samePublicBytes } from "../core/byte-order.js";
import { CryptoError } from "../core/errors.js";
import type { Sodium } from "../core/sodium.js";
import type { EpochKeys, EpochRecord } from "../core/types.js";
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
  if (!samePublicBytes(grant.recipientBoxPk, myBox.publicKey)) {
    throw new CryptoError("NOT_A_READER", "this grant is for another reader");
  }
  let opened: Uint8Array;
  try {
    opened = sodium.crypto_box_seal_open(grant.sealed, myBox.publicKey, myBox.secretKey);
  } catch (cause) {
    throw new CryptoError("DECRYPT_FAILED", "grant does not open with this box key", { cause });
  }
  const key = opened.slice(0, 32) as EpochKey;
  const keys: EpochKeys =
    opened.length === 64
      ? { epoch: record.epoch, key, staffKey: opened.slice(32) as StaffEpochKey }
      : { epoch: record.epoch, key };
  sodium.memzero(opened);
  checkEpochKeys(sodium, record, keys);
  return keys;
}
