import type { VerifiedPrefix } from "@briefgeheim/crypto";
import type { StoredEnvelope } from "@briefgeheim/protocol";
import type { HistoryLedger } from "./thread-history.js";

/** Bytes of envelopes a cache keeps at most (the least recently used threads go first). */
const DEFAULT_LIMIT = 32 * 1024 * 1024;

/**
 * The listing a verification of a thread covered, for the next incremental read (issue 14): the
 * envelopes as the server listed them (positions, ids, bytes in base64url), the problems found in
 * it, and how many incremental reads followed the last full read.
 */
export interface CachedListing {
  readonly stored: readonly StoredEnvelope[];
  /** `problemKey` of every problem of that verification. */
  readonly problems: ReadonlySet<string>;
  /** Incremental reads since the last full read (a full read is due at `FULL_READ_EVERY`). */
  readonly incremental: number;
}

/**
 * What this tab has verified of each thread (`verifyThreadFrom`'s prefixes: envelope bytes, check
 * results and decrypted payloads, and the listing they came from), so reading a thread again, or
 * replying in it, fetches and checks only what is new. Memory only, per session; `clear()` on lock,
 * sign-out and quick exit.
 *
 * @example
 * const cache = new ThreadCache();
 * cache.set(threadId, prefix, listing); cache.get(threadId); cache.listing(threadId); cache.clear();
 */
export class ThreadCache {
  #prefixes = new Map<string, { prefix: VerifiedPrefix; listing?: CachedListing; bytes: number }>();
  #bytes = 0;
  /**
   * Per thread, what a full read is compared with (`HISTORY_CHANGED`): never evicted, whatever the
   * listing's size, so the comparison and the session's flags outlive the listing (THREAT-MODEL §3.20).
   */
  #ledgers = new Map<string, HistoryLedger>();
  #generation = 0;

  constructor(readonly limit = DEFAULT_LIMIT) {}

  get(threadId: string): VerifiedPrefix | undefined {
    return this.#touch(threadId)?.prefix;
  }

  /** The listing the cached prefix was verified over, when the prefix came from a whole listing. */
  listing(threadId: string): CachedListing | undefined {
    return this.#touch(threadId)?.listing;
  }

  /** What the last full or short read of the thread this session left to compare the next with. */
  ledger(threadId: string): HistoryLedger | undefined {
    return this.#ledgers.get(threadId);
  }

  /**
   * Counts `clear()` calls: a read that began before a wipe sees another number when it ends, and
   * neither fills the cache nor returns what it decrypted (`WIPED`).
   */
  get generation(): number {
    return this.#generation;
  }

  set(threadId: string, prefix: VerifiedPrefix, listing?: CachedListing, ledger?: HistoryLedger): void {
    if (ledger !== undefined) this.#ledgers.set(threadId, ledger);
    this.#drop(threadId);
    let bytes = prefix.known.reduce((n, k) => n + (k?.bytes.byteLength ?? 0), 0);
    // A batch read's first page is the server's word: a non-string must not make the count NaN.
    for (const s of listing?.stored ?? []) bytes += typeof s.envelope === "string" ? s.envelope.length : 0;
    if (bytes > this.limit) return;
    this.#prefixes.set(threadId, { prefix, ...(listing === undefined ? {} : { listing }), bytes });
    this.#bytes += bytes;
    for (const id of this.#prefixes.keys()) {
      if (this.#bytes <= this.limit) break;
      this.#drop(id);
    }
  }

  /** Bytes of envelopes held now. */
  get size(): number {
    return this.#bytes;
  }

  clear(): void {
    this.#prefixes.clear();
    this.#ledgers.clear();
    this.#generation++;
    this.#bytes = 0;
  }

  #touch(threadId: string) {
    const hit = this.#prefixes.get(threadId);
    if (hit === undefined) return undefined;
    // Most recently used last.
    this.#prefixes.delete(threadId);
    this.#prefixes.set(threadId, hit);
    return hit;
  }

  #drop(threadId: string): void {
    const old = this.#prefixes.get(threadId);
    if (old === undefined) return;
    this.#prefixes.delete(threadId);
    this.#bytes -= old.bytes;
  }
}
