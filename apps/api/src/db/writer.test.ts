import { count, eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../errors.js";
import { tempDatabase } from "../testing/temp-db.js";
import { serverSecrets } from "./schema.js";
import { createWriter, type Writer } from "./writer.js";

let db: Awaited<ReturnType<typeof tempDatabase>>;
let writer: Writer;

beforeEach(async () => {
  db = await tempDatabase();
  writer = createWriter(db);
});
afterEach(async () => {
  await writer.close();
  db.cleanup();
});

const row = (name: string) => ({ name, value: Buffer.from([1]), createdAt: 1 });

async function rowCount(): Promise<number> {
  const [r] = await db.read.select({ n: count() }).from(serverSecrets);
  return r!.n;
}

describe("Writer (group commit)", () => {
  it("commits many concurrent jobs in few transactions and acknowledges each after its commit", async () => {
    const acks = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        writer.run(async (tx) => {
          await tx.insert(serverSecrets).values(row(`k${i}`));
          return i;
        }),
      ),
    );
    expect(acks).toEqual(Array.from({ length: 500 }, (_, i) => i));
    const stats = writer.stats();
    expect(stats.committed).toBe(500);
    expect(stats.batches).toBeLessThanOrEqual(4);
    expect(stats.largestBatch).toBeGreaterThan(100);
    expect(await rowCount()).toBe(500);
  });

  it("resolves a job only once its write is visible to the read pool (after commit)", async () => {
    const seen = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        writer
          .run(async (tx) => {
            await tx.insert(serverSecrets).values(row(`v${i}`));
          })
          .then(async () => {
            const rows = await db.read
              .select()
              .from(serverSecrets)
              .where(eq(serverSecrets.name, `v${i}`));
            return rows.length;
          }),
      ),
    );
    expect(seen.every((n) => n === 1)).toBe(true);
  });

  it("rolls back a failing job alone; the others in its batch commit", async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        writer.run(async (tx) => {
          await tx.insert(serverSecrets).values(row(`f${i}`));
          if (i % 3 === 0) throw new AppError("SEQUENCE_CONFLICT", `job ${i} fails`);
          return i;
        }),
      ),
    );
    const failed = results.filter((r) => r.status === "rejected");
    expect(failed).toHaveLength(10);
    for (const f of failed) expect((f as PromiseRejectedResult).reason).toBeInstanceOf(AppError);
    expect(await rowCount()).toBe(20);
    const names = (await db.read.select().from(serverSecrets)).map((r) => r.name);
    expect(names).not.toContain("f0");
    expect(names).toContain("f1");
    expect(writer.stats().batches).toBeLessThanOrEqual(2);
  });

  it("gives a job that breaks a constraint its own error and keeps the others", async () => {
    const results = await Promise.allSettled([
      writer.run((tx) => tx.insert(serverSecrets).values(row("dup"))),
      writer.run((tx) => tx.insert(serverSecrets).values(row("dup"))),
      writer.run((tx) => tx.insert(serverSecrets).values(row("other"))),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(await rowCount()).toBe(2);
  });

  it("lets a job see the writes of earlier jobs in the same batch", async () => {
    const [, seen] = await Promise.all([
      writer.run((tx) => tx.insert(serverSecrets).values(row("first"))),
      writer.run(
        async (tx) => (await tx.select().from(serverSecrets).where(eq(serverSecrets.name, "first"))).length,
      ),
    ]);
    expect(seen).toBe(1);
  });

  it("retries every job alone when a job breaks the whole transaction; only that job fails", async () => {
    const good = Array.from({ length: 5 }, (_, i) =>
      writer.run((tx) => tx.insert(serverSecrets).values(row(`g${i}`))),
    );
    const evil = writer.run(async (tx) => {
      await tx.insert(serverSecrets).values(row("evil"));
      await tx.run(sql`ROLLBACK`); // ends the batch's transaction under everyone's feet
    });
    const results = await Promise.allSettled([...good, evil]);
    expect(results.map((r) => r.status)).toEqual([...Array(5).fill("fulfilled"), "rejected"]);
    expect(writer.stats().fallbacks).toBe(1);
    const names = (await db.read.select().from(serverSecrets)).map((r) => r.name).sort();
    expect(names).toEqual(["g0", "g1", "g2", "g3", "g4"]);
    // the writer keeps working, with its PRAGMAs
    await writer.run((tx) => tx.insert(serverSecrets).values(row("after")));
    const sync = await db.writeClient.execute("PRAGMA synchronous");
    expect(Number(sync.rows[0]![0])).toBe(1); // NORMAL
  });

  it("applies WAL, synchronous=NORMAL, foreign keys and the busy timeout on the writer connection", async () => {
    const one = async (pragma: string) => (await db.writeClient.execute(`PRAGMA ${pragma}`)).rows[0]![0];
    expect(await one("journal_mode")).toBe("wal");
    expect(Number(await one("synchronous"))).toBe(1);
    expect(Number(await one("foreign_keys"))).toBe(1);
    expect(Number(await one("busy_timeout"))).toBe(5000);
    // read pool: WAL from the file, busy timeout from the client option on every pooled connection
    const reads = await Promise.all(
      Array.from({ length: 8 }, () => db.readClient.execute("PRAGMA busy_timeout")),
    );
    for (const r of reads) expect(Number(r.rows[0]![0])).toBe(5000);
    expect((await db.readClient.execute("PRAGMA journal_mode")).rows[0]![0]).toBe("wal");
  });

  it("refuses new jobs after close and settles the queued ones", async () => {
    const pending = writer.run((tx) => tx.insert(serverSecrets).values(row("last")));
    await writer.close();
    await expect(pending).resolves.toBeDefined();
    await expect(writer.run(async () => 1)).rejects.toMatchObject({ code: "UNAVAILABLE" });
  });
});
