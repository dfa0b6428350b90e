import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { type Client, createClient } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { schema } from "./schema.js";

export type Schema = typeof schema;
/** A drizzle handle (the read pool, or the writer's single connection). */
export type Db = LibSQLDatabase<Schema>;
/**
 * The handle a write job receives: a drizzle database whose statements run inside the writer's current
 * transaction (see writer.ts). Jobs must not call `transaction()` on it.
 */
export type WriteTx = Db;
/** What a read helper accepts: the read pool, or a write job's handle (to re-check state inside a job). */
export type Queryable = Db;

export interface DatabaseConfig {
  /** `file:./data/briefgeheim.db`, `libsql://...`, `http(s)://...` or `ws(s)://...`. */
  url: string;
  authToken?: string | undefined;
  /** Read pool size for `file:` databases (default 8). */
  readConnections?: number;
}

export interface Database {
  /** Read pool: every route reads through it. Never used for writes. */
  read: Db;
  /** The single writer connection; only `Writer` (db/writer.ts), migrations and the admin CLI use it. */
  write: Db;
  readClient: Client;
  writeClient: Client;
  /** True for an embedded `file:` database. */
  isFile: boolean;
  /** The file path for `file:` URLs. */
  path: string | null;
  close(): void;
}

/** Busy timeout for every connection: wait up to 5 s for a lock instead of failing at once. */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens the database as two libSQL clients.
 *
 * Why two, and how the PRAGMAs are applied (read from @libsql/client 0.18's lib-esm/sqlite3.js):
 * - For `file:` URLs the client keeps a pool of native connections (`concurrency`, default 20), opened
 *   lazily with `new Database(path, { timeout })`. There is no hook to run statements on a new
 *   connection, and `PRAGMA synchronous` / `foreign_keys` / `busy_timeout` apply only to the connection
 *   that runs them, so a PRAGMA sent through `client.execute` reaches one arbitrary pooled connection.
 * - `busy_timeout`: the client's `timeout` option is passed to every connection it opens (verified with
 *   `PRAGMA busy_timeout` -> 5000), so it holds on the whole pool, including connections opened later.
 * - `journal_mode=WAL` is stored in the database file: set once, every connection uses it.
 * - `synchronous=NORMAL` only matters on the connection that commits, and `foreign_keys` only on the
 *   connection that writes. All writes go through ONE connection: the writer client has
 *   `concurrency: 1`, so its pool holds exactly one connection and the PRAGMAs run on it below.
 *   (If libSQL ever drops that connection after a failed ROLLBACK, its replacement has libSQL's
 *   defaults: foreign_keys=1 and synchronous=FULL, i.e. safe and only slower; `Writer` re-applies the
 *   PRAGMAs after any failed batch, see writer.ts.)
 * - The read pool never writes (by construction: only `Writer` writes), so it needs only the busy
 *   timeout. In WAL mode readers do not block the writer and see every commit that completed before
 *   their statement started, so an acknowledged write is visible to the next read.
 * - A single writer connection also avoids the failure in STACK-NOTES.md: a transaction whose callback
 *   awaits something else lets another request take a second connection and fail with SQLITE_BUSY.
 *
 * Remote URLs (libsql/http/ws) go to a libSQL server, which manages journaling itself; no PRAGMAs are
 * sent. An in-memory database (`:memory:`) is not supported: each client would get its own.
 *
 * @example
 * const db = await openDatabase({ url: "file:./data/briefgeheim.db" });
 */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  const url = config.url;
  const isFile = url.startsWith("file:");
  if (isFile && /^file::memory:|^:memory:/.test(url)) {
    throw new Error("An in-memory database is not supported: use a file (e.g. in os.tmpdir()).");
  }
  let path: string | null = null;
  if (isFile) {
    path = resolve(decodeURIComponent(url.slice("file:".length).replace(/^\/\/(localhost)?(?=\/)/, "")));
    mkdirSync(dirname(path), { recursive: true });
  }
  const writeClient = createClient({
    url,
    authToken: config.authToken,
    concurrency: 1,
    timeout: BUSY_TIMEOUT_MS,
  });
  if (isFile) await applyWriterPragmas(writeClient);
  const readClient = createClient({
    url,
    authToken: config.authToken,
    concurrency: isFile ? (config.readConnections ?? 8) : 20,
    timeout: BUSY_TIMEOUT_MS,
  });
  const read = drizzle(readClient, { schema });
  const write = drizzle(writeClient, { schema });
  return {
    read,
    write,
    readClient,
    writeClient,
    isFile,
    path,
    close() {
      readClient.close();
      writeClient.close();
    },
  };
}

/** Runs the writer's PRAGMAs on its single connection (outside any transaction, where they take effect). */
export async function applyWriterPragmas(client: Client): Promise<void> {
  const mode = await client.execute("PRAGMA journal_mode=WAL");
  const journal = String(mode.rows[0]?.[0] ?? "").toLowerCase();
  if (journal !== "wal") throw new Error(`could not enable WAL (journal_mode is ${journal})`);
  await client.execute("PRAGMA synchronous=NORMAL");
  await client.execute(`PRAGMA busy_timeout=${BUSY_TIMEOUT_MS}`);
  await client.execute("PRAGMA foreign_keys=ON");
}
