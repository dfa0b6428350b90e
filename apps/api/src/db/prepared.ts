import { getTableName, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
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

/**
 * A prepared INSERT of `rows` (one statement, one row or several; every row with the same keys in the
 * same order), cached per database handle, table, column list and row count. The table's own name is
 * in the key, so two callers that give the same `name` to different tables cannot share a statement.
 *
 * @example
 * await insertRows(tx, grants, "grants", [{ threadId, epoch: 0, recipientBoxPk, bytes }]);
 */
export function insertRows(
  db: Db,
  table: SQLiteTable,
  name: string,
  rows: readonly Record<string, unknown>[],
): Promise<unknown> {
  const columns = Object.keys(rows[0]!);
  const q = prepared(db, `insert:${getTableName(table)}:${name}:${rows.length}:${columns.join(",")}`, (d) =>
    d
      .insert(table)
      .values(
        rows.map((_, i) =>
          Object.fromEntries(columns.map((c) => [c, sql.placeholder(`${c}_${i}`)])),
        ) as never,
      )
      .prepare(),
  );
  const params: Record<string, unknown> = {};
  rows.forEach((row, i) => {
    for (const c of columns) params[`${c}_${i}`] = row[c];
  });
  return q.run(params);
}
