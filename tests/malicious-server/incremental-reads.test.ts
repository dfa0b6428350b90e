/**
 * A server against a reader that reads incrementally (issue 14; docs/THREAT-MODEL.md §3.20): once
 * a tab verified a thread's listing, refreshing it or replying in it fetches only the envelopes from
 * the newest one it verified on (the anchor) and checks them together with what it verified. Each
 * attack on that short read either shows as a typed problem or makes the reader fall back to a full
 * read with a named reason (`view.read.reason`); what the server puts below the cursor is found by
 * the next full read as `HISTORY_CHANGED`.
 */
import { FULL_READ_EVERY } from "@briefgeheim/client";
import type { StoredEnvelope } from "@briefgeheim/protocol";
import { describe, expect, it } from "vitest";
import {
  type Conversation,
  conversation,
  failure,
  problemsOf,
  reasonsAt,
  useWorld,
  type World,
} from "./world.js";

let w: World;
useWorld((world) => {
  w = world;
});

/** The `after` of every envelope page Anna's and the help-seeker's clients asked for, in order. */
function pagesAsked(c: Conversation): (string | null)[] {
  const asked: (string | null)[] = [];
  w.server.onResponse("GET /api/threads/:threadId/envelopes", (page, ex) => {
    if (ex.params.threadId === c.threadId) asked.push(ex.query.get("after"));
    return page;
  });
  return asked;
}

/** Rewrites the envelope pages of `c` that start after `from` (incremental pages) or all of them. */
function onPages(
  c: Conversation,
  change: (envelopes: StoredEnvelope[], incremental: boolean) => StoredEnvelope[],
) {
  w.server.onResponse("GET /api/threads/:threadId/envelopes", (page, ex) => {
    if (ex.params.threadId !== c.threadId) return page;
    const incremental = Number(ex.query.get("after") ?? 0) > 0;
    return { ...page, envelopes: change(page.envelopes, incremental) };
  });
}

const bodies = (view: { messages: readonly { verified: boolean; body: string }[] }) =>
  view.messages.filter((m) => m.verified).map((m) => m.body);

describe("incremental reads: a server against a reader that fetches only what is new", () => {
  it("without an attack: opening reads everything, a refresh and a reply fetch from the anchor on", async () => {
    const c = await conversation(w, "honest");
    const asked = pagesAsked(c);
    const first = await w.anna.readThread(c.threadId);
    expect(first.read).toEqual({ incremental: false, reason: "REQUESTED" });
    expect(first.ok).toBe(true);
    await c.seeker.reply(c.threadId, "honest: vijfde");
    const again = await w.anna.readThread(c.threadId, { incremental: true });
    expect(again.read).toEqual({ incremental: true, after: 4 });
    expect(again.ok).toBe(true);
    expect(bodies(again)).toEqual([...c.bodies, "honest: vijfde"]);
    await w.anna.reply(c.threadId, "honest: antwoord 2");
    // Anna: the whole listing once, then from the anchor (position 4, then 5) on; the help-seeker's
    // reply between them read from its anchor too (position 3: what it loaded before its last post).
    expect(asked).toEqual([null, "2", "3", "4"]);
    const last = await w.anna.readThread(c.threadId, { incremental: true });
    expect(last.ok).toBe(true);
    expect(last.messages.at(-1)).toMatchObject({ body: "honest: antwoord 2", verified: true });
  });

  it("a new envelope withheld from the short read (positions closed up): SEQ_GAP, and a full read (NEW_PROBLEMS)", async () => {
    const c = await conversation(w, "achter");
    await w.anna.readThread(c.threadId);
    const fourth = await c.seeker.reply(c.threadId, "achter: vierde");
    await c.seeker.reply(c.threadId, "achter: vijfde");
    // Left out, and the positions after it moved down one, so the page itself looks whole.
    onPages(c, (list) =>
      list
        .filter((e) => e.id !== fourth.id)
        .map((e) => (e.position > fourth.position ? { ...e, position: e.position - 1 } : e)),
    );
    const view = await w.anna.readThread(c.threadId, { incremental: true });
    expect(view.read).toEqual({ incremental: false, reason: "NEW_PROBLEMS" });
    expect(reasonsAt(view, 4)).toContain("SEQ_GAP"); // seq 5 of the help-seeker, seq 4 gone
    expect(bodies(view)).not.toContain("achter: vierde");
  });

  it("an envelope put 'into the past' (below the cursor, causally in order): unseen by short reads, HISTORY_CHANGED on the next full read", async () => {
    const seeker = await w.seeker();
    const { threadId } = await seeker.openThread({ subject: "verleden", body: "verleden: eerste" });
    await w.anna.claim(threadId);
    await w.anna.reply(threadId, "verleden: antwoord");
    const note = await w.vera.addNote(threadId, "verleden: notitie van Vera");
    await seeker.reply(threadId, "verleden: tweede");
    const c: Conversation = { threadId, seeker, bodies: [] };
    // Anna's first read: the note is left out; nothing names it (help-seekers do not see notes).
    const hide = (list: StoredEnvelope[]) => list.filter((e) => e.id !== note.id);
    onPages(c, hide);
    const first = await w.anna.readThread(threadId);
    expect(first.ok).toBe(true);
    expect(first.messages.map((m) => m.kind)).toEqual(["message", "message", "message"]);
    w.server.reset();
    // The honest server from now on: short reads from the anchor on miss it (it lies below the cursor) ...
    await seeker.reply(threadId, "verleden: derde");
    const short = await w.anna.readThread(threadId, { incremental: true });
    expect(short.read).toEqual({ incremental: true, after: 4 });
    expect(short.ok).toBe(true);
    // ... the next full read shows it, where a fresh device sees an honest listing.
    w.server.reset();
    const full = await w.anna.readThread(threadId);
    expect(full.read).toEqual({ incremental: false, reason: "REQUESTED" });
    expect(problemsOf(full)).toEqual([["HISTORY_CHANGED", 2]]);
    expect(full.messages[2]).toMatchObject({ kind: "note", verified: false, damaged: false });
    expect((await (await w.staff("anna")).readThread(threadId)).ok).toBe(true);
    // It stays flagged in this tab, also on later short reads.
    const later = await w.anna.readThread(threadId, { incremental: true });
    expect(later.read.incremental).toBe(true);
    expect(problemsOf(later)).toEqual([["HISTORY_CHANGED", 2]]);
  });

  it("the new envelopes reordered: REORDERED, after a fall-back to a full read (NEW_PROBLEMS)", async () => {
    const c = await conversation(w, "volgorde");
    await w.anna.readThread(c.threadId);
    await c.seeker.reply(c.threadId, "volgorde: vijfde");
    await c.seeker.reply(c.threadId, "volgorde: zesde");
    // The two new envelopes swap places; the positions stay as they were.
    onPages(c, (list) => {
      const n = list.length;
      if (n < 2) return list;
      const out = [...list];
      out[n - 2] = { ...list[n - 1]!, position: list[n - 2]!.position };
      out[n - 1] = { ...list[n - 2]!, position: list[n - 1]!.position };
      return out;
    });
    const view = await w.anna.readThread(c.threadId, { incremental: true });
    expect(view.read).toEqual({ incremental: false, reason: "NEW_PROBLEMS" });
    expect(reasonsAt(view, 4)).toContain("REORDERED");
  });

  it("an envelope the cached listing holds, replayed in the short read: DUPLICATE; a full read answers (NEW_PROBLEMS)", async () => {
    const c = await conversation(w, "herhaling");
    await w.anna.readThread(c.threadId);
    await c.seeker.reply(c.threadId, "herhaling: vijfde");
    onPages(c, (list, incremental) =>
      incremental ? [...list, { ...list[0]!, position: list.at(-1)!.position + 1 }] : list,
    );
    // Only the short read carries the replay: the full read it falls back to is clean.
    const shortOnly = await w.anna.readThread(c.threadId, { incremental: true });
    expect(shortOnly.read).toEqual({ incremental: false, reason: "NEW_PROBLEMS" });
    expect(shortOnly.ok).toBe(true);
    // A server that replays in every answer: the copy is DUPLICATE, the original still shown.
    w.server.reset();
    const replayed = (await w.anna.readThread(c.threadId)).messages.length;
    onPages(c, (list) => [...list, { ...list[1]!, position: list.at(-1)!.position + 1 }]);
    await c.seeker.reply(c.threadId, "herhaling: zesde");
    const view = await w.anna.readThread(c.threadId, { incremental: true });
    expect(view.read).toEqual({ incremental: false, reason: "NEW_PROBLEMS" });
    expect(reasonsAt(view, replayed + 1)).toContain("DUPLICATE");
    expect(bodies(view).filter((b) => b === c.bodies[1])).toHaveLength(1);
  });

  it("the newest envelope this tab verified no longer served (the anchor): ANCHOR_CHANGED, then WITHHELD", async () => {
    const c = await conversation(w, "anker");
    const seen = await w.anna.readThread(c.threadId);
    const newest = seen.messages.at(-1)!.id;
    onPages(c, (list) => list.filter((e) => e.id !== newest));
    const view = await w.anna.readThread(c.threadId, { incremental: true });
    expect(view.read).toEqual({ incremental: false, reason: "ANCHOR_CHANGED" });
    expect(problemsOf(view)).toEqual([["WITHHELD", -1]]);
  });

  it("an envelope deleted below the cursor: short reads keep what this tab verified; the next full read shows SEQ_GAP", async () => {
    const c = await conversation(w, "onder");
    await w.anna.readThread(c.threadId);
    onPages(c, (list) => list.filter((e) => e.position !== 3)); // the help-seeker's seq 2
    const short = await w.anna.readThread(c.threadId, { incremental: true });
    expect(short.read).toEqual({ incremental: true, after: 4 });
    expect(bodies(short)).toEqual(c.bodies); // nothing unverified is shown, nothing verified is lost
    const full = await w.anna.readThread(c.threadId);
    expect(reasonsAt(full, 2)).toContain("SEQ_GAP");
  });

  it("page positions with a gap, or going back: POSITIONS, and a full read instead", async () => {
    const c = await conversation(w, "posities");
    await w.anna.readThread(c.threadId);
    await c.seeker.reply(c.threadId, "posities: vijfde");
    onPages(c, (list, incremental) =>
      incremental ? list.map((e, i) => (i === 1 ? { ...e, position: e.position + 7 } : e)) : list,
    );
    const gap = await w.anna.readThread(c.threadId, { incremental: true });
    expect(gap.read).toEqual({ incremental: false, reason: "POSITIONS" });
    expect(gap.ok).toBe(true);
    w.server.reset();
    await c.seeker.reply(c.threadId, "posities: zesde");
    onPages(c, (list, incremental) =>
      incremental ? list.map((e, i) => (i === 1 ? { ...e, position: 2 } : e)) : list,
    );
    const back = await w.anna.readThread(c.threadId, { incremental: true });
    expect(back.read).toEqual({ incremental: false, reason: "POSITIONS" });
  });

  it("an item of the page that is not an envelope (a position that is no number): UNEXPECTED_RESPONSE", async () => {
    const c = await conversation(w, "vorm");
    await w.anna.readThread(c.threadId);
    await c.seeker.reply(c.threadId, "vorm: vijfde");
    onPages(c, (list) => list.map((e, i) => (i === 1 ? ({ ...e, position: "5" } as never) : e)));
    const refused = await failure(w.anna.readThread(c.threadId, { incremental: true }));
    expect(refused.code).toBe("UNEXPECTED_RESPONSE");
    expect(refused.source).toBe("server");
  });

  it("the same in a batch read's first page (its items go into the same listing): UNEXPECTED_RESPONSE for that thread", async () => {
    const c = await conversation(w, "partij");
    w.server.onResponse("POST /api/threads/read", (body) => {
      const b = body as { results: { threadId: string; envelopes?: unknown[] }[] };
      const results = b.results.map((r) =>
        r.threadId === c.threadId && r.envelopes !== undefined
          ? { ...r, envelopes: r.envelopes.map((e, i) => (i === 0 ? { ...(e as object), envelope: 7 } : e)) }
          : r,
      );
      return { ...b, results };
    });
    const got: { ok: boolean; code?: string }[] = [];
    await w.anna.readThreads([c.threadId], (r) =>
      got.push(r.ok ? { ok: true } : { ok: false, code: r.error.code }),
    );
    expect(got).toEqual([{ ok: false, code: "UNEXPECTED_RESPONSE" }]);
  });

  it("the newest epoch record taken away meanwhile: refused as on a full read (records are read in full every time)", async () => {
    const c = await conversation(w, "tijdperk");
    await w.anna.readThread(c.threadId);
    w.server.onResponse("GET /api/threads/:threadId", (detail, ex) =>
      ex.params.threadId === c.threadId ? { ...detail, records: detail.records.slice(0, 1) } : detail,
    );
    const refused = await failure(w.anna.readThread(c.threadId, { incremental: true }));
    expect(refused.code).toBe("THREAD_TAMPERED");
    expect(await failure(w.anna.reply(c.threadId, "tijdperk: antwoord"))).toMatchObject({
      code: "THREAD_TAMPERED",
    });
  });

  it(`a full read after every ${FULL_READ_EVERY} short reads in a row (SCHEDULED)`, async () => {
    const c = await conversation(w, "rooster");
    await w.anna.readThread(c.threadId);
    const reads = [];
    for (let i = 0; i <= 33; i++)
      reads.push((await w.anna.readThread(c.threadId, { incremental: true })).read);
    expect(reads.slice(0, 32).every((r) => r.incremental)).toBe(true);
    expect(reads[32]).toEqual({ incremental: false, reason: "SCHEDULED" });
    expect(reads[33]).toEqual({ incremental: true, after: 4 });
  });
});
