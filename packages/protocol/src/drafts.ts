import { z } from "zod";
import { b64, timestampSchema } from "./common.js";
import { LIMITS } from "./limits.js";

/** A draft context: `new:<helplineId>` or `reply:<threadId>` (the same string the draft binds in its AD). */
export const draftContextSchema = z
  .string()
  .regex(/^(new|reply):[A-Za-z0-9_-]{22}$/, "new:<id> or reply:<id>");

export const putDraftRequestSchema = z.strictObject({ draft: b64(LIMITS.draftMaxBytes) });
export const draftResponseSchema = z.object({
  context: draftContextSchema,
  /** Serialized draft (type 0x05). */
  draft: z.string(),
  updatedAt: timestampSchema,
});
export const draftAckSchema = z.object({ context: draftContextSchema, updatedAt: timestampSchema });
export const draftDeletedSchema = z.object({ deleted: z.boolean() });

export type PutDraftRequest = z.infer<typeof putDraftRequestSchema>;
export type DraftResponse = z.infer<typeof draftResponseSchema>;
