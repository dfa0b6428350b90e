/** Saved replies (migration 0010): each member's own set and the team's set, sealed. */
import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { bytes } from "./columns.js";
import { helplines } from "./helplines.js";

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
