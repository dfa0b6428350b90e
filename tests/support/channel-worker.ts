/**
 * A "worker" for the SDK's WorkerPool in Node tests: the far end of a MessageChannel runs `serveWork`,
 * as a Web Worker of the staff app does (apps/staff/src/workers/crypto-worker.ts), so jobs cross by
 * real structured cloning. `jobs` counts the requests it was sent.
 */
import { MessageChannel } from "node:worker_threads";
import { serveWork, type WorkPort, type WorkScope } from "@briefgeheim/client";
import { loadSodium, type Sodium } from "@briefgeheim/crypto";

export interface ChannelWorker extends WorkPort {
  terminated: boolean;
  jobs: number;
}

export function channelWorker(load: () => Promise<Sodium> = loadSodium): ChannelWorker {
  const { port1, port2 } = new MessageChannel();
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
    postMessage: (m: unknown) => {
      worker.jobs++;
      port1.postMessage(m);
    },
    terminate: () => {
      worker.terminated = true;
      port1.close();
      port2.close();
    },
  };
  port1.on("message", (data) => worker.onmessage?.({ data }));
  return worker;
}
