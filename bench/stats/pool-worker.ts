// One worker thread of bench/stats's pool: the SDK's serveWork over the thread's port, the same
// handler the staff app's Web Workers run (apps/staff/src/workers/crypto-worker.ts).
import { parentPort } from "node:worker_threads";
import { serveWork, type WorkScope } from "@briefgeheim/client";

const port = parentPort!;
const scope: WorkScope = { onmessage: null, postMessage: (m) => port.postMessage(m) };
port.on("message", (data) => scope.onmessage?.({ data }));
serveWork(scope);
