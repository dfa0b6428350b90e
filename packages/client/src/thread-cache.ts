import type { VerifiedPrefix } from "@briefgeheim/crypto";
import type { StoredEnvelope } from "@briefgeheim/protocol";

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
  /** Positions of envelopes that were not genuine in it (bad signature, replay, ...). */
  readonly damaged: ReadonlySet<number>;
  /** Envelopes (base64url) found served "into the past" this session, with why (`HISTORY_CHANGED`). */
  readonly history: ReadonlyMap<string, string>;
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

  constructor(readonly limit = DEFAULT_LIMIT) {}

  get(threadId: string): VerifiedPrefix | undefined {
    return this.#touch(threadId)?.prefix;
  }

  /** The listing the cached prefix was verified over, when the prefix came from a whole listing. */
  listing(threadId: string): CachedListing | undefined {
    return this.#touch(threadId)?.listing;
  }

  set(threadId: string, prefix: VerifiedPrefix, listing?: CachedListing): void {
    this.#drop(threadId);
    let bytes = prefix.known.reduce((n, k) => n + (k?.bytes.byteLength ?? 0), 0);
    for (const s of listing?.stored ?? []) bytes += s.envelope.length;
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
