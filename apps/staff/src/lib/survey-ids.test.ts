import * as P from "@briefgeheim/protocol";
import { describe, expect, it } from "vitest";
import { ANNUAL_FIGURES, SURVEY_QUESTION_IDS, SURVEY_QUESTIONS } from "./survey-ids.js";

describe("the staff app's copy of the survey ids", () => {
  it("is the protocol's", () => {
    expect(SURVEY_QUESTIONS).toEqual(P.SURVEY_QUESTIONS);
    expect(SURVEY_QUESTION_IDS).toEqual(P.SURVEY_QUESTION_IDS);
    expect([...ANNUAL_FIGURES]).toEqual([...P.ANNUAL_FIGURES]);
  });
});
