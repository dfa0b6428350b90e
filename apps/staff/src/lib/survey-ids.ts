/**
 * The survey's questions and answers, and the annual report's figures, as the protocol fixes them
 * (`SURVEY_QUESTIONS`, `ANNUAL_FIGURES` in packages/protocol; survey-ids.test.ts keeps them equal).
 * Copied, not imported: importing values from packages/protocol into the screens would pull its zod
 * schemas into the entry chunk, where zod probes `new Function` before the SDK chunk makes it jitless,
 * and the CSP (no 'unsafe-eval') reports that.
 */
export const SURVEY_QUESTIONS = {
  age: ["under-12", "12-15", "16-18", "19-23", "24-30", "31-45", "46-65", "over-65"],
  gender: ["girl-woman", "boy-man", "other", "rather-not"],
  topic: ["loneliness", "relationships", "family", "school-work", "mental-health", "violence", "other"],
  reason: ["anonymity", "prefer-writing", "own-time", "other"],
  found: ["search", "school", "friend", "social-media", "professional", "other"],
} as const;

export type SurveyQuestion = keyof typeof SURVEY_QUESTIONS;
export const SURVEY_QUESTION_IDS = Object.keys(SURVEY_QUESTIONS) as SurveyQuestion[];

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
