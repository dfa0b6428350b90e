/** Attachments (migration 0006): encrypted files in chunks, and per-helpline limits. */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { bool, bytes } from "./columns.js";
import { helplines } from "./helplines.js";
import { threads } from "./threads.js";

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
