/** Helplines and their people: the operator's secrets, the helpline row, signed rosters and profiles,
 * members, invites, and facts about the database itself. */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { bool, bytes } from "./columns.js";

/** Server-side secrets created on first start (e.g. the HMAC key for decoy salts and invite tokens). */
export const serverSecrets = sqliteTable("server_secrets", {
  name: text("name").primaryKey(),
  value: bytes("value").notNull(),
  createdAt: integer("created_at").notNull(),
});

export const helplines = sqliteTable("helplines", {
  id: text("id").primaryKey(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  description: text("description").notNull().default(""),
  replyTimeHours: integer("reply_time_hours").notNull(),
  tag: integer("tag").notNull().unique(),
  /** Set from roster v1 when the first supervisor accepts the operator's invite. */
  rootPk: text("root_pk"),
  rosterVersion: integer("roster_version").notNull().default(0),
  lockAfterMinutes: integer("lock_after_minutes").notNull().default(15),
  retentionDays: integer("retention_days").notNull().default(365),
  createdAt: integer("created_at").notNull(),
  /**
   * Migration 0008 (slice D): the rest of the unsigned proposal / copy of the signed profile
   * (`description` above is the Dutch description): PROTOCOL.md §10 type 0x0b.
   */
  descriptionEn: text("description_en").notNull().default(""),
  /** JSON array of `{ kind, labelNl, labelEn, target }`. */
  crisisOptions: text("crisis_options").notNull().default("[]"),
  /** "" = the build's BRIEFGEHEIM_EXIT_URL. */
  exitUrl: text("exit_url").notNull().default(""),
  /**
   * Migration 0011: a new random value whenever anything a staff inbox list shows may have changed
   * (the threads of this helpline, their readers, this row). Written by triggers only, never by the
   * application; the listing's ETag is derived from it (routes/threads/list-tag.ts).
   */
  listVersion: integer("list_version").notNull().default(0),
});

export const rosters = sqliteTable(
  "rosters",
  {
    helplineId: text("helpline_id")
      .notNull()
      .references(() => helplines.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    bytes: bytes("bytes").notNull(),
    hash: bytes("hash").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.helplineId, t.version] })],
);

export const members = sqliteTable(
  "members",
  {
    id: text("id").primaryKey(),
    helplineId: text("helpline_id")
      .notNull()
      .references(() => helplines.id, { onDelete: "cascade" }),
    username: text("username").notNull().unique(),
    role: text("role", { enum: ["supervisor", "counsellor"] }).notNull(),
    status: text("status", { enum: ["pending", "active", "removed"] }).notNull(),
    displayName: text("display_name"),
    intakeReader: bool("intake_reader").notNull().default(false),
    signInPk: text("sign_in_pk").notNull().unique(),
    signPk: text("sign_pk").notNull(),
    boxPk: text("box_pk").notNull(),
    passSalt: bytes("pass_salt").notNull(),
    passOps: integer("pass_ops").notNull(),
    passMemKiB: integer("pass_mem_kib").notNull(),
    passProofHash: bytes("pass_proof_hash").notNull(),
    wrappedKey: bytes("wrapped_key").notNull(),
    recoveryProofHash: bytes("recovery_proof_hash").notNull(),
    recoveryWrappedKey: bytes("recovery_wrapped_key").notNull(),
    /** The MAC over the member's keys under their invite's secret (invite key binding); opaque here. */
    keyProof: bytes("key_proof"),
    createdAt: integer("created_at").notNull(),
    removedAt: integer("removed_at"),
  },
  (t) => [index("members_helpline").on(t.helplineId, t.id)],
);

export const invites = sqliteTable(
  "invites",
  {
    /** Client-chosen (or operator-generated) id; becomes the member id. */
    id: text("id").primaryKey(),
    helplineId: text("helpline_id")
      .notNull()
      .references(() => helplines.id, { onDelete: "cascade" }),
    tokenHash: bytes("token_hash").notNull().unique(),
    role: text("role", { enum: ["supervisor", "counsellor"] }).notNull(),
    firstSupervisor: bool("first_supervisor").notNull().default(false),
    /** Member id of the supervisor who created it; null for the operator. */
    createdBy: text("created_by"),
    /** The invite secret sealed by its inviter for themselves (opaque; null for operator invites). */
    sealedSecret: bytes("sealed_secret"),
    expiresInHours: integer("expires_in_hours").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    acceptedAt: integer("accepted_at"),
  },
  (t) => [index("invites_helpline").on(t.helplineId)],
);

/**
 * Signed helpline profiles (type 0x07, docs/PROTOCOL.md §10), every version a supervisor published;
 * the newest is what help-seekers are shown. Until the first one exists the helpline is "not open
 * yet" and `helplines.name`/`description` are only the operator's proposal for profile version 1.
 */
export const helplineProfiles = sqliteTable(
  "helpline_profiles",
  {
    helplineId: text("helpline_id")
      .notNull()
      .references(() => helplines.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    bytes: bytes("bytes").notNull(),
    signerPk: text("signer_pk").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.helplineId, t.version] })],
);

/**
 * Facts about the database itself. `protocol` = the protocol version of the structures it stores
 * ("2", written by migration 0003 on a database that holds no protocol-1 data); see db/protocol-check.ts.
 */
export const databaseMeta = sqliteTable("database_meta", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
});
