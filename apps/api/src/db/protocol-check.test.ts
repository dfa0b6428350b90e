import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { afterEach, describe, expect, it } from "vitest";
import { tempDatabase } from "../testing/temp-db.js";
import { openDatabase } from "./client.js";
import { MIGRATIONS_FOLDER, runMigrations } from "./migrate.js";
import { ProtocolOneDatabaseError } from "./protocol-check.js";

let db: Awaited<ReturnType<typeof tempDatabase>> | undefined;
afterEach(() => {
  db?.cleanup();
  db = undefined;
});

async function addHelpline(slug: string, tag: number): Promise<void> {
  await db!.write.run(
    sql`INSERT INTO helplines (id, slug, name, reply_time_hours, tag, created_at) VALUES (${`id-${slug}`}, ${slug}, 'Hulp', 72, ${tag}, 1)`,
  );
}

/**
 * A database exactly as protocol 1 left it: only the migrations before 0003 (journal time
 * 1796000000003, the protocol marker) applied, recorded the way drizzle's migrator records them. Built
 * forward rather than by undoing later migrations, so every new migration is covered without a change here.
 */
async function protocolOneDatabase(): Promise<NonNullable<typeof db>> {
  const dir = mkdtempSync(join(tmpdir(), "bg-api-p1-"));
  const file = join(dir, "test.db");
  const opened = await openDatabase({ url: `file:${file}` });
  await opened.write.run(
    sql`CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
  );
  for (const m of readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER })) {
    if (m.folderMillis >= 1796000000003) continue;
    for (const stmt of m.sql) if (stmt.trim() !== "") await opened.write.run(sql.raw(stmt));
    await opened.write.run(
      sql`INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES (${m.hash}, ${m.folderMillis})`,
    );
  }
  return {
    ...opened,
    dir,
    file,
    cleanup() {
      opened.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function refusal(): Promise<unknown> {
  try {
    await runMigrations(db!.write);
    return undefined;
  } catch (e) {
    return e;
  }
}

describe("a database made by protocol 1", () => {
  it("a new database is marked protocol 2 and starts again and again", async () => {
    db = await tempDatabase();
    const rows = await db.write.all<{ value: string }>(
      sql`SELECT value FROM database_meta WHERE name = 'protocol'`,
    );
    expect(rows).toEqual([{ value: "2" }]);
    await addHelpline("alpha", 1);
    expect(await refusal()).toBeUndefined();
  });

  it("is refused, unchanged, with what happened and what to do, when it holds a helpline and no marker", async () => {
    db = await tempDatabase();
    await addHelpline("demo", 1);
    // What a protocol-1 database looks like: migrations applied, but never marked protocol 2.
    await db.write.run(sql`DROP TABLE database_meta`);
    const e = await refusal();
    expect(e).toBeInstanceOf(ProtocolOneDatabaseError);
    const err = e as ProtocolOneDatabaseError;
    expect(err.code).toBe("PROTOCOL_1_DATABASE");
    expect(err.contents).toEqual({ helplines: 1, slugs: ["demo"] });
    expect(err.message).toContain("made by Briefgeheim protocol 1, which this version no longer reads");
    expect(err.message).toContain("Nothing was changed");
    expect(err.message).toContain("DATABASE_URL");
    // Refused before migrating: the marker table was not recreated.
    const tables = await db.write.all(sql`SELECT name FROM sqlite_master WHERE name = 'database_meta'`);
    expect(tables).toEqual([]);
  });

  it("is refused when a stored roster starts with version byte 0x01, marker or not", async () => {
    db = await tempDatabase();
    await addHelpline("alpha", 1);
    await db.write.run(
      sql`INSERT INTO rosters (helpline_id, version, bytes, hash, created_at) VALUES ('id-alpha', 1, x'0101aa', x'00', 1)`,
    );
    expect(await refusal()).toBeInstanceOf(ProtocolOneDatabaseError);
  });

  it("an empty protocol-1 database (no helpline) is migrated and marked", async () => {
    db = await protocolOneDatabase();
    expect(await refusal()).toBeUndefined();
    const rows = await db.write.all<{ value: string }>(
      sql`SELECT value FROM database_meta WHERE name = 'protocol'`,
    );
    expect(rows).toEqual([{ value: "2" }]);
  });
});
