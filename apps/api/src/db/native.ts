/**
 * A libSQL client for embedded `file:` databases with a prepared-statement cache.
 *
 * Why: `@libsql/client` 0.18 (lib-esm/sqlite3.js `executeStmt`) prepares every statement anew on each
 * call and asks the native statement for its column list twice; profiling the envelope ingest showed
 * `prepare` + `columns` at about a quarter of the server's CPU time. This client speaks to the same
 * native binding (`libsql`, which `@libsql/client` uses underneath) on ONE connection, keeps each SQL
 * text's prepared statement and column names, and otherwise behaves like `@libsql/client`'s sqlite3
 * client: the same `ResultSet` shape (rows readable by index and by column name, blobs as ArrayBuffer),
 * the same error codes (`LibsqlError` with `SQLITE_BUSY`, `SQLITE_CONSTRAINT`, ...), and the same
 * `transaction`, `batch`, `migrate` and `executeMultiple` semantics for what the server uses.
 *
 * One connection per client is enough: every call into the native binding is synchronous, so a pool of
 * connections in one process never runs two statements at once anyway. Integers come back as JS numbers
 * (the server stores no integer beyond 2^53: times in ms, counters, versions).
 *
 * @example
 * const client = openNativeClient("/data/briefgeheim.db", { timeoutMs: 5000 });
 * const rs = await client.execute({ sql: "SELECT count(*) AS n FROM threads", args: [] });
 * rs.rows[0].n;
 */
import { createRequire } from "node:module";
import {
  type Client,
  type InArgs,
  type InStatement,
  LibsqlError,
  type ResultSet,
  type Transaction,
  type TransactionMode,
} from "@libsql/client";
import { argsToSql, normalize, resultSet, rowFactory } from "./native-rows.js";

interface NativeStatement {
  raw(on?: boolean): NativeStatement;
  all(args: unknown): unknown[][];
  run(args: unknown): { changes: number; lastInsertRowid: number | bigint };
  columns(): { name: string; type: string | null }[];
}
interface NativeDatabase {
  prepare(sql: string): NativeStatement;
  exec(sql: string): void;
  close(): void;
  readonly open: boolean;
  readonly inTransaction: boolean;
}
interface NativeModule {
  new (path: string, options: { timeout?: number }): NativeDatabase;
  SqliteError: new (...args: never[]) => Error & { code: string; rawCode?: number };
}

// `libsql` is the native binding @libsql/client itself loads for file: URLs (a CommonJS module).
const require = createRequire(import.meta.url);
const Native = require("libsql") as NativeModule;

interface Cached {
  stmt: NativeStatement;
  /** Column names for statements that return rows; undefined for the others. */
  columns: string[] | undefined;
  columnTypes: string[];
  toRow: (values: unknown[]) => Record<string, unknown>;
}

/** Most distinct SQL texts kept prepared (the server has a few dozen; dynamic multi-row inserts vary). */
const CACHE_LIMIT = 512;

const BASE_CODES: Record<number, string> = {
  1: "SQLITE_ERROR",
  2: "SQLITE_INTERNAL",
  3: "SQLITE_PERM",
  4: "SQLITE_ABORT",
  5: "SQLITE_BUSY",
  6: "SQLITE_LOCKED",
  7: "SQLITE_NOMEM",
  8: "SQLITE_READONLY",
  9: "SQLITE_INTERRUPT",
  10: "SQLITE_IOERR",
  11: "SQLITE_CORRUPT",
  12: "SQLITE_NOTFOUND",
  13: "SQLITE_FULL",
  14: "SQLITE_CANTOPEN",
  15: "SQLITE_PROTOCOL",
  16: "SQLITE_EMPTY",
  17: "SQLITE_SCHEMA",
  18: "SQLITE_TOOBIG",
  19: "SQLITE_CONSTRAINT",
  20: "SQLITE_MISMATCH",
  21: "SQLITE_MISUSE",
  22: "SQLITE_NOLFS",
  23: "SQLITE_AUTH",
  24: "SQLITE_FORMAT",
  25: "SQLITE_RANGE",
  26: "SQLITE_NOTADB",
};

function mapError(e: unknown): unknown {
  if (e instanceof Native.SqliteError) {
    const raw = e.rawCode;
    const code =
      raw === undefined ? "SQLITE_UNKNOWN" : (BASE_CODES[raw & 0xff] ?? `SQLITE_UNKNOWN_${raw & 0xff}`);
    return new LibsqlError(e.message, code, e.code, raw, e);
  }
  return e;
}

function beginSql(mode: TransactionMode): string {
  if (mode === "write") return "BEGIN IMMEDIATE";
  if (mode === "read") return "BEGIN TRANSACTION READONLY";
  return "BEGIN DEFERRED";
}

/** The statement-caching client over one native connection (see the module comment). */
class NativeClient {
  readonly protocol = "file";
  closed = false;
  readonly #db: NativeDatabase;
  readonly #cache = new Map<string, Cached>();
  #txOpen = false;

  constructor(path: string, timeoutMs: number) {
    try {
      this.#db = new Native(path, { timeout: timeoutMs });
    } catch (e) {
      throw mapError(e);
    }
  }

  #prepared(sql: string): Cached {
    let c = this.#cache.get(sql);
    if (c === undefined) {
      const stmt = this.#db.prepare(sql);
      let columns: string[] | undefined;
      let columnTypes: string[] = [];
      try {
        stmt.raw(true);
        const cols = stmt.columns();
        columns = cols.map((col) => col.name);
        columnTypes = cols.map((col) => col.type ?? "");
      } catch {
        // raw() throws for statements that return no data
        columns = undefined;
      }
      if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
      c = { stmt, columns, columnTypes, toRow: rowFactory(columns ?? []) };
      this.#cache.set(sql, c);
    }
    return c;
  }

  /** Runs one statement on the connection, synchronously. */
  run(stmt: InStatement | [string, InArgs?]): ResultSet {
    this.#checkOpen();
    const { sql, args } = normalize(stmt);
    try {
      const c = this.#prepared(sql);
      const bound = argsToSql(args);
      if (c.columns !== undefined) {
        const rows = c.stmt.all(bound).map(c.toRow);
        return resultSet(c.columns, c.columnTypes, rows, 0, undefined);
      }
      const info = c.stmt.run(bound);
      return resultSet([], [], [], info.changes, BigInt(info.lastInsertRowid));
    } catch (e) {
      throw mapError(e);
    }
  }

  #checkOpen(): void {
    if (this.closed) throw new LibsqlError("The client is closed", "CLIENT_CLOSED");
  }

  /** Open, and no transaction owns the connection (read-router.ts reads here only then). */
  get free(): boolean {
    return !this.closed && !this.#txOpen && this.#db.open && !this.#db.inTransaction;
  }

  #checkFree(): void {
    if (this.#txOpen) {
      throw new LibsqlError(
        "A transaction is open on this connection; commit or roll it back first.",
        "TRANSACTION_ACTIVE",
      );
    }
  }

  async execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
    this.#checkFree();
    return this.run(typeof stmtOrSql === "string" ? { sql: stmtOrSql, args: args ?? [] } : stmtOrSql);
  }

  /** Runs `stmts` inside one transaction; rolls back and rethrows on the first failure. */
  runInTransaction(stmts: (InStatement | [string, InArgs?])[], mode: TransactionMode): ResultSet[] {
    this.run(beginSql(mode));
    try {
      const out = stmts.map((s) => this.run(s));
      this.run("COMMIT");
      return out;
    } finally {
      if (this.#db.open && this.#db.inTransaction) this.run("ROLLBACK");
    }
  }

  async batch(
    stmts: (InStatement | [string, InArgs?])[],
    mode: TransactionMode = "deferred",
  ): Promise<ResultSet[]> {
    this.#checkFree();
    return this.runInTransaction(stmts, mode);
  }

  async migrate(stmts: InStatement[]): Promise<ResultSet[]> {
    this.#checkFree();
    this.run("PRAGMA foreign_keys=off");
    try {
      return this.runInTransaction(stmts, "deferred");
    } finally {
      this.run("PRAGMA foreign_keys=on");
    }
  }

  async executeMultiple(sql: string): Promise<void> {
    this.#checkFree();
    this.exec(sql);
  }

  exec(sql: string): void {
    this.#checkOpen();
    try {
      this.#db.exec(sql);
    } catch (e) {
      throw mapError(e);
    }
  }

  async transaction(mode: TransactionMode = "write"): Promise<Transaction> {
    this.#checkFree();
    this.run(beginSql(mode));
    this.#txOpen = true;
    return new NativeTransaction(this, this.#db, () => {
      this.#txOpen = false;
    }) as unknown as Transaction;
  }

  async sync(): Promise<undefined> {
    return undefined;
  }

  async reconnect(): Promise<void> {
    throw new LibsqlError("reconnect is not supported by the native file client", "NOT_IMPLEMENTED");
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.#cache.clear();
    try {
      if (this.#db.open && this.#db.inTransaction) this.#db.exec("ROLLBACK");
    } finally {
      this.#db.close();
    }
  }
}

/** A transaction that owns the connection until commit, rollback or close. */
class NativeTransaction {
  #done = false;
  constructor(
    private readonly client: NativeClient,
    private readonly db: NativeDatabase,
    private readonly release: () => void,
  ) {}

  #check(): void {
    if (this.closed) throw new LibsqlError("The transaction is closed", "TRANSACTION_CLOSED");
  }

  async execute(stmt: InStatement | string, args?: InArgs): Promise<ResultSet> {
    this.#check();
    return this.client.run(typeof stmt === "string" ? { sql: stmt, args: args ?? [] } : stmt);
  }

  async batch(stmts: (InStatement | [string, InArgs?])[]): Promise<ResultSet[]> {
    this.#check();
    return stmts.map((s) => this.client.run(s));
  }

  async executeMultiple(sql: string): Promise<void> {
    this.#check();
    this.client.exec(sql);
  }

  async commit(): Promise<void> {
    try {
      this.#check();
      this.client.run("COMMIT");
    } finally {
      this.#settle();
    }
  }

  async rollback(): Promise<void> {
    try {
      if (this.db.open && this.db.inTransaction) this.client.run("ROLLBACK");
    } finally {
      this.#settle();
    }
  }

  close(): void {
    try {
      if (!this.#done && this.db.open && this.db.inTransaction) this.client.run("ROLLBACK");
    } finally {
      this.#settle();
    }
  }

  get closed(): boolean {
    return this.#done || !this.db.open || !this.db.inTransaction;
  }

  /** Hands the connection back; a transaction still open (e.g. a COMMIT that failed) is rolled back. */
  #settle(): void {
    if (this.#done) return;
    this.#done = true;
    try {
      if (this.db.open && this.db.inTransaction) this.db.exec("ROLLBACK");
    } catch {
      // the connection reports the problem on its next use
    } finally {
      this.release();
    }
  }
}

/** Opens a statement-caching client on an embedded database file (see the module comment). */
export function openNativeClient(path: string, options: { timeoutMs: number }): NativeFileClient {
  return new NativeClient(path, options.timeoutMs) as unknown as NativeFileClient;
}

/** A native file client: a libSQL `Client` that can say whether a transaction owns its connection. */
export type NativeFileClient = Client & { readonly free: boolean };
