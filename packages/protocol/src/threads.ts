import { z } from "zod";
import { attachmentIdsSchema } from "./attachments.js";
import { b64, idSchema, intQuerySchema, limitQuerySchema, timestampSchema } from "./common.js";
import { errorCodeSchema } from "./errors.js";
import { LIMITS } from "./limits.js";

export const threadStatusSchema = z.enum(["open", "waiting", "closed"]);
export type ThreadStatus = z.infer<typeof threadStatusSchema>;

export const threadSummarySchema = z.object({
  id: idSchema,
  helplineId: idSchema,
  status: threadStatusSchema,
  /** Staff only (absent for help-seekers). */
  flagged: z.boolean().optional(),
  /** Staff only: the envelope id of the encrypted note the flag was raised with (a note of the thread). */
  flagNoteId: idSchema.nullable().optional(),
  currentEpoch: z.number().int().nonnegative(),
  /** True while the thread is in intake (epoch 0, nobody claimed it). */
  intake: z.boolean(),
  /** The counsellor(s) the current epoch lists; empty in intake. */
  assigneeIds: z.array(idSchema),
  createdAt: timestampSchema,
  lastSeekerMessageAt: timestampSchema.nullable(),
  lastStaffMessageAt: timestampSchema.nullable(),
  /** When the help-seeker's oldest unanswered message arrived; null when answered. */
  waitingSince: timestampSchema.nullable(),
  /** waitingSince plus the helpline's promised reply time. */
  replyDueAt: timestampSchema.nullable(),
  /** When the thread will be deleted under the helpline's retention rule. */
  expiresAt: timestampSchema,
});
export type ThreadSummary = z.infer<typeof threadSummarySchema>;

export const threadViewSchema = z.enum(["intake", "mine", "all", "flagged"]);
export type ThreadView = z.infer<typeof threadViewSchema>;

export const threadsQuerySchema = z.object({
  view: threadViewSchema.optional(),
  cursor: z.string().max(128).optional(),
  limit: limitQuerySchema,
});
export const threadsResponseSchema = z.object({
  threads: z.array(threadSummarySchema),
  nextCursor: z.string().nullable(),
});

const recordSchema = b64(LIMITS.epochRecordMaxBytes);
const grantsSchema = z.array(b64(LIMITS.grantMaxBytes)).min(1).max(LIMITS.maxReaders);
const envelopeBytesSchema = b64(LIMITS.envelopeMaxBytes);

export const createThreadRequestSchema = z.strictObject({
  threadId: idSchema,
  /** Epoch 0 record, signed by the help-seeker. */
  record: recordSchema,
  /** One grant per reader of the record. */
  grants: grantsSchema,
  /** The first message (epoch 0, seq 1); its envelope id is the thread id. */
  envelope: envelopeBytesSchema,
  /** Uploads (newConversation) the first message names; bound to it in the same commit. */
  attachments: attachmentIdsSchema.optional(),
});

export const envelopeAckSchema = z.object({
  id: idSchema,
  /** The envelope's position in the thread as the caller lists it. */
  position: z.number().int().positive(),
  hash: z.string(),
  receivedAt: timestampSchema,
});
export type EnvelopeAck = z.infer<typeof envelopeAckSchema>;

export const createThreadResponseSchema = z.object({
  thread: threadSummarySchema,
  envelope: envelopeAckSchema,
});

export const threadDetailSchema = z.object({
  thread: threadSummarySchema,
  /** Every epoch record (type 0x02), epoch 0 first. */
  records: z.array(z.string()),
  /** The caller's grants (type 0x03), ascending by epoch. */
  grants: z.array(z.string()),
});

export const envelopesQuerySchema = z.object({ after: intQuerySchema, limit: limitQuerySchema });
export const storedEnvelopeSchema = z.object({
  id: idSchema,
  position: z.number().int().positive(),
  envelope: z.string(),
  receivedAt: timestampSchema,
});
export type StoredEnvelope = z.infer<typeof storedEnvelopeSchema>;
export const envelopesResponseSchema = z.object({
  envelopes: z.array(storedEnvelopeSchema),
  /** The `after` value for the next page; null when this page is the last. */
  nextAfter: z.number().int().nullable(),
});

/** `GET /threads/:id/heads`: the newest envelope per (stream, sender), in server order. */
export const headsResponseSchema = z.object({ envelopes: z.array(storedEnvelopeSchema) });
export type HeadsResponse = z.infer<typeof headsResponseSchema>;

export const postEnvelopeRequestSchema = z.strictObject({
  /** Client-chosen id (idempotency). */
  id: idSchema,
  envelope: envelopeBytesSchema,
  /** Required with a status envelope (kind 3): the new status, in clear for the inbox. */
  status: threadStatusSchema.optional(),
  /** Uploads of this thread the message names (kind message only); bound to it in the same commit. */
  attachments: attachmentIdsSchema.optional(),
});

export const epochChangeSchema = z.strictObject({ record: recordSchema, grants: grantsSchema });
export const postEpochRequestSchema = epochChangeSchema;
export const epochAckSchema = z.object({
  threadId: idSchema,
  epoch: z.number().int().nonnegative(),
  recordHash: z.string(),
});

/**
 * An item of a batch answer that was refused (`/threads/epochs/batch`, `/threads/envelopes/batch`,
 * `/threads/read`): the error the single route would have given for that thread.
 */
const batchItemFailedSchema = z.object({
  threadId: idSchema,
  ok: z.literal(false),
  error: z.object({ code: errorCodeSchema, message: z.string() }),
});

export const epochBatchRequestSchema = z.strictObject({
  items: z
    .array(epochChangeSchema.extend({ threadId: idSchema }))
    .min(1)
    .max(LIMITS.batchMaxItems),
});
export const epochBatchResponseSchema = z.object({
  results: z.array(
    z.union([
      z.object({ threadId: idSchema, ok: z.literal(true), epoch: z.number().int(), recordHash: z.string() }),
      batchItemFailedSchema,
    ]),
  ),
});

/**
 * `POST /threads/envelopes/batch` (issue 14): staff post envelopes to many threads in one request (a
 * bulk job's handover events), each exactly as `POST /threads/:id/envelopes` would take it (no status
 * envelopes, no attachments), with an answer per item: the acknowledgement or the error that route
 * would give.
 */
export const envelopeBatchRequestSchema = z.strictObject({
  items: z
    .array(z.strictObject({ threadId: idSchema, id: idSchema, envelope: envelopeBytesSchema }))
    .min(1)
    .max(LIMITS.batchMaxItems),
});
export const envelopeBatchResponseSchema = z.object({
  results: z.array(
    z.union([envelopeAckSchema.extend({ threadId: idSchema, ok: z.literal(true) }), batchItemFailedSchema]),
  ),
});
export type EnvelopeBatchRequest = z.infer<typeof envelopeBatchRequestSchema>;
export type EnvelopeBatchResponse = z.infer<typeof envelopeBatchResponseSchema>;

/**
 * `POST /threads/read` (slice H, issue 14): many threads in one request, for the staff inbox. Per item
 * the summary, every epoch record, the caller's grants and the envelopes after `after` (0: from the
 * start), at most `LIMITS.readBatch.envelopesPerThread` per thread and `LIMITS.readBatch.envelopeBytes`
 * in all; `nextAfter` non-null means "page on with GET /threads/:id/envelopes?after=nextAfter".
 * With `heads: true` (bulk re-keying) each thread's heads instead of its envelopes: what
 * `GET /threads/:id/heads` answers, in `heads`; `envelopes` is then empty and `nextAfter` null.
 */
export const readBatchRequestSchema = z.strictObject({
  items: z
    .array(z.strictObject({ threadId: idSchema, after: z.number().int().nonnegative().optional() }))
    .min(1)
    .max(LIMITS.readBatch.maxItems),
  heads: z.boolean().optional(),
});
export const readBatchResponseSchema = z.object({
  results: z.array(
    z.union([
      threadDetailSchema.extend({
        threadId: idSchema,
        ok: z.literal(true),
        envelopes: z.array(storedEnvelopeSchema),
        nextAfter: z.number().int().nullable(),
        /** Only when the request asked for `heads`. */
        heads: z.array(storedEnvelopeSchema).optional(),
      }),
      batchItemFailedSchema,
    ]),
  ),
});
export type ReadBatchRequest = z.infer<typeof readBatchRequestSchema>;
export type ReadBatchResponse = z.infer<typeof readBatchResponseSchema>;

export const patchThreadRequestSchema = z
  .strictObject({
    status: threadStatusSchema.optional(),
    flagged: z.boolean().optional(),
    /** With `flagged: true` only: the id of the caller's own note (staff stream) saying what they need. */
    flagNoteId: idSchema.optional(),
  })
  .refine((v) => v.status !== undefined || v.flagged !== undefined, "status or flagged is required")
  .refine((v) => v.flagNoteId === undefined || v.flagged === true, "flagNoteId goes with flagged: true");

export const threadResponseSchema = z.object({ thread: threadSummarySchema });
export const deletedSchema = z.object({
  deleted: z.literal(true),
  /**
   * True when it was the help-seeker's last conversation: their account, sessions and drafts went with
   * it (the session cookie is cleared), so there is nothing left to sign out of.
   */
  signedOut: z.boolean(),
});

export type ThreadsResponse = z.infer<typeof threadsResponseSchema>;
export type CreateThreadRequest = z.infer<typeof createThreadRequestSchema>;
export type CreateThreadResponse = z.infer<typeof createThreadResponseSchema>;
export type ThreadDetail = z.infer<typeof threadDetailSchema>;
export type EnvelopesResponse = z.infer<typeof envelopesResponseSchema>;
export type PostEnvelopeRequest = z.infer<typeof postEnvelopeRequestSchema>;
export type PostEpochRequest = z.infer<typeof postEpochRequestSchema>;
export type EpochAck = z.infer<typeof epochAckSchema>;
export type EpochBatchRequest = z.infer<typeof epochBatchRequestSchema>;
export type EpochBatchResponse = z.infer<typeof epochBatchResponseSchema>;
export type PatchThreadRequest = z.infer<typeof patchThreadRequestSchema>;
