/**
 * A caseload's handover events go to the server in batches (`POST /api/threads/envelopes/batch`,
 * issue 14), and the server answers each batch as it likes. The client holds the answer to what it
 * sent (`announceInBatches`): only the batch's own threads, each once, an acknowledgement only with the
 * sealed envelope's hash; a thread left out or a malformed answer is UNEXPECTED_RESPONSE in
 * `notAnnounced`, and its event stays pending on this device, so the next post to that thread finds it
 * stored (or sends the same bytes again) instead of signing a second event. A made-up conflict sends
 * the thread the slow way, which finds the event the server did store and posts nothing twice.
 */
import type { StaffSession, ThreadView } from "@briefgeheim/client";
import type { MemberId } from "@briefgeheim/crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { admittedCounsellor, conversation, createWorld, endAttack, type World } from "./world.js";

let w: World;
let bram: StaffSession;
let bramId: MemberId;

beforeAll(async () => {
  w = await createWorld();
  ({ session: bram, id: bramId } = await admittedCounsellor(w, "bram"));
});
afterEach(() => endAttack(w));
afterAll(async () => {
  await w?.close();
});

type Result = { threadId: string; ok: boolean; hash?: string; error?: { code: string; message: string } };
const BATCH = "POST /api/threads/envelopes/batch" as const;

const handovers = (view: ThreadView) => view.messages.filter((m) => m.kind === "event" && m.verified);

/** Rewrites the answers of the handover batches. */
function rewriteBatches(change: (results: Result[]) => unknown) {
  w.server.onResponse(BATCH, (body) => {
    const b = body as { results: Result[] };
    return { ...b, results: change(b.results) } as typeof body;
  });
}

const posted = (route: string) => w.server.log.filter((l) => l.startsWith(route)).length;

describe("handover events in batches", () => {
  it("an honest server: one batch request for every thread, no single posts, one verified event each", async () => {
    const a = await conversation(w, "batch-a");
    const b = await conversation(w, "batch-b");
    w.server.log.length = 0;
    const outcome = await w.vera.reassignCaseload({
      from: w.annaId,
      to: [bramId],
      threadIds: [a.threadId, b.threadId],
    });
    expect([outcome.changed.length, outcome.failed, outcome.notAnnounced]).toEqual([2, [], []]);
    expect(posted("POST /api/threads/envelopes/batch")).toBe(1);
    expect(w.server.log.filter((l) => /^POST \/api\/threads\/[^/]+\/envelopes$/.test(l))).toEqual([]);
    for (const c of [a, b]) {
      const view = await c.seeker.readThread(c.threadId);
      expect([view.ok, handovers(view).map((m) => m.handover?.memberId)]).toEqual([true, [bramId]]);
    }
  });

  it("a thread left out of the answer: UNEXPECTED_RESPONSE, and its next post finds the stored event instead of signing another", async () => {
    const a = await conversation(w, "batch-weg");
    const b = await conversation(w, "batch-blijft");
    rewriteBatches((results) => results.filter((r) => r.threadId !== a.threadId));
    const outcome = await w.vera.reassignCaseload({
      from: w.annaId,
      to: [bramId],
      threadIds: [a.threadId, b.threadId],
    });
    expect(outcome.changed.length).toBe(2);
    expect(outcome.notAnnounced.map((n) => [n.threadId, n.code])).toEqual([
      [a.threadId, "UNEXPECTED_RESPONSE"],
    ]);
    endAttack(w);
    // The honest server did store it: announcing again resolves the pending event, posts nothing new.
    expect(await w.vera.announceHandover(a.threadId, bramId)).toBeUndefined();
    const view = await bram.readThread(a.threadId);
    expect([view.ok, handovers(view).length]).toEqual([true, 1]);
  });

  it("an acknowledgement with another envelope's hash, an added thread, a repeated answer: only what was sent counts", async () => {
    const a = await conversation(w, "batch-hash");
    const b = await conversation(w, "batch-dubbel");
    const stranger = await conversation(w, "batch-vreemd");
    rewriteBatches((results) => [
      { ...results[0]!, threadId: stranger.threadId }, // a well-formed acknowledgement for a thread not sent
      ...results.map((r) => (r.threadId === a.threadId ? { ...r, hash: "QUFBQQ" } : r)),
      { threadId: b.threadId, ok: false, error: { code: "SEQUENCE_CONFLICT", message: "made up" } },
    ]);
    const outcome = await w.vera.reassignCaseload({
      from: w.annaId,
      to: [bramId],
      threadIds: [a.threadId, b.threadId],
    });
    // a: an acknowledgement of something else is not believed; b: the first answer counts, once.
    expect(outcome.notAnnounced.map((n) => [n.threadId, n.code])).toEqual([
      [a.threadId, "UNEXPECTED_RESPONSE"],
    ]);
    expect(outcome.changed.map((c) => c.threadId).sort()).toEqual([a.threadId, b.threadId].sort());
    // Nothing was posted to the stranger's thread, which stayed with Anna.
    const strangerView = await w.anna.readThread(stranger.threadId);
    expect(handovers(strangerView)).toEqual([]);
  });

  it("a malformed answer: every thread of the batch is UNEXPECTED_RESPONSE, no crash, no second event later", async () => {
    const a = await conversation(w, "batch-rommel");
    rewriteBatches(() => "niets");
    const outcome = await w.vera.reassignCaseload({ from: w.annaId, to: [bramId], threadIds: [a.threadId] });
    expect(outcome.notAnnounced.map((n) => [n.threadId, n.code])).toEqual([
      [a.threadId, "UNEXPECTED_RESPONSE"],
    ]);
    endAttack(w);
    expect(await w.vera.announceHandover(a.threadId, bramId)).toBeUndefined();
    expect(handovers(await bram.readThread(a.threadId))).toHaveLength(1);
  });

  it("a conflict made up for an event the server stored: the slow way finds it, and posts nothing twice", async () => {
    const a = await conversation(w, "batch-conflict");
    rewriteBatches((results) =>
      results.map((r) => ({
        threadId: r.threadId,
        ok: false,
        error: { code: "EPOCH_CONFLICT", message: "made up" },
      })),
    );
    const outcome = await w.vera.reassignCaseload({ from: w.annaId, to: [bramId], threadIds: [a.threadId] });
    expect([outcome.changed.length, outcome.notAnnounced]).toEqual([1, []]);
    const view = await a.seeker.readThread(a.threadId);
    expect([view.ok, handovers(view).length]).toEqual([true, 1]);
  });
});
