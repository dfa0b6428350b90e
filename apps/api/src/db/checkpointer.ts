/**
 * WAL checkpoints off the main thread (embedded `file:` databases).
 *
 * In WAL mode with synchronous=NORMAL, commits only append to the WAL; the checkpoint copies WAL pages
 * into the database file and fsyncs, and SQLite runs it on the committing connection, i.e. on the
 * server's main thread, stalling every request behind it (tens to hundreds of milliseconds for a large
 * WAL). This worker thread opens its own connection and runs `PRAGMA wal_checkpoint(PASSIVE)` every
 * `intervalMs`: it copies what is committed without blocking the writer or readers. The writer keeps its
 * own automatic checkpoint as a backstop (client.ts), which then finds little left to do; it is also
 * what lets the WAL start over from the beginning once everything is copied.
 *
 * @example
 * const stop = startCheckpointer("/data/briefgeheim.db", 250);
 * await stop();
 */
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { BUSY_TIMEOUT_MS } from "./client.js";
import { openNativeClient } from "./native.js";

interface Data {
  path: string;
  intervalMs: number;
}

if (!isMainThread && (workerData as { checkpointer?: Data } | null)?.checkpointer) {
  const { path, intervalMs } = (workerData as { checkpointer: Data }).checkpointer;
  const client = openNativeClient(path, { timeoutMs: BUSY_TIMEOUT_MS });
  const timer = setInterval(() => {
    client.execute("PRAGMA wal_checkpoint(PASSIVE)").catch(() => {
      // busy (another checkpoint runs): the next tick tries again
    });
  }, intervalMs);
  parentPort?.on("message", (m) => {
    if (m === "stop") {
      clearInterval(timer);
      client.close();
      parentPort?.postMessage("stopped");
    }
  });
}

/** Starts the checkpoint thread; the returned function stops it. */
export function startCheckpointer(path: string, intervalMs = 250): () => Promise<void> {
  const data = { checkpointer: { path, intervalMs } };
  const script = new URL(import.meta.url);
  // Under tsx the worker registers tsx's loader first (worker threads do not inherit it).
  const worker = import.meta.url.endsWith(".ts")
    ? new Worker(
        `import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(script.href)}); });`,
        { eval: true, workerData: data },
      )
    : new Worker(script, { workerData: data });
  worker.unref();
  return async () => {
    const stopped = new Promise((r) => worker.once("message", r));
    worker.postMessage("stop");
    await Promise.race([stopped, new Promise((r) => setTimeout(r, 2000))]);
    await worker.terminate();
  };
}
