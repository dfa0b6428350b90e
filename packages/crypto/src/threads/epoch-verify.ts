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
 * (`WRONG_CONTEXT`), chain link (`EPOCH_CHAIN_BROKEN`), signature (`BAD_SIGNATURE`), a roster in
 * the verified chain (`ROSTER_ROLLBACK` when beyond it) with the hash the record names (`ROSTER_FORK`)
 * and every "who may sign" rule (see `checkWhoMaySign`).
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
    // The caller fetched the newest chain first: a record relying on a roster beyond it means the
    // server is withholding rosters (a freeze), so the caller's view is older than the signer's.
    throw new CryptoError(
      "ROSTER_ROLLBACK",
      `the record relies on roster ${record.rosterVersion}, beyond the verified chain`,
    );
  }
  if (roster.version !== record.rosterVersion || roster.helplineId !== ctx.helplineId) {
    throw new CryptoError("WRONG_CONTEXT", "the roster given for this record is another one");
  }
  if (!samePublicBytes(roster.hash, record.rosterHash)) {
    // The signer was shown another roster under this version than the caller's verified chain holds.
    throw new CryptoError(
      "ROSTER_FORK",
      `the record's roster ${record.rosterVersion} is not the one in the verified chain`,
    );
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
