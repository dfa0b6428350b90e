/**
 * The help flag with a note and the "resolved" action (issue 10, staff item 3), through the SDK and the
 * real API: the note is an encrypted internal note the supervisor reads verified; the audit log holds
 * who raised and resolved it (the note's id, never its text); a server that points the flag at anything
 * but a genuine note (the help-seeker's message) shows no note.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Conversation, conversation, createWorld, endAttack, type World } from "./world.js";

let w: World;
let c: Conversation;

beforeAll(async () => {
  w = await createWorld();
  c = await conversation(w, "hulpvraag");
});
afterEach(() => endAttack(w));
afterAll(async () => {
  await w?.close();
});

describe("help flag", () => {
  it("raised with a note the supervisor reads, resolved, both in the verified audit log", async () => {
    const note = "Ze noemt zelfbeschadiging; wil iemand meelezen?";
    const raised = await w.anna.flag(c.threadId, true, { note });
    expect(raised.flagged).toBe(true);
    const view = await w.vera.readThread(c.threadId);
    expect(view.flagged).toBe(true);
    expect(view.flagNote?.body).toBe(note);
    expect(view.flagNote?.kind).toBe("note");
    expect(view.flagNote?.verified).toBe(true);
    // The help-seeker sees neither the flag nor the note.
    const seen = await c.seeker.readThread(c.threadId);
    expect(seen.messages.some((m) => m.body === note)).toBe(false);

    await w.vera.flag(c.threadId, false);
    const after = await w.vera.readThread(c.threadId);
    expect(after.flagged).toBe(false);
    expect(after.flagNote).toBeUndefined();
    const audit = await w.vera.audit();
    expect(audit.ok).toBe(true);
    const flags = audit.entries.filter((e) => e.action === "flag-raised" || e.action === "flag-resolved");
    expect(flags.map((e) => [e.action, e.actorId, e.threadId])).toEqual([
      ["flag-raised", w.annaId, c.threadId],
      ["flag-resolved", w.vera.memberId, c.threadId],
    ]);
    expect(JSON.stringify(audit.entries)).not.toContain("zelfbeschadiging");
  });

  it("a server naming the help-seeker's message as the flag's note: no note is shown", async () => {
    await w.anna.flag(c.threadId, true, { note: "tweede vraag" });
    const honest = await w.vera.readThread(c.threadId);
    const seekerMessage = honest.messages.find((m) => m.from === "help-seeker")!;
    w.server.onResponse("GET /api/threads/:threadId", (detail, ex) =>
      ex.params.threadId === c.threadId
        ? { ...detail, thread: { ...detail.thread, flagNoteId: seekerMessage.id } }
        : detail,
    );
    const view = await w.vera.readThread(c.threadId);
    expect(view.flagged).toBe(true);
    expect(view.flagNote).toBeUndefined();
  });
});
