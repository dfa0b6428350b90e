import { z } from "zod";
import { idSchema, key32Schema, limitQuerySchema, staffRoleSchema, timestampSchema } from "./common.js";

export const memberStatusSchema = z.enum(["pending", "active", "removed"]);
export type MemberStatus = z.infer<typeof memberStatusSchema>;

export const staffMemberSchema = z.object({
  id: idSchema,
  username: z.string(),
  role: staffRoleSchema,
  status: memberStatusSchema,
  /**
   * From the latest roster that listed the member; while pending, the name the member chose when
   * accepting the invite (null if none).
   */
  displayName: z.string().nullable(),
  intakeReader: z.boolean(),
  signInPk: key32Schema,
  signPk: key32Schema,
  boxPk: key32Schema,
  /** Open or waiting threads whose current epoch (after intake) lists the member. */
  caseload: z.number().int().nonnegative(),
  createdAt: timestampSchema,
  /** The MAC the member sent with their acceptance (invite key binding); null if none. */
  keyProof: key32Schema.nullable(),
  /** The invite secret sealed by the supervisor who made the invite, for themselves; null if none. */
  sealedInviteSecret: z.string().nullable(),
});
export type StaffMember = z.infer<typeof staffMemberSchema>;

export const staffQuerySchema = z.object({ limit: limitQuerySchema, cursor: z.string().max(64).optional() });
export const staffResponseSchema = z.object({
  members: z.array(staffMemberSchema),
  nextCursor: z.string().nullable(),
});

export type StaffResponse = z.infer<typeof staffResponseSchema>;
