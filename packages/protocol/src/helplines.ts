import { z } from "zod";
import { b64, idSchema, intQuerySchema, key32Schema, limitQuerySchema, timestampSchema } from "./common.js";
import { LIMITS } from "./limits.js";

export const helplineSchema = z.object({
  id: idSchema,
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  /** The reply time the helpline promises, in hours. */
  replyTimeHours: z.number().int(),
  /** The helpline's public 10-bit tag inside help-seeker codes. */
  tag: z.number().int().min(0).max(1023),
  /** The helpline root public key; null until the first supervisor has set the helpline up. */
  rootPk: key32Schema.nullable(),
  /** The latest roster version; 0 before set-up. */
  rosterVersion: z.number().int().nonnegative(),
  /** Clients lock after this many minutes without activity. */
  lockAfterMinutes: z.number().int(),
  /** Threads are deleted this many days after their last message. */
  retentionDays: z.number().int(),
  createdAt: timestampSchema,
});
export type Helpline = z.infer<typeof helplineSchema>;

export const helplinesQuerySchema = z.object({
  limit: limitQuerySchema,
  cursor: z.string().max(64).optional(),
});
export const helplinesResponseSchema = z.object({
  helplines: z.array(helplineSchema),
  nextCursor: z.string().nullable(),
});

export const rostersQuerySchema = z.object({ after: intQuerySchema, limit: limitQuerySchema });
export const rostersResponseSchema = z.object({
  /** Serialized rosters (type 0x01), ascending by version. */
  rosters: z.array(z.string()),
  latestVersion: z.number().int().nonnegative(),
  /** The `after` value for the next page, or null when this is the last one. */
  nextAfter: z.number().int().nullable(),
});

export const publishRosterRequestSchema = z.strictObject({ roster: b64(LIMITS.rosterMaxBytes) });
export const publishRosterResponseSchema = z.object({
  version: z.number().int(),
  hash: z.string(),
  /** Members who became active and who were removed by this roster. */
  added: z.array(idSchema),
  removed: z.array(idSchema),
});

export type HelplinesResponse = z.infer<typeof helplinesResponseSchema>;
export type RostersResponse = z.infer<typeof rostersResponseSchema>;
export type PublishRosterRequest = z.infer<typeof publishRosterRequestSchema>;
export type PublishRosterResponse = z.infer<typeof publishRosterResponseSchema>;
