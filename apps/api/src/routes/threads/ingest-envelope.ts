/**
 * Envelopes for an existing thread: verified in the request (`prepareEnvelope`), sequenced and written in
 * a write job (`commitEnvelope`). See ingest.ts for the prepare/commit split.
 */
import { type EnvelopeAck, LIMITS, type ThreadStatus } from "@briefgeheim/protocol";
import { and, eq, sql } from "drizzle-orm";
import type { WriteTx } from "../../db/client.js";
import { prepared } from "../../db/prepared.js";
import { envelopes, helplines, threadReaders, threads } from "../../db/schema.js";
import type { Auth, Deps } from "../../deps.js";
import { AppError } from "../../errors.js";
import { countDay, countMember, staffMessageDelta } from "../../services/stats.js";
import { expiresAtOf, loadVisibleThread, sortKeyOf } from "../../services/threads.js";
import { insertEnvelope } from "./ingest-shared.js";

export interface PreparedEnvelope {
  threadId: string;
  id: string;
  bytes: Buffer;
  hash: Buffer;
  epoch: number;
  kind: "message" | "note" | "status" | "event";
  stream: "main" | "staff";
  senderPk: string;
  seq: number;
  status: ThreadStatus | undefined;
  fromStaff: boolean;
}

/**
 * An envelope for a thread: the caller sees the thread and reads its current epoch, the envelope
 * parses, names this helpline and thread, is signed by the caller's own message key, notes come only
 * from staff and never in epoch 0, status envelopes and events (PROTOCOL.md §5.1) only from staff,
 * status envelopes with `status`. Who an event may name is checked by every reader, not here: the
 * server cannot read it.
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
        replyTimeHours: helplines.replyTimeHours,
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
  // Above, not exactly one above: a client never reuses a seq it remembers (PROTOCOL.md §5), so after
  // envelopes vanished its next seq is higher than what is stored, and readers see the gap and MISSING.
  const last = state.lastSeq ?? 0;
  if (p.seq <= last)
    throw new AppError("SEQUENCE_CONFLICT", `seq ${p.seq} of this sender is taken; the next is ${last + 1}`);

  if (thread.envelopeCount >= LIMITS.threadMaxEnvelopes) {
    // Clients refuse to verify a longer thread (THREAD_TOO_LARGE); a new conversation goes on from here.
    throw new AppError("PAYLOAD_TOO_LARGE", `a thread holds at most ${LIMITS.threadMaxEnvelopes} envelopes`);
  }
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
  await countEnvelope(tx, p, auth, thread, state.replyTimeHours, now);
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

/** The statistics an envelope adds (services/stats.ts): messages, replies and their waits, closings. */
async function countEnvelope(
  tx: WriteTx,
  p: PreparedEnvelope,
  auth: Auth,
  thread: {
    helplineId: string;
    status: ThreadStatus;
    createdAt: number;
    waitingSince: number | null;
    lastStaffMessageAt: number | null;
  },
  replyTimeHours: number,
  now: number,
): Promise<void> {
  if (p.kind === "message" && auth.kind === "staff") {
    const delta = staffMessageDelta(thread, replyTimeHours, now);
    await countDay(tx, thread.helplineId, now, delta);
    await countMember(tx, thread.helplineId, auth.memberId, now, {
      replies: 1,
      firstReplies: delta.firstReplies ?? 0,
    });
  } else if (p.kind === "message") {
    await countDay(tx, thread.helplineId, now, { seekerMessages: 1 });
  } else if (p.kind === "status" && p.status === "closed" && thread.status !== "closed") {
    await countDay(tx, thread.helplineId, now, { closed: 1 });
  }
}
