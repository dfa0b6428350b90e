import {
  type AttachmentMeta,
  bytesEqual,
  type EnvelopeHead,
  type EnvelopeKind,
  type EnvelopeStream,
  envelopeStream,
  fromBase64,
  newId,
  type Payload,
  parseEnvelope,
  sealEnvelope,
  type ThreadEvent,
  type ThreadId,
  toBase64,
} from "@briefgeheim/crypto";
import type { EnvelopeAck, ThreadStatus } from "@briefgeheim/protocol";
import { ClientError, isClientError } from "./errors.js";
import { withRetry } from "./retry.js";
import { type LoadedThread, loadThread, type ThreadContext, wipeEpochKeys } from "./thread-loader.js";
import {
  type PendingPost,
  recallHeads,
  recallPending,
  rememberHeads,
  rememberPending,
} from "./thread-memory.js";
import { readJson } from "./transport.js";

export interface PostInput {
  readonly kind: EnvelopeKind;
  readonly subject?: string;
  readonly body: string;
  /** With `kind: "status"`: the new status, also sent in clear for the inbox. */
  readonly status?: ThreadStatus;
  /** With `kind: "message"`: uploaded files (uploadAttachment), signed inside and named to the server. */
  readonly attachments?: readonly AttachmentMeta[];
  /** With `kind: "event"` (and an empty body): the signed event, e.g. a handover (PROTOCOL.md §5.1). */
  readonly event?: ThreadEvent;
}

/**
 * What posting needs of a loaded thread: a full `LoadedThread`, or (bulk handovers right after a
 * committed epoch) the new epoch's record, keys and heads with no envelopes listed.
 */
export type PostTarget = Pick<
  LoadedThread,
  "threadId" | "current" | "keys" | "heads" | "verification" | "stored"
>;

/** What the server acknowledged (after its commit). */
export type Sent = EnvelopeAck;

/** Problems that make an item not genuine: nothing it claims (sender, seq) is believed. */
const NOT_GENUINE: ReadonlySet<string> = new Set([
  "BAD_SIGNATURE",
  "UNKNOWN_SENDER",
  "WRONG_THREAD",
  "UNKNOWN_EPOCH",
  "DUPLICATE",
]);

function genuine(item: LoadedThread["verification"]["items"][number]): boolean {
  return !item.problems.some((p) => NOT_GENUINE.has(p.reason));
}

/**
 * The caller's newest seq in `stream`: from genuine (signed, verified) envelopes of the caller and the
 * heads this device remembers, never from a damaged item, whose sender and seq are only the server's
 * word (a forged envelope "of" the caller with seq 0xFFFFFFFF must not stop them posting).
 */
function ownSeq(ctx: ThreadContext, thread: PostTarget, stream: EnvelopeStream): number {
  const { sodium } = ctx.client;
  const mine = ctx.me.signing.publicKey;
  let seq = 0;
  for (const item of thread.verification.items) {
    if (item.stream !== stream || !bytesEqual(sodium, item.envelope.senderSignPk, mine)) continue;
    if (genuine(item)) seq = Math.max(seq, item.envelope.seq);
  }
  for (const h of thread.heads) {
    if (h.stream === stream && bytesEqual(sodium, h.signPk, mine)) seq = Math.max(seq, h.seq);
  }
  return seq;
}

/** The served, genuine envelope with the pending post's hash, as an acknowledgement, if the server has it. */
function servedPending(ctx: ThreadContext, thread: PostTarget, pending: PendingPost): Sent | undefined {
  const { sodium } = ctx.client;
  for (const item of thread.verification.items) {
    if (!genuine(item) || toBase64(sodium, item.envelope.hash) !== pending.hash) continue;
    const stored = thread.stored[item.index]!;
    return { id: stored.id, position: stored.position, hash: pending.hash, receivedAt: stored.receivedAt };
  }
  return undefined;
}

/** The pending post is known stored: it becomes this device's own head and is no longer pending. */
export function settle(ctx: ThreadContext, threadId: ThreadId, pending: PendingPost): void {
  const { client, me } = ctx;
  const { sodium } = client;
  rememberHeads(client.memory, sodium, threadId, me.signing.publicKey, [
    {
      stream: pending.stream,
      signPk: me.signing.publicKey,
      seq: pending.seq,
      hash: fromBase64(sodium, pending.hash),
      pastDamaged: false,
    },
  ]);
  rememberPending(client.memory, sodium, threadId, me.signing.publicKey, pending.stream, undefined);
}

/** True when a genuine envelope of this signer holds the pending post's seq (or a later one) with another hash. */
function superseded(ctx: ThreadContext, thread: PostTarget, pending: PendingPost): boolean {
  const { sodium } = ctx.client;
  const mine = ctx.me.signing.publicKey;
  return thread.verification.items.some(
    (item) =>
      genuine(item) &&
      item.stream === pending.stream &&
      bytesEqual(sodium, item.envelope.senderSignPk, mine) &&
      item.envelope.seq >= pending.seq &&
      toBase64(sodium, item.envelope.hash) !== pending.hash,
  );
}

/** Sends a pending post's bytes (same id: the server is idempotent on it) and settles it once acknowledged. */
async function sendPending(ctx: ThreadContext, threadId: ThreadId, pending: PendingPost): Promise<Sent> {
  const { client } = ctx;
  const json = {
    id: pending.id,
    envelope: pending.envelope,
    ...(pending.status === undefined ? {} : { status: pending.status as ThreadStatus }),
    ...(pending.attachments === undefined ? {} : { attachments: [...pending.attachments] }),
  };
  const ack = await withRetry(async () =>
    readJson(await client.api.threads[":threadId"].envelopes.$post({ param: { threadId }, json })),
  );
  settle(ctx, threadId, pending);
  return ack;
}

/**
 * What became of an earlier unacknowledged post in `stream` (a lost answer, or an error the server
 * made up after storing it): served now, it is settled; still in the current epoch, its same bytes are
 * sent again; from an epoch that has ended it can no longer be stored and is dropped (its seq is then
 * signed again in the new epoch, the one case of PROTOCOL.md §5 where a seq is reused; if a server kept
 * the first anyway, readers see it as `AFTER_EPOCH_CHANGE` and the pair as `SENDER_FORK`: the server's
 * doing, since it refused the first). Dropped too when the thread shows a genuine envelope of this
 * signer at its seq or above with another hash (another device of the same member took the seq): it
 * can never be stored, and the next seal goes above it. A conflict the server only claims never drops
 * it: without that proof its same bytes are sent again, so no seq is signed twice.
 */
export async function resolvePending(
  ctx: ThreadContext,
  thread: PostTarget,
  stream: EnvelopeStream,
): Promise<{ pending: PendingPost; ack: Sent } | undefined> {
  const { client, me } = ctx;
  const pending = recallPending(client.memory, client.sodium, thread.threadId, me.signing.publicKey, stream);
  if (pending === undefined) return undefined;
  const served = servedPending(ctx, thread, pending);
  if (served !== undefined) {
    settle(ctx, thread.threadId, pending);
    return { pending, ack: served };
  }
  if (pending.epoch !== thread.current.epoch || superseded(ctx, thread, pending)) {
    rememberPending(client.memory, client.sodium, thread.threadId, me.signing.publicKey, stream, undefined);
    return undefined;
  }
  return { pending, ack: await sendPending(ctx, thread.threadId, pending) };
}

/**
 * Seals and posts one envelope to a loaded thread: current epoch keys, the caller's next sequence
 * number in the stream (above their own genuine envelopes the server shows and what this device
 * remembers, never taken from a damaged envelope; a seq is never reused, so an envelope the server
 * dropped shows as `MISSING`), and the heads of the loaded thread. Posting into a thread with problems
 * is allowed (the reader sees them, `NOT_REKEYED` included: PROTOCOL.md §4). The envelope is remembered
 * as pending before it is sent; an earlier post that was never acknowledged is first found stored or
 * sent again with its same id and bytes, so no retry ever signs a second envelope for one seq.
 *
 * @example
 * const ack = await postToThread(ctx, thread, { kind: "message", body: "Dank je" });
 */
export async function postToThread(ctx: ThreadContext, thread: PostTarget, input: PostInput): Promise<Sent> {
  readerKeys(ctx, thread);
  await resolvePending(ctx, thread, envelopeStream(input.kind));
  return sendPending(ctx, thread.threadId, sealPending(ctx, thread, input));
}

function readerKeys(ctx: ThreadContext, thread: PostTarget) {
  const { sodium } = ctx.client;
  const epochKeys = thread.keys.get(thread.current.epoch);
  const isReader = thread.current.readers.some((r) => bytesEqual(sodium, r.signPk, ctx.me.signing.publicKey));
  if (epochKeys === undefined || !isReader) {
    throw new ClientError("NOT_A_READER", "you do not read this thread's current epoch");
  }
  return epochKeys;
}

/**
 * Seals `input` for the thread (current epoch keys, the caller's next seq in the stream, the heads) and
 * remembers it as pending before anything is sent: `postToThread`'s sealing, for a caller that knows no
 * earlier post of this stream is pending (`recallPending`) and sends it itself (a batch of handovers).
 */
export function sealPending(ctx: ThreadContext, thread: PostTarget, input: PostInput): PendingPost {
  const { client, helplineId, me } = ctx;
  const { sodium } = client;
  const epochKeys = readerKeys(ctx, thread);
  const stream = envelopeStream(input.kind);
  let seq = ownSeq(ctx, thread, stream);
  let heads = thread.heads;
  // What this device remembers now (a pending post just sent or found is among it) outranks the load.
  const mine = (h: EnvelopeHead) => h.stream === stream && bytesEqual(sodium, h.signPk, me.signing.publicKey);
  const remembered = recallHeads(client.memory, sodium, thread.threadId, me.signing.publicKey).find(mine);
  if (remembered !== undefined && remembered.seq > seq) {
    seq = remembered.seq;
    heads = [...heads.filter((h) => !mine(h)), remembered];
  }
  const payload: Payload = {
    subject: input.subject ?? "",
    body: input.body,
    attachments: input.attachments ?? [],
    ...(input.event === undefined ? {} : { event: input.event }),
  };
  const envelope = sealEnvelope(sodium, {
    helplineId,
    threadId: thread.threadId,
    epochKeys,
    kind: input.kind,
    sender: me.signing,
    seq: seq + 1,
    heads,
    createdAt: client.now(),
    payload,
    random: client.random,
  });
  const sealed = parseEnvelope(sodium, envelope);
  const pending: PendingPost = {
    stream,
    seq: sealed.seq,
    hash: toBase64(sodium, sealed.hash),
    epoch: sealed.epoch,
    id: newId(sodium, client.random),
    envelope: toBase64(sodium, envelope),
    ...(input.status === undefined ? {} : { status: input.status }),
    ...(input.attachments === undefined || input.attachments.length === 0
      ? {}
      : { attachments: input.attachments.map((a) => a.attachmentId) }),
  };
  rememberPending(client.memory, sodium, thread.threadId, me.signing.publicKey, stream, pending);
  return pending;
}

/**
 * Loads the thread, posts, and if the server answers that someone moved the thread on meanwhile (a
 * new epoch, or another device of the same author took the sequence number) loads it again: the post
 * of the first attempt is found stored or sent again with its same bytes (never signed again with its
 * seq, so an error the server made up after storing it changes nothing); only if its epoch ended is
 * the message sealed anew. Epoch keys are wiped after each attempt.
 *
 * @example
 * await postWithReload(ctx, threadId, { kind: "note", body: "Bel terug" });
 */
export async function postWithReload(
  ctx: ThreadContext,
  threadId: LoadedThread["threadId"],
  input: PostInput,
): Promise<Sent> {
  const { client, me } = ctx;
  const stream = envelopeStream(input.kind);
  // A post left pending by an earlier call is not this call's: postToThread sends it first.
  const before = recallPending(client.memory, client.sodium, threadId, me.signing.publicKey, stream)?.id;
  for (let attempt = 1; ; attempt++) {
    // Incremental (issue 14): only what follows this tab's verified listing is fetched and checked.
    const thread = await loadThread(ctx, threadId, { incremental: true });
    try {
      if (attempt > 1) {
        // This call's own post from an earlier attempt: stored, resent, or (its epoch ended) dropped.
        const resolved = await resolvePending(ctx, thread, stream);
        if (resolved !== undefined && resolved.pending.id !== before) return resolved.ack;
      }
      return await postToThread(ctx, thread, input);
    } catch (e) {
      const raced = isClientError(e, "SEQUENCE_CONFLICT") || isClientError(e, "EPOCH_CONFLICT");
      if (!raced || attempt >= 3) throw e;
    } finally {
      wipeEpochKeys(thread.keys);
    }
  }
}
