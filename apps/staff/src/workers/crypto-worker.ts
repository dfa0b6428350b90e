/**
 * A worker of the staff app's crypto pool (pool.ts): loads libsodium and the crypto core once, then
 * runs the SDK's jobs (`WORK_JOBS`: the inbox's thread verification) sent by `WorkerPool`. Built by
 * Vite as one classic script with no imports of its own, so the page can check its bytes (SRI) before
 * starting it from a blob: URL.
 */
// First, before any module that builds zod schemas (see lib/zod-jitless.ts: no CSP-blocked probe).
import "../lib/zod-jitless.js";
import { serveWork, type WorkScope } from "@briefgeheim/client";

serveWork(self as unknown as WorkScope);
