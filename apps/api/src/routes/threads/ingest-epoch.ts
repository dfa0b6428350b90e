/**
 * New epochs of a thread (claim, assign, reassign, remove, roster change): verified in the request
 * (`prepareEpoch`) and written with their audit entry in a write job (`commitEpoch`). See ingest.ts.
 */
import type { AuditAction, EpochAck } from "@briefgeheim/protocol";
import { and, eq, sql } from "drizzle-orm";
import type { EpochRecord } from "../../crypto/index.js";
import type { Queryable, WriteTx } from "../../db/client.js";
import { prepared } from "../../db/prepared.js";
import { epochRecords, threadReaders, threads } from "../../db/schema.js";
import type { Deps, StaffAuth } from "../../deps.js";
import { AppError } from "../../errors.js";
import { appendAudit } from "../../services/audit.js";
import type { RosterCache } from "../../services/rosters.js";
import { countDay, countMember } from "../../services/stats.js";
import { getHelpline, loadVisibleThread, threadById } from "../../services/threads.js";
import { checkRecordHeads, newestPerSender } from "./heads.js";
import {
  assigneesOf,
  insertEpoch,
  rosterFor,
  type StaffReader,
  staffReadersOf,
  type VerifiedGrant,
  verifyGrants,
} from "./ingest-shared.js";

export interface PreparedEpoch {
  threadId: string;
  helplineId: string;
  record: EpochRecord;
  recordBytes: Buffer;
  grants: VerifiedGrant[];
  staffReaders: StaffReader[];
}

const AUDIT_ACTION: Record<string, AuditAction> = {
  claim: "claim",
  assign: "assign",
  reassign: "reassign",
  remove: "remove-reader",
  "roster-change": "roster-change",
};

/**
 * The stored record of one epoch of a thread. Prepared, like the other statements of an epoch: a
 * caseload move writes hundreds of epochs in a few requests, and building each statement anew
 * was a large part of the server's time there (bench:reassign's server profile).
 */
async function recordAt(
  db: Queryable,
  threadId: string,
  epoch: number,
): Promise<{ bytes: Buffer; hash: Buffer } | undefined> {
  const q = prepared(db, "epoch-record-at", (d) =>
    d
      .select({ bytes: epochRecords.bytes, hash: epochRecords.hash })
      .from(epochRecords)
      .where(
        and(
          eq(epochRecords.threadId, sql.placeholder("threadId")),
          eq(epochRecords.epoch, sql.placeholder("epoch")),
        ),
      )
      .prepare(),
  );
  return (await q.all({ threadId, epoch }))[0];
}

function epochAck(threadId: string, epoch: number, hash: Uint8Array): EpochAck {
  return { threadId, epoch, recordHash: Buffer.from(hash).toString("base64url") };
}

/**
 * A new epoch (claim, assign, reassign, remove, roster change): the next epoch of the thread, linked to
 * the current record, relying on the current roster, allowed by the "who may sign" rules, signed by
 * the caller, with one verified grant per reader. An exact retry of a stored record returns `duplicate`.
 */
export async function prepareEpoch(
  deps: Deps,
  rosterCache: RosterCache,
  auth: StaffAuth,
  threadId: string,
  body: { record: string; grants: string[] },
): Promise<PreparedEpoch | { duplicate: EpochAck }> {
  const { thread } = await loadVisibleThread(deps.db.read, auth, threadId);
  const crypto = await deps.crypto();
  const recordBytes = crypto.bytes(body.record);
  const parsed = crypto.parseRecord(recordBytes);
  if (parsed.epoch <= thread.currentEpoch) {
    const stored = await recordAt(deps.db.read, threadId, parsed.epoch);
    if (stored && Buffer.from(stored.bytes).equals(Buffer.from(recordBytes))) {
      return { duplicate: epochAck(threadId, parsed.epoch, stored.hash) };
    }
  }
  if (parsed.epoch !== thread.currentEpoch + 1) {
    throw new AppError("EPOCH_CONFLICT", `the next epoch of this thread is ${thread.currentEpoch + 1}`);
  }
  const helpline = await getHelpline(deps.db.read, thread.helplineId);
  if (helpline === undefined) throw new AppError("NOT_FOUND", "no such helpline");
  const roster = await rosterFor(rosterCache, helpline, parsed.rosterVersion);
  const prevRow = await recordAt(deps.db.read, threadId, thread.currentEpoch);
  if (prevRow === undefined) throw new AppError("EPOCH_CONFLICT", "the current epoch record is missing");
  const prev = crypto.parseRecord(new Uint8Array(prevRow.bytes));
  const record = crypto.verifyRecord(recordBytes, {
    helplineId: thread.helplineId,
    threadId,
    prev,
    roster: (v) => (v === roster.version ? roster : undefined),
  });
  if (crypto.b64(record.signerPk) !== auth.signPk) {
    throw new AppError("SIGNER_NOT_ALLOWED", "submit only records you signed yourself");
  }
  checkRecordHeads(record, await newestPerSender(deps.db.read, threadId));
  return {
    threadId,
    helplineId: thread.helplineId,
    record,
    recordBytes: Buffer.from(recordBytes),
    grants: verifyGrants(crypto, body.grants, record),
    staffReaders: staffReadersOf(record, roster),
  };
}

export async function commitEpoch(
  tx: WriteTx,
  p: PreparedEpoch,
  auth: StaffAuth,
  now: number,
): Promise<EpochAck> {
  const thread = await threadById(tx, p.threadId);
  if (thread === undefined) throw new AppError("NOT_FOUND", "no such thread");
  const epoch = p.record.epoch;
  if (thread.currentEpoch !== epoch - 1) {
    const stored = await recordAt(tx, p.threadId, epoch);
    if (stored && Buffer.from(stored.bytes).equals(p.recordBytes))
      return epochAck(p.threadId, epoch, stored.hash);
    throw new AppError("EPOCH_CONFLICT", `the next epoch of this thread is ${thread.currentEpoch + 1}`);
  }
  const helpline = await getHelpline(tx, thread.helplineId);
  if (helpline?.rosterVersion !== p.record.rosterVersion) {
    throw new AppError(
      "ROSTER_CONFLICT",
      "the roster changed meanwhile; rebuild the epoch on the current roster",
    );
  }
  // Envelopes committed since the request was prepared make the signer's view stale.
  checkRecordHeads(p.record, await newestPerSender(tx, p.threadId));
  const before = await readersQuery(tx).all({ threadId: p.threadId });
  await clearReadersQuery(tx).run({ threadId: p.threadId });
  await insertEpoch(tx, {
    threadId: p.threadId,
    epoch,
    record: p.record,
    recordBytes: p.recordBytes,
    signerPk: auth.signPk,
    grants: p.grants,
    staffReaders: p.staffReaders,
    now,
  });
  // Re-keying an unclaimed thread (a reader removed, a roster change) keeps it in intake: nobody took it.
  const stillIntake = thread.intake && (p.record.reason === "remove" || p.record.reason === "roster-change");
  const assignees = stillIntake ? [] : assigneesOf(p.staffReaders);
  await epochUpdateQuery(tx).run({
    threadId: p.threadId,
    currentEpoch: epoch,
    intake: stillIntake ? 1 : 0,
    assignees: JSON.stringify(assignees),
  });
  const readers = p.staffReaders.map((r) => r.memberId).sort();
  const removed = before
    .map((b) => b.memberId)
    .filter((id) => !readers.includes(id))
    .sort();
  const added = readers.filter((id) => !before.some((b) => b.memberId === id));
  const action = AUDIT_ACTION[p.record.reason] ?? "roster-change";
  await countEpoch(
    tx,
    thread.helplineId,
    p.record.reason,
    // Taken on: assignees now who were not before (an intake reader who claims was a reader already).
    assignees.filter((a) => !(JSON.parse(thread.assignees) as string[]).includes(a)),
    now,
  );
  await appendAudit(tx, {
    helplineId: thread.helplineId,
    at: now,
    actorKind: "staff",
    actorId: auth.memberId,
    action,
    threadId: p.threadId,
    subjectId:
      (action === "remove-reader"
        ? removed[0]
        : (assignees.find((a) => added.includes(a)) ?? assignees[0])) ?? null,
    details: { epoch, reason: p.record.reason, readers, added, removed },
  });
  return epochAck(p.threadId, epoch, p.record.hash);
}

function readersQuery(tx: WriteTx) {
  return prepared(tx, "thread-reader-ids", (d) =>
    d
      .select({ memberId: threadReaders.memberId })
      .from(threadReaders)
      .where(eq(threadReaders.threadId, sql.placeholder("threadId")))
      .prepare(),
  );
}

function clearReadersQuery(tx: WriteTx) {
  return prepared(tx, "thread-readers-clear", (d) =>
    d
      .delete(threadReaders)
      .where(eq(threadReaders.threadId, sql.placeholder("threadId")))
      .prepare(),
  );
}

function epochUpdateQuery(tx: WriteTx) {
  // `set` takes SQL, not bare placeholders (so `intake` goes as 0 or 1, as its column stores it).
  const p = (name: string) => sql`${sql.placeholder(name)}`;
  return prepared(tx, "epoch-thread-update", (d) =>
    d
      .update(threads)
      .set({ currentEpoch: p("currentEpoch"), intake: p("intake"), assignees: p("assignees") })
      .where(eq(threads.id, p("threadId")))
      .prepare(),
  );
}

/** Statistics of a new epoch (services/stats.ts): a reassignment, and who took a conversation on. */
async function countEpoch(
  tx: WriteTx,
  helplineId: string,
  reason: string,
  takers: readonly string[],
  now: number,
): Promise<void> {
  if (reason === "reassign") await countDay(tx, helplineId, now, { reassigned: 1 });
  for (const memberId of takers) await countMember(tx, helplineId, memberId, now, { taken: 1 });
}
