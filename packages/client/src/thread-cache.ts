import type { VerifiedPrefix } from "@briefgeheim/crypto";

/** Bytes of envelopes a cache keeps at most (the least recently used threads go first). */
const DEFAULT_LIMIT = 32 * 1024 * 1024;

/**
 * What this tab has verified of each thread (`verifyThreadFrom`'s prefixes: envelope bytes, check
 * results and decrypted payloads), so reading a thread again, or replying in it, checks signatures and
 * decrypts only what is new. Memory only, per session; `clear()` on lock, sign-out and quick exit.
 *
 * @example
 * const cache = new ThreadCache();
 * cache.set(threadId, prefix); cache.get(threadId); cache.clear();
 */
export class ThreadCache {
  #prefixes = new Map<string, { prefix: VerifiedPrefix; bytes: number }>();
  #bytes = 0;

  constructor(readonly limit = DEFAULT_LIMIT) {}

  get(threadId: string): VerifiedPrefix | undefined {
    const hit = this.#prefixes.get(threadId);
    if (hit === undefined) return undefined;
    // Most recently used last.
    this.#prefixes.delete(threadId);
    this.#prefixes.set(threadId, hit);
    return hit.prefix;
  }

  set(threadId: string, prefix: VerifiedPrefix): void {
    this.#drop(threadId);
    const bytes = prefix.known.reduce((n, k) => n + (k?.bytes.byteLength ?? 0), 0);
    if (bytes > this.limit) return;
    this.#prefixes.set(threadId, { prefix, bytes });
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

  #drop(threadId: string): void {
    const old = this.#prefixes.get(threadId);
    if (old === undefined) return;
    this.#prefixes.delete(threadId);
    this.#bytes -= old.bytes;
  }
}
