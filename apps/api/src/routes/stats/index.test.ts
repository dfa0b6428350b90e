// Statistics from metadata (issue 13 part 1): exact counts for a scripted stretch of time through the
// real routes, counters that outlive deletion and retention, supervisors only, one helpline each.
import { type HelplineId, signChallenge } from "@briefgeheim/crypto";
import { describe, expect, it } from "vitest";
import { runMaintenance } from "../../maintenance.js";
import { DAY_MS } from "../../services/stats.js";
import { dayText } from "../../services/stats-read.js";
import { ORIGIN, type Seeker, type Staff } from "../../testing/harness.js";
import { anna, claim, h, ines, post, reassign, seeker, useThreadsWorld, w } from "../threads/test-world.js";

useThreadsWorld();

const HOUR = 3_600_000;

/** Signs a help-seeker in again with the same keys (sessions idle out while the clock jumps). */
async function again(s: Seeker): Promise<void> {
  const ch = await w.request("POST", "/api/auth/challenge", { body: { helplineId: s.helplineId } });
  const signature = signChallenge(
    w.sodium,
    {
      origin: ORIGIN,
      helplineId: s.helplineId as HelplineId,
      role: "seeker",
      nonce: w.crypto.bytes(ch.body.nonce),
    },
    s.signIn.secretKey,
  );
  const res = await w.request("POST", "/api/auth/seeker", {
    body: {
      helplineId: s.helplineId,
      signInPk: w.b64(s.signIn.publicKey),
      nonce: ch.body.nonce,
      signature: w.b64(signature),
    },
  });
  if (res.status !== 200 || !res.cookie) throw new Error(`seeker sign-in ${res.status}`);
  s.cookie = res.cookie;
}

async function later(ms: number, people: { seekers?: Seeker[]; staff?: Staff[] } = {}): Promise<void> {
  w.clock.advance(ms);
  for (const s of people.seekers ?? []) await again(s);
  for (const s of people.staff ?? []) await w.signInStaff(s);
}

async function stats(from: string, to: string, who: Staff = h.supervisor) {
  return w.request("GET", `/api/stats?from=${from}&to=${to}`, { cookie: who.cookie });
}

const zero = {
  conversations: 0,
  seekerMessages: 0,
  staffMessages: 0,
  firstReplies: 0,
  firstReplyMs: 0,
  firstInTime: 0,
  firstWithin1h: 0,
  firstWithin24h: 0,
  replies: 0,
  replyMs: 0,
  repliesInTime: 0,
  closed: 0,
  reassigned: 0,
  deleted: 0,
  expired: 0,
};

describe("GET /api/stats", () => {
  it("counts each event once, on its UTC day, and keeps the counts after deletion and retention", async () => {
    const dayA = Math.floor(w.clock.now() / DAY_MS);
    const seeker2 = await w.newSeeker(h.id);
    const t1 = await w.openNewThread(h, seeker);
    const t2 = await w.openNewThread(h, seeker2);
    const t3 = await w.openNewThread(h, seeker);

    // One hour later Ines claims and answers T1: first reply within the hour and within the promise (72 h).
    await later(HOUR, { staff: [ines, h.supervisor] });
    expect((await claim(t1.threadId, ines)).res.status).toBe(200);
    const k1 = await w.currentKeys(t1.threadId, ines);
    const reply = w.envelope({ h, threadId: t1.threadId, keys: k1.keys!, sender: ines.signing, seq: 1 });
    expect((await post(t1.threadId, ines, w.b64(w.random(16)), reply)).status).toBe(200);

    // Next day the second help-seeker writes again (still waiting since day A).
    await later(23 * HOUR, { seekers: [seeker2] });
    const k2 = await w.currentKeys(t2.threadId, seeker2);
    const again2 = w.envelope({
      h,
      threadId: t2.threadId,
      keys: k2.keys!,
      sender: seeker2.messageSign,
      seq: 2,
    });
    expect((await post(t2.threadId, seeker2, w.b64(w.random(16)), again2)).status).toBe(200);

    // Day A+4: the supervisor answers T2 late (96 h), reassigns T1 to Anna, closes T2 (twice); T3 is deleted.
    await later(3 * DAY_MS, { seekers: [seeker], staff: [h.supervisor, ines, anna] });
    const ks = await w.currentKeys(t2.threadId, h.supervisor);
    const late = w.envelope({
      h,
      threadId: t2.threadId,
      keys: ks.keys!,
      sender: h.supervisor.signing,
      seq: 1,
    });
    expect((await post(t2.threadId, h.supervisor, w.b64(w.random(16)), late)).status).toBe(200);
    const r = await reassign(t1.threadId, anna);
    expect(
      (
        await w.request("POST", `/api/threads/${t1.threadId}/epochs`, {
          cookie: h.supervisor.cookie,
          body: r.body,
        })
      ).status,
    ).toBe(200);
    for (let i = 0; i < 2; i++) {
      const patched = await w.request("PATCH", `/api/threads/${t2.threadId}`, {
        cookie: h.supervisor.cookie,
        body: { status: "closed" },
      });
      expect(patched.status).toBe(200);
    }
    expect((await w.request("DELETE", `/api/threads/${t3.threadId}`, { cookie: seeker.cookie })).status).toBe(
      200,
    );

    const from = dayText(dayA);
    const mid = await stats(from, dayText(dayA + 4));
    expect(mid.status).toBe(200);
    const byId = (list: { memberId: string }[], id: string) => list.find((m) => m.memberId === id);
    expect(byId(mid.body.members, anna.memberId)).toEqual({
      memberId: anna.memberId,
      replies: 0,
      firstReplies: 0,
      taken: 1,
      openNow: 1,
    });

    // 400 days later (day A+404), retention removes T1 and T2.
    await later(400 * DAY_MS);
    expect((await runMaintenance(w.db, w.writer, w.clock)).threads).toBe(2);
    await w.signInStaff(h.supervisor);
    const res = await stats(from, dayText(dayA + 404));
    expect(res.status).toBe(200);
    expect(res.body.replyTimeHours).toBe(72);
    expect(res.body.days).toEqual([
      {
        ...zero,
        day: dayText(dayA),
        conversations: 3,
        seekerMessages: 3,
        staffMessages: 1,
        firstReplies: 1,
        firstReplyMs: HOUR,
        firstInTime: 1,
        firstWithin1h: 1,
        firstWithin24h: 1,
        replies: 1,
        replyMs: HOUR,
        repliesInTime: 1,
      },
      { ...zero, day: dayText(dayA + 1), seekerMessages: 1 },
      {
        ...zero,
        day: dayText(dayA + 4),
        staffMessages: 1,
        firstReplies: 1,
        firstReplyMs: 96 * HOUR,
        replies: 1,
        replyMs: 96 * HOUR,
        reassigned: 1,
        closed: 1,
        deleted: 1,
      },
      { ...zero, day: dayText(dayA + 404), expired: 2 },
    ]);
    expect(byId(res.body.members, ines.memberId)).toEqual({
      memberId: ines.memberId,
      replies: 1,
      firstReplies: 1,
      taken: 1,
      openNow: 0,
    });
    expect(byId(res.body.members, h.supervisor.memberId)).toMatchObject({
      replies: 1,
      firstReplies: 1,
      taken: 0,
    });
    expect(byId(res.body.members, anna.memberId)).toMatchObject({ taken: 1, openNow: 0 });

    // A range that leaves day A out leaves its figures out.
    const tail = await stats(dayText(dayA + 1), dayText(dayA + 3));
    expect(tail.body.days).toEqual([{ ...zero, day: dayText(dayA + 1), seekerMessages: 1 }]);
  });

  it("supervisors only, their own helpline only; bad ranges are 400 VALIDATION_FAILED", async () => {
    await w.openNewThread(h, seeker);
    const today = dayText(Math.floor(w.clock.now() / DAY_MS));
    expect((await stats(today, today, ines)).status).toBe(403);
    expect(
      (await w.request("GET", `/api/stats?from=${today}&to=${today}`, { cookie: seeker.cookie })).status,
    ).toBe(403);
    expect((await w.request("GET", `/api/stats?from=${today}&to=${today}`)).status).toBe(401);
    const other = await w.setupHelpline("beta", 2);
    const theirs = await stats(today, today, other.supervisor);
    expect(theirs.status).toBe(200);
    expect(theirs.body.helplineId).toBe(other.id);
    expect(theirs.body.days).toEqual([]);
    expect((await stats(today, today)).body.days[0].conversations).toBe(1);
    for (const q of [
      "from=2027-02-30&to=2027-03-01",
      "from=2027-03-02&to=2027-03-01",
      "from=2020-01-01&to=2027-01-01",
      "from=yesterday&to=today",
      "from=2027-01-01",
    ]) {
      const res = await w.request("GET", `/api/stats?${q}`, { cookie: h.supervisor.cookie });
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
    }
  });
});
