import type { ThreadId } from "@briefgeheim/crypto";
import { LIMITS, type StoredEnvelope } from "@briefgeheim/protocol";
import { ClientError } from "./errors.js";
import { collectPages, PAGE_SIZE } from "./paging.js";
import type { ThreadContext } from "./thread-loader.js";
import { readJson } from "./transport.js";

/**
 * Every envelope of a thread from `first` on (those already fetched, e.g. by a batch read, with
 * `nextAfter` where to page on), through the paged envelopes route. A server listing more than
 * `LIMITS.threadMaxEnvelopes` is refused with `THREAD_TOO_LARGE` before anything is verified.
 *
 * @example
 * const stored = await fetchEnvelopes(ctx, threadId, []);
 */
export async function fetchEnvelopes(
  ctx: ThreadContext,
  threadId: ThreadId,
  first: readonly StoredEnvelope[],
  nextAfter: number | null | undefined = undefined,
): Promise<StoredEnvelope[]> {
  const { client } = ctx;
  // A batch read's first page too: its items go into the same listing and cache.
  if (!first.every(isStoredEnvelope)) {
    throw new ClientError("UNEXPECTED_RESPONSE", "the server's envelope page is not a list of envelopes", {
      source: "server",
    });
  }
  if (nextAfter === null) return tooLarge([...first]);
  let listed = first.length;
  const rest = await collectPages<StoredEnvelope, number>(async (after) => {
    const from = after ?? nextAfter;
    if (listed > LIMITS.threadMaxEnvelopes) {
      // More than any honest server stores: refused before anything is verified (review finding 11).
      throw new ClientError(
        "THREAD_TOO_LARGE",
        `the server lists more than ${LIMITS.threadMaxEnvelopes} envelopes for this thread`,
        { source: "server" },
      );
    }
    const page = await readJson(
      await client.api.threads[":threadId"].envelopes.$get({
        param: { threadId },
        query: { limit: String(PAGE_SIZE), ...(from === undefined ? {} : { after: String(from) }) },
      }),
    );
    // Checked before use: positions and bytes steer the next (incremental) read and the cache's size.
    // Only their types: what the bytes say is verifyThread's to judge (a forged id is no reason here).
    if (!Array.isArray(page.envelopes) || !page.envelopes.every(isStoredEnvelope)) {
      throw new ClientError("UNEXPECTED_RESPONSE", "the server's envelope page is not a list of envelopes", {
        source: "server",
      });
    }
    listed += page.envelopes.length;
    return { items: page.envelopes, next: page.nextAfter };
  });
  return tooLarge([...first, ...rest]);
}

function isStoredEnvelope(e: StoredEnvelope): boolean {
  return (
    typeof e === "object" &&
    e !== null &&
    typeof e.id === "string" &&
    typeof e.envelope === "string" &&
    Number.isSafeInteger(e.position) &&
    e.position > 0 &&
    typeof e.receivedAt === "number"
  );
}

function tooLarge(stored: StoredEnvelope[]): StoredEnvelope[] {
  if (stored.length > LIMITS.threadMaxEnvelopes) {
    throw new ClientError(
      "THREAD_TOO_LARGE",
      `the server lists more than ${LIMITS.threadMaxEnvelopes} envelopes for this thread`,
      { source: "server" },
    );
  }
  return stored;
}
