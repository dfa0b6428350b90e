import { z } from "zod";
import { b64, timestampSchema } from "./common.js";
import { LIMITS } from "./limits.js";

/** Whose set: the caller's own (type 0x0c) or the helpline's team set (type 0x0d). */
export const savedRepliesScopeSchema = z.enum(["own", "team"]);
export type SavedRepliesScope = z.infer<typeof savedRepliesScopeSchema>;

/** `PUT /api/saved-replies/:scope`: the whole serialized set; its header names the next revision. */
export const putSavedRepliesRequestSchema = z.strictObject({ set: b64(LIMITS.savedRepliesMaxBytes) });

/** `GET /api/saved-replies/:scope`: the stored set, or `set: null` and revision 0 before the first save. */
export const savedRepliesResponseSchema = z.object({
  set: z.string().nullable(),
  revision: z.number().int().nonnegative(),
  updatedAt: timestampSchema.nullable(),
});
export const savedRepliesAckSchema = z.object({
  revision: z.number().int().positive(),
  updatedAt: timestampSchema,
});

export type PutSavedRepliesRequest = z.infer<typeof putSavedRepliesRequestSchema>;
export type SavedRepliesResponse = z.infer<typeof savedRepliesResponseSchema>;
