/**
 * The read client of an embedded database: each single SELECT runs on the writer's connection while no
 * transaction owns it, and on the read connection otherwise.
 *
 * Why: SQLite drops a connection's page cache whenever another connection changed the database, so
 * under steady writes every read on the read connection started cold: a point read took 185 µs right
 * after a commit on the writer against 14-19 µs with a warm cache (bench/api/page-cache.ts), and the
 * session lookup and the thread read of every post paid it. The writer's own commits leave its cache
 * warm.
 *
 * Why it is safe: the choice is made at the statement, and the native binding runs the statement before
 * `execute` returns, with nothing in between; so a read on the writer's connection happens only when no
 * transaction is open on it and sees exactly the committed database, as the read connection would. While
 * a batch of the writer is open (its rows not committed yet) every read goes to the read connection, as
 * before. Transactions, batches and every statement that is not a SELECT stay on the read connection.
 *
 * @example
 * const read = routeReads(openNativeClient(path, o), writer);
 */
import type { Client, InArgs, InStatement, ResultSet, TransactionMode } from "@libsql/client";
import type { NativeFileClient } from "./native.js";

/** How many reads each connection served (tests, and whoever wants to see the split). */
export interface ReadRouting {
  readonly onWriter: number;
  readonly onReader: number;
}

const SELECT = /^\s*select\b/i;

class ReadRouter {
  readonly protocol = "file";
  readonly #reader: NativeFileClient;
  readonly #writer: NativeFileClient;
  onWriter = 0;
  onReader = 0;

  constructor(reader: NativeFileClient, writer: NativeFileClient) {
    this.#reader = reader;
    this.#writer = writer;
  }

  get closed(): boolean {
    return this.#reader.closed;
  }

  execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
    const sql = typeof stmtOrSql === "string" ? stmtOrSql : stmtOrSql.sql;
    // Checked here and run at once: nothing else can open a transaction on the writer in between.
    const onWriter = this.#writer.free && SELECT.test(sql);
    const client = onWriter ? this.#writer : this.#reader;
    if (onWriter) this.onWriter++;
    else this.onReader++;
    return typeof stmtOrSql === "string" ? client.execute(stmtOrSql, args) : client.execute(stmtOrSql);
  }

  batch(stmts: (InStatement | [string, InArgs?])[], mode?: TransactionMode): Promise<ResultSet[]> {
    return this.#reader.batch(stmts, mode);
  }

  migrate(stmts: InStatement[]): Promise<ResultSet[]> {
    return this.#reader.migrate(stmts);
  }

  transaction(mode?: TransactionMode) {
    return this.#reader.transaction(mode);
  }

  executeMultiple(sql: string): Promise<void> {
    return this.#reader.executeMultiple(sql);
  }

  sync() {
    return this.#reader.sync();
  }

  reconnect() {
    return this.#reader.reconnect();
  }

  /** Closes the read connection; the writer's belongs to the writer client. */
  close(): void {
    this.#reader.close();
  }
}

/** The read client over `reader`, borrowing `writer`'s connection while it is free (see above). */
export function routeReads(reader: NativeFileClient, writer: NativeFileClient): Client & ReadRouting {
  return new ReadRouter(reader, writer) as unknown as Client & ReadRouting;
}
