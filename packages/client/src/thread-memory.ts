import {
  type EnvelopeHead,
  type EnvelopeStream,
  fromBase64,
  type SignPublicKey,
  type Sodium,
  type ThreadId,
  toBase64,
} from "@briefgeheim/crypto";
import { type DeviceMemory, recallJson, rememberJson } from "./device-memory.js";

/** A head as JSON in `DeviceMemory` (public values only: keys, counters, hashes). */
interface StoredHead {
  readonly stream: EnvelopeStream;
  readonly signPk: string;
  readonly seq: number;
  readonly hash: string;
}

function isStoredHeads(value: unknown): value is StoredHead[] {
  return (
    Array.isArray(value) &&
    value.every(
      (h) =>
        typeof h === "object" &&
        h !== null &&
        (h.stream === "main" || h.stream === "staff") &&
        typeof h.signPk === "string" &&
        Number.isInteger(h.seq) &&
        h.seq >= 1 &&
        typeof h.hash === "string",
    )
  );
}

/** Per viewer (a device may sign in as several people) and thread. */
function key(sodium: Sodium, threadId: ThreadId, viewer: SignPublicKey): string {
  return `thread-heads:${threadId}:${toBase64(sodium, viewer)}`;
}

/**
 * The heads this device remembers for a thread, as `viewer`: its own last envelope per stream (so it
 * never reuses a seq, PROTOCOL.md §5) and the newest envelope per sender it has read (so an envelope
 * that is no longer served is `WITHHELD` here, and `MISSING` for everyone once this viewer posts).
 * A corrupted entry counts as nothing remembered: detection falls back to what a fresh device has.
 *
 * @example
 * const remembered = recallHeads(client.memory, sodium, threadId, me.signing.publicKey);
 */
export function recallHeads(
  memory: DeviceMemory,
  sodium: Sodium,
  threadId: ThreadId,
  viewer: SignPublicKey,
): EnvelopeHead[] {
  const stored = recallJson(memory, key(sodium, threadId, viewer), isStoredHeads) ?? [];
  try {
    return stored.map((h) => ({
      stream: h.stream,
      signPk: fromBase64(sodium, h.signPk) as SignPublicKey,
      seq: h.seq,
      hash: fromBase64(sodium, h.hash),
      pastDamaged: false,
    }));
  } catch {
    return [];
  }
}

/**
 * Adds `heads` to what this device remembers for the thread, keeping per (stream, sender) the
 * highest seq (a lower one never replaces it: the server cannot make a device forget by hiding).
 *
 * @example
 * rememberHeads(client.memory, sodium, threadId, me.signing.publicKey, [ownNewHead]);
 */
export function rememberHeads(
  memory: DeviceMemory,
  sodium: Sodium,
  threadId: ThreadId,
  viewer: SignPublicKey,
  heads: readonly EnvelopeHead[],
): void {
  const merged = new Map<string, StoredHead>();
  const add = (h: StoredHead) => {
    const k = `${h.stream}:${h.signPk}`;
    const had = merged.get(k);
    if (had === undefined || h.seq > had.seq) merged.set(k, h);
  };
  const stored = (h: EnvelopeHead): StoredHead => ({
    stream: h.stream,
    signPk: toBase64(sodium, h.signPk),
    seq: h.seq,
    hash: toBase64(sodium, h.hash),
  });
  // What recallHeads accepts, not the raw entry: an unreadable entry kept here would blank every later
  // recall of this thread, so this device would never remember its heads again.
  for (const h of recallHeads(memory, sodium, threadId, viewer)) add(stored(h));
  for (const h of heads) {
    if (h.seq < 1) continue;
    add(stored(h));
  }
  rememberJson(memory, key(sodium, threadId, viewer), [...merged.values()]);
}

/**
 * A post this device signed and sent but the server has not acknowledged yet (PROTOCOL.md §5): its
 * seq is taken from the moment it is signed. Any retry sends these same bytes under the same id, never
 * a new envelope with that seq. Public values only (the envelope is the ciphertext the server gets).
 */
export interface PendingPost {
  readonly stream: EnvelopeStream;
  readonly seq: number;
  /** The envelope hash, base64url. */
  readonly hash: string;
  readonly epoch: number;
  /** The envelope id (the server is idempotent on it). */
  readonly id: string;
  /** The envelope bytes, base64url. */
  readonly envelope: string;
  readonly status?: string;
  /** The attachment ids the message names (sent in clear beside it, so the server binds them). */
  readonly attachments?: readonly string[];
}

function isPending(value: unknown): value is PendingPost {
  if (typeof value !== "object" || value === null) return false;
  const p = value as Record<string, unknown>;
  return (
    (p.stream === "main" || p.stream === "staff") &&
    Number.isInteger(p.seq) &&
    (p.seq as number) >= 1 &&
    Number.isInteger(p.epoch) &&
    typeof p.hash === "string" &&
    typeof p.id === "string" &&
    typeof p.envelope === "string" &&
    (p.status === undefined || typeof p.status === "string") &&
    (p.attachments === undefined ||
      (Array.isArray(p.attachments) && p.attachments.every((a) => typeof a === "string")))
  );
}

function pendingKey(sodium: Sodium, threadId: ThreadId, viewer: SignPublicKey, stream: EnvelopeStream) {
  return `thread-pending:${threadId}:${toBase64(sodium, viewer)}:${stream}`;
}

/** The unacknowledged post of `viewer` in `stream`, if any. */
export function recallPending(
  memory: DeviceMemory,
  sodium: Sodium,
  threadId: ThreadId,
  viewer: SignPublicKey,
  stream: EnvelopeStream,
): PendingPost | undefined {
  return recallJson(memory, pendingKey(sodium, threadId, viewer, stream), isPending);
}

/** Remembers `post` as sent but unacknowledged (before the request), or forgets it (`undefined`). */
export function rememberPending(
  memory: DeviceMemory,
  sodium: Sodium,
  threadId: ThreadId,
  viewer: SignPublicKey,
  stream: EnvelopeStream,
  post: PendingPost | undefined,
): void {
  const k = pendingKey(sodium, threadId, viewer, stream);
  if (post === undefined) memory.delete(k);
  else rememberJson(memory, k, post);
}

/** Forgets a thread (after deleting it): nothing of it should stay behind. */
export function forgetHeads(memory: DeviceMemory, sodium: Sodium, threadId: ThreadId, viewer: SignPublicKey) {
  memory.delete(key(sodium, threadId, viewer));
  memory.delete(recordKey(threadId));
  for (const stream of ["main", "staff"] as const)
    memory.delete(pendingKey(sodium, threadId, viewer, stream));
}

/** The newest epoch record of a thread this device verified or signed (public: a number and a hash). */
interface StoredRecord {
  readonly epoch: number;
  readonly hash: string;
}

function isStoredRecord(value: unknown): value is StoredRecord {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Record<string, unknown>;
  return Number.isInteger(r.epoch) && (r.epoch as number) >= 0 && typeof r.hash === "string";
}

function recordKey(threadId: ThreadId): string {
  return `thread-record:${threadId}`;
}

/**
 * Checks a thread's verified records against the newest one this device remembers (one it verified,
 * or signed and saw acknowledged), then remembers the newest: a remembered record that is no longer
 * served, or another record in its place, is `WITHHELD` (index -1): a re-key the server acknowledged
 * and dropped, or an epoch change it hides. A lower epoch never replaces what is remembered.
 *
 * @example
 * const problems = checkRememberedRecord(client.memory, sodium, threadId, records);
 */
export function checkRememberedRecord(
  memory: DeviceMemory,
  sodium: Sodium,
  threadId: ThreadId,
  records: readonly { readonly epoch: number; readonly hash: Uint8Array }[],
): { reason: "WITHHELD"; index: -1; detail: string }[] {
  const had = recallJson(memory, recordKey(threadId), isStoredRecord);
  const newest = records.at(-1);
  if (had !== undefined) {
    const served = records[had.epoch];
    if (served === undefined) {
      const shown = newest?.epoch ?? "none";
      return [
        {
          reason: "WITHHELD",
          index: -1,
          detail: `the record of epoch ${had.epoch} this device saw is not served (newest served: ${shown})`,
        },
      ];
    }
    if (toBase64(sodium, served.hash) !== had.hash) {
      return [
        {
          reason: "WITHHELD",
          index: -1,
          detail: `another record is served for epoch ${had.epoch} than the one this device saw`,
        },
      ];
    }
  }
  if (newest !== undefined) rememberRecord(memory, sodium, threadId, newest);
  return [];
}

/**
 * Remembers a record this device verified, or (`signed`) one it signed once the server acknowledged
 * it: a device's own acknowledged record on top of what it loaded replaces a remembered record of the
 * same epoch (that one was dropped, and was reported as WITHHELD while it was missing).
 */
export function rememberRecord(
  memory: DeviceMemory,
  sodium: Sodium,
  threadId: ThreadId,
  record: { readonly epoch: number; readonly hash: Uint8Array },
  signed = false,
): void {
  const had = recallJson(memory, recordKey(threadId), isStoredRecord);
  if (had !== undefined && (signed ? had.epoch > record.epoch : had.epoch >= record.epoch)) return;
  rememberJson(memory, recordKey(threadId), { epoch: record.epoch, hash: toBase64(sodium, record.hash) });
}
