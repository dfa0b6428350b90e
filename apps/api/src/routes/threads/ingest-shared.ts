/**
 * Checks and statements shared by the ingest paths (ingest-open.ts, ingest-envelope.ts, ingest-epoch.ts):
 * grant verification, staff readers of a record, the current-roster rule, and the inserts of an epoch and
 * of an envelope.
 */

import { sql } from "drizzle-orm";
import type { EpochRecord, Grant, Roster, ServerCrypto } from "../../crypto/index.js";
import type { Verified } from "../../crypto/pool.js";
import type { WriteTx } from "../../db/client.js";
import { insertRows, prepared } from "../../db/prepared.js";
import { envelopes, epochRecords, grants, threadReaders } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import type { RosterCache } from "../../services/rosters.js";
import type { HelplineRow } from "../../services/threads.js";

export interface StaffReader {
  memberId: string;
  role: "supervisor" | "counsellor";
}

export interface VerifiedGrant {
  recipientBoxPk: string;
  bytes: Buffer;
}

/** Every reader gets exactly one grant, and every grant is verified against the record. */
export function verifyGrants(
  crypto: ServerCrypto,
  texts: readonly string[],
  record: EpochRecord,
  /** The same grants already verified on a worker thread (crypto/pool.ts), in order. */
  offThread?: readonly Verified<Grant>[],
): VerifiedGrant[] {
  const out: VerifiedGrant[] = [];
  const seen = new Set<string>();
  for (const [i, text] of texts.entries()) {
    const bytes = crypto.bytes(text);
    const grant = offThread ? offThread[i]!.get() : crypto.verifyGrant(bytes, record);
    const key = crypto.b64(grant.recipientBoxPk);
    if (seen.has(key)) throw new AppError("NOT_A_READER", "two grants for one reader");
    seen.add(key);
    out.push({ recipientBoxPk: key, bytes: Buffer.from(bytes) });
  }
  if (seen.size !== record.readers.length)
    throw new AppError("NOT_A_READER", "every reader needs exactly one grant");
  return out;
}

export function staffReadersOf(record: EpochRecord, roster: Roster): StaffReader[] {
  return record.readers
    .filter((r) => r.kind === "staff")
    .map((r) => {
      const m = roster.members.find((x) => x.memberId === r.memberId);
      if (m === undefined) throw new AppError("NOT_ON_ROSTER", `reader ${r.memberId} is not on the roster`);
      return { memberId: m.memberId as string, role: m.role };
    });
}

export function assigneesOf(readers: readonly StaffReader[]): string[] {
  return readers
    .filter((r) => r.role === "counsellor")
    .map((r) => r.memberId)
    .sort();
}

export async function rosterFor(
  rosterCache: RosterCache,
  helpline: HelplineRow,
  version: number,
): Promise<Roster> {
  if (version !== helpline.rosterVersion) {
    throw new AppError(
      "ROSTER_CONFLICT",
      `records must rely on the current roster (version ${helpline.rosterVersion})`,
    );
  }
  const roster = await rosterCache.get(helpline.id, version);
  if (roster === undefined) throw new AppError("HELPLINE_NOT_READY", "the helpline has no roster yet");
  return roster;
}

export function insertEnvelope(tx: WriteTx) {
  const p = (name: string) => sql.placeholder(name);
  return prepared(tx, "envelope-insert", (d) =>
    d
      .insert(envelopes)
      .values({
        threadId: p("threadId"),
        id: p("id"),
        position: p("position"),
        streamPosition: p("streamPosition"),
        epoch: p("epoch"),
        stream: p("stream"),
        kind: p("kind"),
        senderPk: p("senderPk"),
        seq: p("seq"),
        hash: p("hash"),
        bytes: p("bytes"),
        receivedAt: p("receivedAt"),
      })
      .prepare(),
  );
}

/**
 * Writes an epoch: its record, one grant per reader and the staff readers (a new thread's epoch 0 or
 * a later one; the caller has removed the readers of the epoch before). Prepared statements.
 */
export async function insertEpoch(
  tx: WriteTx,
  e: {
    threadId: string;
    epoch: number;
    record: EpochRecord;
    recordBytes: Buffer;
    signerPk: string;
    grants: readonly VerifiedGrant[];
    staffReaders: readonly StaffReader[];
    now: number;
  },
): Promise<void> {
  await insertRows(tx, epochRecords, "epoch-records", [
    {
      threadId: e.threadId,
      epoch: e.epoch,
      bytes: e.recordBytes,
      hash: Buffer.from(e.record.hash),
      signerPk: e.signerPk,
      reason: e.record.reason,
      rosterVersion: e.record.rosterVersion,
      createdAt: e.now,
    },
  ]);
  await insertRows(
    tx,
    grants,
    "grants",
    e.grants.map((g) => ({
      threadId: e.threadId,
      epoch: e.epoch,
      recipientBoxPk: g.recipientBoxPk,
      bytes: g.bytes,
    })),
  );
  if (e.staffReaders.length > 0) {
    await insertRows(
      tx,
      threadReaders,
      "thread-readers",
      e.staffReaders.map((r) => ({ threadId: e.threadId, memberId: r.memberId, role: r.role })),
    );
  }
}
