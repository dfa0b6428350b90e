/**
 * Bulk re-keying (a caseload reassigned, a member removed, new members admitted) reads each thread's
 * records, grants and heads in batch reads (`POST /api/threads/read` with `heads`, issue 14). The
 * server answers those batches as it likes; every check of the single routes runs on what it sends
 * (`verifyEpochs`, `verifyHeads`): a bad head makes the client load that thread whole, a bad record
 * fails that thread only, a thread left out of the answer fails as THREAD_TAMPERED, and nothing is
 * signed on what did not verify.
 */
import type { StaffSession } from "@briefgeheim/client";
import type { MemberId } from "@briefgeheim/crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { flipByte } from "./mutations.js";
import { conversation, createWorld, endAttack, newestEnvelopeText, type World } from "./world.js";

let w: World;
let bram: StaffSession;
let bramId: MemberId;

beforeAll(async () => {
  w = await createWorld();
  bramId = await w.join("counsellor", "bram");
  await w.vera.admitPending({ only: [bramId], intakeReaders: [] });
  bram = await w.staff("bram");
});
afterEach(() => endAttack(w));
afterAll(async () => {
  await w?.close();
});

interface BulkItem {
  threadId: string;
  ok: boolean;
  records?: string[];
  heads?: { envelope: string }[];
}

/** Rewrites the answers of the batch reads that asked for heads (the bulk jobs' reads). */
function rewriteBulkReads(change: (results: BulkItem[]) => BulkItem[]) {
  w.server.onResponse("POST /api/threads/read", (body) => {
    const b = body as { results: BulkItem[] };
    if (!b.results.some((r) => r.heads !== undefined)) return body;
    return { ...b, results: change(b.results) };
  });
}

const bodies = (view: Awaited<ReturnType<StaffSession["readThread"]>>) =>
  view.messages.filter((m) => m.kind !== "event").map((m) => m.body);

describe("bulk re-keying reads batches, and verifies them as it verified single reads", () => {
  it("a head from another conversation: that thread is loaded whole, the record names its real heads", async () => {
    const c = await conversation(w, "bulk-koppen");
    const other = await conversation(w, "bulk-ander");
    const foreignText = await newestEnvelopeText(w, other.threadId);
    let served = 0;
    rewriteBulkReads((results) =>
      results.map((r) => {
        if (r.threadId !== c.threadId || r.heads === undefined || r.heads.length === 0) return r;
        served++;
        return { ...r, heads: [{ ...r.heads[0]!, envelope: foreignText }, ...r.heads.slice(1)] };
      }),
    );
    const outcome = await w.vera.reassignCaseload({ from: w.annaId, to: [bramId], threadIds: [c.threadId] });
    expect(served).toBe(1);
    // Signed on verified heads: the honest server would refuse any other record (STALE_VIEW).
    expect([outcome.changed.map((x) => x.threadId), outcome.failed]).toEqual([[c.threadId], []]);
    const view = await bram.readThread(c.threadId);
    expect([view.ok, bodies(view)]).toEqual([true, c.bodies]);
  });

  it("a damaged epoch record in one thread's answer: that thread fails THREAD_TAMPERED, nothing is signed for it, the other moves", async () => {
    const bad = await conversation(w, "bulk-kapot");
    const good = await conversation(w, "bulk-heel");
    rewriteBulkReads((results) =>
      results.map((r) =>
        r.threadId === bad.threadId && r.records !== undefined
          ? { ...r, records: [...r.records.slice(0, -1), flipByte(r.records.at(-1)!, 40)] }
          : r,
      ),
    );
    const threadIds = [bad.threadId, good.threadId];
    const outcome = await w.vera.reassignCaseload({ from: w.annaId, to: [bramId], threadIds });
    expect(outcome.changed.map((x) => x.threadId)).toEqual([good.threadId]);
    expect(outcome.failed.map((f) => [f.threadId, f.code])).toEqual([[bad.threadId, "THREAD_TAMPERED"]]);
    endAttack(w);
    // The damaged thread was not re-keyed: Bram does not read it, Anna still does.
    expect((await w.anna.readThread(bad.threadId)).ok).toBe(true);
    await expect(bram.readThread(bad.threadId)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await bram.readThread(good.threadId)).ok).toBe(true);
  });

  it("a thread left out of the answer: THREAD_TAMPERED for it, the others move", async () => {
    const left = await conversation(w, "bulk-weg");
    const kept = await conversation(w, "bulk-blijft");
    rewriteBulkReads((results) => results.filter((r) => r.threadId !== left.threadId));
    const threadIds = [left.threadId, kept.threadId];
    const outcome = await w.vera.reassignCaseload({ from: w.annaId, to: [bramId], threadIds });
    expect(outcome.changed.map((x) => x.threadId)).toEqual([kept.threadId]);
    expect(outcome.failed.map((f) => [f.threadId, f.code])).toEqual([[left.threadId, "THREAD_TAMPERED"]]);
  });
});
