import type { EpochRecordBytes, HelplineId, ThreadId } from "../core/brand.js";
import { samePublicBytes } from "../core/byte-order.js";
import { CryptoError } from "../core/errors.js";
import { LABEL } from "../core/labels.js";
import { verifyWithLabel } from "../core/sign.js";
import type { Sodium } from "../core/sodium.js";
import type { EpochRecord, Roster } from "../core/types.js";
import { parseEpochRecord } from "./epoch-record.js";
import { checkWhoMaySign } from "./epoch-rules.js";

export interface EpochContext {
  readonly helplineId: HelplineId;
  readonly threadId: ThreadId;
  /** Verified rosters by version (from `verifyRosterChain`); `undefined` for an unknown version. */
  readonly rosters: (version: number) => Roster | undefined;
}

/**
 * Verifies one epoch record against its predecessor (`prev`, absent for epoch 0): context
 * (`WRONG_CONTEXT`), chain link (`EPOCH_CHAIN_BROKEN`), signature (`BAD_SIGNATURE`), a known
 * roster (`NOT_ON_ROSTER`) and every "who may sign" rule (see `checkWhoMaySign`).
 *
 * @example
 * const record = verifyEpochRecord(sodium, bytes, { helplineId, threadId, prev, rosters: (v) => byVersion.get(v) });
 */
export function verifyEpochRecord(
  sodium: Sodium,
  bytes: EpochRecordBytes,
  ctx: EpochContext & { readonly prev?: EpochRecord },
): EpochRecord {
  const record = parseEpochRecord(sodium, bytes);
  if (record.helplineId !== ctx.helplineId || record.threadId !== ctx.threadId) {
    throw new CryptoError("WRONG_CONTEXT", "epoch record belongs to another helpline or thread");
  }
  const prev = ctx.prev;
  if (prev === undefined) {
    if (record.epoch !== 0)
      throw new CryptoError("EPOCH_CHAIN_BROKEN", `epoch ${record.epoch} without predecessor`);
  } else {
    if (prev.helplineId !== ctx.helplineId || prev.threadId !== ctx.threadId) {
      throw new CryptoError("WRONG_CONTEXT", "the previous record belongs to another thread");
    }
    if (record.epoch !== prev.epoch + 1 || !samePublicBytes(record.prevRecordHash, prev.hash)) {
      throw new CryptoError(
        "EPOCH_CHAIN_BROKEN",
        `epoch ${record.epoch} does not follow epoch ${prev.epoch}`,
      );
    }
  }
  const body = bytes.subarray(0, bytes.length - record.signature.length);
  verifyWithLabel(sodium, LABEL.epochRecord, body, record.signature, record.signerPk);
  const roster = ctx.rosters(record.rosterVersion);
  if (roster === undefined) {
    throw new CryptoError("NOT_ON_ROSTER", `roster version ${record.rosterVersion} is not known`);
  }
  if (roster.version !== record.rosterVersion || roster.helplineId !== ctx.helplineId) {
    throw new CryptoError("WRONG_CONTEXT", "the roster given for this record is another one");
  }
  checkWhoMaySign(record, prev, roster);
  return record;
}

/**
 * Verifies a thread's whole epoch chain: records must be epochs 0..n in order, each following
 * the one before. Returns them parsed; the last is the current epoch.
 *
 * @example
 * const records = verifyEpochChain(sodium, recordBytes, { helplineId, threadId, rosters });
 */
export function verifyEpochChain(
  sodium: Sodium,
  records: readonly EpochRecordBytes[],
  ctx: EpochContext,
): EpochRecord[] {
  if (records.length === 0) throw new CryptoError("EPOCH_CHAIN_BROKEN", "a thread has at least epoch 0");
  const out: EpochRecord[] = [];
  for (const bytes of records) {
    out.push(verifyEpochRecord(sodium, bytes, { ...ctx, prev: out.at(-1) }));
  }
  return out;
}
