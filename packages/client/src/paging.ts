import { LIMITS } from "@briefgeheim/protocol";
import { ClientError } from "./errors.js";

/** Largest page every list route accepts (`LIMITS.pageMax`). */
export const PAGE_SIZE = LIMITS.pageMax;

/**
 * Follows a cursor until the last page. A server that keeps returning pages past `maxPages` (or the
 * same cursor again) is refused with `UNEXPECTED_RESPONSE` instead of looping forever. `onPage` sees
 * everything so far after each page that is not the last (a list can show its head early).
 *
 * @example
 * const all = await collectPages<Thread, string>(async (cursor) => {
 *   const page = await fetchThreads(cursor);
 *   return { items: page.threads, next: page.nextCursor };
 * });
 */
export async function collectPages<T, C extends string | number>(
  fetchPage: (cursor: C | undefined) => Promise<{ items: readonly T[]; next: C | null }>,
  maxPages = 10_000,
  onPage?: (soFar: readonly T[]) => void,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: C | undefined;
  for (let page = 0; page < maxPages; page++) {
    const { items, next } = await fetchPage(cursor);
    out.push(...items);
    if (next === null) return out;
    if (next === cursor) break;
    onPage?.(out);
    cursor = next;
  }
  throw new ClientError("UNEXPECTED_RESPONSE", "the server's pages do not end", { source: "server" });
}
