// The batch read (POST /api/threads/read) and the inbox list's ETag (issue 14): same answers and the
// same visibility as the single-thread routes, per-item refusals, the caps, 304 only when nothing changed.
import { LIMITS } from "@briefgeheim/protocol";
import { describe, expect, it } from "vitest";
import { anna, claim, h, ines, post, seeker, useThreadsWorld, w } from "./test-world.js";

useThreadsWorld();

const read = (cookie: string | undefined, items: { threadId: string; after?: number }[]) =>
  w.request("POST", "/api/threads/read", { cookie, body: { items } });

describe("POST /api/threads/read", () => {
  it("answers each thread as GET /threads/:id and its envelopes do, in the order asked", async () => {
    const t1 = await w.openNewThread(h, seeker);
    const t2 = await w.openNewThread(h, seeker);
    for (let seq = 2; seq <= 4; seq++) {
      const env = w.envelope({ h, threadId: t2.threadId, keys: t2.keys, sender: seeker.messageSign, seq });
      expect((await post(t2.threadId, seeker, w.b64(w.random(16)), env)).status).toBe(200);
    }
    await claim(t2.threadId, ines);
    for (const who of [ines, h.supervisor, seeker]) {
      const res = await read(who.cookie, [{ threadId: t2.threadId }, { threadId: t1.threadId }]);
      expect(res.status).toBe(200);
      expect(res.body.results.map((r: { threadId: string }) => r.threadId)).toEqual([
        t2.threadId,
        t1.threadId,
      ]);
      for (const r of res.body.results) {
        const one = await w.request("GET", `/api/threads/${r.threadId}`, { cookie: who.cookie });
        const envs = await w.request("GET", `/api/threads/${r.threadId}/envelopes`, { cookie: who.cookie });
        if (one.status !== 200) {
          // Ines claimed t2; t1 is still in intake, which she reads as an intake reader.
          expect(r).toMatchObject({ ok: false, error: { code: one.body.error.code } });
          continue;
        }
        expect(r).toEqual({
          threadId: r.threadId,
          ok: true,
          ...one.body,
          envelopes: envs.body.envelopes,
          nextAfter: null,
        });
      }
    }
  });

  it("with `heads`: each thread's heads as GET /threads/:id/heads answers them, no envelopes; refusals as without", async () => {
    const t = await w.openNewThread(h, seeker);
    for (let seq = 2; seq <= 3; seq++) {
      const env = w.envelope({ h, threadId: t.threadId, keys: t.keys, sender: seeker.messageSign, seq });
      expect((await post(t.threadId, seeker, w.b64(w.random(16)), env)).status).toBe(200);
    }
    await claim(t.threadId, ines);
    const second = await w.openNewThread(h, seeker);
    await claim(second.threadId, ines);
    for (const who of [ines, h.supervisor, seeker]) {
      const items = [{ threadId: t.threadId }, { threadId: second.threadId }];
      const res = await w.request("POST", "/api/threads/read", {
        cookie: who.cookie,
        body: { items, heads: true },
      });
      expect(res.status).toBe(200);
      const [r] = res.body.results;
      const one = await w.request("GET", `/api/threads/${t.threadId}`, { cookie: who.cookie });
      const heads = await w.request("GET", `/api/threads/${t.threadId}/heads`, { cookie: who.cookie });
      expect(heads.body.envelopes.length).toBeGreaterThan(0);
      expect(r).toEqual({
        threadId: t.threadId,
        ok: true,
        ...one.body,
        envelopes: [],
        nextAfter: null,
        heads: heads.body.envelopes,
      });
    }
    // Anna reads neither (claimed by Ines): NOT_FOUND per item, exactly as without `heads`.
    const items = [{ threadId: t.threadId }];
    const res = await w.request("POST", "/api/threads/read", {
      cookie: anna.cookie,
      body: { items, heads: true },
    });
    expect(res.body.results).toEqual([
      { threadId: t.threadId, ok: false, error: { code: "NOT_FOUND", message: "no such thread" } },
    ]);
    const bad = await w.request("POST", "/api/threads/read", {
      cookie: ines.cookie,
      body: { items, heads: "yes" },
    });
    expect([bad.status, bad.body.error.code]).toEqual([400, "VALIDATION_FAILED"]);
  });

  it("a thread the caller may not see is a per-item NOT_FOUND, like one that does not exist", async () => {
    const t = await w.openNewThread(h, seeker);
    await claim(t.threadId, ines);
    const other = await w.newSeeker(h.id);
    const beta = await w.setupHelpline("beta", 2);
    const missing = w.b64(w.random(16));
    for (const cookie of [anna.cookie, other.cookie, beta.supervisor.cookie]) {
      const res = await read(cookie, [{ threadId: t.threadId }, { threadId: missing }]);
      expect(res.status).toBe(200);
      expect(res.body.results).toEqual([
        { threadId: t.threadId, ok: false, error: { code: "NOT_FOUND", message: "no such thread" } },
        { threadId: missing, ok: false, error: { code: "NOT_FOUND", message: "no such thread" } },
      ]);
    }
    expect((await read(undefined, [{ threadId: t.threadId }])).status).toBe(401);
  });

  it("caps envelopes per thread and pages on from `after`", async () => {
    const t = await w.openNewThread(h, seeker);
    const cap = LIMITS.readBatch.envelopesPerThread;
    for (let seq = 2; seq <= cap + 3; seq++) {
      const env = w.envelope({ h, threadId: t.threadId, keys: t.keys, sender: seeker.messageSign, seq });
      expect((await post(t.threadId, seeker, w.b64(w.random(16)), env)).status).toBe(200);
    }
    const first = await read(ines.cookie, [{ threadId: t.threadId }]);
    const r = first.body.results[0];
    expect(r.envelopes).toHaveLength(cap);
    expect(r.nextAfter).toBe(r.envelopes.at(-1).position);
    const rest = await read(ines.cookie, [{ threadId: t.threadId, after: r.nextAfter }]);
    expect(rest.body.results[0].envelopes.map((e: { position: number }) => e.position)).toEqual([
      cap + 1,
      cap + 2,
      cap + 3,
    ]);
    expect(rest.body.results[0].nextAfter).toBeNull();
  });

  it("refuses bad input with a typed 400 and changes nothing", async () => {
    const tooMany = Array.from({ length: LIMITS.readBatch.maxItems + 1 }, () => ({
      threadId: w.b64(w.random(16)),
    }));
    for (const body of [{ items: [] }, { items: tooMany }, { items: [{ threadId: "x" }] }, { other: 1 }]) {
      const res = await w.request("POST", "/api/threads/read", { cookie: ines.cookie, body });
      expect([res.status, res.body.error.code]).toEqual([400, "VALIDATION_FAILED"]);
    }
    const negative = await read(ines.cookie, [{ threadId: w.b64(w.random(16)), after: -1 }]);
    expect(negative.status).toBe(400);
  });
});

describe("GET /api/threads: ETag", () => {
  it("304 without a body for an unchanged page; a new message, a claim or a flag changes the tag", async () => {
    const t = await w.openNewThread(h, seeker);
    const list = () => w.request("GET", "/api/threads?view=intake", { cookie: ines.cookie });
    const first = await list();
    const tag = first.headers.get("etag");
    expect(tag).toMatch(/^"[^"]+"$/);
    const same = await w.request("GET", "/api/threads?view=intake", {
      cookie: ines.cookie,
      headers: { "If-None-Match": tag! },
    });
    expect(same.status).toBe(304);
    expect(same.body).toBe("");
    expect(same.headers.get("etag")).toBe(tag);

    const env = w.envelope({ h, threadId: t.threadId, keys: t.keys, sender: seeker.messageSign, seq: 2 });
    w.clock.advance(1000);
    expect((await post(t.threadId, seeker, w.b64(w.random(16)), env)).status).toBe(200);
    const changed = await w.request("GET", "/api/threads?view=intake", {
      cookie: ines.cookie,
      headers: { "If-None-Match": tag! },
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(tag);
    expect(changed.body.threads[0].lastSeekerMessageAt).toBe(w.clock.now());

    const tag2 = changed.headers.get("etag")!;
    await w.request("PATCH", `/api/threads/${t.threadId}`, { cookie: ines.cookie, body: { flagged: true } });
    const flagged = await w.request("GET", "/api/threads?view=intake", {
      cookie: ines.cookie,
      headers: { "If-None-Match": tag2 },
    });
    expect([flagged.status, flagged.body.threads[0].flagged]).toEqual([200, true]);
    // Another reader's tag is not this reader's answer: the supervisor's page differs in nothing here,
    // but a help-seeker's page has no flag, so the same tag never fits both.
    const seekerPage = await w.request("GET", "/api/threads", {
      cookie: seeker.cookie,
      headers: { "If-None-Match": flagged.headers.get("etag")! },
    });
    expect(seekerPage.status).toBe(200);
  });
});
