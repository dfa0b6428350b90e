/**
 * Every journey of docs/REQUIREMENTS.md §1 through packages/client against the real API in-process:
 * operator -> first supervisor (root key, roster v1) -> counsellors invited and admitted (roster v2)
 * -> a help-seeker writes -> counsellor A claims, replies, writes a note -> the supervisor moves A's
 * whole caseload to B (interrupted once, then resumed) -> B reads everything and replies -> A is
 * locked out of what follows -> the help-seeker returns on a new client with the code -> A is
 * removed -> another helpline sees nothing of the first.
 */
import { afterAll, beforeAll, describe } from "vitest";
import { caseworkSteps } from "./journeys-casework.js";
import { startHarness } from "./journeys-harness.js";
import { onboardingSteps } from "./journeys-onboarding.js";
import type { JourneyState } from "./journeys-support.js";

// One long stateful sequence: the steps live in journeys-onboarding.ts and journeys-casework.ts and
// run in this one file, in order, sharing `j`.
const j = {} as JourneyState;

beforeAll(async () => {
  j.h = await startHarness();
});
afterAll(async () => {
  await j.h?.close();
});

describe("journeys through packages/client against the real API", () => {
  onboardingSteps(j);
  caseworkSteps(j);
});
