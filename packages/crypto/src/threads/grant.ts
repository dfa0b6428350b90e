import type {
  BoxPublicKey,
  GrantBytes,
  HelplineId,
  SignKeyPair,
  SignPublicKey,
  ThreadId,
} from "../core/brand.js";
import { samePublicBytes } from "../core/byte-order.js";
import { Reader as ByteReader, concat, Writer } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";
import { ID_BYTES, idFromBytes, idToBytes } from "../core/ids.js";
import { LABEL, WIRE_TYPE, WIRE_VERSION } from "../core/labels.js";
import type { RandomSource } from "../core/random.js";
import { SEALED_BOX_OVERHEAD, sealToBox } from "../core/sealed-box.js";
import { signWithLabel, verifyWithLabel } from "../core/sign.js";
import type { Sodium } from "../core/sodium.js";
import { readStructureHeader } from "../core/structure-header.js";
import type { EpochKeys, EpochRecord, Grant, Reader } from "../core/types.js";

const SIGNATURE_BYTES = 64;
/** Sealed K_e (help-seeker, or anyone in epoch 0). */
export const GRANT_SEALED_MAIN = SEALED_BOX_OVERHEAD + 32;
/** Sealed K_e || S_e (staff from epoch 1 on). */
export const GRANT_SEALED_STAFF = SEALED_BOX_OVERHEAD + 64;

function encodeBody(sodium: Sodium, grant: Omit<Grant, "signature">): Uint8Array {
  return new Writer()
    .u8(WIRE_VERSION)
    .u8(WIRE_TYPE.grant)
    .fixed(idToBytes(sodium, grant.helplineId), ID_BYTES)
    .fixed(idToBytes(sodium, grant.threadId), ID_BYTES)
    .u32(grant.epoch)
    .fixed(grant.recordHash, 32)
    .fixed(grant.recipientBoxPk, 32)
    .bytes(grant.sealed)
    .fixed(grant.signerPk, 32)
    .finish();
}

/** Serialises a grant (type 0x03) exactly as parsed. */
export function encodeGrant(sodium: Sodium, grant: Grant): GrantBytes {
  if (grant.signature.length !== SIGNATURE_BYTES)
    throw new CryptoError("MALFORMED", "signature must be 64 bytes");
  return concat(encodeBody(sodium, grant), grant.signature) as GrantBytes;
}

/**
 * Parses a grant. The sealed field is one or two sealed 32-byte keys; epoch 0 carries only K_0.
 *
 * @example
 * const grant = parseGrant(sodium, bytes);
 * grant.epoch; // 1
 */
export function parseGrant(sodium: Sodium, bytes: GrantBytes): Grant {
  const r = new ByteReader(bytes);
  readStructureHeader(r, WIRE_TYPE.grant);
  const helplineId = idFromBytes<HelplineId>(sodium, r.fixed(ID_BYTES));
  const threadId = idFromBytes<ThreadId>(sodium, r.fixed(ID_BYTES));
  const epoch = r.u32();
  const recordHash = r.fixed(32);
  const recipientBoxPk = r.fixed(32) as BoxPublicKey;
  const sealed = r.bytes(GRANT_SEALED_STAFF);
  if (sealed.length !== GRANT_SEALED_MAIN && (sealed.length !== GRANT_SEALED_STAFF || epoch === 0)) {
    throw new CryptoError("MALFORMED", `a grant of epoch ${epoch} cannot seal ${sealed.length} bytes`);
  }
  const signerPk = r.fixed(32) as SignPublicKey;
  const signature = r.fixed(SIGNATURE_BYTES);
  r.end();
  return { helplineId, threadId, epoch, recordHash, recipientBoxPk, sealed, signerPk, signature };
}

export interface CreateGrantOptions {
  /** The record the keys belong to, as parsed or verified (its hash is named in the grant). */
  readonly record: EpochRecord;
  readonly recipient: Reader;
  readonly keys: EpochKeys;
  /** Must be the record's signer. */
  readonly signer: SignKeyPair;
  readonly random: RandomSource;
}

/**
 * Seals the epoch keys to one reader and signs the grant: K_e for the help-seeker (and everyone in
 * epoch 0), K_e || S_e for staff.
 *
 * @example
 * const grant = createGrant(sodium, { record, recipient: record.readers[0], keys, signer, random });
 */
export function createGrant(sodium: Sodium, opts: CreateGrantOptions): GrantBytes {
  const { record, recipient, keys } = opts;
  if (keys.epoch !== record.epoch) throw new CryptoError("WRONG_CONTEXT", "keys of another epoch");
  if (!record.readers.some((r) => samePublicBytes(r.boxPk, recipient.boxPk))) {
    throw new CryptoError("NOT_A_READER", `${recipient.memberId} is not a reader of epoch ${record.epoch}`);
  }
  if (!samePublicBytes(opts.signer.publicKey, record.signerPk)) {
    throw new CryptoError("SIGNER_NOT_ALLOWED", "a grant is signed by the signer of its record");
  }
  let secret: Uint8Array = keys.key;
  if (recipient.kind === "staff" && record.epoch > 0) {
    if (keys.staffKey === undefined) throw new CryptoError("MALFORMED", "staff grants need the staff key");
    secret = concat(keys.key, keys.staffKey);
  }
  const body = encodeBody(sodium, {
    helplineId: record.helplineId,
    threadId: record.threadId,
    epoch: record.epoch,
    recordHash: record.hash,
    recipientBoxPk: recipient.boxPk,
    sealed: sealToBox(sodium, secret, recipient.boxPk, opts.random),
    signerPk: opts.signer.publicKey,
  });
  if (secret !== keys.key) sodium.memzero(secret);
  return concat(body, signWithLabel(sodium, LABEL.grant, body, opts.signer.secretKey)) as GrantBytes;
}

/**
 * Accepts a grant for a verified record: same helpline, thread, epoch and record hash
 * (`WRONG_CONTEXT`), signed by the record's signer (`SIGNER_NOT_ALLOWED`, `BAD_SIGNATURE`), for
 * a reader of the record (`NOT_A_READER`), sealing K_e alone for the help-seeker and in epoch 0,
 * K_e || S_e for staff later (`MALFORMED`), so a staff key never reaches the help-seeker.
 *
 * @example
 * const grant = verifyGrant(sodium, bytes, record); // before storing or forwarding it
 */
export function verifyGrant(sodium: Sodium, bytes: GrantBytes, record: EpochRecord): Grant {
  const grant = parseGrant(sodium, bytes);
  if (
    grant.helplineId !== record.helplineId ||
    grant.threadId !== record.threadId ||
    grant.epoch !== record.epoch ||
    !samePublicBytes(grant.recordHash, record.hash)
  ) {
    throw new CryptoError("WRONG_CONTEXT", "grant names another record");
  }
  if (!samePublicBytes(grant.signerPk, record.signerPk)) {
    throw new CryptoError("SIGNER_NOT_ALLOWED", "grant not signed by the signer of its record");
  }
  const body = bytes.subarray(0, bytes.length - grant.signature.length);
  verifyWithLabel(sodium, LABEL.grant, body, grant.signature, grant.signerPk);
  const reader = record.readers.find((r) => samePublicBytes(r.boxPk, grant.recipientBoxPk));
  if (reader === undefined)
    throw new CryptoError("NOT_A_READER", "grant recipient is not a reader of the record");
  const expected = reader.kind === "staff" && record.epoch > 0 ? GRANT_SEALED_STAFF : GRANT_SEALED_MAIN;
  if (grant.sealed.length !== expected) {
    throw new CryptoError("MALFORMED", `grant for a ${reader.kind} reader must seal ${expected} bytes`);
  }
  return grant;
}
