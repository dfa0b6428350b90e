import { z } from "zod";
import { b64, idSchema } from "./common.js";

/** A calendar day as `YYYY-MM-DD` (UTC; statistics count whole UTC days). */
export const daySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, "not a calendar day");

/** The longest range one statistics request covers (a little over three years). */
export const STATS_MAX_DAYS = 1_200;

/** `GET /api/stats?from=YYYY-MM-DD&to=YYYY-MM-DD` (both days included). */
export const statsQuerySchema = z
  .object({ from: daySchema, to: daySchema })
  .refine((q) => q.from <= q.to, "from: after to")
  .refine(
    (q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < STATS_MAX_DAYS,
    `at most ${STATS_MAX_DAYS} days`,
  );

const count = z.number().int().nonnegative();

/** One day's figures of a helpline (metadata only). Days without any event are left out. */
export const statsDaySchema = z.object({
  day: daySchema,
  conversations: count,
  seekerMessages: count,
  staffMessages: count,
  /** Conversations answered for the first time this day; the sum of their waits (ms); in time. */
  firstReplies: count,
  firstReplyMs: count,
  firstInTime: count,
  firstWithin1h: count,
  firstWithin24h: count,
  /** Staff messages that ended a wait; the sum of those waits (ms); in time. */
  replies: count,
  replyMs: count,
  repliesInTime: count,
  closed: count,
  reassigned: count,
  deleted: count,
  expired: count,
});
export type StatsDay = z.infer<typeof statsDaySchema>;

/** The counters of a day (every field but `day`), as the server keeps them and the screen sums them. */
export type StatsCounter = Exclude<keyof StatsDay, "day">;

/** Every counter, in the schema's order (derived from it, so the server and the screen cannot drift). */
export const STATS_COUNTERS: readonly StatsCounter[] = Object.keys(statsDaySchema.shape).filter(
  (k): k is StatsCounter => k !== "day",
);

/** Workload of one staff member over the range, and the open conversations they read now. */
export const statsMemberSchema = z.object({
  memberId: idSchema,
  replies: count,
  firstReplies: count,
  taken: count,
  openNow: count,
});
export type StatsMember = z.infer<typeof statsMemberSchema>;

export const statsResponseSchema = z.object({
  helplineId: idSchema,
  from: daySchema,
  to: daySchema,
  /** The promised reply time the figures count "in time" against. */
  replyTimeHours: z.number().int().positive(),
  days: z.array(statsDaySchema),
  members: z.array(statsMemberSchema),
});
export type StatsResponse = z.infer<typeof statsResponseSchema>;

/** The survey questions a helpline may ask (docs/SEEKER.md); the answers' ids are fixed per question. */
export const SURVEY_QUESTIONS = {
  age: ["under-12", "12-15", "16-18", "19-23", "24-30", "31-45", "46-65", "over-65"],
  gender: ["girl-woman", "boy-man", "other", "rather-not"],
  topic: ["loneliness", "relationships", "family", "school-work", "mental-health", "violence", "other"],
  reason: ["anonymity", "prefer-writing", "own-time", "other"],
  found: ["search", "school", "friend", "social-media", "professional", "other"],
} as const;
export type SurveyQuestion = keyof typeof SURVEY_QUESTIONS;
export const SURVEY_QUESTION_IDS = Object.keys(SURVEY_QUESTIONS) as SurveyQuestion[];
export const surveyQuestionSchema = z.enum(SURVEY_QUESTION_IDS as [SurveyQuestion, ...SurveyQuestion[]]);

/** `GET|PUT /api/stats/questions`: which questions the helpline asks, in this order. */
export const surveySettingsSchema = z.object({
  questions: z
    .array(surveyQuestionSchema)
    .max(SURVEY_QUESTION_IDS.length)
    .refine((q) => new Set(q).size === q.length, "each question once"),
});
export type SurveySettings = z.infer<typeof surveySettingsSchema>;

/** The largest sealed survey record (type 0x09). */
export const SURVEY_RECORD_MAX_BYTES = 512;

/** `PUT /api/stats/answers/:threadId` (the help-seeker of the thread; once per conversation). */
export const putSurveyRequestSchema = z.object({ record: b64(SURVEY_RECORD_MAX_BYTES) });

/** A page cursor: `<createdAt>.<threadId>` of the page's last item. */
export const SURVEY_CURSOR_PATTERN = /^\d{1,16}\.[A-Za-z0-9_-]{22}$/;
/** `GET /api/stats/answers?from&to&after`: sealed records with what the caller needs to open them. */
export const surveyAnswersQuerySchema = z.object({
  from: daySchema,
  to: daySchema,
  /** The `next` of the previous page. */
  after: z.string().regex(SURVEY_CURSOR_PATTERN).optional(),
});
export const surveyAnswerItemSchema = z.object({
  threadId: idSchema,
  createdAt: z.number().int().nonnegative(),
  /** The sealed record (type 0x09). */
  record: z.string(),
  /** The caller's grant of epoch 0, if they have one (supervisors and intake readers of that time). */
  grant: z.string().nullable(),
});
export type SurveyAnswerItem = z.infer<typeof surveyAnswerItemSchema>;
/** Items per page of `GET /api/stats/answers` (the server's page; a client refuses a longer one). */
export const SURVEY_ANSWERS_PAGE = 2_000;
/**
 * The most conversations one count goes through: far above an honest listing (the Dutch network's
 * busiest year was 181,581 conversations for all its helplines together, and a range is at most
 * STATS_MAX_DAYS), so a listing that never ends stops here instead of growing the tab's memory.
 */
export const SURVEY_COUNT_MAX_ITEMS = 1_000_000;
export const surveyAnswersResponseSchema = z.object({
  items: z.array(surveyAnswerItemSchema).max(SURVEY_ANSWERS_PAGE),
  next: z.string().nullable(),
});
export type SurveyAnswersResponse = z.infer<typeof surveyAnswersResponseSchema>;
/**
 * The response header of `GET /api/stats/answers` that repeats the body's `next` (absent on the last
 * page): the staff app fetches the next page before the body is parsed, in a worker that refuses a
 * page whose `next` differs from it.
 */
export const SURVEY_ANSWERS_NEXT_HEADER = "Briefgeheim-Next";
