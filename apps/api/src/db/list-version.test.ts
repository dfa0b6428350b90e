/**
 * Migration 0011's triggers (helplines.list_version, the staff inbox's validator): every kind of write
 * to the tables a list is read from renews the value of that helpline and of no other, on both drivers
 * (the libsql-client project of vitest.config.ts runs this file through @libsql/client), on a new
 * database and on one upgraded from 0010. The route's own tests (routes/threads/list-tag.test.ts)
 * check the application's writes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { afterEach, describe, expect, it } from "vitest";
import { tempDatabase } from "../testing/temp-db.js";
import { type Database, openDatabase } from "./client.js";
import { MIGRATIONS_FOLDER, runMigrations } from "./migrate.js";
import { helplines, members, seekers, threadReaders, threads } from "./schema.js";

let db: (Database & { cleanup(): void }) | undefined;
afterEach(() => {
  db?.cleanup();
  db = undefined;
});

const bytes = Buffer.alloc(8);

/** Two helplines, a help-seeker and a counsellor in the first, and one thread there. */
async function seed(d: Database): Promise<void> {
  for (const [id, tag] of [
    ["h1", 1],
    ["h2", 2],
  ] as const) {
    await d.write.insert(helplines).values({ id, slug: id, name: id, replyTimeHours: 72, tag, createdAt: 1 });
  }
  await d.write.insert(seekers).values({ id: "s1", helplineId: "h1", signInPk: "pk", createdAt: 1 });
  await d.write.insert(members).values({
    id: "m1",
    helplineId: "h1",
    username: "anna",
    role: "counsellor",
    status: "active",
    signInPk: "a",
    signPk: "b",
    boxPk: "c",
    passSalt: bytes,
    passOps: 3,
    passMemKiB: 65536,
    passProofHash: bytes,
    wrappedKey: bytes,
    recoveryProofHash: bytes,
    recoveryWrappedKey: bytes,
    createdAt: 1,
  });
}

const newThread = (id: string) => ({
  id,
  helplineId: "h1",
  seekerId: "s1",
  seekerSignPk: "x",
  seekerBoxPk: "y",
  status: "waiting" as const,
  currentEpoch: 0,
  intake: true,
  createdAt: 1,
  expiresAt: 2,
  sortKey: 1,
});

async function versions(d: Database): Promise<{ h1: number; h2: number }> {
  const rows = await d.write.select({ id: helplines.id, v: helplines.listVersion }).from(helplines);
  const of = (id: string) => Number(rows.find((r) => r.id === id)?.v);
  return { h1: of("h1"), h2: of("h2") };
}

/** `write` renews h1's value (to a new safe integer) and leaves h2's alone. */
async function expectRenews(d: Database, write: () => Promise<unknown>): Promise<void> {
  const before = await versions(d);
  await write();
  const after = await versions(d);
  expect(after.h1).not.toBe(before.h1);
  expect(Number.isSafeInteger(after.h1)).toBe(true);
  expect(after.h2).toBe(before.h2);
}

async function eachKindOfWrite(d: Database): Promise<void> {
  const w = d.write;
  await expectRenews(d, () => w.insert(threads).values(newThread("t1")));
  await expectRenews(d, () => w.update(threads).set({ status: "open" }).where(eq(threads.id, "t1")));
  // Any UPDATE, even one that stores the same values: the triggers do not compare columns.
  await expectRenews(d, () => w.update(threads).set({ status: "open" }).where(eq(threads.id, "t1")));
  await expectRenews(d, () =>
    w.insert(threadReaders).values({ threadId: "t1", memberId: "m1", role: "counsellor" }),
  );
  await expectRenews(d, () => w.update(threadReaders).set({ role: "counsellor" }));
  await expectRenews(d, () => w.delete(threadReaders));
  await expectRenews(d, () => w.update(helplines).set({ replyTimeHours: 48 }).where(eq(helplines.id, "h1")));
  await expectRenews(d, () => w.update(helplines).set({ rosterVersion: 2 }).where(eq(helplines.id, "h1")));
  await expectRenews(d, () => w.delete(threads).where(eq(threads.id, "t1")));
  // A thread removed by a foreign key's cascade (its help-seeker's row deleted) renews it too.
  await w.insert(threads).values(newThread("t2"));
  await expectRenews(d, () => w.delete(seekers).where(eq(seekers.id, "s1")));
  // Writes that change no list leave it alone.
  const before = await versions(d);
  await w.update(members).set({ displayName: "Anna" }).where(eq(members.id, "m1"));
  expect(await versions(d)).toEqual(before);
}

describe("helplines.list_version (migration 0011)", () => {
  it("is renewed by every insert, update and delete of threads, their readers and the helpline row", async () => {
    db = await tempDatabase();
    await seed(db);
    expect(await versions(db)).toEqual({ h1: 0, h2: 0 });
    await eachKindOfWrite(db);
  });

  it("works the same on a database upgraded from migration 0010, whose helplines start at 0", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bg-api-lv-"));
    const opened = await openDatabase({ url: `file:${join(dir, "test.db")}` });
    db = {
      ...opened,
      cleanup() {
        opened.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
    // Migrations up to 0010, recorded as drizzle's migrator records them (as protocol-check.test.ts does).
    await opened.write.run(
      sql`CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
    );
    for (const m of readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER })) {
      if (m.folderMillis >= 1796000000011) continue;
      for (const stmt of m.sql) if (stmt.trim() !== "") await opened.write.run(sql.raw(stmt));
      await opened.write.run(
        sql`INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES (${m.hash}, ${m.folderMillis})`,
      );
    }
    await opened.write.run(
      sql`INSERT INTO helplines (id, slug, name, reply_time_hours, tag, created_at) VALUES ('old', 'old', 'Old', 72, 9, 1)`,
    );
    await runMigrations(opened.write);
    const old = await opened.write
      .select({ v: helplines.listVersion })
      .from(helplines)
      .where(eq(helplines.id, "old"));
    expect(old).toEqual([{ v: 0 }]);
    await seed(opened);
    await eachKindOfWrite(opened);
  });
});
