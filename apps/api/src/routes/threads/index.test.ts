import {
  applyRosterChange,
  claimThread,
  type EpochKey,
  type EpochKeys,
  type EpochRecord,
  keyCommit,
  type MemberId,
  reassignThread,
  removeReader,
  type StaffEpochKey,
  signEpochRecord,
  staffCommit,
} from "@briefgeheim/crypto";
import { verifyAuditChain } from "@briefgeheim/protocol";
import { count } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { envelopes, epochRecords, grants, threads } from "../../db/schema.js";
import {
  createWorld,
  type HelplineFixture,
  type Seeker,
  type Staff,
  type World,
} from "../../testing/harness.js";

let w: World;
let h: HelplineFixture;
let ines: Staff; // counsellor, intake reader
let anna: Staff; // counsellor
let seeker: Seeker;

beforeEach(async () => {
  w = await createWorld();
  h = await w.setupHelpline("alpha", 1);
  ines = await w.addStaff(h, "Ines", "counsellor", true);
  anna = await w.addStaff(h, "Anna", "counsellor", false);
  seeker = await w.newSeeker(h.id);
});
afterEach(async () => {
  await w.cleanup();
});

async function counts() {
  const c = async (t: typeof threads | typeof envelopes | typeof epochRecords | typeof grants) =>
    (await w.db.read.select({ n: count() }).from(t))[0]!.n;
  return {
    threads: await c(threads),
    envelopes: await c(envelopes),
    records: await c(epochRecords),
    grants: await c(grants),
  };
}

async function claim(threadId: string, who: Staff) {
  const { record, keys } = await w.currentKeys(threadId, who);
  const next = claimThread(w.sodium, {
    prev: record,
    prevKeys: keys!,
    roster: h.roster,
    signer: who.signing,
    random: w.random,
    now: w.clock.now(),
  });
  const res = await w.request("POST", `/api/threads/${threadId}/epochs`, {
    cookie: who.cookie,
    body: { record: w.b64(next.record), grants: next.grants.map(w.b64) },
  });
  return { res, next };
}

async function reassign(threadId: string, to: Staff, by: Staff = h.supervisor) {
  const { record, keys } = await w.currentKeys(threadId, by);
  const next = reassignThread(w.sodium, {
    prev: record,
    prevKeys: keys!,
    roster: h.roster,
    signer: by.signing,
    to: to.member,
    random: w.random,
    now: w.clock.now(),
  });
  return { next, body: { record: w.b64(next.record), grants: next.grants.map(w.b64) } };
}

function post(threadId: string, who: { cookie?: string }, id: string, envelope: string, status?: string) {
  return w.request("POST", `/api/threads/${threadId}/envelopes`, {
    cookie: who.cookie,
    body: { id, envelope, ...(status ? { status } : {}) },
  });
}

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
    const skip = w.envelope({ h, threadId: t.threadId, keys: t.keys, sender: seeker.messageSign, seq: 4 });
    const gap = await post(t.threadId, seeker, w.b64(w.random(16)), skip);
    expect(gap.status).toBe(409);
    expect(gap.body.error.code).toBe("SEQUENCE_CONFLICT");
    const replay = await post(t.threadId, seeker, w.b64(w.random(16)), second);
    expect(replay.status).toBe(409);
    expect(await counts()).toEqual(before);
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
    // in-order arrival is not guaranteed across requests; those out of order get SEQUENCE_CONFLICT
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

describe("epochs: claim, reassign, access", () => {
  it("claim moves the thread out of intake to the claimer; reassign moves it on; the audit chain verifies", async () => {
    const t = await w.openNewThread(h, seeker);
    // Anna is not an intake reader: she cannot claim (not a reader of epoch 0, and cannot see it)
    expect((await w.request("GET", `/api/threads/${t.threadId}`, { cookie: anna.cookie })).status).toBe(404);
    const { res } = await claim(t.threadId, ines);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ threadId: t.threadId, epoch: 1 });
    const mine = await w.request("GET", "/api/threads?view=mine", { cookie: ines.cookie });
    expect(mine.body.threads[0]).toMatchObject({
      id: t.threadId,
      intake: false,
      assigneeIds: [ines.memberId],
    });
    expect(
      (await w.request("GET", "/api/threads?view=intake", { cookie: ines.cookie })).body.threads,
    ).toHaveLength(0);

    const r = await reassign(t.threadId, anna);
    const moved = await w.request("POST", `/api/threads/${t.threadId}/epochs`, {
      cookie: h.supervisor.cookie,
      body: r.body,
    });
    expect(moved.status).toBe(200);
    const retry = await w.request("POST", `/api/threads/${t.threadId}/epochs`, {
      cookie: h.supervisor.cookie,
      body: r.body,
    });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(moved.body);
    expect((await w.request("GET", `/api/threads/${t.threadId}`, { cookie: ines.cookie })).status).toBe(404);
    const annaKeys = await w.currentKeys(t.threadId, anna);
    expect(annaKeys.keys?.epoch).toBe(2);
    expect(annaKeys.records).toHaveLength(3);

    const audit = await w.request("GET", "/api/audit?limit=200", { cookie: h.supervisor.cookie });
    const actions = audit.body.entries.map((e: { action: string }) => e.action);
    expect(actions).toContain("claim");
    expect(actions).toContain("reassign");
    expect(await verifyAuditChain(audit.body.entries)).toMatchObject({ ok: true });
  });

  it("two intake readers race to claim: one wins, the other gets 409 EPOCH_CONFLICT", async () => {
    const bram = await w.addStaff(h, "Bram", "counsellor", true);
    const t = await w.openNewThread(h, seeker);
    const build = async (who: Staff) => {
      const { record, keys } = await w.currentKeys(t.threadId, who);
      const next = claimThread(w.sodium, {
        prev: record,
        prevKeys: keys!,
        roster: h.roster,
        signer: who.signing,
        random: w.random,
        now: w.clock.now(),
      });
      return { record: w.b64(next.record), grants: next.grants.map(w.b64) };
    };
    const [a, b] = [await build(ines), await build(bram)];
    const results = await Promise.all([
      w.request("POST", `/api/threads/${t.threadId}/epochs`, { cookie: ines.cookie, body: a }),
      w.request("POST", `/api/threads/${t.threadId}/epochs`, { cookie: bram.cookie, body: b }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe("EPOCH_CONFLICT");
  });

  it("an unclaimed thread re-keyed by a removal or roster change stays in intake, and can still be claimed", async () => {
    const bram = await w.addStaff(h, "Bram", "counsellor", true);
    const t = await w.openNewThread(h, seeker);
    const rekey = async (op: "remove" | "roster-change") => {
      const { record, keys } = await w.currentKeys(t.threadId, h.supervisor);
      const base = {
        prev: record,
        prevKeys: keys!,
        roster: h.roster,
        signer: h.supervisor.signing,
        random: w.random,
        now: w.clock.now(),
      };
      const next =
        op === "remove"
          ? removeReader(w.sodium, { ...base, member: ines.memberId as MemberId })
          : applyRosterChange(w.sodium, base);
      return w.request("POST", `/api/threads/${t.threadId}/epochs`, {
        cookie: h.supervisor.cookie,
        body: { record: w.b64(next.record), grants: next.grants.map(w.b64) },
      });
    };
    expect((await rekey("remove")).status).toBe(200);
    expect((await rekey("roster-change")).status).toBe(200);
    const summary = (await w.request("GET", `/api/threads/${t.threadId}`, { cookie: bram.cookie })).body
      .thread;
    expect(summary).toMatchObject({ intake: true, currentEpoch: 2, assigneeIds: [] });
    const queue = await w.request("GET", "/api/threads?view=intake", { cookie: bram.cookie });
    expect(queue.body.threads.map((x: { id: string }) => x.id)).toEqual([t.threadId]);
    expect((await w.request("GET", "/api/threads?view=mine", { cookie: bram.cookie })).body.threads).toEqual(
      [],
    );
    // Bram, a reader of the current (re-keyed) epoch, claims it: only now does it leave intake.
    const claimed = await claim(t.threadId, bram);
    expect(claimed.res.status).toBe(200);
    const after = (await w.request("GET", `/api/threads/${t.threadId}`, { cookie: bram.cookie })).body.thread;
    expect(after).toMatchObject({ intake: false, currentEpoch: 3, assigneeIds: [bram.memberId] });
  });

  it("a stale epoch is 409 EPOCH_CONFLICT for envelopes", async () => {
    const t = await w.openNewThread(h, seeker);
    await claim(t.threadId, ines);
    const stale = w.envelope({ h, threadId: t.threadId, keys: t.keys, sender: seeker.messageSign, seq: 2 });
    const res = await post(t.threadId, seeker, w.b64(w.random(16)), stale);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("EPOCH_CONFLICT");
  });

  it("refuses records a counsellor may not sign, records submitted by another, and skipped epochs", async () => {
    const t = await w.openNewThread(h, seeker);
    await claim(t.threadId, ines);
    const { record, keys } = await w.currentKeys(t.threadId, ines);
    // Ines tries to "assign" the thread to Anna: only supervisors may
    const forged = signEpochRecord(
      w.sodium,
      nextDraft(record, keys!, "assign", [
        ...record.readers.filter((x) => x.kind === "seeker"),
        readerOf(anna),
        ...supervisors(),
      ]),
      ines.signing,
    );
    const before = await counts();
    const res = await w.request("POST", `/api/threads/${t.threadId}/epochs`, {
      cookie: ines.cookie,
      body: { record: w.b64(forged), grants: [w.b64(w.random(200))] },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("SIGNER_NOT_ALLOWED");
    // the supervisor's valid record, submitted by Ines
    const r = await reassign(t.threadId, anna);
    const other = await w.request("POST", `/api/threads/${t.threadId}/epochs`, {
      cookie: ines.cookie,
      body: r.body,
    });
    expect(other.body.error.code).toBe("SIGNER_NOT_ALLOWED");
    // a grant of another thread
    const u = await w.openNewThread(h, seeker);
    await claim(u.threadId, ines);
    const ru = await reassign(u.threadId, anna);
    const mixed = await w.request("POST", `/api/threads/${t.threadId}/epochs`, {
      cookie: h.supervisor.cookie,
      body: { record: r.body.record, grants: [ru.body.grants[0], ...r.body.grants.slice(1)] },
    });
    expect(mixed.status).toBe(422);
    expect(mixed.body.error.code).toBe("WRONG_CONTEXT");
    const after = await counts();
    expect(after.records - before.records).toBe(2); // only u's epochs 0 and 1
  });

  it("a supervisor reassigns a caseload in one batch; per-item results", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const t = await w.openNewThread(h, seeker);
      await claim(t.threadId, ines);
      ids.push(t.threadId);
    }
    const items = [];
    for (const id of ids) items.push({ threadId: id, ...(await reassign(id, anna)).body });
    items.push({ ...items[0]!, threadId: ids[1]! }); // a record for another thread
    const res = await w.request("POST", "/api/threads/epochs/batch", {
      cookie: h.supervisor.cookie,
      body: { items },
    });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { ok: boolean }) => r.ok)).toEqual([true, true, true, false]);
    expect(res.body.results[3].error.code).toBe("WRONG_CONTEXT");
    const annaMine = await w.request("GET", "/api/threads?view=mine", { cookie: anna.cookie });
    expect(annaMine.body.threads).toHaveLength(3);
    const staff = await w.request("GET", "/api/staff", { cookie: h.supervisor.cookie });
    const load = Object.fromEntries(
      staff.body.members.map((m: { id: string; caseload: number }) => [m.id, m.caseload]),
    );
    expect(load[anna.memberId]).toBe(3);
    expect(load[ines.memberId]).toBe(0);
    expect(
      (await w.request("POST", "/api/threads/epochs/batch", { cookie: ines.cookie, body: { items } })).status,
    ).toBe(403);
  });

  function supervisors() {
    return h.roster.members
      .filter((m) => m.role === "supervisor")
      .map((m) => ({
        kind: "staff" as const,
        memberId: m.memberId,
        signPk: m.signPk,
        boxPk: m.boxPk,
      }));
  }
  function readerOf(s: Staff) {
    return {
      kind: "staff" as const,
      memberId: s.member.memberId as MemberId,
      signPk: s.signing.publicKey,
      boxPk: s.box.publicKey,
    };
  }
  function nextDraft(prev: EpochRecord, _keys: EpochKeys, reason: "assign", readers: EpochRecord["readers"]) {
    const key = w.random(32) as EpochKey;
    const skey = w.random(32) as StaffEpochKey;
    return {
      helplineId: prev.helplineId,
      threadId: prev.threadId,
      epoch: prev.epoch + 1,
      prevRecordHash: prev.hash,
      rosterVersion: h.roster.version,
      reason,
      createdAt: w.clock.now(),
      keyCommit: keyCommit(w.sodium, prev.threadId, prev.epoch + 1, key),
      staffCommit: staffCommit(w.sodium, prev.threadId, prev.epoch + 1, skey),
      readers: [...readers].sort((a, b) => Buffer.compare(Buffer.from(a.signPk), Buffer.from(b.signPk))),
      history: w.random(72),
      staffHistory: w.random(72),
    };
  }
});

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
    expect((await w.request("GET", `/api/threads/${t.threadId}`, { cookie: seeker.cookie })).status).toBe(
      404,
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
