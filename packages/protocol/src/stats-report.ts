import { z } from "zod";
import { b64 } from "./common.js";
import { SURVEY_QUESTION_IDS, SURVEY_QUESTIONS, type SurveyQuestion } from "./stats.js";

/**
 * A helpline's annual report (issue 13 part 4; the signed structure is type 0x0a, docs/PROTOCOL.md
 * §13): the year's figures and survey percentages, with every count under 10 shown as "<10" and
 * percentages left out where their base is under 10, so nothing published points at a few people.
 */
export const SMALL_COUNT = 10;
export const SUPPRESSED = "<10" as const;

export const ANNUAL_FIGURES = [
  "conversations",
  "seekerMessages",
  "staffMessages",
  "firstReplies",
  "firstInTime",
  "closed",
  "reassigned",
  "deleted",
  "expired",
] as const;
export type AnnualFigure = (typeof ANNUAL_FIGURES)[number];

/** What the staff app counts before suppression (never published as such). */
export interface AnnualReportInput {
  readonly helplineName: string;
  readonly year: number;
  readonly replyTimeHours: number;
  readonly figures: Readonly<Record<AnnualFigure, number>>;
  readonly survey: {
    readonly records: number;
    readonly questions: Readonly<
      Record<SurveyQuestion, { readonly answered: number; readonly counts: Readonly<Record<string, number>> }>
    >;
  };
}

const shown = z.union([z.number().int().min(SMALL_COUNT), z.literal(SUPPRESSED)]);
const pct = z.number().min(0).max(100);

/** The published content; a count under 10 anywhere, or a percentage over a base under 10, is refused. */
export const annualReportContentSchema = z
  .strictObject({
    version: z.literal(1),
    helplineName: z.string().max(200),
    year: z.number().int().min(2000).max(9999),
    replyTimeHours: z.number().int().positive(),
    figures: z.strictObject(
      Object.fromEntries(ANNUAL_FIGURES.map((f) => [f, shown])) as Record<AnnualFigure, typeof shown>,
    ),
    firstInTimePercent: pct.nullable(),
    survey: z.strictObject({
      records: shown,
      questions: z.strictObject(
        Object.fromEntries(
          SURVEY_QUESTION_IDS.map((q) => [
            q,
            z.strictObject({
              answered: shown,
              percent: z
                .strictObject(Object.fromEntries(SURVEY_QUESTIONS[q].map((a) => [a, pct])))
                .nullable(),
            }),
          ]),
        ) as unknown as Record<
          SurveyQuestion,
          z.ZodType<{ answered: number | "<10"; percent: Record<string, number> | null }>
        >,
      ),
    }),
  })
  .refine((c) => (c.figures.firstReplies === SUPPRESSED ? c.firstInTimePercent === null : true), {
    message: "a percentage over a base under 10",
  })
  .refine(
    (c) =>
      Object.values(c.survey.questions).every((q) =>
        q.answered === SUPPRESSED ? q.percent === null : q.percent !== null,
      ),
    { message: "a survey percentage over a base under 10" },
  );
export type AnnualReportContent = z.infer<typeof annualReportContentSchema>;

function show(n: number): number | typeof SUPPRESSED {
  return n < SMALL_COUNT ? SUPPRESSED : n;
}

/** A share in percent with one decimal, or null when the base is under 10. */
export function shareOf(part: number, base: number): number | null {
  return base < SMALL_COUNT ? null : Math.round((1000 * part) / base) / 10;
}

/**
 * The content to sign: counts under 10 become "<10", percentages need a base of at least 10.
 *
 * @example
 * const content = suppressAnnualReport({ helplineName, year: 2026, replyTimeHours: 72, figures, survey });
 */
export function suppressAnnualReport(input: AnnualReportInput): AnnualReportContent {
  const figures = Object.fromEntries(ANNUAL_FIGURES.map((f) => [f, show(input.figures[f])])) as Record<
    AnnualFigure,
    number | typeof SUPPRESSED
  >;
  const questions = Object.fromEntries(
    SURVEY_QUESTION_IDS.map((q) => {
      const { answered, counts } = input.survey.questions[q];
      const percent =
        answered < SMALL_COUNT
          ? null
          : Object.fromEntries(SURVEY_QUESTIONS[q].map((a) => [a, shareOf(counts[a] ?? 0, answered) ?? 0]));
      return [q, { answered: show(answered), percent }];
    }),
  ) as AnnualReportContent["survey"]["questions"];
  return {
    version: 1,
    helplineName: input.helplineName,
    year: input.year,
    replyTimeHours: input.replyTimeHours,
    figures,
    firstInTimePercent: shareOf(input.figures.firstInTime, input.figures.firstReplies),
    survey: { records: show(input.survey.records), questions },
  };
}

/** `PUT /api/stats/reports/:year` (supervisors): the signed report (type 0x0a). */
export const putAnnualReportRequestSchema = z.object({ report: b64(24 * 1024) });
export const annualReportYearParamSchema = z.object({
  year: z
    .string()
    .regex(/^\d{4}$/)
    .transform(Number)
    .refine((y) => y >= 2000, "from 2000"),
});
export const annualReportsResponseSchema = z.object({
  reports: z.array(z.object({ year: z.number().int(), report: z.string(), createdAt: z.number().int() })),
});
