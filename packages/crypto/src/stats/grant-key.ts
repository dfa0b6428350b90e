import type { BoxKeyPair, EpochKey, GrantBytes } from "../core/brand.js";
import { samePublicBytes } from "../core/byte-order.js";
import { CryptoError } from "../core/errors.js";
import type { Sodium } from "../core/sodium.js";
import { checkEpochKeys } from "../threads/epoch-keys-check.js";
import { parseGrant } from "../threads/grant.js";
import type { CountingRecord } from "./record-for-counting.js";

/**
 * The main key K_e of a grant, for counting survey answers (issue 13): like `openGrant` (context, the
 * caller as recipient, the record's key commitment) without the grant's signature. For counting the
 * signature adds nothing: the record's commitment already binds the key, so a grant for a real record
 * can only carry the real key, and whoever could forge a grant could as well open a conversation of
 * their own with made-up answers. Reading messages keeps using `openGrant`. `record` is a parsed
 * `EpochRecord` or the head `readRecordForCounting` reads.
 *
 * @example
 * const key = openGrantKeyForCounting(sodium, grantBytes, record0, me.box);
 */
export function openGrantKeyForCounting(
  sodium: Sodium,
  bytes: GrantBytes,
  record: CountingRecord,
  myBox: BoxKeyPair,
): EpochKey {
  const grant = parseGrant(sodium, bytes);
  if (
    grant.helplineId !== record.helplineId ||
    grant.threadId !== record.threadId ||
    grant.epoch !== record.epoch ||
    !samePublicBytes(grant.recordHash, record.hash)
  ) {
    throw new CryptoError("WRONG_CONTEXT", "grant names another record");
  }
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
  sodium.memzero(opened);
  checkEpochKeys(sodium, record, { epoch: record.epoch, key });
  return key;
}
