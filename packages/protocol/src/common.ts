import { z } from "zod";
import { base64Length, LIMITS } from "./limits.js";

/** Unpadded base64url text (the wire form of every binary field). */
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Base64url text of at most `maxBytes` bytes (and at least `minBytes`).
 *
 * @example
 * const schema = b64(LIMITS.envelopeMaxBytes);
 */
export function b64(maxBytes: number, minBytes = 1) {
  return z
    .string()
    .min(base64Length(minBytes), `at least ${minBytes} bytes`)
    .max(base64Length(maxBytes), `at most ${maxBytes} bytes`)
    .regex(BASE64URL, "not base64url")
    .refine((s) => s.length % 4 !== 1, "not base64url");
}

/** Base64url text of exactly `n` bytes, in canonical form (unused trailing bits zero). */
export function b64Fixed(n: number) {
  const len = base64Length(n);
  const rest = n % 3;
  // The last character carries 2 (rest 1) or 4 (rest 2) unused zero bits.
  const last = rest === 1 ? "[AQgw]" : rest === 2 ? "[AEIMQUYcgkosw048]" : "[A-Za-z0-9_-]";
  return z.string().regex(new RegExp(`^[A-Za-z0-9_-]{${len - 1}}${last}$`), `not ${n} bytes of base64url`);
}

/** A 16-byte id as 22 characters of base64url. */
export const idSchema = b64Fixed(16);
/** A 32-byte public key, nonce, proof or hash. */
export const key32Schema = b64Fixed(32);
/** A 64-byte Ed25519 signature. */
export const signatureSchema = b64Fixed(64);
/** A 16-byte Argon2 salt. */
export const saltSchema = b64Fixed(16);

/** Milliseconds since the epoch. */
export const timestampSchema = z.number().int().nonnegative();

export const roleSchema = z.enum(["seeker", "counsellor", "supervisor"]);
export type Role = z.infer<typeof roleSchema>;
export const staffRoleSchema = z.enum(["counsellor", "supervisor"]);
export type StaffRole = z.infer<typeof staffRoleSchema>;

/**
 * Usernames: 3-32 of a-z 0-9 . _ -, compared after lower-casing and trimming. Anything outside
 * printable ASCII is refused before that, so no Unicode case mapping (e.g. the Kelvin sign, which
 * lower-cases to "k") or Unicode white space can make two spellings of one name.
 */
export const usernameSchema = z
  .string()
  .max(64, "at most 64 characters")
  .regex(/^[\x20-\x7e]*$/, "printable ASCII only")
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{3,32}$/, "3-32 characters: a-z, 0-9, dot, underscore, dash");

/** `limit` query parameter: 1..pageMax, default pageDefault. */
export const limitQuerySchema = z.coerce.number().int().min(1).max(LIMITS.pageMax).optional();

/** A non-negative integer in a query string. */
export const intQuerySchema = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional();

/** `{ ok: true }` */
export const okSchema = z.object({ ok: z.literal(true) });

/** Lone UTF-16 surrogates: a string that has no UTF-8 encoding. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** C0 and C1 controls, and the bidirectional formatting characters that can disguise a name. */
const CONTROL_OR_BIDI = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/**
 * A staff member's display name as colleagues and help-seekers see it on the roster: 1-64 bytes of
 * UTF-8 (the roster's rule), well-formed, without surrounding white space, control characters or
 * bidirectional overrides.
 */
export const displayNameSchema = z
  .string()
  .max(64, "at most 64 bytes of UTF-8")
  .refine((s) => !LONE_SURROGATE.test(s), "not well-formed Unicode")
  .refine((s) => {
    const n = new TextEncoder().encode(s).length;
    return n >= 1 && n <= 64;
  }, "1-64 bytes of UTF-8")
  .refine((s) => s.trim() === s, "no leading or trailing white space")
  .refine((s) => !CONTROL_OR_BIDI.test(s), "no control or bidirectional formatting characters");
