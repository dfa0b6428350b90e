/**
 * The slow way of a caseload's handover events (`announceHandover` after a batch, docs/PROTOCOL.md
 * §5.1), played as a hostile server by a fresh reviewer of the batch path. Before the fixes each of
 * these failed: two members of one thread posted side by side under one seq (R1); a resent pending
 * event was followed by a second handover (R2); a conflict made up for a stored, hidden event made the
 * device sign its seq again (R3); a load that hid the committed epoch got the event sealed into the old
 * one, readable by the counsellor just removed (R4). R5 is the other side of R3: when the load does prove
 * that another device of the same member took the seq, the pending post is dropped and the next goes above.
 */
import type { StaffSession, ThreadView } from "@briefgeheim/client";
import { loadSodium, type MemberId, parseEnvelope, type Sodium } from "@briefgeheim/crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { decode } from "./mutations.js";
import { admittedCounsellor, conversation, createWorld, endAttack, problemsOf, type World } from "./world.js";

let w: World;
let sodium: Sodium;
let bram: StaffSession;
let bramId: MemberId;

beforeAll(async () => {
  sodium = await loadSodium();
  w = await createWorld();
  ({ session: bram, id: bramId } = await admittedCounsellor(w, "bram"));
});
afterEach(() => endAttack(w));
afterAll(async () => {
  await w?.close();
});

const BATCH = "POST /api/threads/envelopes/batch" as const;
const SINGLE = "POST /api/threads/:threadId/envelopes" as const;
type Item = { threadId: string; id: string; envelope: string };
type Result = { threadId: string; ok: boolean; hash?: string; error?: { code: string; message: string } };

interface Signed {
  route: "batch" | "single";
  threadId: string;
  id: string;
  epoch: number;
  seq: number;
  hash: string;
  event?: string;
}

/** Records every envelope the clients send (batch items and single posts), unchanged. */
function recordSent(): Signed[] {
  const sent: Signed[] = [];
  const note = (route: Signed["route"], threadId: string, id: string, envelope: string) => {
    const env = parseEnvelope(sodium, decode(envelope));
    sent.push({
      route,
      threadId,
      id,
      epoch: env.epoch,
      seq: env.seq,
      hash: Buffer.from(env.hash).toString("base64url"),
    });
  };
  w.server.onRequest(BATCH, (body) => {
    for (const i of (body as { items: Item[] }).items) note("batch", i.threadId, i.id, i.envelope);
    return body;
  });
  w.server.onRequest(SINGLE, (body, ex) => {
    const b = body as { id: string; envelope: string };
    note("single", ex.params.threadId!, b.id, b.envelope);
    return body;
  });
  return sent;
}

/** Pairs of different envelopes (hash) one device signed under the same (thread, seq): main stream only here. */
function sameSeqTwice(sent: readonly Signed[]): [Signed, Signed][] {
  const out: [Signed, Signed][] = [];
  for (const [i, a] of sent.entries())
    for (const b of sent.slice(i + 1))
      if (a.threadId === b.threadId && a.seq === b.seq && a.hash !== b.hash) out.push([a, b]);
  return out;
}

const handovers = (view: ThreadView) => view.messages.filter((m) => m.kind === "event" && m.verified);

describe("handover events the slow way, against a server that lies", () => {
  it("R1 (a): a batch request that fails as a whole, on a thread with two new members: the two slow-way posts must not share a seq", async () => {
    const c = await conversation(w, "r1-race");
    const sent = recordSent();
    // The batch fails as a whole (nothing stored): every job of the chunk goes the slow way.
    w.server.intercept(BATCH, () => ({
      status: 500,
      json: { error: { code: "INTERNAL", message: "internal error" } },
    }));
    // `to` names Bram and Vera (a supervisor, who reads every new epoch): the thread gets two events.
    const outcome = await w.vera.reassignCaseload({
      from: w.annaId,
      to: [bramId, w.vera.memberId],
      threadIds: [c.threadId],
    });
    endAttack(w);
    expect(outcome.changed.map((x) => x.threadId)).toEqual([c.threadId]);
    const pairs = sameSeqTwice(sent.filter((s) => s.threadId === c.threadId));
    // Invariant (PROTOCOL.md §5): a device never signs two different envelopes under one seq of an epoch.
    expect(pairs.map(([a, b]) => [a.route, b.route, a.seq, a.epoch === b.epoch])).toEqual([]);
  });

  it("R2: a batch request that fails as a whole (one new member): the slow way resends the pending event and must not post a second handover", async () => {
    const c = await conversation(w, "r2-dubbel");
    w.server.intercept(BATCH, () => ({
      status: 500,
      json: { error: { code: "INTERNAL", message: "internal error" } },
    }));
    const outcome = await w.vera.reassignCaseload({ from: w.annaId, to: [bramId], threadIds: [c.threadId] });
    endAttack(w);
    expect(outcome.notAnnounced).toEqual([]);
    const view = await bram.readThread(c.threadId);
    expect(view.ok).toBe(true);
    // Invariant (PROTOCOL.md §5.1, "calling it again only adds what is missing"): one handover per member.
    expect(handovers(view).map((m) => m.handover?.memberId)).toEqual([bramId]);
  });

  it("R3 (a): a conflict made up for an event the server stored, and that event hidden from the slow way's load: the device must not sign its seq again", async () => {
    const c = await conversation(w, "r3-verstopt");
    const sent = recordSent();
    const storedIds = new Set<string>();
    w.server.onRequest(BATCH, (body) => {
      for (const i of (body as { items: Item[] }).items) storedIds.add(i.id);
      return body;
    });
    // The honest server stores the event; the answer says it was refused.
    w.server.onResponse(BATCH, (body) => {
      const b = body as { results: Result[] };
      return {
        results: b.results.map((r) => ({
          threadId: r.threadId,
          ok: false,
          error: { code: "SEQUENCE_CONFLICT", message: "made up" },
        })),
      } as typeof body;
    });
    // ... and the full load of the slow way does not list it (the newest envelope, nobody saw it yet).
    w.server.onResponse("GET /api/threads/:threadId/envelopes", (page, ex) =>
      ex.params.threadId === c.threadId
        ? { ...page, envelopes: page.envelopes.filter((e) => !storedIds.has(e.id)) }
        : page,
    );
    await w.vera.reassignCaseload({ from: w.annaId, to: [bramId], threadIds: [c.threadId] });
    endAttack(w);
    const mine = sent.filter((s) => s.threadId === c.threadId);
    expect(mine.some((s) => s.route === "batch")).toBe(true);
    // Invariant (PROTOCOL.md §5: "an error made up after storing it never makes the client sign that seq twice").
    expect(sameSeqTwice(mine).map(([a, b]) => [a.route, b.route, a.seq, a.epoch === b.epoch])).toEqual([]);
  });

  it("R4 (c): a conflict made up without storing, and the new epoch's record hidden from the slow way's load: nothing may be signed into the old epoch", async () => {
    const c = await conversation(w, "r4-oud");
    const sent = recordSent();
    let newEpoch = -1;
    w.server.intercept(BATCH, (body) => {
      const items = (body as { items: Item[] }).items;
      for (const i of items) newEpoch = Math.max(newEpoch, parseEnvelope(sodium, decode(i.envelope)).epoch);
      return {
        status: 200,
        json: {
          results: items.map((i) => ({
            threadId: i.threadId,
            ok: false,
            error: { code: "EPOCH_CONFLICT", message: "made up" },
          })),
        },
      };
    });
    // The thread as it was before the move: the newest record (and Vera's grant of it) left out.
    w.server.onResponse("GET /api/threads/:threadId", (detail, ex) =>
      ex.params.threadId === c.threadId && newEpoch > 0
        ? {
            ...detail,
            records: detail.records.slice(0, newEpoch),
            grants: detail.grants.slice(0, -1),
          }
        : detail,
    );
    const outcome = await w.vera.reassignCaseload({ from: w.annaId, to: [bramId], threadIds: [c.threadId] });
    // What Vera's own device says of that load: it remembers the record it signed (WITHHELD), yet posted.
    const seen = problemsOf(await w.vera.readThread(c.threadId));
    endAttack(w);
    expect(newEpoch).toBeGreaterThan(0);
    expect(seen).toContainEqual(["WITHHELD", -1]);
    const old = sent.filter((s) => s.threadId === c.threadId && s.epoch < newEpoch);
    expect(old.map((s) => [s.route, s.epoch, s.seq])).toEqual([]);
    // Reported, not silently dropped: the server hid the epoch this job committed.
    expect(outcome.notAnnounced.map((n) => [n.threadId, n.code])).toEqual([[c.threadId, "THREAD_TAMPERED"]]);
  });

  it("R5: another device of the same member took the pending post's seq: dropped on that proof, the next post goes above it", async () => {
    const c = await conversation(w, "r5-twee-apparaten");
    const deviceA = await w.staff("vera");
    const deviceB = await w.staff("vera");
    let failed = 0;
    // Device A's post never reaches the database: it stays pending on A.
    w.server.intercept(SINGLE, () =>
      failed++ === 0
        ? { status: 500, json: { error: { code: "INTERNAL", message: "internal error" } } }
        : undefined,
    );
    await expect(deviceA.reply(c.threadId, "van apparaat A")).rejects.toThrow();
    endAttack(w);
    // Device B, which knows nothing of it, signs and stores the same seq with other bytes.
    await deviceB.reply(c.threadId, "van apparaat B");
    // A's pending post can never be stored now: the load proves it; A's next post goes above B's.
    await deviceA.reply(c.threadId, "weer van apparaat A");
    const view = await w.anna.readThread(c.threadId);
    expect(view.ok).toBe(true);
    expect(view.messages.map((m) => m.body).slice(-2)).toEqual(["van apparaat B", "weer van apparaat A"]);
  });
});
