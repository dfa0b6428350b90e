// New epochs (claim, reassign, remove, roster change, batches): POST /api/threads/:id/epochs.
import {
  applyRosterChange,
  claimThread,
  type EpochKey,
  type EpochKeys,
  type EpochRecord,
  keyCommit,
  type MemberId,
  removeReader,
  type StaffEpochKey,
  signEpochRecord,
  staffCommit,
} from "@briefgeheim/crypto";
import { verifyAuditChain } from "@briefgeheim/protocol";
import { describe, expect, it } from "vitest";
import type { Staff } from "../../testing/harness.js";
import {
  anna,
  claim,
  counts,
  h,
  ines,
  post,
  postEpoch,
  reassign,
  seeker,
  useThreadsWorld,
  w,
} from "./test-world.js";

useThreadsWorld();

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
    // Who came and went is read from the readers before the write: Ines out, Anna in.
    const moves = audit.body.entries.filter(
      (e: { action: string; threadId: string | null }) =>
        e.action === "reassign" && e.threadId === t.threadId,
    );
    expect(moves).toHaveLength(1);
    expect(moves[0]).toMatchObject({
      subjectId: anna.memberId,
      details: { epoch: 2, reason: "reassign", added: [anna.memberId], removed: [ines.memberId] },
    });
  });

  it("the same epoch sent twice at once: both 200 with one ack, one record and one audit entry", async () => {
    const t = await w.openNewThread(h, seeker);
    expect((await claim(t.threadId, ines)).res.status).toBe(200);
    const r = await reassign(t.threadId, anna);
    const send = () =>
      w.request("POST", `/api/threads/${t.threadId}/epochs`, { cookie: h.supervisor.cookie, body: r.body });
    // Both pass the checks before either is written; the second finds the first inside the write.
    const [a, b] = await Promise.all([send(), send()]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.body).toEqual(a.body);
    expect(a.body).toMatchObject({ threadId: t.threadId, epoch: 2 });
    expect((await w.currentKeys(t.threadId, anna)).records).toHaveLength(3);
    const audit = await w.request("GET", "/api/audit?limit=200", { cookie: h.supervisor.cookie });
    const moves = audit.body.entries.filter(
      (e: { action: string; threadId: string | null }) =>
        e.action === "reassign" && e.threadId === t.threadId,
    );
    expect(moves).toHaveLength(1);
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
        heads: await w.currentHeads(t.threadId, who),
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
    const rekey = async (op: "remove" | "roster-change") =>
      (
        await postEpoch(t.threadId, h.supervisor, (base) =>
          op === "remove"
            ? removeReader(w.sodium, { ...base, member: ines.memberId as MemberId })
            : applyRosterChange(w.sodium, base),
        )
      ).res;
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

  it("refuses an epoch record whose heads are not the thread's newest envelopes: 409 STALE_VIEW", async () => {
    const t = await w.openNewThread(h, seeker);
    const { record, keys } = await w.currentKeys(t.threadId, ines);
    const heads = await w.currentHeads(t.threadId, ines);
    expect(heads.map((x) => [x.stream, x.seq])).toEqual([["main", 1]]);
    // The help-seeker writes again after Ines loaded the thread: her claim names a stale head.
    const second = w.envelope({
      h,
      threadId: t.threadId,
      keys: t.keys,
      sender: seeker.messageSign,
      seq: 2,
      heads,
    });
    expect((await post(t.threadId, seeker, w.b64(w.random(16)), second)).status).toBe(200);
    const base = { prev: record, prevKeys: keys!, roster: h.roster, signer: ines.signing, random: w.random };
    for (const stale of [heads, []]) {
      const next = claimThread(w.sodium, { ...base, now: w.clock.now(), heads: stale });
      const res = await w.request("POST", `/api/threads/${t.threadId}/epochs`, {
        cookie: ines.cookie,
        body: { record: w.b64(next.record), grants: next.grants.map(w.b64) },
      });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("STALE_VIEW");
    }
    // Loaded again, the claim names the help-seeker's seq 2 and goes through.
    const fresh = await w.currentHeads(t.threadId, ines);
    expect(fresh.map((x) => x.seq)).toEqual([2]);
    const next = claimThread(w.sodium, { ...base, now: w.clock.now(), heads: fresh });
    const res = await w.request("POST", `/api/threads/${t.threadId}/epochs`, {
      cookie: ines.cookie,
      body: { record: w.b64(next.record), grants: next.grants.map(w.b64) },
    });
    expect(res.status).toBe(200);
  });

  it("the heads endpoint lists the newest envelope per stream and sender; help-seekers see the main stream", async () => {
    const t = await w.openNewThread(h, seeker);
    const { next } = await claim(t.threadId, ines);
    for (const [kind, seq] of [
      ["message", 1],
      ["note", 1],
      ["message", 2],
    ] as const) {
      const env = w.envelope({ h, threadId: t.threadId, keys: next.keys, sender: ines.signing, seq, kind });
      expect((await post(t.threadId, ines, w.b64(w.random(16)), env)).status).toBe(200);
    }
    const staffView = await w.currentHeads(t.threadId, ines);
    expect(staffView.map((x) => [x.stream, x.seq]).sort()).toEqual([
      ["main", 1],
      ["main", 2],
      ["staff", 1],
    ]);
    const seekerView = await w.currentHeads(t.threadId, seeker);
    expect(seekerView.map((x) => [x.stream, x.seq]).sort()).toEqual([
      ["main", 1],
      ["main", 2],
    ]);
    const outsider = await w.newSeeker(h.id);
    const hidden = await w.request("GET", `/api/threads/${t.threadId}/heads`, { cookie: outsider.cookie });
    expect(hidden.status).toBe(404);
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
      rosterHash: h.roster.hash,
      reason,
      createdAt: w.clock.now(),
      keyCommit: keyCommit(w.sodium, prev.threadId, prev.epoch + 1, key),
      staffCommit: staffCommit(w.sodium, prev.threadId, prev.epoch + 1, skey),
      readers: [...readers].sort((a, b) => Buffer.compare(Buffer.from(a.signPk), Buffer.from(b.signPk))),
      heads: [],
      history: w.random(72),
      staffHistory: w.random(72),
    };
  }
});
