/**
 * A "worker" for the SDK's WorkerPool in Node tests: the far end of a MessageChannel runs `serveWork`,
 * as a Web Worker of the staff app does (apps/staff/src/workers/crypto-worker.ts), so jobs cross by
 * real structured cloning. `jobs` counts the requests it was sent; `terminate` closes both ends.
 * Test-only (not exported by the package).
 */
import { MessageChannel } from "node:worker_threads";
import { loadSodium, type Sodium } from "@briefgeheim/crypto";
import type { WorkPort } from "../src/work-pool.js";
import { serveWork, type WorkScope } from "../src/work-serve.js";

export interface ChannelWorker extends WorkPort {
  terminated: boolean;
  jobs: number;
}

/** Every end still open, so a test file can close what its pools left (`closeChannelWorkers`). */
const open = new Set<{ close(): void }>();

/** Closes the ends of every channel worker not terminated yet (call in `afterAll`). */
export function closeChannelWorkers(): void {
  for (const p of open) p.close();
  open.clear();
}

export function channelWorker(load: () => Promise<Sodium> = loadSodium): ChannelWorker {
  const { port1, port2 } = new MessageChannel();
  open.add(port1).add(port2);
  const scope: WorkScope = {
    onmessage: null,
    postMessage: (m) => port2.postMessage(m),
  };
  port2.on("message", (data) => scope.onmessage?.({ data }));
  serveWork(scope, load);
  const worker: ChannelWorker = {
    terminated: false,
    jobs: 0,
    onmessage: null,
    onerror: null,
    postMessage: (m: unknown, transfer?: ArrayBuffer[]) => {
      worker.jobs++;
      port1.postMessage(m, transfer);
    },
    terminate: () => {
      worker.terminated = true;
      port1.close();
      port2.close();
      open.delete(port1);
      open.delete(port2);
    },
  };
  port1.on("message", (data) => worker.onmessage?.({ data }));
  return worker;
}
