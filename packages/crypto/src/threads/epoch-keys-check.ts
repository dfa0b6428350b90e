import { CryptoError } from "../core/errors.js";
import { bytesEqual } from "../core/hash.js";
import type { Sodium } from "../core/sodium.js";
import type { EpochKeys, EpochRecord } from "../core/types.js";
import { keyCommit, staffCommit } from "./epoch-record.js";

/**
 * Throws `KEY_COMMITMENT_MISMATCH` unless `keys` are the keys `record` commits to (the staff key
 * only when present: the help-seeker has none). A staff key in epoch 0 is refused too: there is none.
 */
export function checkEpochKeys(
  sodium: Sodium,
  record: Pick<EpochRecord, "threadId" | "epoch" | "keyCommit" | "staffCommit">,
  keys: EpochKeys,
): void {
  if (keys.epoch !== record.epoch) {
    throw new CryptoError("WRONG_CONTEXT", `keys of epoch ${keys.epoch} given for epoch ${record.epoch}`);
  }
  if (!bytesEqual(sodium, keyCommit(sodium, record.threadId, record.epoch, keys.key), record.keyCommit)) {
    throw new CryptoError("KEY_COMMITMENT_MISMATCH", `main key does not match epoch ${record.epoch}`);
  }
  if (keys.staffKey === undefined) return;
  if (
    record.epoch === 0 ||
    !bytesEqual(sodium, staffCommit(sodium, record.threadId, record.epoch, keys.staffKey), record.staffCommit)
  ) {
    throw new CryptoError("KEY_COMMITMENT_MISMATCH", `staff key does not match epoch ${record.epoch}`);
  }
}
