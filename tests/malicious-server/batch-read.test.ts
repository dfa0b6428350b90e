/**
 * The batch read of the staff inbox and the session's verified-thread cache (issue 14) against an
 * active server: a batch that answers one thread with another's bytes, leaves one out, or alters an
 * envelope is caught as it is on the single-thread path; and a server that changes envelopes this
 * session verified before (and cached) is caught on the next read: the cache saves work, never a check.
 */
import type { StaffReadResult, ThreadView } from "@briefgeheim/client";
import type { ThreadId } from "@briefgeheim/crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { dropAt, flipByte, moveItem } from "./mutations.js";
import { type Conversation, conversation, createWorld, endAttack, problemsOf, type World } from "./world.js";

let w: World;
let c: Conversation;
let other: Conversation;

beforeAll(async () => {
  w = await createWorld();
  c = await conversation(w, "gesprek");
  other = await conversation(w, "ander");
});
afterEach(() => endAttack(w));
afterAll(async () => {
  await w?.close();
});

const bodies = (view: ThreadView) => view.messages.filter((m) => m.verified).map((m) => m.body);

async function readMany(ids: readonly ThreadId[]): Promise<Map<string, StaffReadResult>> {
  const out = new Map<string, StaffReadResult>();
  await w.anna.readThreads(ids, (r) => out.set(r.threadId, r));
  return out;
}

interface BatchItem {
  threadId: string;
  ok: boolean;
  envelopes?: { envelope: string }[];
}
function rewriteBatch(change: (results: BatchItem[]) => BatchItem[]) {
  w.server.onResponse("POST /api/threads/read", (body) => {
    const b = body as { results: BatchItem[] };
    return { ...b, results: change(b.results) };
  });
}

describe("batch read: an active server against the staff member's verification", () => {
  it("without an attack, each thread reads as readThread reads it", async () => {
    const got = await readMany([c.threadId, other.threadId]);
    for (const conv of [c, other]) {
      const r = got.get(conv.threadId)!;
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(problemsOf(r.view)).toEqual([]);
      expect(bodies(r.view)).toEqual(conv.bodies);
      expect(r.view).toEqual(await w.anna.readThread(conv.threadId));
    }
  });

  it("one thread answered with another's detail and envelopes: THREAD_TAMPERED, the other reads", async () => {
    rewriteBatch((results) => {
      const theirs = results.find((r) => r.threadId === other.threadId)!;
      return results.map((r) => (r.threadId === c.threadId ? { ...theirs, threadId: c.threadId } : r));
    });
    const got = await readMany([c.threadId, other.threadId]);
    const swapped = got.get(c.threadId)!;
    expect(swapped.ok ? "read" : swapped.error.code).toBe("THREAD_TAMPERED");
    expect(got.get(other.threadId)!.ok).toBe(true);
  });

  it("a thread left out of the answer: THREAD_TAMPERED, not silently missing", async () => {
    rewriteBatch((results) => results.filter((r) => r.threadId !== c.threadId));
    const got = await readMany([c.threadId, other.threadId]);
    const left = got.get(c.threadId)!;
    expect(left.ok ? "read" : left.error.code).toBe("THREAD_TAMPERED");
  });

  it("an envelope altered or dropped in the batch: the same problems as on the single-thread path", async () => {
    rewriteBatch((results) =>
      results.map((r) =>
        r.threadId === c.threadId && r.envelopes !== undefined
          ? {
              ...r,
              envelopes: r.envelopes.map((e, i) =>
                i === 1 ? { ...e, envelope: flipByte(e.envelope, -80) } : e,
              ),
            }
          : r,
      ),
    );
    const flipped = (await readMany([c.threadId])).get(c.threadId)!;
    if (!flipped.ok) throw flipped.error;
    expect(problemsOf(flipped.view)).toContainEqual(["BAD_SIGNATURE", 1]);
    expect(bodies(flipped.view)).not.toContain(c.bodies[1]);
    endAttack(w);

    rewriteBatch((results) =>
      results.map((r) =>
        r.threadId === c.threadId && r.envelopes !== undefined
          ? { ...r, envelopes: dropAt(r.envelopes, 2) }
          : r,
      ),
    );
    const dropped = (await readMany([c.threadId])).get(c.threadId)!;
    if (!dropped.ok) throw dropped.error;
    expect(problemsOf(dropped.view).map(([reason]) => reason)).toContain("SEQ_GAP");
  });
});

describe("the roster a batch is checked against", () => {
  it("is asked for after the batch's answer arrived and before any of its threads is given out", async () => {
    const rosterPath = `GET /api/helplines/${w.helplineId}/rosters`;
    let readAt = -1;
    const rosterAfterRead: boolean[] = [];
    w.server.onResponse("POST /api/threads/read", (body) => {
      readAt = w.server.log.length;
      return body;
    });
    await w.anna.readThreads([c.threadId, other.threadId], () => {
      rosterAfterRead.push(readAt >= 0 && w.server.log.slice(readAt).includes(rosterPath));
    });
    // A roster asked for before the batch arrived could be older than the records the batch names.
    expect(rosterAfterRead).toEqual([true, true]);
    expect(w.server.ruleErrors).toEqual([]);
  });
});

describe("the session's cache of verified threads", () => {
  /** Serves `change(envelopes)` for the conversation's thread only, on the single-thread path. */
  function tamper(change: (envelopes: { envelope: string }[]) => { envelope: string }[]) {
    w.server.onResponse("GET /api/threads/:threadId/envelopes", (page, ex) => {
      if (ex.params.threadId !== c.threadId) return page;
      return { ...page, envelopes: change(page.envelopes) as typeof page.envelopes };
    });
  }

  it("an envelope verified (and cached) before, changed by the server now: caught, for both people", async () => {
    for (const reader of [w.anna, c.seeker]) {
      const clean = await reader.readThread(c.threadId);
      expect(clean.ok).toBe(true);
      tamper((list) => list.map((e, i) => (i === 0 ? { ...e, envelope: flipByte(e.envelope, -80) } : e)));
      const view = await reader.readThread(c.threadId);
      expect(problemsOf(view)).toContainEqual(["BAD_SIGNATURE", 0]);
      expect(bodies(view)).not.toContain(c.bodies[0]);
      endAttack(w);
      // Honest again: the cache holds the genuine envelope's result, not the forgery's.
      expect((await reader.readThread(c.threadId)).ok).toBe(true);
    }
  });

  it("verified envelopes moved or dropped by the server: REORDERED and SEQ_GAP despite the cache", async () => {
    await w.anna.readThread(c.threadId);
    tamper((list) => moveItem(list, 3, 2));
    expect(problemsOf(await w.anna.readThread(c.threadId)).map(([r]) => r)).toContain("REORDERED");
    endAttack(w);
    tamper((list) => dropAt(list, 2));
    expect(problemsOf(await w.anna.readThread(c.threadId)).map(([r]) => r)).toContain("SEQ_GAP");
  });
});
