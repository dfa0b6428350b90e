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
  for (const h of recallJson(memory, key(sodium, threadId, viewer), isStoredHeads) ?? []) add(h);
  for (const h of heads) {
    if (h.seq < 1) continue;
    add({ stream: h.stream, signPk: toBase64(sodium, h.signPk), seq: h.seq, hash: toBase64(sodium, h.hash) });
  }
  rememberJson(memory, key(sodium, threadId, viewer), [...merged.values()]);
}

/** Forgets a thread (after deleting it): nothing of it should stay behind. */
export function forgetHeads(memory: DeviceMemory, sodium: Sodium, threadId: ThreadId, viewer: SignPublicKey) {
  memory.delete(key(sodium, threadId, viewer));
}
