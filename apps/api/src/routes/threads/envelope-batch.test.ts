// POST /api/threads/envelopes/batch (issue 14): each item answered as POST /threads/:id/envelopes would
// answer it, one refused item changes nothing of the others, staff only, the caps.
import { LIMITS } from "@briefgeheim/protocol";
import { describe, expect, it } from "vitest";
import { anna, claim, counts, h, ines, post, seeker, useThreadsWorld, w } from "./test-world.js";

useThreadsWorld();

const batch = (cookie: string | undefined, items: { threadId: string; id: string; envelope: string }[]) =>
  w.request("POST", "/api/threads/envelopes/batch", { cookie, body: { items } });

/** A thread Ines claimed, and an envelope of hers for it (seq 1 in her main stream). */
async function claimedBy(who: typeof ines, kind: "message" | "status" = "message") {
  const t = await w.openNewThread(h, seeker);
  expect((await claim(t.threadId, who)).res.status).toBe(200);
  const { keys } = await w.currentKeys(t.threadId, who);
  const envelope = w.envelope({
    h,
    threadId: t.threadId,
    keys: keys!,
    sender: who.signing,
    seq: 1,
    kind,
    ...(kind === "status" ? { body: "closed" } : {}),
  });
  return { threadId: t.threadId, id: w.b64(w.random(16)), envelope };
}

describe("POST /api/threads/envelopes/batch", () => {
  it("stores each item as the single route would, answers per item in order, and refusals change nothing", async () => {
    const a = await claimedBy(ines);
    const b = await claimedBy(ines);
    // Anna does not read Ines's thread: the single route says NOT_FOUND (or NOT_A_READER); so must the batch.
    const foreign = await claimedBy(ines);
    const { keys } = await w.currentKeys(foreign.threadId, ines);
    const annas = {
      threadId: foreign.threadId,
      id: w.b64(w.random(16)),
      envelope: w.envelope({ h, threadId: foreign.threadId, keys: keys!, sender: anna.signing, seq: 1 }),
    };
    const single = await post(annas.threadId, anna, annas.id, annas.envelope);
    expect(single.status).toBeGreaterThanOrEqual(400);
    const before = await counts();
    const res = await batch(ines.cookie, [a, b]);
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { ok: boolean; threadId: string }) => [r.threadId, r.ok])).toEqual([
      [a.threadId, true],
      [b.threadId, true],
    ]);
    expect((await counts()).envelopes).toBe(before.envelopes + 2);
    for (const [item, r] of [
      [a, res.body.results[0]],
      [b, res.body.results[1]],
    ] as const) {
      const listed = await w.request("GET", `/api/threads/${item.threadId}/envelopes`, {
        cookie: ines.cookie,
      });
      const stored = listed.body.envelopes.find((e: { id: string }) => e.id === item.id);
      expect(stored.envelope).toBe(item.envelope);
      expect(r).toMatchObject({ id: item.id, hash: expect.any(String), position: stored.position });
    }
    const mixed = await batch(anna.cookie, [annas]);
    expect(mixed.status).toBe(200);
    expect(mixed.body.results).toEqual([
      {
        threadId: annas.threadId,
        ok: false,
        error: { code: single.body.error.code, message: expect.any(String) },
      },
    ]);
    expect((await counts()).envelopes).toBe(before.envelopes + 2);
  });

  it("is idempotent on an item's id (a retried batch stores nothing twice) and refuses a reused seq per item", async () => {
    const a = await claimedBy(ines);
    const first = await batch(ines.cookie, [a]);
    const again = await batch(ines.cookie, [a]);
    expect(again.body.results).toEqual(first.body.results);
    const other = await claimedBy(ines);
    const sameSeq = { ...a, id: w.b64(w.random(16)) }; // another id, the same signed seq 1: a conflict
    const before = await counts();
    const res = await batch(ines.cookie, [sameSeq, other]);
    expect(res.body.results[0]).toMatchObject({ ok: false, error: { code: "SEQUENCE_CONFLICT" } });
    expect(res.body.results[1]).toMatchObject({ ok: true });
    expect((await counts()).envelopes).toBe(before.envelopes + 1);
  });

  it("takes no status envelope (its status travels in clear only on the single route)", async () => {
    const s = await claimedBy(ines, "status");
    const res = await batch(ines.cookie, [s]);
    expect(res.body.results[0]).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
  });

  it("is for staff only, and refuses more than the cap before anything is read", async () => {
    const a = await claimedBy(ines);
    const before = await counts();
    const bySeeker = await batch(seeker.cookie, [a]);
    expect(bySeeker.status).toBe(403);
    expect((await batch(undefined, [a])).status).toBe(401);
    const many = Array.from({ length: LIMITS.batchMaxItems + 1 }, () => ({ ...a, id: w.b64(w.random(16)) }));
    const tooMany = await batch(ines.cookie, many);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.code).toBe("VALIDATION_FAILED");
    expect((await counts()).envelopes).toBe(before.envelopes);
  });
});
