import { describe, expect, it } from "vitest";
import { SURVEY_QUESTION_IDS, SURVEY_QUESTIONS } from "./stats.js";
import { type AnnualReportInput, annualReportContentSchema, suppressAnnualReport } from "./stats-report.js";

function input(): AnnualReportInput {
  const questions = Object.fromEntries(
    SURVEY_QUESTION_IDS.map((q) => [
      q,
      { answered: 0, counts: Object.fromEntries(SURVEY_QUESTIONS[q].map((a) => [a, 0])) },
    ]),
  ) as unknown as AnnualReportInput["survey"]["questions"];
  return {
    helplineName: "Hulplijn",
    year: 2026,
    replyTimeHours: 72,
    figures: {
      conversations: 1234,
      seekerMessages: 5000,
      staffMessages: 4000,
      firstReplies: 1200,
      firstInTime: 1100,
      closed: 9,
      reassigned: 10,
      deleted: 0,
      expired: 3,
    },
    survey: { records: 40, questions },
  };
}

describe("annual report suppression", () => {
  it("shows counts under 10 as <10 and leaves out percentages over a base under 10", () => {
    const i = input();
    const reason = i.survey.questions.reason as { answered: number; counts: Record<string, number> };
    reason.answered = 40;
    Object.assign(reason.counts, { anonymity: 24, "prefer-writing": 9, "own-time": 7, other: 0 });
    const age = i.survey.questions.age as { answered: number; counts: Record<string, number> };
    age.answered = 9;
    age.counts["16-18"] = 9;
    const c = suppressAnnualReport(i);
    expect(c.figures).toMatchObject({
      conversations: 1234,
      closed: "<10",
      reassigned: 10,
      deleted: "<10",
      expired: "<10",
    });
    expect(c.firstInTimePercent).toBe(91.7);
    expect(c.survey.records).toBe(40);
    expect(c.survey.questions.reason).toEqual({
      answered: 40,
      percent: { anonymity: 60, "prefer-writing": 22.5, "own-time": 17.5, other: 0 },
    });
    expect(c.survey.questions.age).toEqual({ answered: "<10", percent: null });
    expect(annualReportContentSchema.safeParse(c).success).toBe(true);
  });

  it("the schema refuses content that leaks a small count or a percentage of a small base", () => {
    const i = input();
    (i.survey.questions.reason as { answered: number }).answered = 40;
    const c = suppressAnnualReport(i);
    expect(c.survey.questions.reason.percent).not.toBeNull();
    expect(annualReportContentSchema.safeParse({ ...c, figures: { ...c.figures, closed: 3 } }).success).toBe(
      false,
    );
    const small = { ...c, figures: { ...c.figures, firstReplies: "<10" as const }, firstInTimePercent: 50 };
    expect(annualReportContentSchema.safeParse(small).success).toBe(false);
    const q = {
      ...c.survey.questions,
      age: { answered: "<10" as const, percent: c.survey.questions.reason.percent },
    };
    expect(annualReportContentSchema.safeParse({ ...c, survey: { ...c.survey, questions: q } }).success).toBe(
      false,
    );
  });
});
