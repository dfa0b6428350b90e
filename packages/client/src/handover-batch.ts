import type { EpochStart, MemberId, Roster, ThreadId } from "@briefgeheim/crypto";
import { envelopeBatchResponseSchema, LIMITS } from "@briefgeheim/protocol";
import { matchAnswers } from "./batch-answer.js";
import { ClientError, isClientError } from "./errors.js";
import { withRetry } from "./retry.js";
import type { StaffContext } from "./staff-context.js";
import { type PendingPost, recallPending } from "./thread-memory.js";
import { type PostTarget, sealPending, settle } from "./thread-post.js";
import { readJson } from "./transport.js";

/** One handover to post: a thread a bulk job just committed, and the member it now goes to. */
export interface HandoverJob {
  readonly threadId: ThreadId;
  readonly start: EpochStart;
  /** The roster the new record was signed on: the event names the member as it lists them. */
  readonly roster: Roster;
  readonly memberId: MemberId;
}

/** What became of each job: posted, to be posted the slow way (a full load), or failed. */
export interface BatchOutcome {
  readonly posted: number;
  readonly fallback: HandoverJob[];
  readonly failed: { readonly job: HandoverJob; readonly error: ClientError }[];
}

/**
 * Posts the handover events of committed threads `LIMITS.batchMaxItems` per request
 * (`POST /threads/envelopes/batch`) instead of one request each, without loading the threads again:
 * each event sealed with the new epoch's keys and the heads its record names (the view the job
 * verified, PROTOCOL.md §4), remembered as pending before it is sent. The answer is held to what was sent: only this chunk's threads, each once, and an
 * acknowledgement only with the sealed envelope's hash; a thread left out, or a malformed answer, is
 * `UNEXPECTED_RESPONSE` (its post stays pending on this device, so its next post resolves it).
 * Goes the slow way (`fallback`, for `announceHandover`): a thread with a post already pending here, a
 * second member of the same thread, a thread the server says moved on (`SEQUENCE_CONFLICT`,
 * `EPOCH_CONFLICT`), and every job of a chunk whose request failed as a whole.
 *
 * @example
 * const { fallback, failed } = await announceInBatches(ctx, jobs, (job) => ({
 *   kind: "event", body: "", event: handoverEvent(job.roster, job.memberId),
 * }));
 */
export async function announceInBatches(
  ctx: StaffContext,
  jobs: readonly HandoverJob[],
  event: (job: HandoverJob) => Parameters<typeof sealPending>[2],
  onDone: (n: number) => void = () => {},
): Promise<BatchOutcome> {
  const { client, me } = ctx;
  const fallback: HandoverJob[] = [];
  const failed: BatchOutcome["failed"] = [];
  const ready: { threadId: ThreadId; job: HandoverJob; pending: PendingPost }[] = [];
  const seen = new Set<string>();
  for (const job of jobs) {
    const pendingHere = recallPending(
      client.memory,
      client.sodium,
      job.threadId,
      me.signing.publicKey,
      "main",
    );
    if (pendingHere !== undefined || seen.has(job.threadId)) {
      fallback.push(job);
      continue;
    }
    seen.add(job.threadId);
    const target: PostTarget = {
      threadId: job.threadId,
      current: job.start.parsed,
      keys: new Map([[job.start.keys.epoch, job.start.keys]]),
      heads: job.start.parsed.heads,
      verification: { items: [], problems: [], ok: true },
      stored: [],
    };
    try {
      ready.push({ threadId: job.threadId, job, pending: sealPending(ctx, target, event(job)) });
    } catch (e) {
      if (!isClientError(e)) throw e;
      failed.push({ job, error: e });
      onDone(1);
    }
  }
  let posted = 0;
  for (let i = 0; i < ready.length; i += LIMITS.batchMaxItems) {
    const chunk = ready.slice(i, i + LIMITS.batchMaxItems);
    const items = chunk.map(({ job, pending }) => ({
      threadId: job.threadId,
      id: pending.id,
      envelope: pending.envelope,
    }));
    let answer: unknown;
    try {
      answer = await withRetry(async () =>
        readJson(await client.api.threads.envelopes.batch.$post({ json: { items } })),
      );
    } catch (e) {
      if (!isClientError(e)) throw e;
      // Nothing is known of these: each goes the slow way, which finds its pending post stored or sends it again.
      fallback.push(...chunk.map((c) => c.job));
      continue;
    }
    const parsed = envelopeBatchResponseSchema.safeParse(answer);
    for (const { sent, result: r, error } of matchAnswers(
      chunk,
      parsed.success ? parsed.data.results : undefined,
    )) {
      const { job, pending } = sent;
      if (r === undefined) {
        failed.push({ job, error });
      } else if (r.ok && r.hash === pending.hash) {
        settle(ctx, job.threadId, pending);
        posted++;
      } else if (r.ok) {
        failed.push({ job, error: unexpected("an acknowledgement of another envelope") });
      } else if (r.error.code === "SEQUENCE_CONFLICT" || r.error.code === "EPOCH_CONFLICT") {
        // The slow way decides, on a full load: the event found stored, sent again with the same bytes,
        // or dropped only where the load proves it can never be stored (resolvePending). The server's
        // word alone never frees its seq (a server that stored it and hides it would get a second event).
        fallback.push(job);
        continue;
      } else {
        failed.push({ job, error: new ClientError(r.error.code, r.error.message, { source: "server" }) });
      }
      onDone(1);
    }
  }
  return { posted, fallback, failed };
}

function unexpected(message: string): ClientError {
  return new ClientError("UNEXPECTED_RESPONSE", message, { source: "server" });
}
