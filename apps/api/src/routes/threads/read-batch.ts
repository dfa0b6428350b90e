import { LIMITS, type ReadBatchRequest, type ReadBatchResponse } from "@briefgeheim/protocol";
import { and, asc, eq, inArray } from "drizzle-orm";
import { epochRecords, grants } from "../../db/schema.js";
import { type Auth, type Deps, toB64 } from "../../deps.js";
import { mapError } from "../../middleware/errors/index.js";
import { getHelpline, loadVisibleThread, summaryOf, type ThreadRow } from "../../services/threads.js";
import { envelopePage } from "./envelope-page.js";
import { headsForCaller } from "./heads.js";

type Result = ReadBatchResponse["results"][number];

/**
 * `POST /threads/read`: what `GET /threads/:id` and the first page of `GET /threads/:id/envelopes`
 * return, for up to `LIMITS.readBatch.maxItems` threads in one request (issue 14: the inbox of a
 * counsellor with 1,000 conversations was 3,000 requests). Each thread passes the same visibility
 * check as the single routes (`loadVisibleThread`); one the caller may not see is a per-item
 * `NOT_FOUND`, the same answer as for one that does not exist. Records and grants of all visible
 * threads are read in two statements; envelopes per thread, capped per thread and in bytes overall, so
 * one long conversation cannot make the answer large: the client pages on with the single route.
 */
export async function readBatch(
  deps: Deps,
  auth: Auth,
  items: ReadBatchRequest["items"],
  withHeads = false,
): Promise<Result[]> {
  const db = deps.db.read;
  const visible = new Map<string, ThreadRow>();
  const refused = new Map<string, Result>();
  for (const item of items) {
    if (visible.has(item.threadId) || refused.has(item.threadId)) continue;
    try {
      visible.set(item.threadId, (await loadVisibleThread(db, auth, item.threadId)).thread);
    } catch (e) {
      const mapped = mapError(e);
      if (mapped.unexpected) throw e;
      refused.set(item.threadId, {
        threadId: item.threadId,
        ok: false,
        error: { code: mapped.code, message: mapped.message },
      });
    }
  }
  const ids = [...visible.keys()];
  const records = new Map<string, string[]>();
  const mine = new Map<string, string[]>();
  if (ids.length > 0) {
    const recordRows = await db
      .select({ threadId: epochRecords.threadId, bytes: epochRecords.bytes })
      .from(epochRecords)
      .where(inArray(epochRecords.threadId, ids))
      .orderBy(asc(epochRecords.threadId), asc(epochRecords.epoch));
    for (const r of recordRows) push(records, r.threadId, toB64(new Uint8Array(r.bytes)));
    // The caller's grants: a help-seeker's box key differs per thread, staff have one.
    const grantRows = await db
      .select({ threadId: grants.threadId, bytes: grants.bytes, to: grants.recipientBoxPk })
      .from(grants)
      .where(
        and(
          inArray(grants.threadId, ids),
          auth.kind === "staff" ? eq(grants.recipientBoxPk, auth.boxPk) : undefined,
        ),
      )
      .orderBy(asc(grants.threadId), asc(grants.epoch));
    for (const g of grantRows) {
      const boxPk = auth.kind === "seeker" ? visible.get(g.threadId)?.seekerBoxPk : auth.boxPk;
      if (g.to === boxPk) push(mine, g.threadId, toB64(new Uint8Array(g.bytes)));
    }
  }
  const hours = { replyTimeHours: (await getHelpline(db, auth.helplineId))?.replyTimeHours ?? 0 };
  const seeker = auth.kind === "seeker";
  const cap = LIMITS.readBatch.envelopesPerThread;
  let budget = LIMITS.readBatch.envelopeBytes;
  const results: Result[] = [];
  for (const item of items) {
    const no = refused.get(item.threadId);
    if (no !== undefined) {
      results.push(no);
      continue;
    }
    const thread = visible.get(item.threadId)!;
    if (withHeads) {
      // Bulk re-keying needs the heads, not the envelopes: what GET /threads/:id/heads answers.
      const heads = await headsForCaller(db, thread.id, seeker);
      results.push({ ...detailOf(thread), envelopes: [], nextAfter: null, heads });
      continue;
    }
    const after = item.after ?? 0;
    let page: { id: string; position: number; envelope: string; receivedAt: number }[] = [];
    let nextAfter: number | null = after;
    if (budget > 0) {
      const { page: taken, nextAfter: next } = await envelopePage(db, thread.id, seeker, after, cap);
      page = taken.map((r) => ({
        id: r.id,
        position: r.position,
        envelope: toB64(new Uint8Array(r.bytes)),
        receivedAt: r.receivedAt,
      }));
      for (const r of taken) budget -= r.bytes.byteLength;
      nextAfter = next;
    }
    results.push({ ...detailOf(thread), envelopes: page, nextAfter });
  }
  return results;

  function detailOf(thread: ThreadRow) {
    return {
      threadId: thread.id,
      ok: true as const,
      thread: summaryOf(thread, hours, auth),
      records: records.get(thread.id) ?? [],
      grants: mine.get(thread.id) ?? [],
    };
  }
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
