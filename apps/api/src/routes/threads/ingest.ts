/**
 * The write paths of threads, split in two halves:
 * - `prepare*` runs in the request, before the writer: reads the current state from the read pool and
 *   verifies every structure and signature with the crypto package (the slow part, outside any
 *   transaction).
 * - `commit*` runs inside a write job: it re-checks what can have changed meanwhile (current epoch,
 *   roster version, sequence numbers, idempotency ids) and writes. Database statements only.
 */
import type { AuditAction, EnvelopeAck, EpochAck, ThreadStatus } from "@briefgeheim/protocol";
import { and, eq, sql } from "drizzle-orm";
import type { EpochRecord, Grant, Roster, ServerCrypto } from "../../crypto/index.js";
import type { Verified, VerifierPool } from "../../crypto/pool.js";
import type { WriteTx } from "../../db/client.js";
import { insertRows, prepared } from "../../db/prepared.js";
import { envelopes, epochRecords, grants, helplines, threadReaders, threads } from "../../db/schema.js";
import type { Auth, Deps, SeekerAuth, StaffAuth } from "../../deps.js";
import { AppError } from "../../errors.js";
import { appendAudit } from "../../services/audit.js";
import type { RosterCache } from "../../services/rosters.js";
import {
  expiresAtOf,
  getHelpline,
  type HelplineRow,
  loadVisibleThread,
  sortKeyOf,
  type ThreadRow,
} from "../../services/threads.js";

interface StaffReader {
  memberId: string;
  role: "supervisor" | "counsellor";
}

interface VerifiedGrant {
  recipientBoxPk: string;
  bytes: Buffer;
}

/** Every reader gets exactly one grant, and every grant is verified against the record. */
function verifyGrants(
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

function staffReadersOf(record: EpochRecord, roster: Roster): StaffReader[] {
  return record.readers
    .filter((r) => r.kind === "staff")
    .map((r) => {
      const m = roster.members.find((x) => x.memberId === r.memberId);
      if (m === undefined) throw new AppError("NOT_ON_ROSTER", `reader ${r.memberId} is not on the roster`);
      return { memberId: m.memberId as string, role: m.role };
    });
}

function assigneesOf(readers: readonly StaffReader[]): string[] {
  return readers
    .filter((r) => r.role === "counsellor")
    .map((r) => r.memberId)
    .sort();
}

async function rosterFor(rosterCache: RosterCache, helpline: HelplineRow, version: number): Promise<Roster> {
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

// ---------------------------------------------------------------------------------------------- open

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
  const existing = (
    await prepared(tx, "thread-by-id", (d) =>
      d
        .select()
        .from(threads)
        .where(eq(threads.id, sql.placeholder("threadId")))
        .prepare(),
    ).all({ threadId: p.threadId })
  )[0];
  if (existing) {
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
      existing.seekerId === auth.seekerId &&
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
  const base = { createdAt: now, lastSeekerMessageAt: now, lastStaffMessageAt: null, waitingSince: now };
  const row: ThreadRow = {
    id: p.threadId,
    helplineId: helpline.id,
    seekerId: auth.seekerId,
    seekerSignPk: p.seekerSignPk,
    seekerBoxPk: p.seekerBoxPk,
    status: "open",
    flagged: false,
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
  await insertRows(tx, epochRecords, "epoch-records", [
    {
      threadId: p.threadId,
      epoch: 0,
      bytes: p.recordBytes,
      hash: Buffer.from(p.record.hash),
      signerPk: p.seekerSignPk,
      reason: p.record.reason,
      rosterVersion: p.record.rosterVersion,
      createdAt: now,
    },
  ]);
  await insertRows(
    tx,
    grants,
    "grants",
    p.grants.map((g) => ({
      threadId: p.threadId,
      epoch: 0,
      recipientBoxPk: g.recipientBoxPk,
      bytes: g.bytes,
    })),
  );
  if (p.staffReaders.length > 0) {
    await insertRows(
      tx,
      threadReaders,
      "thread-readers",
      p.staffReaders.map((r) => ({ threadId: p.threadId, memberId: r.memberId, role: r.role })),
    );
  }
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
  return {
    thread: row,
    ack: { id: p.threadId, position: 1, hash: p.envelope.hash.toString("base64url"), receivedAt: now },
  };
}

// ----------------------------------------------------------------------------------------- envelopes

export interface PreparedEnvelope {
  threadId: string;
  id: string;
  bytes: Buffer;
  hash: Buffer;
  epoch: number;
  kind: "message" | "note" | "status";
  stream: "main" | "staff";
  senderPk: string;
  seq: number;
  status: ThreadStatus | undefined;
  fromStaff: boolean;
}

/**
 * An envelope for a thread: the caller sees the thread and reads its current epoch, the envelope
 * parses, names this helpline and thread, is signed by the caller's own message key, notes come only
 * from staff and never in epoch 0, status envelopes only from staff and with `status`.
 */
export async function prepareEnvelope(
  deps: Deps,
  auth: Auth,
  threadId: string,
  body: { id: string; envelope: string; status?: ThreadStatus | undefined },
): Promise<PreparedEnvelope> {
  const { thread, reader } = await loadVisibleThread(deps.db.read, auth, threadId);
  if (!reader) throw new AppError("NOT_A_READER", "only readers of the current epoch can write");
  const crypto = await deps.crypto();
  const bytes = crypto.bytes(body.envelope);
  const env = deps.verifier ? await deps.verifier.envelope(bytes) : crypto.verifyEnvelope(bytes);
  if (env.helplineId !== thread.helplineId || env.threadId !== thread.id) {
    throw new AppError("WRONG_CONTEXT", "the envelope belongs to another thread");
  }
  const senderPk = crypto.b64(env.senderSignPk);
  const ownKey = auth.kind === "seeker" ? thread.seekerSignPk : auth.signPk;
  if (senderPk !== ownKey)
    throw new AppError("SIGNER_NOT_ALLOWED", "the envelope must be signed by the caller's key");
  if (auth.kind === "seeker" && env.kind !== "message") {
    throw new AppError("FORBIDDEN", "help-seekers send messages only");
  }
  if (env.kind === "note" && env.epoch === 0)
    throw new AppError("WRONG_CONTEXT", "epoch 0 has no staff key: no notes");
  if (env.kind === "status" && body.status === undefined) {
    throw new AppError("VALIDATION_FAILED", "status: required with a status envelope");
  }
  if (env.kind !== "status" && body.status !== undefined) {
    throw new AppError("VALIDATION_FAILED", "status: only with a status envelope");
  }
  if (env.epoch !== thread.currentEpoch) {
    throw new AppError("EPOCH_CONFLICT", `the thread is in epoch ${thread.currentEpoch}`);
  }
  return {
    threadId,
    id: body.id,
    bytes: Buffer.from(bytes),
    hash: Buffer.from(env.hash),
    epoch: env.epoch,
    kind: env.kind,
    stream: env.kind === "note" ? "staff" : "main",
    senderPk,
    seq: env.seq,
    status: body.status,
    fromStaff: auth.kind === "staff",
  };
}

function ackOf(
  row: { id: string; position: number; streamPosition: number; hash: Uint8Array; receivedAt: number },
  auth: Auth,
): EnvelopeAck {
  return {
    id: row.id,
    position: auth.kind === "seeker" ? row.streamPosition : row.position,
    hash: Buffer.from(row.hash).toString("base64url"),
    receivedAt: row.receivedAt,
  };
}

/** Everything the envelope job needs to decide, in one statement. */
function envelopeState(tx: WriteTx) {
  return prepared(tx, "envelope-state", (d) =>
    d
      .select({
        thread: {
          helplineId: threads.helplineId,
          currentEpoch: threads.currentEpoch,
          status: threads.status,
          createdAt: threads.createdAt,
          lastSeekerMessageAt: threads.lastSeekerMessageAt,
          lastStaffMessageAt: threads.lastStaffMessageAt,
          waitingSince: threads.waitingSince,
          expiresAt: threads.expiresAt,
          envelopeCount: threads.envelopeCount,
          mainCount: threads.mainCount,
        },
        retentionDays: helplines.retentionDays,
        lastSeq: sql<
          number | null
        >`(select max(${envelopes.seq}) from ${envelopes} where ${envelopes.threadId} = ${threads.id} and ${envelopes.stream} = ${sql.placeholder("stream")} and ${envelopes.senderPk} = ${sql.placeholder("senderPk")})`,
        existingHash: sql<
          string | null
        >`(select hex(${envelopes.hash}) from ${envelopes} where ${envelopes.threadId} = ${threads.id} and ${envelopes.id} = ${sql.placeholder("id")})`,
        isReader: sql<number>`exists(select 1 from ${threadReaders} where ${threadReaders.threadId} = ${threads.id} and ${threadReaders.memberId} = ${sql.placeholder("memberId")})`,
      })
      .from(threads)
      .innerJoin(helplines, eq(helplines.id, threads.helplineId))
      .where(eq(threads.id, sql.placeholder("threadId")))
      .prepare(),
  );
}

function insertEnvelope(tx: WriteTx) {
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

function updateAfterEnvelope(tx: WriteTx) {
  // `set` takes SQL, not bare placeholders.
  const p = (name: string) => sql`${sql.placeholder(name)}`;
  return prepared(tx, "envelope-thread-update", (d) =>
    d
      .update(threads)
      .set({
        envelopeCount: p("envelopeCount"),
        mainCount: p("mainCount"),
        status: p("status"),
        lastSeekerMessageAt: p("lastSeekerMessageAt"),
        lastStaffMessageAt: p("lastStaffMessageAt"),
        waitingSince: p("waitingSince"),
        expiresAt: p("expiresAt"),
        sortKey: p("sortKey"),
      })
      .where(eq(threads.id, p("threadId")))
      .prepare(),
  );
}

function isUniqueViolation(e: unknown, what: string): boolean {
  const err = e as { code?: unknown; message?: unknown; cause?: unknown } | null;
  const text = `${String(err?.message ?? "")} ${String((err?.cause as { message?: unknown } | undefined)?.message ?? "")}`;
  return text.includes("UNIQUE constraint failed") && text.includes(what);
}

export async function commitEnvelope(
  tx: WriteTx,
  p: PreparedEnvelope,
  auth: Auth,
  now: number,
): Promise<EnvelopeAck> {
  const state = (
    await envelopeState(tx).all({
      threadId: p.threadId,
      id: p.id,
      stream: p.stream,
      senderPk: p.senderPk,
      memberId: auth.kind === "staff" ? auth.memberId : "",
    })
  )[0];
  if (state === undefined) throw new AppError("NOT_FOUND", "no such thread");
  if (state.existingHash !== null) {
    if (state.existingHash.toLowerCase() !== p.hash.toString("hex")) {
      throw new AppError("IDEMPOTENCY_CONFLICT", "this envelope id was used with other content");
    }
    const row = await tx
      .select()
      .from(envelopes)
      .where(and(eq(envelopes.threadId, p.threadId), eq(envelopes.id, p.id)));
    return ackOf(row[0]!, auth);
  }
  const thread = state.thread;
  if (thread.currentEpoch !== p.epoch)
    throw new AppError("EPOCH_CONFLICT", `the thread is in epoch ${thread.currentEpoch}`);
  if (auth.kind === "staff" && Number(state.isReader) !== 1) {
    throw new AppError("NOT_A_READER", "no longer a reader of this thread");
  }
  const expected = (state.lastSeq ?? 0) + 1;
  if (p.seq !== expected)
    throw new AppError("SEQUENCE_CONFLICT", `expected seq ${expected} from this sender`);

  const position = thread.envelopeCount + 1;
  const mainCount = thread.mainCount + (p.stream === "main" ? 1 : 0);
  const streamPosition = p.stream === "main" ? mainCount : position - mainCount;
  const row = {
    threadId: p.threadId,
    id: p.id,
    position,
    streamPosition,
    epoch: p.epoch,
    stream: p.stream,
    kind: p.kind,
    senderPk: p.senderPk,
    seq: p.seq,
    hash: p.hash,
    bytes: p.bytes,
    receivedAt: now,
  };
  try {
    await insertEnvelope(tx).run(row);
  } catch (e) {
    if (isUniqueViolation(e, "envelopes.hash"))
      throw new AppError("CONFLICT", "this envelope is stored already");
    throw e;
  }

  const next = {
    status: thread.status,
    lastSeekerMessageAt: thread.lastSeekerMessageAt,
    lastStaffMessageAt: thread.lastStaffMessageAt,
    waitingSince: thread.waitingSince,
    createdAt: thread.createdAt,
    expiresAt: thread.expiresAt,
  };
  if (p.kind === "message" && !p.fromStaff) {
    next.lastSeekerMessageAt = now;
    next.waitingSince ??= now;
    next.status = "open";
  } else if (p.kind === "message") {
    next.lastStaffMessageAt = now;
    next.waitingSince = null;
  } else if (p.kind === "status" && p.status) {
    next.status = p.status;
  }
  if (p.kind === "message") next.expiresAt = expiresAtOf(now, state.retentionDays);
  await updateAfterEnvelope(tx).run({
    threadId: p.threadId,
    envelopeCount: position,
    mainCount,
    status: next.status,
    lastSeekerMessageAt: next.lastSeekerMessageAt,
    lastStaffMessageAt: next.lastStaffMessageAt,
    waitingSince: next.waitingSince,
    expiresAt: next.expiresAt,
    sortKey: sortKeyOf(next),
  });
  return ackOf(row, auth);
}

// -------------------------------------------------------------------------------------------- epochs

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
    const stored = await deps.db.read
      .select({ bytes: epochRecords.bytes, hash: epochRecords.hash })
      .from(epochRecords)
      .where(and(eq(epochRecords.threadId, threadId), eq(epochRecords.epoch, parsed.epoch)));
    if (stored[0] && Buffer.from(stored[0].bytes).equals(Buffer.from(recordBytes))) {
      return { duplicate: epochAck(threadId, parsed.epoch, stored[0].hash) };
    }
  }
  if (parsed.epoch !== thread.currentEpoch + 1) {
    throw new AppError("EPOCH_CONFLICT", `the next epoch of this thread is ${thread.currentEpoch + 1}`);
  }
  const helpline = await getHelpline(deps.db.read, thread.helplineId);
  if (helpline === undefined) throw new AppError("NOT_FOUND", "no such helpline");
  const roster = await rosterFor(rosterCache, helpline, parsed.rosterVersion);
  const prevRow = await deps.db.read
    .select({ bytes: epochRecords.bytes })
    .from(epochRecords)
    .where(and(eq(epochRecords.threadId, threadId), eq(epochRecords.epoch, thread.currentEpoch)));
  if (prevRow[0] === undefined) throw new AppError("EPOCH_CONFLICT", "the current epoch record is missing");
  const prev = crypto.parseRecord(new Uint8Array(prevRow[0].bytes));
  const record = crypto.verifyRecord(recordBytes, {
    helplineId: thread.helplineId,
    threadId,
    prev,
    roster: (v) => (v === roster.version ? roster : undefined),
  });
  if (crypto.b64(record.signerPk) !== auth.signPk) {
    throw new AppError("SIGNER_NOT_ALLOWED", "submit only records you signed yourself");
  }
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
  const thread = (await tx.select().from(threads).where(eq(threads.id, p.threadId)))[0];
  if (thread === undefined) throw new AppError("NOT_FOUND", "no such thread");
  const epoch = p.record.epoch;
  if (thread.currentEpoch !== epoch - 1) {
    const stored = await tx
      .select({ bytes: epochRecords.bytes, hash: epochRecords.hash })
      .from(epochRecords)
      .where(and(eq(epochRecords.threadId, p.threadId), eq(epochRecords.epoch, epoch)));
    if (stored[0] && Buffer.from(stored[0].bytes).equals(p.recordBytes))
      return epochAck(p.threadId, epoch, stored[0].hash);
    throw new AppError("EPOCH_CONFLICT", `the next epoch of this thread is ${thread.currentEpoch + 1}`);
  }
  const helpline = await getHelpline(tx, thread.helplineId);
  if (helpline?.rosterVersion !== p.record.rosterVersion) {
    throw new AppError(
      "ROSTER_CONFLICT",
      "the roster changed meanwhile; rebuild the epoch on the current roster",
    );
  }
  const before = await tx
    .select({ memberId: threadReaders.memberId })
    .from(threadReaders)
    .where(eq(threadReaders.threadId, p.threadId));
  await tx.insert(epochRecords).values({
    threadId: p.threadId,
    epoch,
    bytes: p.recordBytes,
    hash: Buffer.from(p.record.hash),
    signerPk: auth.signPk,
    reason: p.record.reason,
    rosterVersion: p.record.rosterVersion,
    createdAt: now,
  });
  await tx.insert(grants).values(p.grants.map((g) => ({ threadId: p.threadId, epoch, ...g })));
  await tx.delete(threadReaders).where(eq(threadReaders.threadId, p.threadId));
  if (p.staffReaders.length > 0) {
    await tx.insert(threadReaders).values(p.staffReaders.map((r) => ({ threadId: p.threadId, ...r })));
  }
  // Re-keying an unclaimed thread (a reader removed, a roster change) keeps it in intake: nobody took it.
  const stillIntake = thread.intake && (p.record.reason === "remove" || p.record.reason === "roster-change");
  const assignees = stillIntake ? [] : assigneesOf(p.staffReaders);
  await tx
    .update(threads)
    .set({ currentEpoch: epoch, intake: stillIntake, assignees: JSON.stringify(assignees) })
    .where(eq(threads.id, p.threadId));
  const readers = p.staffReaders.map((r) => r.memberId).sort();
  const removed = before
    .map((b) => b.memberId)
    .filter((id) => !readers.includes(id))
    .sort();
  const added = readers.filter((id) => !before.some((b) => b.memberId === id));
  const action = AUDIT_ACTION[p.record.reason] ?? "roster-change";
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
