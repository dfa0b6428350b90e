import type {
  BoxPublicKey,
  EpochKey,
  EpochRecordBytes,
  HelplineId,
  MemberId,
  SignKeyPair,
  SignPublicKey,
  StaffEpochKey,
  ThreadId,
} from "../core/brand.js";
import { compareBytes, isAllZero } from "../core/byte-order.js";
import { concat, Reader, Writer } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";
import { labelledHash } from "../core/hash.js";
import { ID_BYTES, idFromBytes, idToBytes, SEEKER_MEMBER_ID } from "../core/ids.js";
import { LABEL, THREAD_WIRE_VERSION, WIRE_TYPE } from "../core/labels.js";
import { signWithLabel } from "../core/sign.js";
import type { Sodium } from "../core/sodium.js";
import type { Reader as EpochReader, EpochReason, EpochRecord } from "../core/types.js";
import { readHeads, sortHeads, writeHeads } from "../messages/heads.js";
import { HISTORY_SEALED_BYTES } from "./epoch-history.js";

const REASONS: readonly EpochReason[] = ["open", "claim", "assign", "reassign", "remove", "roster-change"];
const SIGNATURE_BYTES = 64;

/** An epoch record before signing; `signerPk` is set by `signEpochRecord`. */
export type EpochRecordDraft = Omit<EpochRecord, "signerPk" | "signature" | "hash">;

/** `H("briefgeheim/epoch-commit/v1", threadId || u32 epoch || K_e)`. */
export function keyCommit(sodium: Sodium, threadId: ThreadId, epoch: number, key: EpochKey): Uint8Array {
  return commit(sodium, LABEL.epochCommit, threadId, epoch, key);
}

/** `H("briefgeheim/staff-epoch-commit/v1", threadId || u32 epoch || S_e)`. */
export function staffCommit(
  sodium: Sodium,
  threadId: ThreadId,
  epoch: number,
  key: StaffEpochKey,
): Uint8Array {
  return commit(sodium, LABEL.staffCommit, threadId, epoch, key);
}

function commit(
  sodium: Sodium,
  label: typeof LABEL.epochCommit | typeof LABEL.staffCommit,
  threadId: ThreadId,
  epoch: number,
  key: Uint8Array,
): Uint8Array {
  const data = new Writer().fixed(idToBytes(sodium, threadId), ID_BYTES).u32(epoch).fixed(key, 32).finish();
  return labelledHash(sodium, label, data);
}

function encodeBody(sodium: Sodium, record: Omit<EpochRecord, "signature" | "hash">): Uint8Array {
  const w = new Writer()
    .u8(THREAD_WIRE_VERSION)
    .u8(WIRE_TYPE.epochRecord)
    .fixed(idToBytes(sodium, record.helplineId), ID_BYTES)
    .fixed(idToBytes(sodium, record.threadId), ID_BYTES)
    .u32(record.epoch)
    .fixed(record.prevRecordHash, 32)
    .u32(record.rosterVersion)
    .fixed(record.rosterHash, 32)
    .u8(REASONS.indexOf(record.reason) + 1)
    .u64(record.createdAt)
    .fixed(record.keyCommit, 32)
    .fixed(record.staffCommit, 32)
    .u16(record.readers.length);
  for (const reader of record.readers) {
    w.u8(reader.kind === "seeker" ? 1 : 2)
      .fixed(idToBytes(sodium, reader.memberId), ID_BYTES)
      .fixed(reader.signPk, 32)
      .fixed(reader.boxPk, 32);
  }
  return writeHeads(w, record.heads)
    .bytes(record.history)
    .bytes(record.staffHistory)
    .fixed(record.signerPk, 32)
    .finish();
}

/** Serialises an epoch record (type 0x02) exactly as parsed. */
export function encodeEpochRecord(sodium: Sodium, record: Omit<EpochRecord, "hash">): EpochRecordBytes {
  if (record.signature.length !== SIGNATURE_BYTES)
    throw new CryptoError("MALFORMED", "signature must be 64 bytes");
  checkShape(record);
  return concat(encodeBody(sodium, record), record.signature) as EpochRecordBytes;
}

/**
 * Signs a record draft; readers are sorted by signPk. The result still has to pass
 * `verifyEpochRecord` (who may sign), which `startEpoch` and `openThread` run on their output.
 */
export function signEpochRecord(
  sodium: Sodium,
  draft: EpochRecordDraft,
  signer: SignKeyPair,
): EpochRecordBytes {
  const readers = [...draft.readers].sort((a, b) => compareBytes(a.signPk, b.signPk));
  const unsigned = { ...draft, readers, heads: sortHeads(draft.heads), signerPk: signer.publicKey };
  checkShape(unsigned);
  const body = encodeBody(sodium, unsigned);
  return concat(body, signWithLabel(sodium, LABEL.epochRecord, body, signer.secretKey)) as EpochRecordBytes;
}

/**
 * Parses an epoch record and computes its hash. Structure only (which fields must be empty in
 * which epoch, reader order, reader kinds); context, chain, signature and who may sign are
 * checked by `verifyEpochRecord`.
 *
 * @example
 * const record = parseEpochRecord(sodium, bytes);
 * record.epoch; // 2
 */
export function parseEpochRecord(sodium: Sodium, bytes: EpochRecordBytes): EpochRecord {
  const r = new Reader(bytes);
  const version = r.u8();
  if (version === 1) {
    throw new CryptoError(
      "UNSUPPORTED_VERSION",
      "this epoch record was made by protocol 1, which this version no longer reads",
    );
  }
  if (version !== THREAD_WIRE_VERSION) {
    throw new CryptoError("UNSUPPORTED_VERSION", `epoch record version ${version} is not supported`);
  }
  const type = r.u8();
  if (type !== WIRE_TYPE.epochRecord) {
    throw new CryptoError("WRONG_TYPE", `expected an epoch record, got type ${type}`);
  }
  const helplineId = idFromBytes<HelplineId>(sodium, r.fixed(ID_BYTES));
  const threadId = idFromBytes<ThreadId>(sodium, r.fixed(ID_BYTES));
  const epoch = r.u32();
  const prevRecordHash = r.fixed(32);
  const rosterVersion = r.u32();
  const rosterHash = r.fixed(32);
  const reasonCode = r.u8();
  const reason = REASONS[reasonCode - 1];
  if (reason === undefined) throw new CryptoError("MALFORMED", `unknown epoch reason ${reasonCode}`);
  const createdAt = r.u64();
  const keyCommitBytes = r.fixed(32);
  const staffCommitBytes = r.fixed(32);
  const count = r.u16();
  const readers: EpochReader[] = [];
  for (let i = 0; i < count; i++) {
    const kindCode = r.u8();
    if (kindCode !== 1 && kindCode !== 2)
      throw new CryptoError("MALFORMED", `unknown reader kind ${kindCode}`);
    const memberId = idFromBytes<MemberId>(sodium, r.fixed(ID_BYTES));
    const signPk = r.fixed(32) as SignPublicKey;
    const boxPk = r.fixed(32) as BoxPublicKey;
    readers.push({ kind: kindCode === 1 ? "seeker" : "staff", memberId, signPk, boxPk });
  }
  const heads = readHeads(r);
  const history = r.bytes(HISTORY_SEALED_BYTES);
  const staffHistory = r.bytes(HISTORY_SEALED_BYTES);
  const signerPk = r.fixed(32) as SignPublicKey;
  const signature = r.fixed(SIGNATURE_BYTES);
  r.end();
  const record: EpochRecord = {
    helplineId,
    threadId,
    epoch,
    prevRecordHash,
    rosterVersion,
    rosterHash,
    reason,
    createdAt,
    keyCommit: keyCommitBytes,
    staffCommit: staffCommitBytes,
    readers,
    heads,
    history,
    staffHistory,
    signerPk,
    signature,
    hash: labelledHash(sodium, LABEL.recordHash, bytes),
  };
  checkShape(record);
  return record;
}

/**
 * Field rules that depend only on the record itself (`MALFORMED`): epoch 0 has no predecessor,
 * no staff key and no history; epoch 1 has a history but no staff history; later epochs have both.
 * Readers are strictly sorted by signPk, the help-seeker carries the zero member id and staff do
 * not, and no box key appears twice (a grant names its recipient by box key).
 */
function checkShape(record: Omit<EpochRecord, "signature" | "hash">): void {
  const fail = (why: string): never => {
    throw new CryptoError("MALFORMED", `epoch record: ${why}`);
  };
  const e = record.epoch;
  if (e === 0) {
    if (!isAllZero(record.prevRecordHash)) fail("epoch 0 has a previous record hash");
    if (!isAllZero(record.staffCommit)) fail("epoch 0 has a staff key commitment");
    if (record.history.length !== 0 || record.staffHistory.length !== 0) fail("epoch 0 has a history");
    // Nothing was written before a thread opens, so there is nothing to have seen.
    if (record.heads.length !== 0) fail("epoch 0 names heads");
  } else {
    if (record.history.length !== HISTORY_SEALED_BYTES) fail("history must be one sealed key");
    const staffLength = e === 1 ? 0 : HISTORY_SEALED_BYTES;
    if (record.staffHistory.length !== staffLength)
      fail(`staff history must be ${staffLength} bytes in epoch ${e}`);
  }
  const boxKeys = new Set<string>();
  let previous: Uint8Array | undefined;
  for (const reader of record.readers) {
    if (previous !== undefined && compareBytes(previous, reader.signPk) >= 0) {
      fail("readers not strictly sorted by signPk (or duplicated)");
    }
    previous = reader.signPk;
    if ((reader.kind === "seeker") !== (reader.memberId === SEEKER_MEMBER_ID)) {
      fail("only the help-seeker reader carries the zero member id");
    }
    const box = Array.from(reader.boxPk).join(",");
    if (boxKeys.has(box)) fail("a box key appears twice");
    boxKeys.add(box);
  }
}
