import {
  type BoxKeyPair,
  bytesEqual,
  type EnvelopeHead,
  type EnvelopeStream,
  type EpochKeys,
  type EpochRecord,
  type EpochRecordBytes,
  fromBase64,
  type GrantBytes,
  type HelplineId,
  isCryptoError,
  openGrant,
  parseGrant,
  type Roster,
  type SignPublicKey,
  type Sodium,
  type ThreadEpoch,
  type ThreadId,
  type ThreadVerification,
  threadHeads,
  type VerifiedPrefix,
  verifyEpochChain,
  verifyThreadFrom,
  walkBackHistory,
} from "@briefgeheim/crypto";
import { LIMITS, type StoredEnvelope } from "@briefgeheim/protocol";
import { ClientError } from "./errors.js";

/**
 * The cryptographic part of reading a thread, with no client, network or device memory: what
 * `thread-loader.ts` runs on the calling thread and what a worker of the staff app's pool runs
 * (`verify-threads-job.ts`). Everything these functions need comes in as plain, structured-cloneable
 * values, so the same code gives the same answer in both places.
 */

/** The reader as the pure checks see it: its public signing key and its box key pair (grants). */
export interface OpenReader {
  readonly signPk: SignPublicKey;
  readonly box: BoxKeyPair;
}

/** The verified epoch chain and the reader's keys by epoch. */
export interface OpenedEpochs {
  readonly records: readonly EpochRecord[];
  readonly keys: ReadonlyMap<number, EpochKeys>;
}

/**
 * Verifies a thread's epoch chain against the verified rosters given (every record's signer and
 * readers by PROTOCOL.md §4), opens the reader's grants (commitments checked), walks back through
 * history, and refuses a withheld grant of an epoch the reader reads. Anything that does not verify
 * is `THREAD_TAMPERED` (`ROSTER_FORK` / `ROSTER_ROLLBACK` as such), with the crypto code in `details`.
 *
 * @example
 * const { records, keys } = openEpochs(sodium, { helplineId, threadId, records, grants, rosters, reader });
 */
export function openEpochs(
  sodium: Sodium,
  input: {
    readonly helplineId: HelplineId;
    readonly threadId: ThreadId;
    /** The records as the server sent them (base64url). */
    readonly records: readonly string[];
    readonly grants: readonly string[];
    /** Verified rosters by version (at least those the records rely on, when verified). */
    readonly rosters: ReadonlyMap<number, Roster>;
    readonly reader: OpenReader;
  },
): OpenedEpochs {
  const { helplineId, threadId, rosters, reader } = input;
  const records = tampered("epoch chain", () =>
    verifyEpochChain(
      sodium,
      input.records.map((t) => fromBase64(sodium, t) as EpochRecordBytes),
      { helplineId, threadId, rosters: (v) => rosters.get(v) },
    ),
  );
  const keys = tampered("grants", () => openAllGrants(sodium, records, input.grants, reader.box));
  // Every epoch the caller reads must be openable: a withheld grant is tampering, not "no access".
  for (const record of records) {
    const reads = record.readers.some((r) => bytesEqual(sodium, r.signPk, reader.signPk));
    if (reads && !keys.has(record.epoch)) {
      wipeEpochKeys(keys); // refused: the keys opened so far go nowhere
      throw new ClientError(
        "THREAD_TAMPERED",
        `the grant of epoch ${record.epoch} for this reader is missing`,
      );
    }
  }
  return { records, keys };
}

/** What `checkEnvelopes` finds: the verification, the prefix to cache, the heads to remember. */
export interface CheckedEnvelopes {
  readonly verification: ThreadVerification;
  readonly prefix: VerifiedPrefix;
  readonly heads: readonly EnvelopeHead[];
}

/**
 * Every envelope of a thread (server order) checked with `verifyThreadFrom` against the verified
 * epochs and the reader's keys: bad signatures, unknown senders, moved, dropped, replayed or
 * reordered envelopes come back as typed problems, never as content. `prefix` is what this session
 * verified of the thread before (signatures and decryption of unchanged envelopes are reused; every
 * other check runs on the whole listing). A listing longer than `LIMITS.threadMaxEnvelopes` is
 * `THREAD_TOO_LARGE` before anything is checked.
 *
 * @example
 * const { verification, prefix, heads } = checkEnvelopes(sodium, { ...opened, stored, streams, ... });
 */
export function checkEnvelopes(
  sodium: Sodium,
  input: OpenedEpochs & {
    readonly helplineId: HelplineId;
    readonly threadId: ThreadId;
    readonly stored: readonly StoredEnvelope[];
    readonly rosters: ReadonlyMap<number, Roster>;
    readonly remembered: readonly EnvelopeHead[];
    readonly streams: readonly EnvelopeStream[];
    readonly prefix?: VerifiedPrefix | undefined;
  },
): CheckedEnvelopes {
  const { helplineId, threadId, remembered } = input;
  if (input.stored.length > LIMITS.threadMaxEnvelopes) {
    throw new ClientError(
      "THREAD_TOO_LARGE",
      `the server lists more than ${LIMITS.threadMaxEnvelopes} envelopes for this thread`,
      { source: "server" },
    );
  }
  const epochMap = new Map<number, ThreadEpoch>();
  for (const record of input.records) {
    const k = input.keys.get(record.epoch);
    // The roster the record relied on (verified with the chain): handover events are checked against it.
    const roster = input.rosters.get(record.rosterVersion)?.members;
    const epoch = {
      readers: record.readers,
      heads: record.heads,
      signerPk: record.signerPk,
      ...(roster === undefined ? {} : { roster }),
    };
    epochMap.set(record.epoch, k === undefined ? epoch : { ...epoch, keys: k });
  }
  const envelopes = input.stored.map((s) => {
    try {
      return fromBase64(sodium, s.envelope);
    } catch {
      return new Uint8Array(0); // reported by verifyThread as a problem, like any bytes that do not parse
    }
  });
  const streams = [...input.streams];
  const { verification, prefix } = verifyThreadFrom(
    sodium,
    { helplineId, threadId, envelopes, epochs: epochMap, remembered, streams },
    input.prefix,
  );
  const heads = threadHeads(sodium, verification.items, { streams, remembered });
  return { verification, prefix, heads };
}

/**
 * Opens every grant the server returned for the caller (each must verify and match its record's
 * commitments), then walks back from the newest to the keys of every earlier epoch.
 */
function openAllGrants(
  sodium: Sodium,
  records: readonly EpochRecord[],
  grantTexts: readonly string[],
  box: BoxKeyPair,
): Map<number, EpochKeys> {
  const opened = new Map<number, EpochKeys>();
  let all: Map<number, EpochKeys>;
  try {
    for (const text of grantTexts) {
      const bytes = fromBase64(sodium, text) as GrantBytes;
      const epoch = parseGrant(sodium, bytes).epoch;
      const record = records[epoch];
      if (record === undefined)
        throw new ClientError("THREAD_TAMPERED", `a grant names epoch ${epoch}, which has no record`);
      const keys = openGrant(sodium, bytes, record, box);
      // Two grants of one epoch: the first copy is overwritten, not dropped.
      const before = opened.get(epoch);
      if (before !== undefined) wipeEpochKeys(new Map([[epoch, before]]));
      opened.set(epoch, keys);
    }
    const newest = [...opened.keys()].sort((a, b) => b - a)[0];
    if (newest === undefined) return opened;
    all = new Map<number, EpochKeys>();
    for (const k of walkBackHistory(sodium, records, opened.get(newest)!)) all.set(k.epoch, k);
  } catch (e) {
    wipeEpochKeys(opened); // a refused thread: the keys opened so far go nowhere
    throw e;
  }
  // A directly granted epoch may carry a staff key the walk does not reach (epoch 1 from a later epoch 1
  // grant); of two copies of an epoch's keys the one not kept is overwritten (the newest's is the same object).
  for (const [epoch, k] of opened) {
    const walked = all.get(epoch);
    if (walked === k) continue;
    if (walked === undefined || (walked.staffKey === undefined && k.staffKey !== undefined)) {
      if (walked !== undefined) wipeEpochKeys(new Map([[epoch, walked]]));
      all.set(epoch, k);
    } else {
      wipeEpochKeys(new Map([[epoch, k]]));
    }
  }
  return all;
}

/** Overwrites every epoch key held in `keys` (after use, or when they are dropped). */
export function wipeEpochKeys(keys: ReadonlyMap<number, EpochKeys>): void {
  for (const k of keys.values()) {
    k.key.fill(0);
    k.staffKey?.fill(0);
  }
}

/** Runs `fn`, turning a crypto failure into the thread's typed refusal (see `asTampered`). */
export function tampered<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw asTampered(what, e);
  }
}

/**
 * A crypto failure while checking a thread as the `ClientError` the reader gets: `ROSTER_FORK` and
 * `ROSTER_ROLLBACK` keep their code (the thread was made on another roster than this device's chain
 * holds under that version, or on one beyond it), every other one is `THREAD_TAMPERED`; the crypto
 * code is in `details.code`. Anything else is returned unchanged.
 */
export function asTampered(what: string, e: unknown): unknown {
  if (isCryptoError(e, "ROSTER_FORK") || isCryptoError(e, "ROSTER_ROLLBACK")) {
    return new ClientError(e.code, `the thread's ${what} did not verify: ${e.message}`, {
      source: "crypto",
      cause: e,
      details: { code: e.code },
    });
  }
  if (isCryptoError(e)) {
    return new ClientError("THREAD_TAMPERED", `the thread's ${what} did not verify: ${e.code}`, {
      source: "crypto",
      cause: e,
      details: { code: e.code },
    });
  }
  return e;
}
