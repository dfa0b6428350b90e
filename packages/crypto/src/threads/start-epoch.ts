import type { EpochKey, EpochRecordBytes, GrantBytes, SignKeyPair, StaffEpochKey } from "../core/brand.js";
import { CryptoError } from "../core/errors.js";
import type { RandomSource } from "../core/random.js";
import type { Sodium } from "../core/sodium.js";
import type { EnvelopeHead, EpochKeys, EpochReason, EpochRecord, Reader, Roster } from "../core/types.js";
import { sealHistory } from "./epoch-history.js";
import { checkEpochKeys } from "./epoch-keys-check.js";
import { keyCommit, signEpochRecord, staffCommit } from "./epoch-record.js";
import { verifyEpochRecord } from "./epoch-verify.js";
import { createGrant } from "./grant.js";
import { readerSet } from "./thread-readers.js";

/** A new epoch: the signed record, one grant per reader (in reader order) and its keys. */
export interface EpochStart {
  readonly record: EpochRecordBytes;
  /** The record as verified, for chaining the next step without parsing again. */
  readonly parsed: EpochRecord;
  readonly grants: GrantBytes[];
  readonly keys: EpochKeys;
}

export interface StartEpochOptions {
  readonly prev: EpochRecord;
  /** The signer's keys of `prev` (main and, from epoch 1 on, staff key). */
  readonly prevKeys: EpochKeys;
  readonly readers: readonly Reader[];
  readonly reason: Exclude<EpochReason, "open">;
  /**
   * The thread's heads as the signer sees them now (both streams; computed from verified envelopes):
   * an envelope of the old epoch beyond them was written after the change (`AFTER_EPOCH_CHANGE`).
   */
  readonly heads: readonly EnvelopeHead[];
  /** The newest verified roster; its version goes into the record. */
  readonly roster: Roster;
  readonly signer: SignKeyPair;
  readonly random: RandomSource;
  readonly now: number;
}

/**
 * Starts epoch `prev.epoch + 1` for exactly `readers`: fresh K and S, the previous keys sealed
 * under the new ones (history), and a signed grant per reader. The record is verified before it
 * is returned, so a signer who may not make it (a counsellor assigning, say) gets the same error
 * (`SIGNER_NOT_ALLOWED`, `NOT_ON_ROSTER`, ...) as every client would give.
 *
 * @example
 * const next = startEpoch(sodium, { prev, prevKeys, readers, reason: "reassign", roster, heads,
 *   signer: mySigning, random: systemRandom(sodium), now: Date.now() });
 * await api.postEpoch(next.record, next.grants);
 */
export function startEpoch(sodium: Sodium, opts: StartEpochOptions): EpochStart {
  const { prev, prevKeys, roster } = opts;
  checkEpochKeys(sodium, prev, prevKeys);
  const epoch = prev.epoch + 1;
  if (epoch > 1 && prevKeys.staffKey === undefined) {
    throw new CryptoError("NOT_A_READER", "starting an epoch needs the previous staff key");
  }
  const ctx = { helplineId: prev.helplineId, threadId: prev.threadId, epoch };
  const key = opts.random(32) as EpochKey;
  const staffKey = opts.random(32) as StaffEpochKey;
  const bytes = signEpochRecord(
    sodium,
    {
      helplineId: prev.helplineId,
      threadId: prev.threadId,
      epoch,
      prevRecordHash: prev.hash,
      rosterVersion: roster.version,
      rosterHash: roster.hash,
      reason: opts.reason,
      createdAt: opts.now,
      keyCommit: keyCommit(sodium, prev.threadId, epoch, key),
      staffCommit: staffCommit(sodium, prev.threadId, epoch, staffKey),
      readers: readerSet(opts.readers),
      heads: opts.heads,
      history: sealHistory(sodium, ctx, key, prevKeys.key, opts.random),
      staffHistory:
        prevKeys.staffKey === undefined
          ? new Uint8Array(0)
          : sealHistory(sodium, ctx, staffKey, prevKeys.staffKey, opts.random),
    },
    opts.signer,
  );
  const parsed = verifyEpochRecord(sodium, bytes, {
    helplineId: prev.helplineId,
    threadId: prev.threadId,
    prev,
    rosters: (v) => (v === roster.version ? roster : undefined),
  });
  const keys: EpochKeys = { epoch, key, staffKey };
  const grants = parsed.readers.map((recipient) =>
    createGrant(sodium, { record: parsed, recipient, keys, signer: opts.signer, random: opts.random }),
  );
  return { record: bytes, parsed, grants, keys };
}
