import { and, asc, eq, gt } from "drizzle-orm";
import type { Db } from "../../db/client.js";
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
  const posColumn = seeker ? envelopes.streamPosition : envelopes.position;
  const rows = await db
    .select({
      id: envelopes.id,
      position: posColumn,
      bytes: envelopes.bytes,
      receivedAt: envelopes.receivedAt,
    })
    .from(envelopes)
    .where(
      and(
        eq(envelopes.threadId, threadId),
        seeker ? eq(envelopes.stream, "main") : undefined,
        gt(posColumn, after),
      ),
    )
    .orderBy(asc(posColumn))
    .limit(limit + 1);
  const page: EnvelopeRow[] = rows.slice(0, limit);
  return { page, nextAfter: rows.length > limit ? page.at(-1)!.position : null };
}
