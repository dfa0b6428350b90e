/**
 * The database schema (drizzle, SQLite/libSQL). Migrations in /drizzle are generated from this file
 * with `npm run db:generate`.
 *
 * Storage conventions:
 * - Ids (helpline, thread, member, envelope, invite) and public keys are stored as the unpadded
 *   base64url text the API uses, so lookups compare the wire form directly.
 * - Binary structures (rosters, epoch records, grants, envelopes, drafts, wrapped keys) and hashes are
 *   BLOBs: 25% smaller than base64 and never mistaken for text.
 * - Times are integer milliseconds since the epoch.
 * - Nothing here holds plaintext, a code, a passphrase, a proof (only its hash), a private key, an IP
 *   address or a user agent.
 */
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const bytes = (name: string) => blob(name, { mode: "buffer" });
const bool = (name: string) => integer(name, { mode: "boolean" });

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

export const threads = sqliteTable(
  "threads",
  {
    id: text("id").primaryKey(),
    helplineId: text("helpline_id")
      .notNull()
      .references(() => helplines.id, { onDelete: "cascade" }),
    seekerId: text("seeker_id")
      .notNull()
      .references(() => seekers.id, { onDelete: "cascade" }),
    /** The help-seeker reader's keys from epoch 0 (messageSign and box keys). */
    seekerSignPk: text("seeker_sign_pk").notNull(),
    seekerBoxPk: text("seeker_box_pk").notNull(),
    status: text("status", { enum: ["open", "waiting", "closed"] }).notNull(),
    flagged: bool("flagged").notNull().default(false),
    /** The envelope id of the encrypted note the help flag was raised with (staff stream), if any. */
    flagNoteId: text("flag_note_id"),
    currentEpoch: integer("current_epoch").notNull(),
    /** True while in intake (epoch 0). */
    intake: bool("intake").notNull(),
    /** JSON array of the member ids of the current epoch's counsellor readers (after intake). */
    assignees: text("assignees").notNull().default("[]"),
    createdAt: integer("created_at").notNull(),
    lastSeekerMessageAt: integer("last_seeker_message_at"),
    lastStaffMessageAt: integer("last_staff_message_at"),
    waitingSince: integer("waiting_since"),
    expiresAt: integer("expires_at").notNull(),
    /** Inbox order: waiting threads by waitingSince ascending first, then the others by last activity. */
    sortKey: integer("sort_key").notNull(),
    /** Counters for envelope positions: all streams, and the main stream alone. */
    envelopeCount: integer("envelope_count").notNull().default(0),
    mainCount: integer("main_count").notNull().default(0),
  },
  (t) => [
    index("threads_inbox").on(t.helplineId, t.sortKey, t.id),
    index("threads_intake").on(t.helplineId, t.intake, t.sortKey, t.id),
    index("threads_flagged").on(t.helplineId, t.flagged, t.sortKey, t.id),
    index("threads_seeker").on(t.seekerId, t.sortKey, t.id),
    index("threads_expiry").on(t.expiresAt),
  ],
);

/** The staff readers of each thread's current epoch (for authorisation and the "mine" view). */
export const threadReaders = sqliteTable(
  "thread_readers",
  {
    threadId: text("thread_id")
      .notNull()
      .references(() => threads.id, { onDelete: "cascade" }),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["supervisor", "counsellor"] }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.threadId, t.memberId] }),
    index("thread_readers_member").on(t.memberId, t.threadId),
  ],
);

export const epochRecords = sqliteTable(
  "epoch_records",
  {
    threadId: text("thread_id")
      .notNull()
      .references(() => threads.id, { onDelete: "cascade" }),
    epoch: integer("epoch").notNull(),
    bytes: bytes("bytes").notNull(),
    hash: bytes("hash").notNull(),
    signerPk: text("signer_pk").notNull(),
    reason: text("reason").notNull(),
    rosterVersion: integer("roster_version").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.threadId, t.epoch] })],
);

export const grants = sqliteTable(
  "grants",
  {
    threadId: text("thread_id")
      .notNull()
      .references(() => threads.id, { onDelete: "cascade" }),
    epoch: integer("epoch").notNull(),
    recipientBoxPk: text("recipient_box_pk").notNull(),
    bytes: bytes("bytes").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.threadId, t.epoch, t.recipientBoxPk] }),
    index("grants_recipient").on(t.threadId, t.recipientBoxPk, t.epoch),
  ],
);

export const envelopes = sqliteTable(
  "envelopes",
  {
    threadId: text("thread_id")
      .notNull()
      .references(() => threads.id, { onDelete: "cascade" }),
    /** Client-chosen id (idempotency), unique within the thread. */
    id: text("id").notNull(),
    /** Server order over all streams (staff listing), 1, 2, 3, ... */
    position: integer("position").notNull(),
    /** Server order within the stream (help-seekers list the main stream by this). */
    streamPosition: integer("stream_position").notNull(),
    epoch: integer("epoch").notNull(),
    stream: text("stream", { enum: ["main", "staff"] }).notNull(),
    kind: text("kind", { enum: ["message", "note", "status", "event"] }).notNull(),
    senderPk: text("sender_pk").notNull(),
    seq: integer("seq").notNull(),
    hash: bytes("hash").notNull().unique(),
    bytes: bytes("bytes").notNull(),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.threadId, t.id] }),
    uniqueIndex("envelopes_position").on(t.threadId, t.position),
    uniqueIndex("envelopes_stream_position").on(t.threadId, t.stream, t.streamPosition),
    uniqueIndex("envelopes_sender_seq").on(t.threadId, t.stream, t.senderPk, t.seq),
  ],
);

/** Encrypted drafts; `owner` is `seeker:<id>` or `member:<id>`. */
export const drafts = sqliteTable(
  "drafts",
  {
    owner: text("owner").notNull(),
    context: text("context").notNull(),
    bytes: bytes("bytes").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.owner, t.context] }), index("drafts_context").on(t.context)],
);

/** Append-only, hash-chained audit log per helpline (metadata only). */
export const auditLog = sqliteTable(
  "audit_log",
  {
    helplineId: text("helpline_id")
      .notNull()
      .references(() => helplines.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    at: integer("at").notNull(),
    actorKind: text("actor_kind", { enum: ["staff", "seeker", "operator"] }).notNull(),
    actorId: text("actor_id"),
    action: text("action").notNull(),
    threadId: text("thread_id"),
    subjectId: text("subject_id"),
    /** Canonical JSON of the details object. */
    details: text("details").notNull(),
    prevHash: bytes("prev_hash").notNull(),
    hash: bytes("hash").notNull(),
  },
  (t) => [primaryKey({ columns: [t.helplineId, t.seq] })],
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

export const schema = {
  serverSecrets,
  helplines,
  rosters,
  members,
  invites,
  seekers,
  sessions,
  challenges,
  threads,
  threadReaders,
  epochRecords,
  grants,
  envelopes,
  drafts,
  auditLog,
  helplineProfiles,
  databaseMeta,
};

// --- Slice G: statistics (migration 0007, issue 13) ---

/**
 * Daily figures per helpline (UTC days since 1970-01-01), counted by the write that causes them
 * (services/stats.ts): they outlive the conversations they count. Metadata only.
 */
export const statsDays = sqliteTable(
  "stats_days",
  {
    helplineId: text("helpline_id")
      .notNull()
      .references(() => helplines.id, { onDelete: "cascade" }),
    day: integer("day").notNull(),
    conversations: integer("conversations").notNull().default(0),
    seekerMessages: integer("seeker_messages").notNull().default(0),
    staffMessages: integer("staff_messages").notNull().default(0),
    /** Conversations answered for the first time this day, the sum of their waits, and how many in time. */
    firstReplies: integer("first_replies").notNull().default(0),
    firstReplyMs: integer("first_reply_ms").notNull().default(0),
    firstInTime: integer("first_in_time").notNull().default(0),
    firstWithin1h: integer("first_within_1h").notNull().default(0),
    firstWithin24h: integer("first_within_24h").notNull().default(0),
    /** Staff messages that ended a wait (a help-seeker's unanswered message), their waits, in time. */
    replies: integer("replies").notNull().default(0),
    replyMs: integer("reply_ms").notNull().default(0),
    repliesInTime: integer("replies_in_time").notNull().default(0),
    closed: integer("closed").notNull().default(0),
    reassigned: integer("reassigned").notNull().default(0),
    deleted: integer("deleted").notNull().default(0),
    expired: integer("expired").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.helplineId, t.day] })],
);

/** Workload per staff member and day: replies, first replies, conversations taken on. */
export const statsMemberDays = sqliteTable(
  "stats_member_days",
  {
    helplineId: text("helpline_id")
      .notNull()
      .references(() => helplines.id, { onDelete: "cascade" }),
    day: integer("day").notNull(),
    memberId: text("member_id").notNull(),
    replies: integer("replies").notNull().default(0),
    firstReplies: integer("first_replies").notNull().default(0),
    taken: integer("taken").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.helplineId, t.day, t.memberId] })],
);

/** One sealed survey record (type 0x09) per conversation; the server cannot read it. */
export const surveyAnswers = sqliteTable(
  "survey_answers",
  {
    threadId: text("thread_id")
      .primaryKey()
      .references(() => threads.id, { onDelete: "cascade" }),
    helplineId: text("helpline_id")
      .notNull()
      .references(() => helplines.id, { onDelete: "cascade" }),
    bytes: bytes("bytes").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("survey_answers_helpline").on(t.helplineId, t.createdAt, t.threadId)],
);

/** Which survey questions a helpline asks (JSON array of question ids), set by a supervisor. */
export const surveySettings = sqliteTable("survey_settings", {
  helplineId: text("helpline_id")
    .primaryKey()
    .references(() => helplines.id, { onDelete: "cascade" }),
  questions: text("questions").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** Published annual reports (type 0x0a), signed by a supervisor; one per helpline and year. */
export const annualReports = sqliteTable(
  "annual_reports",
  {
    helplineId: text("helpline_id")
      .notNull()
      .references(() => helplines.id, { onDelete: "cascade" }),
    year: integer("year").notNull(),
    bytes: bytes("bytes").notNull(),
    signerPk: text("signer_pk").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.helplineId, t.year] })],
);

/**
 * Attachment uploads (docs/PROTOCOL.md §6): the stream header and layout the client declared; only
 * ciphertext, padded sizes and times. `uploader` (`member:<id>` or `session:<token hash>`) and
 * `expires_at` are set while the upload is unbound and cleared when a message names it; `thread_id` is
 * the reply's thread (or null for a new conversation until its first message binds it). An upload its
 * owner deleted stays as a ledger row without chunks or header (`uploader` = `deleted:<owner>`) until its
 * expiry, so the day's bytes are not given back (services/attachments-ledger.ts).
 */
export const attachments = sqliteTable(
  "attachments",
  {
    id: text("id").primaryKey(),
    helplineId: text("helpline_id")
      .notNull()
      .references(() => helplines.id, { onDelete: "cascade" }),
    threadId: text("thread_id").references(() => threads.id, { onDelete: "cascade" }),
    uploader: text("uploader"),
    envelopeId: text("envelope_id"),
    header: bytes("header").notNull(),
    paddedSize: integer("padded_size").notNull(),
    chunkCount: integer("chunk_count").notNull(),
    complete: bool("complete").notNull().default(false),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at"),
  },
  (t) => [
    index("attachments_thread").on(t.threadId, t.createdAt),
    index("attachments_uploader").on(t.uploader, t.helplineId),
    index("attachments_expiry").on(t.expiresAt),
  ],
);

/** The encrypted chunks of an attachment (exact sizes checked on upload). */
export const attachmentChunks = sqliteTable(
  "attachment_chunks",
  {
    attachmentId: text("attachment_id")
      .notNull()
      .references(() => attachments.id, { onDelete: "cascade" }),
    idx: integer("idx").notNull(),
    bytes: bytes("bytes").notNull(),
  },
  (t) => [primaryKey({ columns: [t.attachmentId, t.idx] })],
);

/** A helpline's attachment limits; without a row the defaults of LIMITS.attachments apply. */
export const attachmentLimits = sqliteTable("attachment_limits", {
  helplineId: text("helpline_id")
    .primaryKey()
    .references(() => helplines.id, { onDelete: "cascade" }),
  maxFileBytes: integer("max_file_bytes").notNull(),
  maxFilesPerMessage: integer("max_files_per_message").notNull(),
  dailyBytesPerConversation: integer("daily_bytes_per_conversation").notNull(),
});

/**
 * Saved replies (docs/PROTOCOL.md §14, migration 0010): `owner` is `member:<id>` (the member's own set,
 * type 0x0c) or `team` (the helpline's, type 0x0d). Only ciphertext, the compare-and-set revision and
 * the time of the last save.
 */
export const savedReplies = sqliteTable(
  "saved_replies",
  {
    helplineId: text("helpline_id")
      .notNull()
      .references(() => helplines.id, { onDelete: "cascade" }),
    owner: text("owner").notNull(),
    revision: integer("revision").notNull(),
    bytes: bytes("bytes").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.helplineId, t.owner] })],
);
