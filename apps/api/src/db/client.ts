import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { type Client, createClient } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { openNativeClient } from "./native.js";
import { routeReads } from "./read-router.js";
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
  /**
   * Which driver opens a `file:` URL: `native` (default; native.ts, with its prepared-statement cache)
   * or `client` (`@libsql/client`, the driver every remote URL uses). Default: `$DATABASE_DRIVER`, else
   * `native`. `client` exists so that the test suite can run the remote deployment's code path
   * (`@libsql/client` with its connection pools) on a file (the `libsql-client` project of vitest.config.ts).
   */
  driver?: DatabaseDriver | undefined;
  /**
   * Page cache of each of the two connections of a `file:` database, in MiB (default 64; the server
   * reads `DB_CACHE_MIB`). Smaller saves memory on a small machine (docs/DEPLOY.md, "4. Settings").
   */
  cacheMib?: number | undefined;
}

/** The page cache per connection when the configuration names none. */
export const DEFAULT_CACHE_MIB = 64;

/** Whether `mib` is a page cache size this server accepts: an integer number of MiB, 1..1024. */
export function isCacheMib(mib: number): boolean {
  return Number.isInteger(mib) && mib >= 1 && mib <= 1024;
}

export type DatabaseDriver = "native" | "client";

/** The driver for `file:` URLs: `config.driver`, else `$DATABASE_DRIVER` (`native` | `client`), else native. */
export function fileDriver(config: Pick<DatabaseConfig, "driver">): DatabaseDriver {
  const chosen = config.driver ?? process.env.DATABASE_DRIVER ?? "native";
  if (chosen !== "native" && chosen !== "client") {
    throw new Error(`DATABASE_DRIVER must be "native" or "client", not ${JSON.stringify(chosen)}`);
  }
  return chosen;
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
  /** Page cache per connection in MiB (the writer's PRAGMAs are applied again with it after a failure). */
  cacheMib: number;
  close(): void;
}

/** Busy timeout for every connection: wait up to 5 s for a lock instead of failing at once. */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens the database as two libSQL clients: one for reads, one for the serialized writer.
 *
 * Embedded `file:` databases (see native.ts for why not `@libsql/client`'s own file driver):
 * - Each client is ONE native connection with a prepared-statement cache. Every call into the native
 *   binding is synchronous, so a pool of connections in one process would never run two statements at
 *   once; one reader and one writer connection are all the parallelism there is.
 * - PRAGMAs apply per connection. The writer connection gets `journal_mode=WAL` (stored in the file, so
 *   every connection uses it), `synchronous=NORMAL`, `foreign_keys=ON` and `busy_timeout`; the read
 *   connection gets the busy timeout (the `timeout` option) and a larger page cache and mmap.
 * - All writes go through the one writer connection (`Writer`, migrations, the admin CLI); a transaction
 *   owns it until commit or rollback, and any other use meanwhile fails at once with TRANSACTION_ACTIVE
 *   (the STACK-NOTES.md failure, a second writer hitting SQLITE_BUSY, cannot happen). `Writer`
 *   re-applies the writer PRAGMAs after any failed batch.
 * - The read connection never writes. In WAL mode readers do not block the writer and see every commit
 *   that completed before their statement started, so an acknowledged write is visible to the next read.
 *   A single SELECT runs on the writer's connection instead while no transaction owns it (read-router.ts):
 *   a commit on one connection empties the other's page cache, so the reader's reads started cold.
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
  const cacheMib = config.cacheMib ?? DEFAULT_CACHE_MIB;
  let writeClient: Client;
  let readClient: Client;
  if (path !== null && fileDriver(config) === "native") {
    // Embedded file: one statement-caching native connection each (see native.ts).
    const writer = openNativeClient(path, { timeoutMs: BUSY_TIMEOUT_MS });
    await applyWriterPragmas(writer, cacheMib);
    const reader = openNativeClient(path, { timeoutMs: BUSY_TIMEOUT_MS });
    await applyReaderPragmas(reader, cacheMib);
    writeClient = writer;
    // Reads borrow the writer's connection while it is free: its page cache is warm (read-router.ts).
    readClient = routeReads(reader, writer);
  } else {
    // A libSQL server, or a file through @libsql/client (DATABASE_DRIVER=client): the same two pools.
    writeClient = createClient({
      url: path === null ? url : `file:${path}`,
      authToken: config.authToken,
      concurrency: 1,
      timeout: BUSY_TIMEOUT_MS,
    });
    readClient = createClient({
      url: path === null ? url : `file:${path}`,
      authToken: config.authToken,
      concurrency: 20,
      timeout: BUSY_TIMEOUT_MS,
    });
    // On a file the writer still needs WAL and foreign keys (its pool has one connection, which keeps
    // them; Writer re-applies them after a failed batch). A libSQL server gets no PRAGMAs.
    if (path !== null) await applyWriterPragmas(writeClient, cacheMib);
  }
  const read = drizzle(readClient, { schema });
  const write = drizzle(writeClient, { schema });
  return {
    read,
    write,
    readClient,
    writeClient,
    isFile,
    path,
    cacheMib,
    close() {
      readClient.close();
      writeClient.close();
    },
  };
}

/**
 * The read connection's cache: `cacheMib` of page cache (64 MiB unless configured; SQLite's default is
 * 2 MiB) and up to 1 GiB of the file memory-mapped, so inbox and session reads under ingest come from
 * memory instead of read() calls.
 */
export async function applyReaderPragmas(client: Client, cacheMib = DEFAULT_CACHE_MIB): Promise<void> {
  await client.execute(`PRAGMA cache_size=${cacheSize(cacheMib)}`);
  await client.execute("PRAGMA mmap_size=1073741824");
}

/** SQLite's `cache_size` for `mib` MiB (a negative number is KiB); refuses anything but 1..1024. */
function cacheSize(mib: number): number {
  if (!isCacheMib(mib)) throw new Error(`cache of ${mib} MiB: 1..1024`);
  return -mib * 1024;
}

/** Runs the writer's PRAGMAs on its single connection (outside any transaction, where they take effect). */
export async function applyWriterPragmas(client: Client, cacheMib = DEFAULT_CACHE_MIB): Promise<void> {
  const mode = await client.execute("PRAGMA journal_mode=WAL");
  const journal = String(mode.rows[0]?.[0] ?? "").toLowerCase();
  if (journal !== "wal") throw new Error(`could not enable WAL (journal_mode is ${journal})`);
  await client.execute("PRAGMA synchronous=NORMAL");
  await client.execute(`PRAGMA busy_timeout=${BUSY_TIMEOUT_MS}`);
  await client.execute("PRAGMA foreign_keys=ON");
  // Index pages of the write path stay in memory: every envelope touches about a dozen B-tree pages.
  await client.execute(`PRAGMA cache_size=${cacheSize(cacheMib)}`);
  // Checkpoint every ~40 MB of WAL instead of every 4 MB (1000 pages). In WAL mode with
  // synchronous=NORMAL the checkpoint is where the fsyncs happen, and it runs on the committing
  // connection (the main thread); at 1000 pages ingest paid about 2 ms per commit for it, at 10000 about
  // 0.1 ms: hot index pages are written to the database file once per checkpoint instead of ten times.
  await client.execute("PRAGMA wal_autocheckpoint=10000");
}
