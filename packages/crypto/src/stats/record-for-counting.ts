import type { EpochRecordBytes } from "../core/brand.js";
import { Reader } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";
import { labelledHash } from "../core/hash.js";
import { ID_BYTES, idFromBytes } from "../core/ids.js";
import { LABEL, THREAD_WIRE_VERSION, WIRE_TYPE } from "../core/labels.js";
import type { Sodium } from "../core/sodium.js";
import type { EpochRecord } from "../core/types.js";

/** What counting survey answers uses of an epoch record: its context, key commitments and hash. */
export type CountingRecord = Pick<
  EpochRecord,
  "helplineId" | "threadId" | "epoch" | "keyCommit" | "staffCommit" | "hash"
>;

/**
 * Reads only the fixed head of an epoch record (the layout of `parseEpochRecord`: version, type,
 * helpline, thread, epoch, previous hash, roster version and hash, reason, time, the two key
 * commitments) and hashes all of its bytes, for counting survey answers (issue 13). The readers,
 * heads and histories after the head are not decoded: the count uses none of them, and a grant names
 * the record by the hash of all its bytes, so whatever follows the head is bound all the same. About
 * a fifth of the count's time went into decoding them (docs/PERFORMANCE.md, Statistics).
 *
 * @example
 * const record = readRecordForCounting(sodium, bytes);
 * const key = openGrantKeyForCounting(sodium, grant, record, me.box);
 */
export function readRecordForCounting(sodium: Sodium, bytes: EpochRecordBytes): CountingRecord {
  const r = new Reader(bytes);
  const version = r.u8();
  if (version !== THREAD_WIRE_VERSION) {
    throw new CryptoError("UNSUPPORTED_VERSION", `epoch record version ${version} is not supported`);
  }
  const type = r.u8();
  if (type !== WIRE_TYPE.epochRecord) {
    throw new CryptoError("WRONG_TYPE", `expected an epoch record, got type ${type}`);
  }
  const helplineId = idFromBytes<EpochRecord["helplineId"]>(sodium, r.fixed(ID_BYTES));
  const threadId = idFromBytes<EpochRecord["threadId"]>(sodium, r.fixed(ID_BYTES));
  const epoch = r.u32();
  r.fixed(32); // previous record hash
  r.u32(); // roster version
  r.fixed(32); // roster hash
  r.u8(); // reason
  r.u64(); // created at
  const keyCommit = r.fixed(32);
  const staffCommit = r.fixed(32);
  return {
    helplineId,
    threadId,
    epoch,
    keyCommit,
    staffCommit,
    hash: labelledHash(sodium, LABEL.recordHash, bytes),
  };
}
