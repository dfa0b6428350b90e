/**
 * The write paths of threads, split in two halves:
 * - `prepare*` runs in the request, before the writer: reads the current state from the read pool and
 *   verifies every structure and signature with the crypto package (the slow part, outside any
 *   transaction).
 * - `commit*` runs inside a write job: it re-checks what can have changed meanwhile (current epoch,
 *   roster version, sequence numbers, idempotency ids) and writes. Database statements only.
 *
 * One file per write path: ingest-open.ts (new threads), ingest-envelope.ts (envelopes),
 * ingest-epoch.ts (new epochs), with the shared checks in ingest-shared.ts. This module keeps the
 * import path the routes use.
 */
export { commitEnvelope, type PreparedEnvelope, prepareEnvelope } from "./ingest-envelope.js";
export { commitEpoch, type PreparedEpoch, prepareEpoch } from "./ingest-epoch.js";
export { commitThread, type PreparedThread, prepareThread } from "./ingest-open.js";
