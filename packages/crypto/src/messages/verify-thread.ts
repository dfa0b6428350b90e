import type { HelplineId, SignPublicKey, ThreadId } from "../core/brand.js";
import { CryptoError } from "../core/errors.js";
import { bytesEqual } from "../core/hash.js";
import type { Sodium } from "../core/sodium.js";
import type {
  Envelope,
  EnvelopeHead,
  EnvelopeStream,
  EpochKeys,
  Payload,
  Reader,
  RosterMember,
} from "../core/types.js";
import { decryptEnvelope, envelopeStream, verifyEnvelopeSignature } from "./envelope.js";
import { parseEnvelope } from "./envelope-codec.js";
import { checkThreadEvent } from "./thread-event-rules.js";
import { checkThreadLinks, type LinkEntry } from "./thread-links.js";

/** The reasons of PROTOCOL.md §5's table. */
export type ThreadProblemReason =
  | "BAD_SIGNATURE"
  | "UNKNOWN_SENDER"
  | "WRONG_THREAD"
  | "UNKNOWN_EPOCH"
  | "SEQ_GAP"
  | "DUPLICATE"
  | "MISSING"
  | "WITHHELD"
  | "REORDERED"
  | "SENDER_FORK"
  | "STALE_EPOCH"
  | "AFTER_EPOCH_CHANGE"
  | "DECRYPT_FAILED"
  /** A handover event names someone who does not read its epoch, or another name than the roster's (§5.1). */
  | "EVENT_NOT_A_READER"
  /** A handover event signed by neither a supervisor nor the member taking over (§5.1). */
  | "EVENT_SIGNER_NOT_ALLOWED"
  /**
   * Thread-level (index -1, found by the SDK, not by `verifyThread`): the current epoch was signed by
   * someone, or is read by a staff member, who is not on the newest roster the reader has verified
   * (a removal not yet followed by its re-key, or a re-key the server dropped). PROTOCOL.md §4.
   */
  | "NOT_REKEYED"
  /**
   * Found by the SDK, not by `verifyThread`, on a full read against the listing the same tab verified
   * before (issue 14): a genuine envelope served before envelopes the tab had read already, which it
   * had not seen ("into the past"), or envelopes the tab had read served in another order.
   */
  | "HISTORY_CHANGED";

export interface ThreadProblem {
  readonly reason: ThreadProblemReason;
  /**
   * Position of the envelope in the server's order (the input array); -1 for a problem of the thread
   * rather than of one envelope (`WITHHELD`, or `MISSING` named by an epoch record).
   */
  readonly index: number;
  readonly detail?: string;
}

/** A verified epoch: its readers, and its keys if the caller holds them. */
export interface ThreadEpoch {
  readonly readers: readonly Reader[];
  readonly keys?: EpochKeys;
  /** The heads the epoch's record names (`EpochRecord.heads`); epoch 0 names none. */
  readonly heads?: readonly EnvelopeHead[];
  /**
   * The members of the roster the epoch's record relied on (its `rosterVersion`, verified): events
   * (§5.1) are checked against it. Without it every event is `EVENT_SIGNER_NOT_ALLOWED`.
   */
  readonly roster?: readonly RosterMember[];
  /**
   * Who signed the epoch's record (`EpochRecord.signerPk`, verified with it): a handover its named
   * member signs themselves (§5.1) is accepted only from the member who made this epoch.
   */
  readonly signerPk?: SignPublicKey;
}

export interface VerifyThreadInput {
  readonly helplineId: HelplineId;
  readonly threadId: ThreadId;
  /** In the server's order. */
  readonly envelopes: readonly Uint8Array[];
  /** Epochs whose records the caller has verified, by epoch number. */
  readonly epochs: ReadonlyMap<number, ThreadEpoch>;
  /**
   * Heads this device remembers having seen (its own posts, what it read before): one that is no
   * longer served is `WITHHELD`. Default: none (a fresh device).
   */
  readonly remembered?: readonly EnvelopeHead[];
  /**
   * The streams the server serves this reader: `["main"]` for a help-seeker (notes are not listed to
   * them), so heads naming notes are not checked. Default: both.
   */
  readonly streams?: readonly EnvelopeStream[];
}

export interface ThreadItem {
  /** Position in the input. Bytes that do not parse have no item, only a problem. */
  readonly index: number;
  readonly envelope: Envelope;
  /** Absent when the caller has no key for the stream (notes for a help-seeker) or the envelope failed. */
  readonly payload?: Payload;
  readonly stream: EnvelopeStream;
  readonly ok: boolean;
  readonly problems: readonly ThreadProblem[];
  /**
   * Its author went on past a damaged envelope (a head with flag bit 0): shown to the reader as
   * "continues past a damaged message", never silently.
   */
  readonly continuesPastDamaged: boolean;
}

export interface ThreadVerification {
  readonly items: readonly ThreadItem[];
  readonly problems: readonly ThreadProblem[];
  readonly ok: boolean;
}

/**
 * How `verifyThreadFrom` reuses an earlier verification (slice H): `checked` may answer an envelope's
 * per-envelope checks (else they run), `found` sees each answer, `decrypted` may answer a decryption
 * (else it runs), `opened` sees each payload. Every other check runs as without hooks.
 */
export interface VerifyThreadHooks {
  checked(index: number, bytes: Uint8Array, envelope: Envelope): readonly ThreadProblem[] | undefined;
  found(index: number, bytes: Uint8Array, envelope: Envelope, problems: readonly ThreadProblem[]): void;
  decrypted(index: number): Payload | undefined;
  opened(index: number, payload: Payload): void;
}

/**
 * Verify a thread's envelopes as the server ordered them and report every problem with a typed reason
 * (PROTOCOL.md §5). Envelopes of a stream the caller holds no key for are checked (signature, sender,
 * links) but not decrypted, which is not a problem. Never throws for bad envelopes.
 *
 * @example
 * const result = verifyThread(sodium, { helplineId, threadId, envelopes, epochs });
 * if (!result.ok) showWarning(result.problems);
 * for (const item of result.items) if (item.payload) render(item.payload, item.ok);
 */
export function verifyThread(
  sodium: Sodium,
  input: VerifyThreadInput,
  hooks?: VerifyThreadHooks,
): ThreadVerification {
  const problems: ThreadProblem[] = [];
  const parsed: LinkEntry[] = [];
  const trusted: LinkEntry[] = [];
  const damaged: LinkEntry[] = [];
  const seenHashes = new Set<string>();

  input.envelopes.forEach((bytes, index) => {
    let envelope: Envelope;
    try {
      envelope = parseEnvelope(sodium, bytes);
    } catch (e) {
      // Bytes that are not an envelope carry no valid signature either.
      problems.push({ reason: "BAD_SIGNATURE", index, detail: `not an envelope: ${(e as Error).message}` });
      return;
    }
    const entry: LinkEntry = { index, envelope, stream: envelopeStream(envelope.kind) };
    parsed.push(entry);
    const hashKey = sodium.to_hex(envelope.hash);
    if (seenHashes.has(hashKey)) {
      problems.push({ reason: "DUPLICATE", index, detail: "the same envelope appears twice" });
      return;
    }
    seenHashes.add(hashKey);
    const found = hooks?.checked(index, bytes, envelope) ?? checkEnvelope(sodium, input, bytes, entry);
    hooks?.found(index, bytes, envelope, found);
    problems.push(...found);
    if (found.length === 0) trusted.push(entry);
    else damaged.push(entry);
  });

  const epochHeads = new Map<number, readonly EnvelopeHead[]>();
  // Epoch 0 follows nothing; a later record's heads (even none) bound what its previous epoch holds.
  for (const [epoch, e] of input.epochs) {
    if (epoch > 0 && e.heads !== undefined) epochHeads.set(epoch, e.heads);
  }
  const links = checkThreadLinks(sodium, {
    trusted,
    damaged,
    epochHeads,
    remembered: input.remembered ?? [],
    streams: input.streams ?? ["main", "staff"],
  });
  problems.push(...links.problems);

  const payloads = new Map<number, Payload>();
  for (const entry of trusted) {
    const keys = input.epochs.get(entry.envelope.epoch)?.keys;
    // No key for this stream (a help-seeker and the notes): verified above, not decrypted.
    if (keys === undefined || (entry.stream === "staff" && keys.staffKey === undefined)) continue;
    try {
      const payload = hooks?.decrypted(entry.index) ?? decryptEnvelope(sodium, entry.envelope, keys);
      hooks?.opened(entry.index, payload);
      payloads.set(entry.index, payload);
      if (payload.event !== undefined) {
        const epoch = input.epochs.get(entry.envelope.epoch)!;
        problems.push(...checkThreadEvent(sodium, entry.index, entry.envelope, payload.event, epoch));
      }
    } catch (e) {
      problems.push({ reason: "DECRYPT_FAILED", index: entry.index, detail: (e as Error).message });
    }
  }

  problems.sort((a, b) => a.index - b.index);
  // Problems by position, once: a filter per item made a stuffed thread quadratic (review finding 11).
  const byIndex = new Map<number, ThreadProblem[]>();
  for (const p of problems) {
    const list = byIndex.get(p.index);
    if (list === undefined) byIndex.set(p.index, [p]);
    else list.push(p);
  }
  const items = parsed.map((entry): ThreadItem => {
    const own = byIndex.get(entry.index) ?? [];
    const payload = payloads.get(entry.index);
    return {
      index: entry.index,
      envelope: entry.envelope,
      ...(payload === undefined ? {} : { payload }),
      stream: entry.stream,
      ok: own.length === 0,
      problems: own,
      continuesPastDamaged: links.continuesPastDamaged.has(entry.index),
    };
  });
  return { items, problems, ok: problems.length === 0 };
}

/**
 * Like {@link verifyThread}, but throws `THREAD_INVALID` with `details` = the problems unless the thread
 * is clean.
 *
 * @example
 * try { verifyThreadOrThrow(sodium, input); } catch (e) { if (isCryptoError(e, "THREAD_INVALID")) ... }
 */
export function verifyThreadOrThrow(sodium: Sodium, input: VerifyThreadInput): ThreadVerification {
  const result = verifyThread(sodium, input);
  if (!result.ok) {
    const reasons = [...new Set(result.problems.map((p) => p.reason))].join(", ");
    throw new CryptoError<readonly ThreadProblem[]>(
      "THREAD_INVALID",
      `thread failed verification: ${reasons}`,
      {
        details: result.problems,
      },
    );
  }
  return result;
}

/** Per-envelope checks: thread, signature, epoch, sender. An envelope failing any is left out of the links. */
function checkEnvelope(
  sodium: Sodium,
  input: VerifyThreadInput,
  bytes: Uint8Array,
  entry: LinkEntry,
): ThreadProblem[] {
  const { index, envelope, stream } = entry;
  const found: ThreadProblem[] = [];
  if (envelope.helplineId !== input.helplineId || envelope.threadId !== input.threadId) {
    found.push({ reason: "WRONG_THREAD", index, detail: `from thread ${envelope.threadId}` });
  }
  try {
    verifyEnvelopeSignature(sodium, bytes, envelope);
  } catch {
    // An unsigned header says nothing about its sender or epoch.
    found.push({ reason: "BAD_SIGNATURE", index });
    return found;
  }
  const epoch = input.epochs.get(envelope.epoch);
  if (epoch === undefined) {
    found.push({ reason: "UNKNOWN_EPOCH", index, detail: `epoch ${envelope.epoch}` });
    return found;
  }
  if (stream === "staff" && envelope.epoch === 0) {
    found.push({ reason: "UNKNOWN_EPOCH", index, detail: "epoch 0 has no staff key: no notes" });
  }
  const sender = epoch.readers.find((r) => bytesEqual(sodium, r.signPk, envelope.senderSignPk));
  if (sender === undefined) {
    found.push({ reason: "UNKNOWN_SENDER", index, detail: `not a reader of epoch ${envelope.epoch}` });
  } else if (stream === "staff" && sender.kind !== "staff") {
    found.push({ reason: "UNKNOWN_SENDER", index, detail: "only staff readers write notes" });
  }
  return found;
}
