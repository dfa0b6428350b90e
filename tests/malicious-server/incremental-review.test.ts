/**
 * The holes a hostile review found in incremental reads (issue 14; docs/THREAT-MODEL.md §3.20), each
 * played again as the server that found it: every attack must now be refused or shown, with the
 * named reason the reader sees. The first five attacks of the review passed before the fixes
 * (positions as the excuse for a damaged envelope, the comparison lost with the cached listing, a
 * replay making honest messages "past", read envelopes reordered unflagged, a read finishing after
 * a wipe).
 */
import { randomBytes } from "node:crypto";
import type { StoredEnvelope } from "@briefgeheim/protocol";
import { describe, expect, it } from "vitest";
import { flipByte } from "./mutations.js";
import { conversation, failure, problemsOf, useWorld, type World } from "./world.js";

let w: World;
useWorld((world) => {
  w = world;
});

/** Rewrites every envelope page of `threadId` (until `w.server.reset()`). */
function onPages(threadId: string, change: (envelopes: StoredEnvelope[]) => StoredEnvelope[]) {
  w.server.onResponse("GET /api/threads/:threadId/envelopes", (page, ex) =>
    ex.params.threadId === threadId ? { ...page, envelopes: change(page.envelopes) } : page,
  );
}

/** An envelope id of the right form (16 bytes, base64url) for an item the server makes up. */
const madeUpId = () => randomBytes(16).toString("base64url");

/** A conversation with two notes of Vera's between Anna's answer and the help-seeker's second message. */
async function withNotes(tag: string) {
  const seeker = await w.seeker();
  const { threadId } = await seeker.openThread({ subject: tag, body: `${tag}: eerste` });
  await w.anna.claim(threadId);
  await w.anna.reply(threadId, `${tag}: antwoord`);
  const notes = [
    await w.vera.addNote(threadId, `${tag}: notitie`),
    await w.vera.addNote(threadId, `${tag}: notitie 2`),
  ];
  await seeker.reply(threadId, `${tag}: tweede`);
  const ids = new Set(notes.map((n) => n.id));
  return { threadId, ids, hide: (list: StoredEnvelope[]) => list.filter((e) => !ids.has(e.id)) };
}

describe("incremental reads, after review: the attacks that got through", () => {
  for (const damage of ["BAD_SIGNATURE", "DUPLICATE"] as const) {
    it(`F1: notes put into the past, labelled with the position of a ${damage} copy once shown: HISTORY_CHANGED on both`, async () => {
      const { threadId, ids, hide } = await withNotes(`f1-${damage}`);
      let damagedAt = -1;
      onPages(threadId, (list) => {
        const kept = hide(list);
        damagedAt = list.at(-1)!.position + 1;
        const copy = damage === "DUPLICATE" ? kept[0]!.envelope : flipByte(kept[0]!.envelope, -80);
        return [...kept, { ...kept[0]!, id: madeUpId(), position: damagedAt, envelope: copy }];
      });
      const first = await w.anna.readThread(threadId);
      expect(problemsOf(first)).toEqual([[damage, 3]]);
      w.server.reset();
      onPages(threadId, (list) => list.map((e) => (ids.has(e.id) ? { ...e, position: damagedAt } : e)));
      const full = await w.anna.readThread(threadId);
      expect(problemsOf(full)).toEqual([
        ["HISTORY_CHANGED", 2],
        ["HISTORY_CHANGED", 3],
      ]);
    });
  }

  it("F2: the listing pushed out of the cache (over 32 MiB): the flags and the comparison stay", async () => {
    const { threadId, ids, hide } = await withNotes("f2");
    const [note, note2] = [...ids];
    onPages(threadId, hide);
    await w.anna.readThread(threadId);
    w.server.reset();
    // Note 1 comes back into the past (flagged) on a read too large to cache; note 2 is still withheld.
    const junk = Buffer.alloc(300 * 1024, 7).toString("base64url");
    onPages(threadId, (list) => [
      ...list.filter((e) => e.id !== note2),
      ...Array.from({ length: 100 }, (_, i) => ({
        ...list[0]!,
        id: madeUpId(),
        position: list.at(-1)!.position + 1 + i,
        envelope: junk,
      })),
    ]);
    const padded = await w.anna.readThread(threadId);
    expect(padded.problems.filter((p) => p.reason === "BAD_SIGNATURE")).toHaveLength(100);
    expect(problemsOf(padded).filter(([r]) => r === "HISTORY_CHANGED")).toEqual([["HISTORY_CHANGED", 2]]);
    w.server.reset();
    const honest = await w.anna.readThread(threadId);
    const stored = honest.messages.map((m) => m.id);
    expect(problemsOf(honest)).toEqual([
      ["HISTORY_CHANGED", stored.indexOf(note!)],
      ["HISTORY_CHANGED", stored.indexOf(note2!)],
    ]);
  });

  it("F3: a replay appended after honest new messages: DUPLICATE on the copy only, nothing else flagged", async () => {
    const c = await conversation(w, "f3");
    expect((await w.anna.readThread(c.threadId)).ok).toBe(true);
    await c.seeker.reply(c.threadId, "f3: vijfde");
    onPages(c.threadId, (list) => [...list, { ...list[0]!, position: list.at(-1)!.position + 1 }]);
    const view = await w.anna.readThread(c.threadId, { incremental: true });
    expect(view.read).toEqual({ incremental: false, reason: "NEW_PROBLEMS" });
    expect(problemsOf(view)).toEqual([["DUPLICATE", 5]]);
    w.server.reset();
    expect(problemsOf(await w.anna.readThread(c.threadId))).toEqual([]);
  });

  it("F4: a note and a message the tab read swap places on a full read: HISTORY_CHANGED", async () => {
    const { threadId, ids } = await withNotes("f4");
    const note2 = [...ids][1]!;
    expect((await w.anna.readThread(threadId)).ok).toBe(true);
    onPages(threadId, (list) => {
      const i = list.findIndex((e) => e.id === note2);
      const out = [...list];
      out[i] = { ...list[i + 1]!, position: list[i]!.position };
      out[i + 1] = { ...list[i]!, position: list[i + 1]!.position };
      return out;
    });
    const swapped = await w.anna.readThread(threadId);
    expect(swapped.messages.map((m) => m.id).indexOf(note2)).toBe(4);
    expect(problemsOf(swapped)).toEqual([["HISTORY_CHANGED", 4]]);
  });

  it("F5: a read still in flight when the session is wiped: WIPED instead of what it decrypted", async () => {
    const { threadId } = await withNotes("f5");
    const anna = await w.staff("anna");
    await anna.readThread(threadId);
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let asked!: () => void;
    const seen = new Promise<void>((r) => {
      asked = r;
    });
    w.server.onResponse("GET /api/threads/:threadId/envelopes", async (page, ex) => {
      if (ex.params.threadId !== threadId) return page;
      asked();
      await gate;
      return page;
    });
    const pending = failure(anna.readThread(threadId, { incremental: true }));
    await seen;
    anna.wipe();
    release();
    expect((await pending).code).toBe("WIPED");
  });
});
