import type { Client, InStatement, Transaction } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { AppError } from "../errors.js";
import type { Logger } from "../logger.js";
import { applyWriterPragmas, type WriteTx } from "./client.js";
import { schema } from "./schema.js";

/** A unit of work: database statements only. Verify signatures and do other I/O before enqueueing. */
export type WriteJob<T> = (tx: WriteTx) => Promise<T>;

export interface WriterStats {
  /** Transactions committed (one per batch). */
  batches: number;
  /** Jobs that succeeded and were acknowledged after their commit. */
  committed: number;
  /** Jobs that failed (rolled back alone). */
  failed: number;
  /** Batches that failed as a whole and were retried job by job. */
  fallbacks: number;
  largestBatch: number;
}

export interface WriterOptions {
  /** Most jobs in one transaction (default 256). */
  maxBatch?: number;
  logger?: Logger;
  /** Re-applies per-connection settings after a failed batch (file: databases). */
  repair?: () => Promise<void>;
}

interface Pending {
  job: WriteJob<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Thrown inside a batch when its transaction can no longer continue (a savepoint could not be rolled back). */
class BatchAborted extends Error {
  constructor(
    readonly jobError: unknown,
    cause: unknown,
  ) {
    super("the batch transaction aborted", { cause });
  }
}

/**
 * The one serialized writer, with group commit.
 *
 * Requests enqueue jobs with `run(job)`. The writer takes every job queued so far (up to `maxBatch`),
 * runs them one after another inside ONE `BEGIN IMMEDIATE` transaction on the single writer connection,
 * each inside its own SAVEPOINT: a job that throws is rolled back to its savepoint alone and gets its
 * own error, the others go on. Then it COMMITs, and only then settles every job's promise: a request
 * is acknowledged only after the commit that made its write durable. Jobs that arrive while a batch
 * runs form the next batch, so under load many requests share one commit (one WAL sync).
 *
 * If the batch fails as a whole (COMMIT fails, or a savepoint rollback fails because SQLite aborted the
 * transaction), nothing of it was committed and each job is retried alone in its own transaction, so
 * one bad job can never fail the others.
 *
 * Jobs must only touch the database: any other await inside a job holds up every queued request.
 * Re-check anything that can race (current epoch, sequence numbers, idempotency ids) inside the job.
 *
 * The writer drives the libSQL transaction itself: jobs get one drizzle handle whose client forwards
 * every statement to the batch's open transaction, and savepoints are sent with `executeMultiple`
 * (no statement preparation), which keeps their cost near zero.
 *
 * @example
 * const ack = await writer.run(async (tx) => {
 *   await tx.insert(envelopes).values(row);
 *   return { position: row.position };
 * });
 */
export class Writer {
  readonly #client: Client;
  readonly #db: WriteTx;
  readonly #maxBatch: number;
  readonly #logger: Logger | undefined;
  readonly #repair: (() => Promise<void>) | undefined;
  #tx: Transaction | undefined;
  #queue: Pending[] = [];
  #running = false;
  #scheduled = false;
  #closed = false;
  #idle: Promise<void> = Promise.resolve();
  #markIdle: () => void = () => {};
  readonly #stats: WriterStats = { batches: 0, committed: 0, failed: 0, fallbacks: 0, largestBatch: 0 };

  constructor(client: Client, options: WriterOptions = {}) {
    this.#client = client;
    this.#maxBatch = options.maxBatch ?? 256;
    this.#logger = options.logger;
    this.#repair = options.repair;
    const current = (): Transaction => {
      if (this.#tx === undefined) throw new Error("a write job ran outside the writer's transaction");
      return this.#tx;
    };
    // Only what drizzle's libSQL session calls on its client outside a drizzle transaction.
    const forward = {
      execute: (stmt: InStatement) => current().execute(stmt),
      batch: (stmts: InStatement[]) => current().batch(stmts),
      executeMultiple: (sql: string) => current().executeMultiple(sql),
      transaction: () => {
        throw new Error("write jobs run inside the writer's transaction; do not open another");
      },
    } as unknown as Client;
    this.#db = drizzle(forward, { schema });
  }

  /** Enqueue a job; resolves with its result after the commit, or rejects with its own error. */
  run<T>(job: WriteJob<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new AppError("UNAVAILABLE", "the server is shutting down"));
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ job, resolve: resolve as (v: unknown) => void, reject });
      this.#schedule();
    });
  }

  /** Counters for tests and benchmarks. */
  /** Jobs waiting for their batch (not yet running): the write-queue depth of the metrics. */
  queued(): number {
    return this.#queue.length;
  }

  stats(): Readonly<WriterStats> {
    return { ...this.#stats };
  }

  /** Stop accepting jobs and wait until every queued job is settled. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#running || this.#scheduled || this.#queue.length > 0) await this.#idle;
  }

  #schedule(): void {
    if (this.#running || this.#scheduled) return;
    this.#scheduled = true;
    this.#idle = new Promise((r) => {
      this.#markIdle = r;
    });
    // setImmediate: requests parsed in the same I/O turn join the first batch.
    setImmediate(() => {
      this.#scheduled = false;
      void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, this.#maxBatch);
        await this.#runBatch(batch);
      }
    } finally {
      this.#running = false;
      this.#markIdle();
    }
  }

  async #runBatch(batch: Pending[]): Promise<void> {
    const outcomes: Outcome[] = [];
    let tx: Transaction | undefined;
    try {
      tx = await this.#client.transaction("write");
      this.#tx = tx;
      for (const pending of batch) {
        await tx.executeMultiple("SAVEPOINT bg_job");
        try {
          const value = await pending.job(this.#db);
          await tx.executeMultiple("RELEASE bg_job");
          outcomes.push({ ok: true, value });
        } catch (error) {
          try {
            await tx.executeMultiple("ROLLBACK TO bg_job; RELEASE bg_job");
          } catch (cause) {
            throw new BatchAborted(error, cause);
          }
          outcomes.push({ ok: false, error });
        }
      }
      await tx.commit();
    } catch (error) {
      this.#tx = undefined;
      tx?.close();
      await this.#afterFailedBatch(batch, error);
      return;
    }
    this.#tx = undefined;
    // Committed: acknowledge everyone.
    this.#stats.batches++;
    this.#stats.largestBatch = Math.max(this.#stats.largestBatch, batch.length);
    batch.forEach((pending, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) {
        this.#stats.committed++;
        pending.resolve(outcome.value);
      } else {
        this.#stats.failed++;
        pending.reject(outcome.error);
      }
    });
  }

  async #afterFailedBatch(batch: Pending[], error: unknown): Promise<void> {
    if (this.#repair) {
      try {
        await this.#repair();
      } catch {
        // the next transaction will report the problem
      }
    }
    if (batch.length > 1) {
      this.#stats.fallbacks++;
      this.#logger?.warn({ event: "writer.batch_failed", jobs: batch.length, error: describe(error) });
      for (const pending of batch) await this.#runBatch([pending]);
      return;
    }
    const pending = batch[0]!;
    this.#stats.failed++;
    pending.reject(error instanceof BatchAborted ? error.jobError : error);
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** The writer of a database: its single connection; re-applies the writer PRAGMAs after a failed batch. */
export function createWriter(
  database: { writeClient: Client; isFile: boolean; cacheMib?: number },
  options: Omit<WriterOptions, "repair"> = {},
): Writer {
  return new Writer(database.writeClient, {
    ...options,
    repair: database.isFile ? () => applyWriterPragmas(database.writeClient, database.cacheMib) : undefined,
  });
}
