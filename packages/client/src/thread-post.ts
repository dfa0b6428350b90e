import {
  bytesEqual,
  type EnvelopeKind,
  envelopeStream,
  newId,
  type Payload,
  parseEnvelope,
  sealEnvelope,
  toBase64,
} from "@briefgeheim/crypto";
import type { EnvelopeAck, ThreadStatus } from "@briefgeheim/protocol";
import { ClientError, isClientError } from "./errors.js";
import { withRetry } from "./retry.js";
import { type LoadedThread, loadThread, type ThreadContext, wipeEpochKeys } from "./thread-loader.js";
import { rememberHeads } from "./thread-memory.js";
import { readJson } from "./transport.js";

export interface PostInput {
  readonly kind: EnvelopeKind;
  readonly subject?: string;
  readonly body: string;
  /** With `kind: "status"`: the new status, also sent in clear for the inbox. */
  readonly status?: ThreadStatus;
}

/** What the server acknowledged (after its commit). */
export type Sent = EnvelopeAck;

/**
 * Seals and posts one envelope to a loaded thread: current epoch keys, the caller's next sequence
 * number in the stream (above both the server's view and what this device remembers: a seq is never
 * reused, so an envelope the server dropped shows as `MISSING`), and the heads of the loaded thread.
 * Posting into a thread with problems is allowed (the reader sees them). The envelope id is chosen
 * once, so network retries resend the same id and bytes and never duplicate. The new envelope is
 * remembered as this device's head once the server acknowledged it.
 *
 * @example
 * const ack = await postToThread(ctx, thread, { kind: "message", body: "Dank je" });
 */
export async function postToThread(
  ctx: ThreadContext,
  thread: LoadedThread,
  input: PostInput,
): Promise<Sent> {
  const { client, helplineId, me } = ctx;
  const { sodium } = client;
  const epochKeys = thread.keys.get(thread.current.epoch);
  const isReader = thread.current.readers.some((r) => bytesEqual(sodium, r.signPk, me.signing.publicKey));
  if (epochKeys === undefined || !isReader) {
    throw new ClientError("NOT_A_READER", "you do not read this thread's current epoch");
  }
  const stream = envelopeStream(input.kind);
  // thread.heads already holds the remembered own head when it is newer than what the server shows.
  let seq = 0;
  for (const item of thread.verification.items) {
    if (item.stream === stream && bytesEqual(sodium, item.envelope.senderSignPk, me.signing.publicKey)) {
      seq = Math.max(seq, item.envelope.seq);
    }
  }
  for (const h of thread.heads) {
    if (h.stream === stream && bytesEqual(sodium, h.signPk, me.signing.publicKey)) seq = Math.max(seq, h.seq);
  }
  const payload: Payload = { subject: input.subject ?? "", body: input.body, attachments: [] };
  const envelope = sealEnvelope(sodium, {
    helplineId,
    threadId: thread.threadId,
    epochKeys,
    kind: input.kind,
    sender: me.signing,
    seq: seq + 1,
    heads: thread.heads,
    createdAt: client.now(),
    payload,
    random: client.random,
  });
  const id = newId(sodium, client.random);
  const json = {
    id,
    envelope: toBase64(sodium, envelope),
    ...(input.status === undefined ? {} : { status: input.status }),
  };
  const ack = await withRetry(async () =>
    readJson(
      await client.api.threads[":threadId"].envelopes.$post({ param: { threadId: thread.threadId }, json }),
    ),
  );
  const sent = parseEnvelope(sodium, envelope);
  rememberHeads(client.memory, sodium, thread.threadId, me.signing.publicKey, [
    { stream, signPk: me.signing.publicKey, seq: sent.seq, hash: sent.hash, pastDamaged: false },
  ]);
  return ack;
}

/**
 * Loads the thread, posts, and if someone else moved the thread on meanwhile (a new epoch, or
 * another device of the same author took the sequence number) loads it again and rebuilds once more.
 * Epoch keys are wiped after each attempt.
 *
 * @example
 * await postWithReload(ctx, threadId, { kind: "note", body: "Bel terug" });
 */
export async function postWithReload(
  ctx: ThreadContext,
  threadId: LoadedThread["threadId"],
  input: PostInput,
): Promise<Sent> {
  for (let attempt = 1; ; attempt++) {
    const thread = await loadThread(ctx, threadId);
    try {
      return await postToThread(ctx, thread, input);
    } catch (e) {
      const raced = isClientError(e, "SEQUENCE_CONFLICT") || isClientError(e, "EPOCH_CONFLICT");
      if (!raced || attempt >= 3) throw e;
    } finally {
      wipeEpochKeys(thread.keys);
    }
  }
}
