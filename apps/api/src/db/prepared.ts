import type { Db } from "./client.js";

const caches = new WeakMap<Db, Map<string, unknown>>();

/**
 * A drizzle prepared query, built once per database handle and reused: hot paths (session lookup,
 * thread access, envelope ingest) skip rebuilding their SQL on every request.
 *
 * @example
 * const q = prepared(db, "thread-by-id", (d) => d.select().from(threads).where(eq(threads.id, sql.placeholder("id"))).prepare());
 * const rows = await q.all({ id });
 */
export function prepared<T>(db: Db, key: string, build: (db: Db) => T): T {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = new Map();
    caches.set(db, cache);
  }
  let query = cache.get(key) as T | undefined;
  if (query === undefined) {
    query = build(db);
    cache.set(key, query);
  }
  return query;
}
