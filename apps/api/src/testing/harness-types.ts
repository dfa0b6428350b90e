/** Shared types and the clock of the test harness (harness.ts). */
import type { BoxKeyPair, RootKey, Roster, RosterMember, SignKeyPair } from "@briefgeheim/crypto";

export const ORIGIN = "https://briefgeheim.test";

export class TestClock {
  constructor(public t = 1_800_000_000_000) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface Res<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
  /** The session cookie value from Set-Cookie, if any. */
  cookie: string | undefined;
}

export interface Staff {
  username: string;
  memberId: string;
  helplineId: string;
  proof: Uint8Array;
  recoveryProof: Uint8Array;
  signIn: SignKeyPair;
  signing: SignKeyPair;
  box: BoxKeyPair;
  member: RosterMember;
  cookie?: string;
}

export interface Seeker {
  helplineId: string;
  signIn: SignKeyPair;
  messageSign: SignKeyPair;
  box: BoxKeyPair;
  cookie?: string;
}

export interface HelplineFixture {
  id: string;
  slug: string;
  root: RootKey;
  roster: Roster;
  supervisor: Staff;
}

/** The harness's request helper: one call to the in-process app, JSON in and out. */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
export type RequestFn = <T = any>(
  method: string,
  path: string,
  opts?: {
    body?: unknown;
    cookie?: string | undefined;
    headers?: Record<string, string>;
    raw?: string;
  },
) => Promise<Res<T>>;
