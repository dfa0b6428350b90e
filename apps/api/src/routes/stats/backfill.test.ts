// Migration 0007 fills the counters from what an existing database holds. Its statements, run on a
// database whose counters were kept live, give the same figures for every column they fill
// (conversations, messages, first replies and their waits, reassignments, deletions, expiries).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER } from "../../db/migrate.js";
import { statsDays } from "../../db/schema.js";
import { runMaintenance } from "../../maintenance.js";
import { anna, claim, h, ines, post, reassign, seeker, useThreadsWorld, w } from "../threads/test-world.js";

useThreadsWorld();

const HOUR = 3_600_000;
const FILLED = [
  "conversations",
  "seekerMessages",
  "staffMessages",
  "firstReplies",
  "firstReplyMs",
  "firstInTime",
  "firstWithin1h",
  "firstWithin24h",
  "reassigned",
  "deleted",
  "expired",
] as const;

async function figures() {
  const rows = await w.db.read.select().from(statsDays).orderBy(statsDays.day);
  return rows.map((r) => Object.fromEntries([["day", r.day], ...FILLED.map((k) => [k, r[k]])]));
}

describe("migration 0007's backfill", () => {
  it("rebuilds the live counters it can from threads, envelopes and the audit log", async () => {
    const t1 = await w.openNewThread(h, seeker);
    const t2 = await w.openNewThread(h, seeker);
    w.clock.advance(2 * HOUR);
    await w.signInStaff(ines);
    await w.signInStaff(h.supervisor);
    expect((await claim(t1.threadId, ines)).res.status).toBe(200);
    const k = await w.currentKeys(t1.threadId, ines);
    const reply = w.envelope({ h, threadId: t1.threadId, keys: k.keys!, sender: ines.signing, seq: 1 });
    expect((await post(t1.threadId, ines, w.b64(w.random(16)), reply)).status).toBe(200);
    const r = await reassign(t1.threadId, anna);
    const res = await w.request("POST", `/api/threads/${t1.threadId}/epochs`, {
      cookie: h.supervisor.cookie,
      body: r.body,
    });
    expect(res.status).toBe(200);
    const live = await figures();
    expect(live).toMatchObject([
      { conversations: 2, seekerMessages: 2, staffMessages: 1, firstReplies: 1, reassigned: 1 },
    ]);
    const statements = readFileSync(join(MIGRATIONS_FOLDER, "0007_statistics.sql"), "utf8")
      .split("--> statement-breakpoint")
      .map((s) => s.trim())
      .filter((s) => /INSERT INTO `stats_days`/.test(s));
    expect(statements).toHaveLength(4);
    const backfill = () =>
      w.writer.run(async (tx) => {
        await tx.delete(statsDays);
        for (const s of statements) await tx.run(sql.raw(s));
      });
    await backfill();
    expect(await figures()).toEqual(live);

    // After retention removed both threads, only the audit log still has their expiry; the handover's
    // entry went with the log's own retention. (Which is why the counters are kept as things happen.)
    w.clock.advance(400 * 24 * HOUR);
    expect((await runMaintenance(w.db, w.writer, w.clock)).threads).toBe(2);
    await backfill();
    const after = await figures();
    const sum = (k: (typeof FILLED)[number]) => after.reduce((n, d) => n + Number(d[k]), 0);
    expect([sum("expired"), sum("reassigned"), sum("conversations")]).toEqual([2, 0, 0]);
    void t2;
  });
});
