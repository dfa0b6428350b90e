/** Statistics (migration 0007, issue 13): daily counters, workload, sealed survey answers, reports. */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { bytes } from "./columns.js";
import { helplines } from "./helplines.js";
import { threads } from "./threads.js";

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
