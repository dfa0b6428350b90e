/**
 * A thread's heads (PROTOCOL.md §5): the newest stored envelope per (stream, sender). Read by the heads
 * endpoint (bulk re-keying verifies them instead of loading whole threads) and compared with the heads an
 * epoch record names (an honest server refuses a record made on a stale view, `STALE_VIEW`, so that
 * honest races never look like `AFTER_EPOCH_CHANGE` to readers).
 */
import { and, eq, sql } from "drizzle-orm";
import type { EpochRecord } from "../../crypto/index.js";
import type { Queryable } from "../../db/client.js";
import { prepared } from "../../db/prepared.js";
import { envelopes } from "../../db/schema.js";
import { toB64 } from "../../deps.js";
import { AppError } from "../../errors.js";

export interface HeadRow {
  id: string;
  position: number;
  streamPosition: number;
  stream: "main" | "staff";
  senderPk: string;
  seq: number;
  hash: Uint8Array;
  bytes: Uint8Array;
  receivedAt: number;
}

/**
 * The newest envelope of every (stream, sender) of a thread; only the main stream when `mainOnly`.
 * Prepared once per handle: bulk re-keying reads it three times a thread (batch read, epoch check,
 * and again inside the write).
 */
export async function newestPerSender(db: Queryable, threadId: string, mainOnly = false): Promise<HeadRow[]> {
  const rows = await newestQuery(db, mainOnly).all({ threadId });
  return rows.map((r) => ({ ...r, hash: new Uint8Array(r.hash), bytes: new Uint8Array(r.bytes) }));
}

function newestQuery(db: Queryable, mainOnly: boolean) {
  return prepared(db, `newest-per-sender:${mainOnly}`, (d) => {
    const newest = sql`(select max(e2.seq) from envelopes e2 where e2.thread_id = ${envelopes.threadId} and e2.stream = ${envelopes.stream} and e2.sender_pk = ${envelopes.senderPk})`;
    return d
      .select({
        id: envelopes.id,
        position: envelopes.position,
        streamPosition: envelopes.streamPosition,
        stream: envelopes.stream,
        senderPk: envelopes.senderPk,
        seq: envelopes.seq,
        hash: envelopes.hash,
        bytes: envelopes.bytes,
        receivedAt: envelopes.receivedAt,
      })
      .from(envelopes)
      .where(
        and(
          eq(envelopes.threadId, sql.placeholder("threadId")),
          mainOnly ? eq(envelopes.stream, "main") : undefined,
          eq(envelopes.seq, newest),
        ),
      )
      .orderBy(envelopes.position)
      .prepare();
  });
}

/**
 * The heads as the wire carries them (`GET /threads/:id/heads`, and the batch read with `heads`):
 * each newest envelope with its position in the caller's view (help-seekers: the main stream only,
 * positions in it).
 */
export async function headsForCaller(
  db: Queryable,
  threadId: string,
  seeker: boolean,
): Promise<{ id: string; position: number; envelope: string; receivedAt: number }[]> {
  const rows = await newestPerSender(db, threadId, seeker);
  return rows.map((r) => ({
    id: r.id,
    position: seeker ? r.streamPosition : r.position,
    envelope: toB64(r.bytes),
    receivedAt: r.receivedAt,
  }));
}

/**
 * Refuses (`STALE_VIEW`) an epoch record whose heads are not the thread's current heads: every
 * (stream, sender) with stored envelopes is named, at its newest seq and hash, or lower with flag bit 0
 * (the signer saw newer envelopes of that sender damaged); nothing else is named.
 */
export function checkRecordHeads(record: EpochRecord, rows: readonly HeadRow[]): void {
  const stale = (why: string): never => {
    throw new AppError(
      "STALE_VIEW",
      `the thread moved on since you loaded it (${why}); reload and sign again`,
    );
  };
  const current = new Map(rows.map((r) => [`${r.stream}:${r.senderPk}`, r]));
  const named = new Set<string>();
  for (const h of record.heads) {
    const key = `${h.stream}:${toB64(h.signPk)}`;
    named.add(key);
    const row = current.get(key);
    if (row === undefined) stale("a head names a sender with no envelopes here");
    if (h.pastDamaged ? h.seq > row!.seq : h.seq !== row!.seq)
      stale("a head is not a sender's newest envelope");
    if (h.seq === row!.seq && toB64(h.hash) !== toB64(row!.hash)) stale("a head names another envelope");
  }
  for (const key of current.keys()) if (!named.has(key)) stale("a sender's envelopes are not named");
}
