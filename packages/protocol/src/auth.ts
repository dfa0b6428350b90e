import { z } from "zod";
import {
  b64,
  idSchema,
  key32Schema,
  roleSchema,
  saltSchema,
  signatureSchema,
  timestampSchema,
  usernameSchema,
} from "./common.js";
import { LIMITS } from "./limits.js";

export const challengeRequestSchema = z.strictObject({ helplineId: idSchema });
export const challengeResponseSchema = z.object({ nonce: key32Schema, expiresAt: timestampSchema });

export const seekerSignInRequestSchema = z.strictObject({
  helplineId: idSchema,
  signInPk: key32Schema,
  nonce: key32Schema,
  signature: signatureSchema,
});

/** Argon2id parameters; floor and ceiling as clients enforce them (PROTOCOL.md section 2). */
export const kdfParamsSchema = z.strictObject({
  salt: saltSchema,
  opsLimit: z.number().int().min(LIMITS.kdfFloor.opsLimit).max(LIMITS.kdfCeiling.opsLimit),
  memLimitKiB: z.number().int().min(LIMITS.kdfFloor.memLimitKiB).max(LIMITS.kdfCeiling.memLimitKiB),
});

/** The passphrase wrap a client uploads: parameters, the proof (the server stores its hash) and the wrapped key. */
export const passphraseBundleSchema = kdfParamsSchema.extend({
  proof: key32Schema,
  wrappedKey: b64(LIMITS.wrappedKeyMaxBytes),
});

export const recoveryBundleSchema = z.strictObject({
  proof: key32Schema,
  wrappedKey: b64(LIMITS.wrappedKeyMaxBytes),
});

export const staffParamsRequestSchema = z.strictObject({ username: usernameSchema });
export const staffParamsResponseSchema = z.object({
  salt: saltSchema,
  opsLimit: z.number().int(),
  memLimitKiB: z.number().int(),
});

export const staffUnlockRequestSchema = z.strictObject({ username: usernameSchema, proof: key32Schema });
export const staffUnlockResponseSchema = z.object({
  memberId: idSchema,
  helplineId: idSchema,
  wrappedKey: z.string(),
});

export const staffSignInRequestSchema = z.strictObject({
  username: usernameSchema,
  proof: key32Schema,
  nonce: key32Schema,
  signature: signatureSchema,
});

export const staffRecoverRequestSchema = z.strictObject({
  username: usernameSchema,
  recoveryProof: key32Schema,
});
export const staffRecoverResponseSchema = z.object({
  memberId: idSchema,
  helplineId: idSchema,
  recoveryWrappedKey: z.string(),
});

export const staffResetRequestSchema = z.strictObject({
  username: usernameSchema,
  recoveryProof: key32Schema,
  passphrase: passphraseBundleSchema,
});

/** The caller's session (answer of every sign-in and of GET /api/auth/session). */
export const sessionSchema = z.object({
  role: roleSchema,
  helplineId: idSchema,
  /** The staff member's id; null for help-seekers. */
  memberId: idSchema.nullable(),
  /** Staff: `pending` until a roster lists them, then `active`. Help-seekers: `active`. */
  status: z.enum(["pending", "active"]),
  /** Absolute end of the session. */
  expiresAt: timestampSchema,
  /** The session ends after this much inactivity. */
  idleTimeoutMs: z.number().int(),
});

export type ChallengeRequest = z.infer<typeof challengeRequestSchema>;
export type ChallengeResponse = z.infer<typeof challengeResponseSchema>;
export type SeekerSignInRequest = z.infer<typeof seekerSignInRequestSchema>;
export type KdfParams = z.infer<typeof kdfParamsSchema>;
export type PassphraseBundle = z.infer<typeof passphraseBundleSchema>;
export type RecoveryBundle = z.infer<typeof recoveryBundleSchema>;
export type StaffParamsRequest = z.infer<typeof staffParamsRequestSchema>;
export type StaffParamsResponse = z.infer<typeof staffParamsResponseSchema>;
export type StaffUnlockRequest = z.infer<typeof staffUnlockRequestSchema>;
export type StaffUnlockResponse = z.infer<typeof staffUnlockResponseSchema>;
export type StaffSignInRequest = z.infer<typeof staffSignInRequestSchema>;
export type StaffRecoverRequest = z.infer<typeof staffRecoverRequestSchema>;
export type StaffRecoverResponse = z.infer<typeof staffRecoverResponseSchema>;
export type StaffResetRequest = z.infer<typeof staffResetRequestSchema>;
export type Session = z.infer<typeof sessionSchema>;
