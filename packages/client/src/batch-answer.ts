import { ClientError } from "./errors.js";

/** One item sent in a batch request, with its answer, or why it has none. */
export type Matched<S, R> =
  | { readonly sent: S; readonly result: R; readonly error?: undefined }
  | { readonly sent: S; readonly result?: undefined; readonly error: ClientError };

/**
 * A batch answer held to what was sent (`POST /threads/epochs/batch`, `/threads/envelopes/batch`):
 * each item of `sent`, in order, with the first result for its thread. Results for threads that were
 * not sent, and repeats, are never read, so a server cannot add a thread or answer one twice. An item
 * without a result is `UNEXPECTED_RESPONSE`: left out, or the whole answer is malformed (`results`
 * undefined: it did not match the route's schema).
 *
 * @example
 * const parsed = epochBatchResponseSchema.safeParse(answer);
 * for (const m of matchAnswers(chunk, parsed.success ? parsed.data.results : undefined)) ...
 */
export function matchAnswers<
  S extends { readonly threadId: string },
  R extends { readonly threadId: string },
>(sent: readonly S[], results: readonly R[] | undefined): Matched<S, R>[] {
  const first = new Map<string, R>();
  for (const r of results ?? []) if (!first.has(r.threadId)) first.set(r.threadId, r);
  const why = results === undefined ? "the answer is not a batch result" : "left out of the server's answer";
  return sent.map((s) => {
    const result = first.get(s.threadId);
    if (result !== undefined) return { sent: s, result };
    return { sent: s, error: new ClientError("UNEXPECTED_RESPONSE", why, { source: "server" }) };
  });
}
