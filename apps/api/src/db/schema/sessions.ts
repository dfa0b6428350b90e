/** Who is signed in: help-seekers (a sign-in public key, nothing more), sessions and sign-in nonces. */
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { bytes } from "./columns.js";
import { helplines, members } from "./helplines.js";

/** A help-seeker is a helpline plus a sign-in public key; nothing else is known about them. */
export const seekers = sqliteTable(
  "seekers",
  {
    id: text("id").primaryKey(),
    helplineId: text("helpline_id")
      .notNull()
      .references(() => helplines.id, { onDelete: "cascade" }),
    signInPk: text("sign_in_pk").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("seekers_key").on(t.helplineId, t.signInPk)],
);

/** Sessions: only SHA-256 of the token is stored. */
export const sessions = sqliteTable(
  "sessions",
  {
    tokenHash: bytes("token_hash").primaryKey(),
    kind: text("kind", { enum: ["seeker", "staff"] }).notNull(),
    helplineId: text("helpline_id")
      .notNull()
      .references(() => helplines.id, { onDelete: "cascade" }),
    seekerId: text("seeker_id").references(() => seekers.id, { onDelete: "cascade" }),
    /**
     * A help-seeker session before their first conversation: the sign-in key, kept only as long as the
     * session (no `seekers` row exists yet; migration 0005). Null once `seeker_id` is set.
     */
    seekerSignInPk: text("seeker_sign_in_pk"),
    memberId: text("member_id").references(() => members.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    /** Absolute expiry. */
    expiresAt: integer("expires_at").notNull(),
    /**
     * Why the session was revoked, if it was: the session is kept (until it expires) so that its next
     * request is told why (`account-removed` -> 403 ACCOUNT_REMOVED) instead of a bare 401.
     */
    revokedReason: text("revoked_reason", { enum: ["account-removed"] }),
  },
  (t) => [
    index("sessions_member").on(t.memberId),
    index("sessions_seeker").on(t.seekerId),
    index("sessions_expiry").on(t.expiresAt),
  ],
);

/** Single-use sign-in nonces (deleted on use, valid 60 s). */
export const challenges = sqliteTable(
  "challenges",
  {
    nonce: bytes("nonce").primaryKey(),
    helplineId: text("helpline_id")
      .notNull()
      .references(() => helplines.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("challenges_expiry").on(t.expiresAt)],
);
