/** Conversations: the thread row, its readers, epoch records, grants, envelopes, and drafts. */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { bool, bytes } from "./columns.js";
import { helplines, members } from "./helplines.js";
import { seekers } from "./sessions.js";

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
