/**
 * `Promise.all(items.map(fn))` with at most `limit` calls in flight, results in input order. Bulk
 * jobs load hundreds of threads: one at a time they wait on the network in series, all at once they
 * trip the server's rate limits.
 *
 * @example
 * const epochs = await mapLimit(threadIds, 6, (id) => loadEpochs(ctx, id));
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}
