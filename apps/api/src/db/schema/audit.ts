/** The audit log (metadata only; pruned with retention behind a chained checkpoint entry: services/audit-prune.ts). */
import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { bytes } from "./columns.js";
import { helplines } from "./helplines.js";

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
