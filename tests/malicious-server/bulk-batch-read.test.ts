/**
 * Bulk re-keying (a caseload reassigned, a member removed, new members admitted) reads each thread's
 * records, grants and heads in batch reads (`POST /api/threads/read` with `heads`, issue 14). The
 * server answers those batches as it likes; every check of the single routes runs on what it sends
 * (`verifyEpochs`, `verifyHeads`): a bad head makes the client load that thread whole, a bad record
 * fails that thread only, a thread left out of the answer fails as THREAD_TAMPERED, and nothing is
 * signed on what did not verify.
 */
import type { StaffSession } from "@briefgeheim/client";
import {
  type EpochRecord,
  type EpochRecordBytes,
  loadSodium,
  type MemberId,
  parseEpochRecord,
  type Sodium,
} from "@briefgeheim/crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { decode, flipByte } from "./mutations.js";
import {
  admittedCounsellor,
  conversation,
  createWorld,
  endAttack,
  newestEnvelopeText,
  type World,
} from "./world.js";

let w: World;
let bram: StaffSession;
let bramId: MemberId;
let sodium: Sodium;

beforeAll(async () => {
  w = await createWorld();
  sodium = await loadSodium();
  ({ session: bram, id: bramId } = await admittedCounsellor(w, "bram"));
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

  it("no heads served at all: the new record still names at least the heads of the record before it", async () => {
    const c = await conversation(w, "bulk-leeg");
    rewriteBulkReads((results) => results.map((r) => (r.threadId === c.threadId ? { ...r, heads: [] } : r)));
    const uploaded: EpochRecord[] = [];
    w.server.onRequest("POST /api/threads/epochs/batch", (body) => {
      for (const item of (body as { items: { record: string }[] }).items) {
        uploaded.push(parseEpochRecord(sodium, decode(item.record) as EpochRecordBytes));
      }
      return body;
    });
    await w.vera.reassignCaseload({ from: w.annaId, to: [bramId], threadIds: [c.threadId] });
    const stored = await w.h.db.readClient.execute({
      sql: "SELECT bytes FROM epoch_records WHERE thread_id = ? AND epoch = 1",
      args: [c.threadId],
    });
    const before = parseEpochRecord(
      sodium,
      new Uint8Array(stored.rows[0]!.bytes as ArrayBuffer) as EpochRecordBytes,
    );
    expect(before.heads.length).toBeGreaterThan(0);
    expect(uploaded.length).toBeGreaterThan(0);
    for (const record of uploaded) {
      for (const h of before.heads) {
        const named = record.heads.find((x) => x.stream === h.stream && sodium.memcmp(x.signPk, h.signPk));
        expect(named?.seq ?? -1).toBeGreaterThanOrEqual(h.seq);
      }
    }
  });

  it("a malformed batch answer (heads not a list; no results): a typed failure per thread, never a crash", async () => {
    const odd = await conversation(w, "bulk-vreemd");
    const fine = await conversation(w, "bulk-gewoon");
    rewriteBulkReads((results) =>
      results.map((r) => (r.threadId === odd.threadId ? ({ ...r, heads: 5 } as unknown as BulkItem) : r)),
    );
    const threadIds = [odd.threadId, fine.threadId];
    const outcome = await w.vera.reassignCaseload({ from: w.annaId, to: [bramId], threadIds });
    // One malformed item makes the whole answer fail its shape check: both threads fail, typed.
    expect(outcome.changed).toEqual([]);
    expect(outcome.failed.map((f) => [f.threadId, f.code])).toEqual([
      [odd.threadId, "UNEXPECTED_RESPONSE"],
      [fine.threadId, "UNEXPECTED_RESPONSE"],
    ]);
    endAttack(w);
    w.server.onResponse("POST /api/threads/read", (body) =>
      (body as { results: BulkItem[] }).results.some((r) => r.heads !== undefined) ? {} : body,
    );
    const again = await w.vera.reassignCaseload({ from: w.annaId, to: [bramId], threadIds });
    expect(again.failed.map((f) => f.code)).toEqual(["UNEXPECTED_RESPONSE", "UNEXPECTED_RESPONSE"]);
  });
});

/** Rewrites the answers of `POST /api/threads/epochs/batch` (the bulk jobs' uploads). */
function rewriteUploads(change: (results: { threadId: string; ok: boolean; epoch?: number }[]) => unknown[]) {
  w.server.onResponse("POST /api/threads/epochs/batch", (body) => {
    const b = body as { results: { threadId: string; ok: boolean; epoch?: number }[] };
    return { ...b, results: change(b.results) };
  });
}

describe("the upload's answer is held to the threads the job chose", () => {
  it("a thread the supervisor did not choose, added as a failure to retry: never loaded, signed or handed over", async () => {
    const chosen = await conversation(w, "bulk-gekozen");
    const notChosen = await conversation(w, "bulk-niet-gekozen");
    let added = 0;
    rewriteUploads((results) => {
      if (added++ > 0) return results;
      return [
        ...results,
        { threadId: notChosen.threadId, ok: false, error: { code: "STALE_VIEW", message: "x" } },
      ];
    });
    const outcome = await w.vera.reassignCaseload({
      from: w.annaId,
      to: [bramId],
      threadIds: [chosen.threadId],
    });
    expect(added).toBeGreaterThan(0);
    expect([outcome.changed.map((x) => x.threadId), outcome.failed]).toEqual([[chosen.threadId], []]);
    endAttack(w);
    await expect(bram.readThread(notChosen.threadId)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a thread left out of the upload's answer: UNEXPECTED_RESPONSE in the outcome, not silently missing", async () => {
    const a = await conversation(w, "bulk-stil-a");
    const b = await conversation(w, "bulk-stil-b");
    rewriteUploads((results) => results.filter((r) => r.threadId !== a.threadId));
    const threadIds = [a.threadId, b.threadId];
    const outcome = await w.vera.reassignCaseload({ from: w.annaId, to: [bramId], threadIds });
    expect(outcome.changed.map((x) => x.threadId)).toEqual([b.threadId]);
    expect(outcome.failed.map((f) => [f.threadId, f.code])).toEqual([[a.threadId, "UNEXPECTED_RESPONSE"]]);
  });

  it("an acknowledgement repeated with another epoch number: counted once, with the record's own epoch", async () => {
    const c = await conversation(w, "bulk-dubbel");
    rewriteUploads((results) => [...results, ...results.map((r) => ({ ...r, epoch: 99 }))]);
    const outcome = await w.vera.reassignCaseload({ from: w.annaId, to: [bramId], threadIds: [c.threadId] });
    expect(outcome.changed).toEqual([{ threadId: c.threadId, epoch: 2 }]);
    endAttack(w);
    const view = await bram.readThread(c.threadId);
    expect(view.messages.filter((m) => m.kind === "event")).toHaveLength(1);
  });
});
