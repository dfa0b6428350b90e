// Opening threads and posting envelopes: POST /api/threads and /api/threads/:id/envelopes.
import { describe, expect, it } from "vitest";
import { anna, claim, counts, h, ines, post, seeker, useThreadsWorld, w } from "./test-world.js";

useThreadsWorld();

describe("opening a thread", () => {
  it("stores epoch 0, its grants and the first message; intake readers and supervisors see it", async () => {
    const t = w.buildThread(h, seeker);
    const res = await w.request("POST", "/api/threads", { cookie: seeker.cookie, body: t.request });
    expect(res.status).toBe(200);
    expect(res.body.thread).toMatchObject({
      id: t.threadId,
      status: "open",
      intake: true,
      currentEpoch: 0,
      assigneeIds: [],
    });
    expect(res.body.thread.flagged).toBeUndefined();
    expect(res.body.thread.waitingSince).toBe(w.clock.now());
    expect(res.body.thread.replyDueAt).toBe(w.clock.now() + 72 * 3_600_000);
    expect(res.body.envelope).toMatchObject({ id: t.threadId, position: 1 });

    const intake = await w.request("GET", "/api/threads?view=intake", { cookie: ines.cookie });
    expect(intake.body.threads.map((x: { id: string }) => x.id)).toEqual([t.threadId]);
    expect((await w.request("GET", "/api/threads?view=intake", { cookie: anna.cookie })).status).toBe(403);
    expect((await w.request("GET", `/api/threads/${t.threadId}`, { cookie: anna.cookie })).status).toBe(404);
    const all = await w.request("GET", "/api/threads", { cookie: h.supervisor.cookie });
    expect(all.body.threads).toHaveLength(1);
    const own = await w.request("GET", "/api/threads", { cookie: seeker.cookie });
    expect(own.body.threads).toHaveLength(1);

    const detail = await w.request("GET", `/api/threads/${t.threadId}`, { cookie: ines.cookie });
    expect(detail.body.records).toHaveLength(1);
    expect(detail.body.grants).toHaveLength(1);
    const { keys } = await w.currentKeys(t.threadId, ines);
    expect(keys?.epoch).toBe(0);
  });

  it("is idempotent on the thread id: same content 200, other content 409", async () => {
    const t = w.buildThread(h, seeker);
    const first = await w.request("POST", "/api/threads", { cookie: seeker.cookie, body: t.request });
    const again = await w.request("POST", "/api/threads", { cookie: seeker.cookie, body: t.request });
    expect(again.status).toBe(200);
    expect(again.body.envelope).toEqual(first.body.envelope);
    const other = w.buildThread(h, seeker);
    const before = await counts();
    const clash = await w.request("POST", "/api/threads", {
      cookie: seeker.cookie,
      body: { ...other.request, threadId: t.threadId },
    });
    expect(clash.status).toBe(422); // the record names another thread id
    const sameRecordOtherEnvelope = await w.request("POST", "/api/threads", {
      cookie: seeker.cookie,
      body: {
        ...t.request,
        envelope: w.envelope({
          h,
          threadId: t.threadId,
          keys: t.e0.keys,
          sender: seeker.messageSign,
          seq: 1,
          body: "x",
        }),
      },
    });
    expect(sameRecordOtherEnvelope.status).toBe(409);
    expect(sameRecordOtherEnvelope.body.error.code).toBe("IDEMPOTENCY_CONFLICT");
    expect(await counts()).toEqual(before);
  });

  it("refuses an epoch 0 made on another roster of the current version, and protocol-1 bytes: typed 4xx", async () => {
    // A help-seeker shown a forked roster signs epoch 0 naming its hash: the server holds another.
    const forked = w.buildThread({ ...h, roster: { ...h.roster, hash: new Uint8Array(32).fill(7) } }, seeker);
    const before = await counts();
    const res = await w.request("POST", "/api/threads", { cookie: seeker.cookie, body: forked.request });
    expect([res.status, res.body.error?.code]).toEqual([409, "ROSTER_CONFLICT"]);
    const t = w.buildThread(h, seeker);
    const v1 = (text: string) => {
      const b = w.crypto.bytes(text);
      b[0] = 1;
      return w.b64(b);
    };
    for (const body of [
      { ...t.request, envelope: v1(t.request.envelope) },
      { ...t.request, record: v1(t.request.record) },
    ]) {
      const old = await w.request("POST", "/api/threads", { cookie: seeker.cookie, body });
      expect([old.status, old.body.error?.code]).toEqual([400, "MALFORMED_STRUCTURE"]);
      expect(old.body.error.message).toMatch(/protocol 1/);
    }
    expect(await counts()).toEqual(before);
  });

  it("refuses tampered, incomplete or foreign structures with typed 4xx and changes nothing", async () => {
    const t = w.buildThread(h, seeker);
    const before = await counts();
    const flip = (text: string, at: number) => {
      const b = w.crypto.bytes(text);
      b[at < 0 ? b.length + at : at]! ^= 1;
      return w.b64(b);
    };
    const cases: [unknown, number, string][] = [
      [{ ...t.request, envelope: flip(t.request.envelope, -3) }, 422, "BAD_SIGNATURE"],
      [{ ...t.request, envelope: flip(t.request.envelope, 0) }, 400, "MALFORMED_STRUCTURE"],
      [{ ...t.request, record: flip(t.request.record, -3) }, 422, "BAD_SIGNATURE"],
      [{ ...t.request, grants: t.request.grants.slice(1) }, 422, "NOT_A_READER"],
      [{ ...t.request, grants: [t.request.grants[0], t.request.grants[0]] }, 422, "NOT_A_READER"],
      [
        { ...t.request, grants: [flip(t.request.grants[0]!, -3), ...t.request.grants.slice(1)] },
        422,
        "BAD_SIGNATURE",
      ],
      [{ ...t.request, envelope: "not base64!" }, 400, "VALIDATION_FAILED"],
      [{ ...t.request, grants: [] }, 400, "VALIDATION_FAILED"],
      [{ threadId: t.threadId }, 400, "VALIDATION_FAILED"],
    ];
    for (const [body, status, code] of cases) {
      const res = await w.request("POST", "/api/threads", { cookie: seeker.cookie, body });
      expect([res.status, res.body.error?.code]).toEqual([status, code]);
    }
    // an envelope from another thread
    const u = w.buildThread(h, seeker);
    const moved = await w.request("POST", "/api/threads", {
      cookie: seeker.cookie,
      body: { ...t.request, envelope: u.request.envelope },
    });
    expect(moved.body.error.code).toBe("WRONG_CONTEXT");
    // staff cannot open threads
    const staff = await w.request("POST", "/api/threads", { cookie: ines.cookie, body: t.request });
    expect(staff.status).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it("requires the current roster: a record on an older roster is 409 ROSTER_CONFLICT", async () => {
    const old = h.roster;
    await w.addStaff(h, "Bram", "counsellor", true);
    const current = h.roster;
    h.roster = old;
    const t = w.buildThread(h, seeker);
    h.roster = current;
    const res = await w.request("POST", "/api/threads", { cookie: seeker.cookie, body: t.request });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("ROSTER_CONFLICT");
  });
});

describe("messages", () => {
  it("orders, checks sequence numbers and is idempotent on the envelope id", async () => {
    const t = await w.openNewThread(h, seeker);
    const second = w.envelope({ h, threadId: t.threadId, keys: t.keys, sender: seeker.messageSign, seq: 2 });
    const idA = w.b64(w.random(16));
    const ok = await post(t.threadId, seeker, idA, second);
    expect(ok.status).toBe(200);
    expect(ok.body.position).toBe(2);
    const retry = await post(t.threadId, seeker, idA, second);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(ok.body);
    const other = w.envelope({ h, threadId: t.threadId, keys: t.keys, sender: seeker.messageSign, seq: 3 });
    const conflict = await post(t.threadId, seeker, idA, other);
    expect(conflict.body.error.code).toBe("IDEMPOTENCY_CONFLICT");
    const before = await counts();
    // A seq already taken (another device of the author, or a replay) is refused.
    const taken = w.envelope({ h, threadId: t.threadId, keys: t.keys, sender: seeker.messageSign, seq: 2 });
    const reused = await post(t.threadId, seeker, w.b64(w.random(16)), taken);
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe("SEQUENCE_CONFLICT");
    const replay = await post(t.threadId, seeker, w.b64(w.random(16)), second);
    expect(replay.status).toBe(409);
    expect(await counts()).toEqual(before);
    // A higher seq is stored: a client that remembers a seq the server no longer shows never reuses it
    // (PROTOCOL.md §5); readers see the gap (SEQ_GAP, MISSING).
    const skip = w.envelope({ h, threadId: t.threadId, keys: t.keys, sender: seeker.messageSign, seq: 4 });
    expect((await post(t.threadId, seeker, w.b64(w.random(16)), skip)).status).toBe(200);
  });

  it("accepts concurrent posts from several senders in one group commit, each exactly once", async () => {
    const t = await w.openNewThread(h, seeker);
    const posts = Array.from({ length: 20 }, (_, i) =>
      post(
        t.threadId,
        seeker,
        w.b64(w.random(16)),
        w.envelope({ h, threadId: t.threadId, keys: t.keys, sender: seeker.messageSign, seq: i + 2 }),
      ),
    );
    const results = await Promise.all(posts);
    // in-order arrival is not guaranteed across requests; a seq at or below one stored gets SEQUENCE_CONFLICT
    const ok = results.filter((r) => r.status === 200);
    expect(ok.length).toBeGreaterThan(0);
    for (const r of results) expect([200, 409]).toContain(r.status);
    const list = await w.request("GET", `/api/threads/${t.threadId}/envelopes?limit=200`, {
      cookie: seeker.cookie,
    });
    expect(list.body.envelopes).toHaveLength(1 + ok.length);
  });

  it("refuses an envelope signed by someone else, or with a seeker's note", async () => {
    const t = await w.openNewThread(h, seeker);
    const other = await w.newSeeker(h.id);
    const forged = w.envelope({ h, threadId: t.threadId, keys: t.keys, sender: other.messageSign, seq: 1 });
    expect((await post(t.threadId, seeker, w.b64(w.random(16)), forged)).body.error.code).toBe(
      "SIGNER_NOT_ALLOWED",
    );
    expect((await post(t.threadId, other, w.b64(w.random(16)), forged)).status).toBe(404);
  });

  it("keeps notes from help-seekers, status envelopes update the inbox", async () => {
    const t = await w.openNewThread(h, seeker);
    const { res } = await claim(t.threadId, ines);
    expect(res.status).toBe(200);
    const { keys } = await w.currentKeys(t.threadId, ines);
    expect(keys?.epoch).toBe(1);
    expect(keys?.staffKey).toBeDefined();
    const reply = w.envelope({
      h,
      threadId: t.threadId,
      keys: keys!,
      sender: ines.signing,
      seq: 1,
      body: "antwoord",
    });
    const note = w.envelope({
      h,
      threadId: t.threadId,
      keys: keys!,
      sender: ines.signing,
      seq: 1,
      kind: "note",
    });
    const status = w.envelope({
      h,
      threadId: t.threadId,
      keys: keys!,
      sender: ines.signing,
      seq: 2,
      kind: "status",
      body: "waiting",
    });
    expect((await post(t.threadId, ines, w.b64(w.random(16)), reply)).status).toBe(200);
    const afterReply = await w.request("GET", `/api/threads/${t.threadId}`, { cookie: ines.cookie });
    expect(afterReply.body.thread.waitingSince).toBeNull();
    expect((await post(t.threadId, ines, w.b64(w.random(16)), note)).status).toBe(200);
    expect((await post(t.threadId, ines, w.b64(w.random(16)), status)).status).toBe(400); // status missing
    expect((await post(t.threadId, ines, w.b64(w.random(16)), status, "waiting")).status).toBe(200);

    const staffList = await w.request("GET", `/api/threads/${t.threadId}/envelopes`, { cookie: ines.cookie });
    expect(staffList.body.envelopes.map((e: { position: number }) => e.position)).toEqual([1, 2, 3, 4]);
    const seekerList = await w.request("GET", `/api/threads/${t.threadId}/envelopes`, {
      cookie: seeker.cookie,
    });
    expect(seekerList.body.envelopes.map((e: { position: number }) => e.position)).toEqual([1, 2, 3]);
    const kinds = seekerList.body.envelopes.map(
      (e: { envelope: string }) => w.crypto.verifyEnvelope(w.crypto.bytes(e.envelope)).kind,
    );
    expect(kinds).not.toContain("note");
    const summary = await w.request("GET", `/api/threads/${t.threadId}`, { cookie: seeker.cookie });
    expect(summary.body.thread.status).toBe("waiting");
    // the help-seeker answers: waiting again, status open
    const answer = w.envelope({ h, threadId: t.threadId, keys: keys!, sender: seeker.messageSign, seq: 2 });
    expect((await post(t.threadId, seeker, w.b64(w.random(16)), answer)).status).toBe(200);
    const after = await w.request("GET", `/api/threads/${t.threadId}`, { cookie: seeker.cookie });
    expect(after.body.thread).toMatchObject({ status: "open", waitingSince: w.clock.now() });
    // help-seekers cannot send notes or status changes
    const seekerNote = w.envelope({
      h,
      threadId: t.threadId,
      keys: keys!,
      sender: seeker.messageSign,
      seq: 1,
      kind: "note",
    });
    expect((await post(t.threadId, seeker, w.b64(w.random(16)), seekerNote)).status).toBe(403);
  });

  it("pages envelopes with after/limit", async () => {
    const t = await w.openNewThread(h, seeker);
    for (let seq = 2; seq <= 5; seq++) {
      const env = w.envelope({ h, threadId: t.threadId, keys: t.keys, sender: seeker.messageSign, seq });
      expect((await post(t.threadId, seeker, w.b64(w.random(16)), env)).status).toBe(200);
    }
    const p1 = await w.request("GET", `/api/threads/${t.threadId}/envelopes?limit=2`, {
      cookie: seeker.cookie,
    });
    expect(p1.body.envelopes.map((e: { position: number }) => e.position)).toEqual([1, 2]);
    expect(p1.body.nextAfter).toBe(2);
    const p3 = await w.request("GET", `/api/threads/${t.threadId}/envelopes?after=4&limit=2`, {
      cookie: seeker.cookie,
    });
    expect(p3.body.envelopes.map((e: { position: number }) => e.position)).toEqual([5]);
    expect(p3.body.nextAfter).toBeNull();
    expect(
      (await w.request("GET", `/api/threads/${t.threadId}/envelopes?limit=201`, { cookie: seeker.cookie }))
        .status,
    ).toBe(400);
  });
});
