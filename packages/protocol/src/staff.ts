import { z } from "zod";
import { b64, idSchema, key32Schema, limitQuerySchema, staffRoleSchema, timestampSchema } from "./common.js";
import { LIMITS } from "./limits.js";

export const memberStatusSchema = z.enum(["pending", "active", "removed"]);
export type MemberStatus = z.infer<typeof memberStatusSchema>;

export const staffMemberSchema = z.object({
  id: idSchema,
  username: z.string(),
  role: staffRoleSchema,
  status: memberStatusSchema,
  /** From the latest roster that listed the member; null while pending. */
  displayName: z.string().nullable(),
  intakeReader: z.boolean(),
  signInPk: key32Schema,
  signPk: key32Schema,
  boxPk: key32Schema,
  /** Open or waiting threads whose current epoch (after intake) lists the member. */
  caseload: z.number().int().nonnegative(),
  createdAt: timestampSchema,
});
export type StaffMember = z.infer<typeof staffMemberSchema>;

export const staffQuerySchema = z.object({ limit: limitQuerySchema, cursor: z.string().max(64).optional() });
export const staffResponseSchema = z.object({
  members: z.array(staffMemberSchema),
  nextCursor: z.string().nullable(),
});

export const rootKeySchema = z.object({ rootSealed: b64(LIMITS.wrappedKeyMaxBytes) });

export type StaffResponse = z.infer<typeof staffResponseSchema>;
export type RootKey = z.infer<typeof rootKeySchema>;
