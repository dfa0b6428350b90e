/** The journeys (tests/journeys.test.ts): passphrases, plaintext markers, the failure helper and the shared state. */
import { ClientError, type SeekerSession, type StaffSession } from "@briefgeheim/client";
import type { MemberId, ThreadId } from "@briefgeheim/crypto";
import type { Harness } from "./journeys-harness.js";

export const PASS = {
  sup: "correct horse battery staple",
  anna: "anna's lange wachtzin",
  bram: "bram zegt hallo 123",
};
export const MARK = {
  subject: "MARKER-SUBJECT-7f3a",
  body: "MARKER-BODY-91c2 Ik weet niet meer wat ik moet doen.",
  reply: "MARKER-REPLY-A-55d0 Fijn dat je schrijft.",
  note: "MARKER-NOTE-e8b4 overleg met coördinator",
  replyB: "MARKER-REPLY-B-0c1d Ik neem het van Anna over.",
  again: "MARKER-AGAIN-3a9f Dank jullie.",
  draft: "MARKER-DRAFT-77aa half af",
};

export async function failure(p: Promise<unknown>): Promise<ClientError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ClientError) return e;
    throw e;
  }
  throw new Error("expected the call to fail");
}

/** The journey's state, handed from step to step (vitest runs the steps of one file in order). */
export interface JourneyState {
  h: Harness;
  // Helpline 1 and its people.
  hl1: { helplineId: string; token: string };
  fingerprint1: string;
  pins: Record<string, string>;
  sup: StaffSession;
  anna: { memberId: MemberId; token: string; secret: string };
  bram: { memberId: MemberId; token: string; secret: string };
  annaSession: StaffSession;
  bramSession: StaffSession;
  seeker: SeekerSession;
  code: string;
  t1: ThreadId;
  t2: ThreadId;
  t3: ThreadId;
}
