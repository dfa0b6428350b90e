import { SURVEY_QUESTIONS, type SurveyQuestion } from "@briefgeheim/protocol";
import { ClientError } from "./errors.js";

/** A help-seeker's answers: question -> answer id; skipped questions are absent. */
export type SurveyAnswerSet = Partial<Record<SurveyQuestion, string>>;

/** True when every answer is a known answer of a known question (what the apps may seal or count). */
export function isKnownAnswerSet(answers: Readonly<Record<string, string>>): answers is SurveyAnswerSet {
  return Object.entries(answers).every(([q, a]) => {
    const options = (SURVEY_QUESTIONS as Record<string, readonly string[]>)[q];
    return options?.includes(a) === true;
  });
}

/** Throws `VALIDATION_FAILED` before anything is sealed when an answer is not one of the fixed ids. */
export function checkAnswerSet(answers: Readonly<Record<string, string>>): SurveyAnswerSet {
  if (!isKnownAnswerSet(answers)) throw new ClientError("VALIDATION_FAILED", "unknown survey answer");
  return answers;
}
