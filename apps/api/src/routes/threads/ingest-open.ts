/**
 * Opening a thread: epoch 0, its grants and the first message, verified in the request (`prepareThread`)
 * and written in a write job (`commitThread`). See ingest.ts for the prepare/commit split.
 */
import type { EnvelopeAck } from "@briefgeheim/protocol";
import { and, eq, sql } from "drizzle-orm";
import type { EpochRecord, Roster, ServerCrypto } from "../../crypto/index.js";
import type { VerifierPool } from "../../crypto/pool.js";
import type { WriteTx } from "../../db/client.js";
import { insertRows, prepared } from "../../db/prepared.js";
import { envelopes, epochRecords, threads } from "../../db/schema.js";
import type { Deps, SeekerAuth } from "../../deps.js";
import { AppError } from "../../errors.js";
import type { RosterCache } from "../../services/rosters.js";
import { ensureSeekerRow, findSeekerId } from "../../services/seeker-row.js";
import { countDay } from "../../services/stats.js";
import {
  expiresAtOf,
  getHelpline,
  type HelplineRow,
  sortKeyOf,
  type ThreadRow,
  threadById,
} from "../../services/threads.js";
import {
  insertEnvelope,
  insertEpoch,
  rosterFor,
  type StaffReader,
  staffReadersOf,
  type VerifiedGrant,
  verifyGrants,
} from "./ingest-shared.js";

/**
 * Verifies a new thread's record, grants and first envelope on a worker thread in one round trip.
 * Undefined when some text is not base64url: the main-thread path then reports it in its usual order.
 */
async function verifyOpenOffThread(
  pool: VerifierPool,
  crypto: ServerCrypto,
  helplineId: string,
  roster: Roster,
  record: Uint8Array,
  body: { threadId: string; grants: string[]; envelope: string },
) {
  let grants: Uint8Array[];
  let envelope: Uint8Array;
  try {
    grants = body.grants.map((g) => crypto.bytes(g));
    envelope = crypto.bytes(body.envelope);
  } catch {
    return undefined;
  }
  return pool.open({ helplineId, threadId: body.threadId, roster, record, grants, envelope });
}

export interface PreparedThread {
  threadId: string;
  helpline: HelplineRow;
  record: EpochRecord;
  recordBytes: Buffer;
  grants: VerifiedGrant[];
  staffReaders: StaffReader[];
  seekerSignPk: string;
  seekerBoxPk: string;
  envelope: { bytes: Buffer; hash: Buffer; senderPk: string; seq: number };
}

/**
 * A new thread (epoch 0): the record is signed by the help-seeker and relies on the current roster,
 * its staff readers are exactly the roster's supervisors and intake readers, every reader has one
 * grant, and the first envelope is a message of epoch 0, seq 1, signed by the help-seeker reader.
 */
export async function prepareThread(
  deps: Deps,
  rosterCache: RosterCache,
  auth: SeekerAuth,
  body: { threadId: string; record: string; grants: string[]; envelope: string },
): Promise<PreparedThread> {
  const crypto = await deps.crypto();
  const helpline = await getHelpline(deps.db.read, auth.helplineId);
  if (helpline?.rootPk == null) throw new AppError("HELPLINE_NOT_READY", "the helpline is not set up yet");
  const recordBytes = crypto.bytes(body.record);
  const parsed = crypto.parseRecord(recordBytes);
  const roster = await rosterFor(rosterCache, helpline, parsed.rosterVersion);
  // Signatures on a worker thread when the server has a pool; the checks below keep their order.
  const offThread = deps.verifier
    ? await verifyOpenOffThread(deps.verifier, crypto, helpline.id, roster, recordBytes, body)
    : undefined;
  const record = offThread
    ? offThread.record.get()
    : crypto.verifyRecord(recordBytes, {
        helplineId: helpline.id,
        threadId: body.threadId,
        roster: (v) => (v === roster.version ? roster : undefined),
      });
  if (record.epoch !== 0 || record.reason !== "open") {
    throw new AppError("EPOCH_CONFLICT", "a new thread starts with epoch 0 (open)");
  }
  const seeker = record.readers.find((r) => r.kind === "seeker");
  if (seeker === undefined) throw new AppError("NOT_A_READER", "epoch 0 has a help-seeker reader");
  const staffReaders = staffReadersOf(record, roster);
  const expected = roster.members
    .filter((m) => m.role === "supervisor" || m.intakeReader)
    .map((m) => m.memberId as string)
    .sort();
  const actual = staffReaders.map((r) => r.memberId).sort();
  if (expected.join(",") !== actual.join(",")) {
    throw new AppError("NOT_A_READER", "epoch 0 readers must be the roster's supervisors and intake readers");
  }
  const grantList = verifyGrants(crypto, body.grants, record, offThread?.grants);

  const envBytes = crypto.bytes(body.envelope);
  const env = offThread ? offThread.envelope.get() : crypto.verifyEnvelope(envBytes);
  if (env.helplineId !== helpline.id || env.threadId !== body.threadId) {
    throw new AppError("WRONG_CONTEXT", "the envelope belongs to another thread");
  }
  if (env.epoch !== 0) throw new AppError("EPOCH_CONFLICT", "the first message is in epoch 0");
  if (env.kind !== "message") throw new AppError("WRONG_CONTEXT", "the first envelope is a message");
  const seekerSignPk = crypto.b64(seeker.signPk);
  if (crypto.b64(env.senderSignPk) !== seekerSignPk) {
    throw new AppError("SIGNER_NOT_ALLOWED", "the first message is sent by the help-seeker reader");
  }
  if (env.seq !== 1) throw new AppError("SEQUENCE_CONFLICT", "the first message has seq 1");
  return {
    threadId: body.threadId,
    helpline,
    record,
    recordBytes: Buffer.from(recordBytes),
    grants: grantList,
    staffReaders,
    seekerSignPk,
    seekerBoxPk: crypto.b64(seeker.boxPk),
    envelope: {
      bytes: Buffer.from(envBytes),
      hash: Buffer.from(env.hash),
      senderPk: seekerSignPk,
      seq: env.seq,
    },
  };
}

export async function commitThread(
  tx: WriteTx,
  p: PreparedThread,
  auth: SeekerAuth,
  now: number,
): Promise<{ thread: ThreadRow; ack: EnvelopeAck }> {
  const existing = await threadById(tx, p.threadId);
  if (existing) {
    const seekerId = await findSeekerId(tx, auth);
    // A retry: same help-seeker, same record, same first envelope -> the first result.
    const rec = await tx
      .select({ bytes: epochRecords.bytes })
      .from(epochRecords)
      .where(and(eq(epochRecords.threadId, p.threadId), eq(epochRecords.epoch, 0)));
    const env = await tx
      .select()
      .from(envelopes)
      .where(and(eq(envelopes.threadId, p.threadId), eq(envelopes.id, p.threadId)));
    const same =
      existing.seekerId === seekerId &&
      rec[0] !== undefined &&
      Buffer.from(rec[0].bytes).equals(p.recordBytes) &&
      env[0] !== undefined &&
      Buffer.from(env[0].bytes).equals(p.envelope.bytes);
    if (!same) throw new AppError("IDEMPOTENCY_CONFLICT", "this thread id was used with other content");
    const e = env[0]!;
    return {
      thread: existing,
      ack: {
        id: e.id,
        position: e.streamPosition,
        hash: Buffer.from(e.hash).toString("base64url"),
        receivedAt: e.receivedAt,
      },
    };
  }
  const helpline = await getHelpline(tx, p.helpline.id);
  if (helpline === undefined) throw new AppError("NOT_FOUND", "no such helpline");
  if (helpline.rosterVersion !== p.record.rosterVersion) {
    throw new AppError(
      "ROSTER_CONFLICT",
      "the roster changed meanwhile; rebuild epoch 0 on the current roster",
    );
  }
  const dup = await prepared(tx, "envelope-by-hash", (d) =>
    d
      .select({ id: envelopes.id })
      .from(envelopes)
      .where(eq(envelopes.hash, sql.placeholder("hash")))
      .prepare(),
  ).all({ hash: p.envelope.hash });
  if (dup.length > 0) throw new AppError("CONFLICT", "this envelope is stored already");
  // The help-seeker's row is made with their first conversation (a sign-in alone leaves none).
  const seekerId = await ensureSeekerRow(tx, auth, now);
  const base = { createdAt: now, lastSeekerMessageAt: now, lastStaffMessageAt: null, waitingSince: now };
  const row: ThreadRow = {
    id: p.threadId,
    helplineId: helpline.id,
    seekerId,
    seekerSignPk: p.seekerSignPk,
    seekerBoxPk: p.seekerBoxPk,
    status: "open",
    flagged: false,
    flagNoteId: null,
    currentEpoch: 0,
    intake: true,
    assignees: "[]",
    ...base,
    expiresAt: expiresAtOf(now, helpline.retentionDays),
    sortKey: sortKeyOf(base),
    envelopeCount: 1,
    mainCount: 1,
  };
  // Prepared statements (db/prepared.ts): a new thread is seven writes, built once instead of per request.
  await insertRows(tx, threads, "threads", [row]);
  await insertEpoch(tx, {
    threadId: p.threadId,
    epoch: 0,
    record: p.record,
    recordBytes: p.recordBytes,
    signerPk: p.seekerSignPk,
    grants: p.grants,
    staffReaders: p.staffReaders,
    now,
  });
  await insertEnvelope(tx).run({
    threadId: p.threadId,
    id: p.threadId,
    position: 1,
    streamPosition: 1,
    epoch: 0,
    stream: "main",
    kind: "message",
    senderPk: p.envelope.senderPk,
    seq: p.envelope.seq,
    hash: p.envelope.hash,
    bytes: p.envelope.bytes,
    receivedAt: now,
  });
  await countDay(tx, helpline.id, now, { conversations: 1, seekerMessages: 1 });
  return {
    thread: row,
    ack: { id: p.threadId, position: 1, hash: p.envelope.hash.toString("base64url"), receivedAt: now },
  };
}
