import type { ThreadId } from "@briefgeheim/crypto";
import type { StaffContext } from "./staff-context.js";
import { readJson } from "./transport.js";

/**
 * Records in the helpline's audit log that the caller printed or exported a thread (issue 10, staff
 * item 5): who, which thread, when; no content goes to the server. Call it before the thread is
 * printed, so no export goes unrecorded.
 *
 * @example
 * await recordExport(ctx, threadId); // then window.print()
 */
export async function recordExport(ctx: StaffContext, threadId: ThreadId): Promise<{ at: number }> {
  const res = await readJson(
    await ctx.client.api.threads[":threadId"].exported.$post({ param: { threadId } }),
  );
  return { at: res.at };
}
