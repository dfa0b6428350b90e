/**
 * One item of a batch route (`/threads/epochs/batch`, `/threads/envelopes/batch`): `ok` with what the
 * single route's path gave, or the error that route would have answered, so one refused item changes
 * nothing of the others. An unexpected error (a bug, the database gone) still fails the request.
 */
import type { ErrorCode } from "@briefgeheim/protocol";
import { mapError } from "../../middleware/errors/index.js";

export type BatchItemResult<T> =
  | ({ threadId: string; ok: true } & T)
  | { threadId: string; ok: false; error: { code: ErrorCode; message: string } };

export async function batchItem<T extends object>(
  threadId: string,
  run: () => Promise<T>,
): Promise<BatchItemResult<T>> {
  try {
    return { threadId, ok: true as const, ...(await run()) };
  } catch (e) {
    const mapped = mapError(e);
    if (mapped.unexpected) throw e;
    return { threadId, ok: false as const, error: { code: mapped.code, message: mapped.message } };
  }
}
