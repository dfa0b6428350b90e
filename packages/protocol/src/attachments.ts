import { z } from "zod";
import { b64Fixed, idSchema, timestampSchema } from "./common.js";
import { LIMITS } from "./limits.js";

/**
 * Attachment uploads (docs/API.md, PROTOCOL.md §6). The client declares the stream header (21 bytes:
 * version 0x02, type 0x08, nonce prefix) and the padded size; the server derives the chunk count and
 * each chunk's exact length from it and checks the helpline's limits before storing anything.
 */
export const createAttachmentRequestSchema = z
  .strictObject({
    /** Client-chosen (the id inside the signed metadata); creating it again is idempotent. */
    id: idSchema,
    /** A reply in this thread, or (`newConversation`) the first message of a new conversation. */
    threadId: idSchema.optional(),
    newConversation: z.literal(true).optional(),
    header: b64Fixed(LIMITS.attachments.headerBytes),
    paddedSize: z.number().int().positive().max(LIMITS.attachments.maxPaddedBytes),
  })
  .refine((r) => (r.threadId === undefined) !== (r.newConversation === undefined), {
    message: "exactly one of threadId and newConversation",
  });
export type CreateAttachmentRequest = z.infer<typeof createAttachmentRequestSchema>;

export const attachmentStatusSchema = z.object({
  id: idSchema,
  header: z.string(),
  paddedSize: z.number().int().positive(),
  chunkCount: z.number().int().positive(),
  /** Chunks stored (each acknowledged only after its commit). */
  received: z.number().int().nonnegative(),
  /** The first chunk not stored yet; null when all are. */
  firstMissing: z.number().int().nonnegative().nullable(),
  complete: z.boolean(),
  /** When an upload no message named is deleted; null once bound to a message. */
  expiresAt: timestampSchema.nullable(),
});
export type AttachmentStatus = z.infer<typeof attachmentStatusSchema>;

export const attachmentLimitsSchema = z.object({
  maxFileBytes: z.number().int().positive(),
  maxFilesPerMessage: z.number().int().positive(),
  maxBytesPerConversationPerDay: z.number().int().positive(),
});
export type AttachmentLimitsResponse = z.infer<typeof attachmentLimitsSchema>;

export const attachmentIdParamSchema = z.object({ attachmentId: idSchema });
export const attachmentChunkParamSchema = z.object({
  attachmentId: idSchema,
  index: z
    .string()
    .regex(/^(0|[1-9][0-9]{0,5})$/, "a chunk index")
    .transform(Number),
});

/** A download names the thread of the message that carries the file. */
export const attachmentContentQuerySchema = z.object({ thread: idSchema });

/** The attachment ids a message names (in clear beside the envelope, so the server can bind them). */
export const attachmentIdsSchema = z.array(idSchema).max(LIMITS.attachments.maxIdsPerMessage);
