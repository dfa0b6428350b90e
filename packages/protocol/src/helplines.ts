import { z } from "zod";
import { b64, idSchema, intQuerySchema, key32Schema, limitQuerySchema, timestampSchema } from "./common.js";
import { LIMITS } from "./limits.js";

/** A crisis option as the unsigned proposal carries it (the signed form: PROTOCOL.md §10, type 0x0b). */
export const crisisOptionSchema = z.object({
  kind: z.enum(["phone", "url"]),
  labelNl: z.string().max(120),
  labelEn: z.string().max(120),
  target: z.string().max(512),
});
export type CrisisOptionProposal = z.infer<typeof crisisOptionSchema>;

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
  /**
   * The newest signed helpline profile (type 0x07, docs/PROTOCOL.md §10), or null while no supervisor
   * has signed one: the helpline is "not open yet". Clients show a helpline's name, descriptions and
   * reply time from the verified profile only; `name`, `description` and `replyTimeHours` above are the
   * server's unsigned copy (the operator's proposal before the first profile).
   */
  profile: z.string().nullable(),
  /**
   * The rest of the unsigned copy (slice D, migration 0008): the English description (`description`
   * is the Dutch one), the crisis options and the quick-exit destination ("" = the build's default).
   * Never shown to help-seekers; the staff settings screen offers it as the operator's proposal when
   * it differs from the signed profile. Optional: older servers do not send them.
   */
  descriptionEn: z.string().optional(),
  crisisOptions: z.array(crisisOptionSchema).max(6).optional(),
  exitUrl: z.string().max(512).optional(),
});
export type Helpline = z.infer<typeof helplineSchema>;

/**
 * The helpline's settings the server applies itself (not signed: it enforces them): how long
 * conversations are kept after their last message and after how many idle minutes the apps lock.
 */
export const helplineSettingsRequestSchema = z
  .strictObject({
    retentionDays: z.number().int().min(1).max(3650).optional(),
    lockAfterMinutes: z.number().int().min(1).max(240).optional(),
  })
  .refine((v) => v.retentionDays !== undefined || v.lockAfterMinutes !== undefined, {
    message: "nothing to change",
  });
export const helplineSettingsResponseSchema = z.object({
  retentionDays: z.number().int(),
  lockAfterMinutes: z.number().int(),
});
export type HelplineSettingsRequest = z.infer<typeof helplineSettingsRequestSchema>;
export type HelplineSettingsResponse = z.infer<typeof helplineSettingsResponseSchema>;

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

/**
 * A signed helpline profile (type 0x07 or 0x0b), at most 20 KiB: the largest 0x0b profile is 17,611
 * bytes (texts 360 + 2 x 6000, exit 512, 6 crisis options of 2 x 120 + 512; PROTOCOL.md §10).
 */
export const PROFILE_MAX_BYTES = 20 * 1024;
export const publishProfileRequestSchema = z.strictObject({ profile: b64(PROFILE_MAX_BYTES) });
export const publishProfileResponseSchema = z.object({ version: z.number().int().positive() });
export type PublishProfileRequest = z.infer<typeof publishProfileRequestSchema>;
export type PublishProfileResponse = z.infer<typeof publishProfileResponseSchema>;
