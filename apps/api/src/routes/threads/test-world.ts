/**
 * Shared setup of the thread route tests (ingest.test.ts, epochs.test.ts, access.test.ts): a fresh world
 * per test with one helpline, two counsellors and a help-seeker, plus the requests those tests repeat.
 * The fixtures are exported as live bindings so each test reads the values of its own `beforeEach`.
 */
import { claimThread, type EpochStart, reassignThread, type ThreadOpOptions } from "@briefgeheim/crypto";
import { count } from "drizzle-orm";
import { afterEach, beforeEach } from "vitest";
import { envelopes, epochRecords, grants, threads } from "../../db/schema.js";
import {
  createWorld,
  type HelplineFixture,
  type Seeker,
  type Staff,
  type World,
} from "../../testing/harness.js";

export let w: World;
export let h: HelplineFixture;
export let ines: Staff; // counsellor, intake reader
export let anna: Staff; // counsellor
export let seeker: Seeker;

/** Registers the per-test world; call once at the top of a test file. */
export function useThreadsWorld(): void {
  beforeEach(async () => {
    w = await createWorld();
    h = await w.setupHelpline("alpha", 1);
    ines = await w.addStaff(h, "Ines", "counsellor", true);
    anna = await w.addStaff(h, "Anna", "counsellor", false);
    seeker = await w.newSeeker(h.id);
  });
  afterEach(async () => {
    await w.cleanup();
  });
}

export async function counts() {
  const c = async (t: typeof threads | typeof envelopes | typeof epochRecords | typeof grants) =>
    (await w.db.read.select({ n: count() }).from(t))[0]!.n;
  return {
    threads: await c(threads),
    envelopes: await c(envelopes),
    records: await c(epochRecords),
    grants: await c(grants),
  };
}

/**
 * The thread's next epoch, made by `make` as `who` on the current record, keys and heads, and posted:
 * the answer and what was signed.
 */
export async function postEpoch(threadId: string, who: Staff, make: (base: ThreadOpOptions) => EpochStart) {
  const { record, keys } = await w.currentKeys(threadId, who);
  const next = make({
    prev: record,
    prevKeys: keys!,
    roster: h.roster,
    signer: who.signing,
    random: w.random,
    now: w.clock.now(),
    heads: await w.currentHeads(threadId, who),
  });
  const res = await w.request("POST", `/api/threads/${threadId}/epochs`, {
    cookie: who.cookie,
    body: { record: w.b64(next.record), grants: next.grants.map(w.b64) },
  });
  return { res, next };
}

export function claim(threadId: string, who: Staff) {
  return postEpoch(threadId, who, (base) => claimThread(w.sodium, base));
}

export async function reassign(threadId: string, to: Staff, by: Staff = h.supervisor) {
  const { record, keys } = await w.currentKeys(threadId, by);
  const next = reassignThread(w.sodium, {
    prev: record,
    prevKeys: keys!,
    roster: h.roster,
    signer: by.signing,
    to: to.member,
    random: w.random,
    now: w.clock.now(),
    heads: await w.currentHeads(threadId, by),
  });
  return { next, body: { record: w.b64(next.record), grants: next.grants.map(w.b64) } };
}

export function post(
  threadId: string,
  who: { cookie?: string },
  id: string,
  envelope: string,
  status?: string,
) {
  return w.request("POST", `/api/threads/${threadId}/envelopes`, {
    cookie: who.cookie,
    body: { id, envelope, ...(status ? { status } : {}) },
  });
}
