/** A WorkerPool of Node worker threads running the SDK's jobs, for timing the staff app's way. */
import { Worker } from "node:worker_threads";
import { inlineRunner, WorkerPool, type WorkPort } from "@briefgeheim/client";
import type { Sodium } from "@briefgeheim/crypto";

const SCRIPT = new URL("./pool-worker.ts", import.meta.url);

function threadWorker(): WorkPort {
  // Worker threads do not inherit tsx's loader: register it inside the worker, then load the script.
  const boot = `import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(SCRIPT.href)}); });`;
  const w = new Worker(boot, { eval: true });
  const port: WorkPort = {
    onmessage: null,
    onerror: null,
    postMessage: (m, transfer) => w.postMessage(m, transfer),
    terminate: () => void w.terminate(),
  };
  w.on("message", (data) => port.onmessage?.({ data }));
  w.on("error", (e) => port.onerror?.(e));
  return port;
}

export function threadPool(sodium: Sodium, size: number): WorkerPool {
  return new WorkerPool(threadWorker, size, inlineRunner(sodium));
}
