/**
 * A signature-verification worker thread (see pool.ts): loads the server's crypto view once and
 * verifies envelopes and new threads' epoch-0 bundles off the main thread. Database-free, stateless.
 */
import { parentPort } from "node:worker_threads";
import { loadServerCrypto } from "./index.js";
import type { VerifyRequest, VerifyResponse } from "./pool.js";

const ready = loadServerCrypto();

function attempt<T>(
  fn: () => T,
): { ok: true; value: T } | { ok: false; error: { name: string; code?: string; message: string } } {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    const err = e as { name?: string; code?: unknown; message?: string };
    return {
      ok: false,
      error: {
        name: String(err?.name ?? "Error"),
        code: typeof err?.code === "string" ? err.code : undefined,
        message: String(err?.message ?? e),
      },
    };
  }
}

parentPort?.on("message", async (batch: VerifyRequest[]) => {
  const crypto = await ready;
  parentPort!.postMessage(batch.map((req) => verify(crypto, req)));
});

function verify(crypto: Awaited<typeof ready>, req: VerifyRequest): VerifyResponse {
  let res: VerifyResponse;
  if (req.op === "envelope") {
    res = { id: req.id, op: "envelope", envelope: attempt(() => crypto.verifyEnvelope(req.bytes)) };
  } else {
    const record = attempt(() =>
      crypto.verifyRecord(req.record, {
        helplineId: req.helplineId,
        threadId: req.threadId,
        roster: (v) => (v === req.roster.version ? req.roster : undefined),
      }),
    );
    const grants = record.ok ? req.grants.map((g) => attempt(() => crypto.verifyGrant(g, record.value))) : [];
    res = {
      id: req.id,
      op: "open",
      record,
      grants,
      envelope: attempt(() => crypto.verifyEnvelope(req.envelope)),
    };
  }
  return res;
}
