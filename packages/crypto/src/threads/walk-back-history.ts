import type { EpochKey, StaffEpochKey } from "../core/brand.js";
import { CryptoError } from "../core/errors.js";
import type { Sodium } from "../core/sodium.js";
import type { EpochKeys, EpochRecord } from "../core/types.js";
import { openHistory } from "./epoch-history.js";
import { checkEpochKeys } from "./epoch-keys-check.js";

/**
 * From the keys of one epoch, the keys of every earlier epoch: K_e opens K_{e-1} from record e's
 * history, S_e opens S_{e-1} from its staff history (down to S_1; epoch 0 has none). Every step
 * is checked against the commitments of the verified records (`KEY_COMMITMENT_MISMATCH`). The
 * help-seeker, who has no staff key, gets main keys only. Walking forward is impossible: nothing
 * in epoch e opens epoch e+1.
 *
 * @param records verified records (e.g. from `verifyEpochChain`) with `records[i].epoch === i`
 *   at least up to `current.epoch`.
 * @returns keys of epochs 0..current.epoch, in epoch order.
 *
 * @example
 * const all = walkBackHistory(sodium, records, keysFromMyGrant);
 * all[0].key; // K_0, the help-seeker's first message
 */
export function walkBackHistory(
  sodium: Sodium,
  records: readonly EpochRecord[],
  current: EpochKeys,
): EpochKeys[] {
  const record = (epoch: number): EpochRecord => {
    const r = records[epoch];
    if (r === undefined || r.epoch !== epoch) {
      throw new CryptoError("EPOCH_CHAIN_BROKEN", `record of epoch ${epoch} is missing or out of place`);
    }
    return r;
  };
  checkEpochKeys(sodium, record(current.epoch), current);
  const out: EpochKeys[] = [current];
  let keys = current;
  for (let e = current.epoch; e > 0; e--) {
    const newer = record(e);
    const older = record(e - 1);
    if (older.helplineId !== newer.helplineId || older.threadId !== newer.threadId) {
      throw new CryptoError("WRONG_CONTEXT", "records of different threads");
    }
    const ctx = { helplineId: newer.helplineId, threadId: newer.threadId, epoch: e };
    const key = openHistory(sodium, ctx, keys.key, newer.history) as EpochKey;
    const staffKey =
      keys.staffKey !== undefined && e >= 2
        ? (openHistory(sodium, ctx, keys.staffKey, newer.staffHistory) as StaffEpochKey)
        : undefined;
    keys = staffKey === undefined ? { epoch: e - 1, key } : { epoch: e - 1, key, staffKey };
    checkEpochKeys(sodium, older, keys);
    out.push(keys);
  }
  return out.reverse();
}
