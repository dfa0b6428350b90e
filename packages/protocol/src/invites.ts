import { z } from "zod";
import { passphraseBundleSchema, recoveryBundleSchema } from "./auth.js";
import {
  b64,
  b64Fixed,
  displayNameSchema,
  idSchema,
  key32Schema,
  staffRoleSchema,
  timestampSchema,
  usernameSchema,
} from "./common.js";
import { LIMITS } from "./limits.js";

/**
 * Invite tokens are 32 random bytes (43 characters of base64url), made by the inviter's browser or
 * the operator CLI; the server stores only their SHA-256, so a stolen database holds no usable invite.
 */
export const inviteTokenSchema = key32Schema;

export const createInviteRequestSchema = z.strictObject({
  /** Client-chosen id (idempotency); it becomes the new member's id. */
  id: idSchema,
  role: staffRoleSchema,
  /** The random token of the invite link (a retry sends the same one; the server keeps its hash). */
  token: inviteTokenSchema,
  expiresInHours: z.number().int().min(LIMITS.inviteMinHours).max(LIMITS.inviteMaxHours),
  /**
   * The invite secret (in the link's fragment, never sent in clear) encrypted for the inviting
   * supervisor under their invite key (PROTOCOL.md section 3, "Invites"): 72 bytes, opaque to the
   * server. It lets the inviter check the new member's `keyProof` at admission.
   */
  sealedSecret: b64Fixed(LIMITS.sealedInviteSecretBytes).optional(),
});
export const createInviteResponseSchema = z.object({
  id: idSchema,
  token: inviteTokenSchema,
  expiresAt: timestampSchema,
});

export const inviteInfoSchema = z.object({
  /** The id the new member will have (the roster lists it). */
  memberId: idSchema,
  helplineId: idSchema,
  helplineName: z.string(),
  role: staffRoleSchema,
  expiresAt: timestampSchema,
  /** The first supervisor creates the helpline root and sends roster v1 with the acceptance. */
  firstSupervisor: z.boolean(),
  /**
   * First supervisor only (null otherwise): the operator's unsigned proposal for the helpline profile,
   * which the first supervisor signs as profile version 1 (docs/PROTOCOL.md §10) with the acceptance.
   */
  proposedProfile: z
    .object({
      tag: z.number().int().min(0).max(1023),
      name: z.string(),
      descriptionNl: z.string(),
      descriptionEn: z.string(),
      replyWithinHours: z.number().int().positive(),
    })
    .nullable()
    .optional(),
});

export const acceptInviteRequestSchema = z.strictObject({
  username: usernameSchema,
  signInPk: key32Schema,
  signPk: key32Schema,
  boxPk: key32Schema,
  passphrase: passphraseBundleSchema,
  recovery: recoveryBundleSchema,
  /** The name the new member chose (1-64 bytes); the admitting supervisor may change it on the roster. */
  displayName: displayNameSchema.optional(),
  /**
   * MAC over the new member's keys under the invite secret from the link's fragment (PROTOCOL.md
   * section 3, "Invites"). The server stores it for the admitting supervisor, who verifies it.
   */
  keyProof: key32Schema.optional(),
  /** First supervisor only: roster v1 (serialized, signed by the new root, which is stored nowhere). */
  roster: b64(LIMITS.rosterMaxBytes).optional(),
  /** First supervisor only: helpline profile version 1 (type 0x0b or 0x07), signed by the new supervisor. */
  profile: b64(20 * 1024).optional(),
});
export const acceptInviteResponseSchema = z.object({
  memberId: idSchema,
  helplineId: idSchema,
  role: staffRoleSchema,
  status: z.enum(["pending", "active"]),
});

export type CreateInviteRequest = z.infer<typeof createInviteRequestSchema>;
export type CreateInviteResponse = z.infer<typeof createInviteResponseSchema>;
export type InviteInfo = z.infer<typeof inviteInfoSchema>;
export type AcceptInviteRequest = z.infer<typeof acceptInviteRequestSchema>;
export type AcceptInviteResponse = z.infer<typeof acceptInviteResponseSchema>;
