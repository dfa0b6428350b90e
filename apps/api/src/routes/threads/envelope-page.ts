import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { prepared } from "../../db/prepared.js";
import { envelopes } from "../../db/schema.js";

export interface EnvelopeRow {
  readonly id: string;
  readonly position: number;
  readonly bytes: Buffer;
  readonly receivedAt: number;
}

/**
 * One page of a thread's envelopes after position `after`, oldest first, as the single read and the batch
 * read both serve it. A help-seeker sees the main stream only, counted by its own stream position.
 * One row more than `limit` is read so `nextAfter` says whether another page follows (null: none).
 */
export async function envelopePage(
  db: Db,
  threadId: string,
  seeker: boolean,
  after: number,
  limit: number,
): Promise<{ page: EnvelopeRow[]; nextAfter: number | null }> {
  // Prepared once per handle and caller kind: the inbox's batch reads run it once a thread.
  const q = prepared(db, `envelope-page:${seeker}`, (d) => {
    const posColumn = seeker ? envelopes.streamPosition : envelopes.position;
    return d
      .select({
        id: envelopes.id,
        position: posColumn,
        bytes: envelopes.bytes,
        receivedAt: envelopes.receivedAt,
      })
      .from(envelopes)
      .where(
        and(
          eq(envelopes.threadId, sql.placeholder("threadId")),
          seeker ? eq(envelopes.stream, "main") : undefined,
          gt(posColumn, sql.placeholder("after")),
        ),
      )
      .orderBy(asc(posColumn))
      .limit(sql.placeholder("limit"))
      .prepare();
  });
  const rows: EnvelopeRow[] = await q.all({ threadId, after, limit: limit + 1 });
  const page: EnvelopeRow[] = rows.slice(0, limit);
  return { page, nextAfter: rows.length > limit ? page.at(-1)!.position : null };
}
