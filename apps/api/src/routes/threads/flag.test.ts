/**
 * The help flag with its note and the "resolved" action (issue 10, staff item 3): both in the audit log,
 * the note only as the id of the caller's own encrypted note; pointing the flag at anything else is
 * refused and changes nothing.
 */
import { describe, expect, it } from "vitest";
import { claim, h, ines, post, seeker, useThreadsWorld, w } from "./test-world.js";

useThreadsWorld();

async function flagged(threadId: string) {
  return (await w.request("GET", `/api/threads/${threadId}`, { cookie: h.supervisor.cookie })).body.thread;
}
async function auditTail(n: number) {
  const audit = await w.request("GET", "/api/audit", { cookie: h.supervisor.cookie });
  return audit.body.entries.slice(-n);
}

/** A new thread claimed by Ines, with one internal note of hers (seq 1). */
async function claimedWithNote() {
  const t = await w.openNewThread(h, seeker);
  expect((await claim(t.threadId, ines)).res.status).toBe(200);
  const { keys } = await w.currentKeys(t.threadId, ines);
  const noteId = w.b64(w.random(16));
  const note = w.envelope({
    h,
    threadId: t.threadId,
    keys: keys!,
    sender: ines.signing,
    seq: 1,
    kind: "note",
  });
  expect((await post(t.threadId, ines, noteId, note)).status).toBe(200);
  return { t, keys, noteId };
}

describe("help flag", () => {
  it("raised with the reader's own note and resolved, both audited with the note's id only", async () => {
    const { t, noteId } = await claimedWithNote();
    const raised = await w.request("PATCH", `/api/threads/${t.threadId}`, {
      cookie: ines.cookie,
      body: { flagged: true, flagNoteId: noteId },
    });
    expect(raised.status).toBe(200);
    expect(raised.body.thread).toMatchObject({ flagged: true, flagNoteId: noteId });
    const resolved = await w.request("PATCH", `/api/threads/${t.threadId}`, {
      cookie: h.supervisor.cookie,
      body: { flagged: false },
    });
    expect(resolved.body.thread).toMatchObject({ flagged: false, flagNoteId: null });
    expect(await auditTail(2)).toMatchObject([
      { action: "flag-raised", actorId: ines.memberId, threadId: t.threadId, details: { note: noteId } },
      {
        action: "flag-resolved",
        actorId: h.supervisor.memberId,
        threadId: t.threadId,
        details: { note: noteId },
      },
    ]);
    // Resolving again is no event.
    await w.request("PATCH", `/api/threads/${t.threadId}`, { cookie: ines.cookie, body: { flagged: false } });
    expect((await auditTail(1))[0].action).toBe("flag-resolved");
    expect(
      (await w.request("GET", "/api/audit", { cookie: h.supervisor.cookie })).body.entries.filter(
        (e: { action: string }) => e.action === "flag-resolved",
      ),
    ).toHaveLength(1);
  });

  it("refuses a note that is not the caller's own note of this thread, and changes nothing", async () => {
    const { t, keys, noteId } = await claimedWithNote();
    const replyId = w.b64(w.random(16));
    const reply = w.envelope({ h, threadId: t.threadId, keys: keys!, sender: ines.signing, seq: 2 });
    expect((await post(t.threadId, ines, replyId, reply)).status).toBe(200);
    const before = (await w.request("GET", "/api/audit", { cookie: h.supervisor.cookie })).body.entries
      .length;
    const tries = [
      { cookie: h.supervisor.cookie, flagNoteId: noteId, status: 404 }, // Ines's note, not the supervisor's
      { cookie: ines.cookie, flagNoteId: replyId, status: 404 }, // a message to the help-seeker, not a note
      { cookie: ines.cookie, flagNoteId: w.b64(w.random(16)), status: 404 }, // no such envelope
    ];
    for (const { cookie, flagNoteId, status } of tries) {
      const res = await w.request("PATCH", `/api/threads/${t.threadId}`, {
        cookie,
        body: { flagged: true, flagNoteId },
      });
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe("NOT_FOUND");
    }
    const withoutFlag = await w.request("PATCH", `/api/threads/${t.threadId}`, {
      cookie: ines.cookie,
      body: { flagged: false, flagNoteId: noteId },
    });
    expect(withoutFlag.body.error.code).toBe("VALIDATION_FAILED");
    expect(await flagged(t.threadId)).toMatchObject({ flagged: false, flagNoteId: null });
    expect((await w.request("GET", "/api/audit", { cookie: h.supervisor.cookie })).body.entries).toHaveLength(
      before,
    );
  });
});
