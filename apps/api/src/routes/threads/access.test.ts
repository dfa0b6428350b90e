// Who may read, write, delete and change a thread, across help-seekers and helplines.
import type { MemberId } from "@briefgeheim/crypto";
import { describe, expect, it } from "vitest";
import { anna, claim, counts, h, ines, post, seeker, useThreadsWorld, w } from "./test-world.js";

useThreadsWorld();

describe("authorisation across seekers and helplines", () => {
  it("another help-seeker and another helpline's staff get 404; a removed counsellor is locked out", async () => {
    const t = await w.openNewThread(h, seeker);
    const b = await w.newSeeker(h.id);
    const other = await w.setupHelpline("beta", 2);
    for (const cookie of [b.cookie, other.supervisor.cookie]) {
      expect((await w.request("GET", `/api/threads/${t.threadId}`, { cookie })).status).toBe(404);
      expect((await w.request("GET", `/api/threads/${t.threadId}/envelopes`, { cookie })).status).toBe(404);
      const env = w.envelope({ h, threadId: t.threadId, keys: t.keys, sender: seeker.messageSign, seq: 2 });
      expect((await post(t.threadId, { cookie }, w.b64(w.random(16)), env)).status).toBe(404);
    }
    expect((await w.request("GET", "/api/threads", { cookie: b.cookie })).body.threads).toHaveLength(0);
    expect(
      (await w.request("GET", "/api/threads", { cookie: other.supervisor.cookie })).body.threads,
    ).toHaveLength(0);
    expect((await w.request("DELETE", `/api/threads/${t.threadId}`, { cookie: b.cookie })).status).toBe(404);

    await claim(t.threadId, ines);
    await w.publishRoster(h, { remove: [ines.member.memberId as MemberId] });
    const gone = await w.request("GET", `/api/threads/${t.threadId}`, { cookie: ines.cookie });
    expect([gone.status, gone.body.error.code]).toEqual([403, "ACCOUNT_REMOVED"]);
    const again = await w.signInStaff(ines).catch((e: Error) => e.message);
    expect(again).toMatch(/403.*ACCOUNT_REMOVED/);
  });

  it("the help-seeker deletes the conversation for good; the audit log records only that", async () => {
    const t = await w.openNewThread(h, seeker);
    expect((await w.request("DELETE", `/api/threads/${t.threadId}`, { cookie: ines.cookie })).status).toBe(
      403,
    );
    const del = await w.request("DELETE", `/api/threads/${t.threadId}`, { cookie: seeker.cookie });
    expect(del.status).toBe(200);
    expect(await counts()).toEqual({ threads: 0, envelopes: 0, records: 0, grants: 0 });
    // It was their only conversation, so their account and session went with it (issue 8, item 9).
    expect(del.body).toEqual({ deleted: true, signedOut: true });
    expect((await w.request("GET", `/api/threads/${t.threadId}`, { cookie: seeker.cookie })).status).toBe(
      401,
    );
    const audit = await w.request("GET", "/api/audit", { cookie: h.supervisor.cookie });
    const entry = audit.body.entries.at(-1);
    expect(entry).toMatchObject({
      action: "thread-deleted",
      threadId: t.threadId,
      actorKind: "seeker",
      actorId: null,
    });
  });

  it("PATCH: readers and supervisors set status and flag; help-seekers and others cannot", async () => {
    const t = await w.openNewThread(h, seeker);
    const flag = await w.request("PATCH", `/api/threads/${t.threadId}`, {
      cookie: h.supervisor.cookie,
      body: { flagged: true },
    });
    expect(flag.status).toBe(200);
    expect(flag.body.thread.flagged).toBe(true);
    const flagged = await w.request("GET", "/api/threads?view=flagged", { cookie: h.supervisor.cookie });
    expect(flagged.body.threads).toHaveLength(1);
    expect(
      (
        await w.request("PATCH", `/api/threads/${t.threadId}`, {
          cookie: seeker.cookie,
          body: { status: "closed" },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await w.request("PATCH", `/api/threads/${t.threadId}`, {
          cookie: anna.cookie,
          body: { status: "closed" },
        })
      ).status,
    ).toBe(404);
    expect(
      (await w.request("PATCH", `/api/threads/${t.threadId}`, { cookie: ines.cookie, body: {} })).status,
    ).toBe(400);
    const closed = await w.request("PATCH", `/api/threads/${t.threadId}`, {
      cookie: ines.cookie,
      body: { status: "closed" },
    });
    expect(closed.body.thread.status).toBe("closed");
    expect(
      (await w.request("GET", `/api/threads/${t.threadId}`, { cookie: seeker.cookie })).body.thread.flagged,
    ).toBeUndefined();
  });
});
