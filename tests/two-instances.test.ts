/**
 * Two API instances, one database (issue 9 §4; apps/api/README.md "More than one instance"). Two real
 * server processes start at the same moment on one new embedded file (both migrate), the operator's CLI
 * writes to it while they run, and clients are routed to both:
 * - the same thread claimed by two counsellors through different instances: exactly one wins, the
 *   other gets 409 EPOCH_CONFLICT; then two reassignments of the same epoch race the same way;
 * - the same envelope sent to both (exactly one row, both answers name it), and two envelopes with one
 *   seq (one 200, one 409 SEQUENCE_CONFLICT);
 * - posts of help-seekers and counsellors under load, help-seekers deleting conversations through one
 *   instance while posts to them go to the other, and the retention run of both instances (every 200 ms)
 *   deleting threads a third connection expires meanwhile;
 * - instance A is killed with SIGKILL in the middle; requests it dropped are retried on B with the same
 *   id, as the SDK does; A is started again and serves what B stored.
 * Then every acknowledged write is stored exactly once (or went with its deleted thread), positions
 * have no gaps, each thread has exactly its epochs 0, 1, 2 by the winners, every deletion happened once
 * and the helpline's audit chain (written by both instances) verifies.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EpochKeys } from "@briefgeheim/crypto";
import { verifyAuditChain } from "@briefgeheim/protocol";
import { afterAll, describe, expect, it } from "vitest";
import {
  buildThread,
  createHelplineWithCli,
  messageText,
  newSeeker,
  type ServerProcess,
  sealMessage,
  setupWorld,
  sleep,
  startServer,
  stopServer,
} from "./support/api-world.js";
import {
  type Answer,
  auditLog,
  buildClaim,
  buildReassign,
  epochBody,
  headOf,
  Instances,
  parseRecord,
  pool,
  query,
  storedState,
} from "./support/two-instances-world.js";

const SEEKERS = 6;
const THREADS_PER_SEEKER = 3;
const MESSAGES = 10; // per thread and side, under load
const KILL_AFTER_ACKS = 120;

const dir = mkdtempSync(join(tmpdir(), "bg-two-instances-"));
const dbFile = join(dir, "shared.db");
const started: ServerProcess[] = [];
const env = { MAINTENANCE_EVERY_MS: "200" };
const start = async (name: string) => {
  const s = await startServer({
    dbFile,
    logFile: join(dir, `${name}-${started.length}.log`),
    env,
    timeoutMs: 120_000,
  });
  started.push(s);
  return s;
};

afterAll(async () => {
  for (const s of started) await stopServer(s, "SIGKILL");
  if (!process.env.KEEP_9C) rmSync(dir, { recursive: true, force: true });
  else console.info(dir);
});

interface Conversation {
  threadId: string;
  seeker: { cookie: string; messageSign: Parameters<typeof sealMessage>[2]["sender"] };
  keys: EpochKeys;
  claimer?: string;
  assignee?: string;
  /** How it ends: kept, deleted by the help-seeker, or expired and removed by a retention run. */
  fate: "kept" | "deleted" | "expired";
}

describe("two instances on one database file", () => {
  it("keeps every race rule and every acknowledged write across instances and a SIGKILL", async () => {
    const t0 = Date.now();
    // Both instances and the operator's CLI start on the new file at once: all three migrate it.
    const [a, b, helpline] = await Promise.all([
      start("A"),
      start("B"),
      createHelplineWithCli(dbFile, { slug: "twee", name: "Twee", tag: 12 }),
    ]);
    const inst = new Instances();
    inst.set("A", a);
    inst.set("B", b);
    const w = await setupWorld(
      a.base,
      { ...helpline, slug: "twee" },
      { counsellors: 3, intakeReaders: true },
    );
    const [c0, c1, c2] = w.counsellors as [
      (typeof w.counsellors)[0],
      (typeof w.counsellors)[0],
      (typeof w.counsellors)[0],
    ];
    const newId = () => Buffer.from(w.random(16)).toString("base64url");
    const staffById = new Map(w.counsellors.map((c) => [c.memberId, c]));
    // The server secret was made once: an unknown username gets the same decoy salt from both.
    const params = await Promise.all(
      ["A", "B"].map((n) => inst.send(n, "POST", "/api/auth/staff/params", { username: "niemand-hier" })),
    );
    expect(params[0]!.status).toBe(200);
    expect(params[0]!.body).toEqual(params[1]!.body);

    // Help-seekers sign in through either instance and open their conversations through either.
    const conversations: Conversation[] = [];
    for (let s = 0; s < SEEKERS; s++) {
      const seeker = await newSeeker({ ...w, base: inst.byName.get(inst.next())!.base });
      for (let t = 0; t < THREADS_PER_SEEKER; t++) {
        const thread = buildThread(w.sodium, w.random, w, seeker, messageText(s * 10 + t, 400));
        const res = await inst.send(inst.next(), "POST", "/api/threads", thread.request, seeker.cookie);
        expect(res.status).toBe(200);
        // Each help-seeker keeps one conversation; the others are deleted or expire under load.
        const fate = t === 0 ? "kept" : t === 1 ? "deleted" : "expired";
        conversations.push({ threadId: thread.threadId, seeker, keys: thread.keys, fate });
        const record = parseRecord(w, thread.request.record);
        const heads = [headOf(w, thread.request.envelope)];
        Object.assign(conversations.at(-1)!, { record, heads });
      }
    }

    let racedInside = 0;
    const lostClaim = (x: Answer) =>
      (x.status === 409 && x.body.error.code === "EPOCH_CONFLICT") ||
      (x.status === 404 && x.body.error.code === "NOT_FOUND");
    // Claims race: c0 through one instance, c1 through the other, at the same moment.
    for (const [i, conv] of conversations.entries()) {
      const { record, heads } = conv as unknown as { record: ReturnType<typeof parseRecord>; heads: never[] };
      const claims = [c0, c1].map((c) => ({ c, start: buildClaim(w, c, record, conv.keys, heads) }));
      const answers = await Promise.all(
        claims.map(({ c, start }, k) =>
          inst.send(
            (i + k) % 2 === 0 ? "A" : "B",
            "POST",
            `/api/threads/${conv.threadId}/epochs`,
            epochBody(start),
            c.cookie,
          ),
        ),
      );
      const won = answers.map((x) => x.status === 200);
      expect(won.filter(Boolean).length, JSON.stringify(answers)).toBe(1);
      // The loser raced inside the transaction (409), or looked after the commit, when the thread had
      // left intake and was no longer theirs to see (404), as with one instance.
      const lost = answers[won.indexOf(false)]!;
      expect(lostClaim(lost), JSON.stringify(lost)).toBe(true);
      if (lost.status === 409) racedInside++;
      const winner = claims[won.indexOf(true)]!;
      conv.claimer = winner.c.memberId;
      // Reassignment race: the supervisor moves epoch 1 to c2 and to the losing claimer at once.
      const targets = [c2.memberId, claims[won.indexOf(false)]!.c.memberId];
      const moves = targets.map((to) => ({
        to,
        start: buildReassign(w, winner.start.parsed, winner.start.keys, heads, to),
      }));
      const moved = await Promise.all(
        moves.map(({ start }, k) =>
          inst.send(
            k === i % 2 ? "A" : "B",
            "POST",
            `/api/threads/${conv.threadId}/epochs`,
            epochBody(start),
            w.supervisor.cookie,
          ),
        ),
      );
      const ok = moved.map((x) => x.status === 200);
      expect(ok.filter(Boolean).length, JSON.stringify(moved)).toBe(1);
      expect(moved[ok.indexOf(false)]!.body.error.code).toBe("EPOCH_CONFLICT");
      conv.assignee = moves[ok.indexOf(true)]!.to;
      conv.keys = moves[ok.indexOf(true)]!.start.keys;
    }

    // The same envelope to both instances: one row, both answers name it. One seq twice: one wins.
    const kept = conversations.filter((c) => c.fate === "kept");
    const acked: { conv: Conversation; id: string; answer: Answer }[] = [];
    for (const conv of kept) {
      const envelope = sealMessage(w.sodium, w.random, {
        ...w,
        threadId: conv.threadId,
        keys: conv.keys,
        sender: conv.seeker.messageSign,
        seq: 2,
        text: "dubbel",
      });
      const id = newId();
      const both = await Promise.all(
        ["A", "B"].map((n) =>
          inst.send(
            n,
            "POST",
            `/api/threads/${conv.threadId}/envelopes`,
            { id, envelope },
            conv.seeker.cookie,
          ),
        ),
      );
      expect(both.map((x) => x.status)).toEqual([200, 200]);
      expect(both[0]!.body.position).toBe(both[1]!.body.position);
      acked.push({ conv, id, answer: both[0]! });
      const twins = [3, 3].map((seq, k) => ({
        id: newId(),
        envelope: sealMessage(w.sodium, w.random, {
          ...w,
          threadId: conv.threadId,
          keys: conv.keys,
          sender: conv.seeker.messageSign,
          seq,
          text: `tweeling ${k}`,
        }),
      }));
      const raced = await Promise.all(
        twins.map((body, k) =>
          inst.send(
            k === 0 ? "A" : "B",
            "POST",
            `/api/threads/${conv.threadId}/envelopes`,
            body,
            conv.seeker.cookie,
          ),
        ),
      );
      const winners = raced.filter((x) => x.status === 200);
      expect(winners.length, JSON.stringify(raced)).toBe(1);
      expect(raced.find((x) => x.status !== 200)!.body.error.code).toBe("SEQUENCE_CONFLICT");
      acked.push({ conv, id: twins[raced.indexOf(winners[0]!)]!.id, answer: winners[0]! });
    }

    // Load on both instances: help-seekers and assignees post; deletions and expiries meanwhile.
    const outcomes: { conv: Conversation; id: string; answer: Answer; first: Answer }[] = [];
    let acks = 0;
    const gone = new Set<string>();
    const inflight = new Map<string, number>();
    const writers = conversations.flatMap((conv) => [
      {
        conv,
        who: "seeker" as const,
        cookie: conv.seeker.cookie,
        sender: conv.seeker.messageSign,
        firstSeq: conv.fate === "kept" ? 4 : 2,
      },
      {
        conv,
        who: "staff" as const,
        cookie: staffById.get(conv.assignee!)!.cookie,
        sender: staffById.get(conv.assignee!)!.signing,
        firstSeq: 1,
      },
    ]);
    const load = pool(writers, writers.length, async (wr) => {
      for (let m = 0; m < MESSAGES; m++) {
        if (gone.has(wr.conv.threadId)) return;
        inflight.set(wr.conv.threadId, (inflight.get(wr.conv.threadId) ?? 0) + 1);
        const id = newId();
        const envelope = sealMessage(w.sodium, w.random, {
          ...w,
          threadId: wr.conv.threadId,
          keys: wr.conv.keys,
          sender: wr.sender,
          seq: wr.firstSeq + m,
          text: messageText(m, 200 + m * 50),
        });
        const { first, final } = await inst.sendWithRetry(
          inst.next(),
          "POST",
          `/api/threads/${wr.conv.threadId}/envelopes`,
          { id, envelope },
          wr.cookie,
        );
        inflight.set(wr.conv.threadId, inflight.get(wr.conv.threadId)! - 1);
        outcomes.push({ conv: wr.conv, id, answer: final, first });
        if (final.status === 200) acks++;
        else return;
      }
    });
    const doomed = async () => {
      await sleep(100);
      // A third connection expires some conversations: both instances' retention runs race to remove
      // them. Their posts stop first (a message would move expires_at on again, as it should).
      const expiring = conversations.filter((c) => c.fate === "expired").map((c) => c.threadId);
      for (const id of expiring) gone.add(id);
      while (expiring.some((id) => (inflight.get(id) ?? 0) > 0)) await sleep(5);
      await query(
        dbFile,
        `UPDATE threads SET expires_at = 1 WHERE id IN (${expiring.map(() => "?").join(",")})`,
        expiring,
      );
      for (const conv of conversations.filter((c) => c.fate === "deleted")) {
        const { final } = await inst.sendWithRetry(
          inst.next(),
          "DELETE",
          `/api/threads/${conv.threadId}`,
          undefined,
          conv.seeker.cookie,
        );
        expect(final.status).toBe(200);
        gone.add(conv.threadId);
      }
    };
    const killer = async () => {
      const deadline = Date.now() + 20_000;
      while (acks < KILL_AFTER_ACKS && Date.now() < deadline) await sleep(5);
      a.child.kill("SIGKILL");
      expect((await a.exited).signal).toBe("SIGKILL");
      inst.dead.add("A");
    };
    await Promise.all([load, doomed(), killer()]);

    // The retention runs of B (every 200 ms) remove the expired threads.
    const expired = conversations.filter((c) => c.fate === "expired").map((c) => c.threadId);
    for (let i = 0; i < 300; i++) {
      const left = await query(
        dbFile,
        `SELECT count(*) AS n FROM threads WHERE id IN (${expired.map(() => "?").join(",")})`,
        expired,
      );
      if (Number(left[0]!.n) === 0) break;
      await sleep(100);
    }

    // A again, on the same file: it serves what B stored meanwhile.
    const a2 = await start("A");
    inst.set("A", a2);
    for (const conv of kept) {
      const r = await inst.send(
        "A",
        "GET",
        `/api/threads/${conv.threadId}/envelopes?limit=200`,
        undefined,
        conv.seeker.cookie,
      );
      expect(r.status).toBe(200);
    }

    // Outcomes: the only failures are dropped connections of A (each retried on B) and 404 for posts
    // to a conversation that was deleted or expired meanwhile.
    for (const o of outcomes) {
      if (o.answer.status === 200) continue;
      expect(o.answer.status, JSON.stringify(o.answer.body)).toBe(404);
      expect(o.conv.fate).not.toBe("kept");
    }
    const droppedByA = outcomes.filter((o) => o.first.status === "network-error").length;
    acked.push(...outcomes.filter((o) => o.answer.status === 200));

    // Every acknowledged envelope of a remaining thread is stored exactly once, as acknowledged.
    for (const x of acked.filter((x) => x.conv.fate === "kept")) {
      const rows = await query(
        dbFile,
        "SELECT position, hex(hash) AS hash FROM envelopes WHERE thread_id = ? AND id = ?",
        [x.conv.threadId, x.id],
      );
      expect(rows.length, `${x.conv.threadId}/${x.id}`).toBe(1);
      expect(Number(rows[0]!.position)).toBe(x.answer.body.position);
      expect(rows[0]!.hash).toBe(Buffer.from(x.answer.body.hash, "base64url").toString("hex").toUpperCase());
    }
    // Nothing else: deleted and expired conversations left nothing, positions have no gaps, and each
    // kept thread has epochs 0, 1 (the claim's winner) and 2 (the reassignment's winner) once each.
    const state = await storedState(dbFile);
    const expected = new Set(
      acked.filter((x) => x.conv.fate === "kept").map((x) => `${x.conv.threadId}/${x.id}`),
    );
    for (const c of kept) expected.add(`${c.threadId}/${c.threadId}`); // the first message
    expect(state.envelopes).toEqual(expected);
    expect(state.threads).toEqual(kept.map((c) => c.threadId).sort());
    expect(state.orphans).toEqual({ epoch_records: 0, grants: 0, envelopes: 0 });
    expect(state.gapless).toBe(true);
    expect(state.epochs).toEqual(new Set(["0,1,2"]));
    expect(state.integrity).toBe("ok");
    // The audit log both instances appended to: one chain, one entry per claim, reassignment, deletion.
    const audit = await auditLog(inst, "B", w.supervisor.cookie);
    expect((await verifyAuditChain(audit)).ok).toBe(true);
    const count = (action: string) => audit.filter((e) => e.action === action).length;
    expect(count("claim")).toBe(conversations.length);
    expect(count("reassign")).toBe(conversations.length);
    const deletions = audit.filter((e) => e.action === "thread-deleted");
    expect(deletions.length).toBe(conversations.length - kept.length);
    expect(new Set(deletions.map((e) => e.threadId)).size).toBe(deletions.length);
    expect(deletions.filter((e) => JSON.stringify(e.details ?? null).includes("retention")).length).toBe(
      expired.length,
    );

    console.info(
      `two instances: ${acked.length} acknowledged writes across A and B, ${droppedByA} dropped by A's SIGKILL and retried on B, ${conversations.length} claim and reassignment races with one winner each (${racedInside} claim losers got 409 inside the race, the others 404 after it), ${Date.now() - t0} ms`,
    );
    await Promise.all([stopServer(b), stopServer(a2)]);
  }, 240_000);
});
