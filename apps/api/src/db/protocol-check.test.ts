import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { tempDatabase } from "../testing/temp-db.js";
import { runMigrations } from "./migrate.js";
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
    db = await tempDatabase();
    // Undo migration 0003 and later (0003's journal time is 1796000000003): a database left at protocol 1's schema.
    await db.write.run(sql`DROP TABLE database_meta`);
    await db.write.run(sql`DROP TABLE helpline_profiles`);
    // And the later ones (0005: the sessions' sign-in key of a help-seeker without a row yet).
    await db.write.run(sql`ALTER TABLE sessions DROP COLUMN seeker_sign_in_pk`);
    await db.write.run(sql`DELETE FROM __drizzle_migrations WHERE created_at >= 1796000000003`);
    expect(await refusal()).toBeUndefined();
    const rows = await db.write.all<{ value: string }>(
      sql`SELECT value FROM database_meta WHERE name = 'protocol'`,
    );
    expect(rows).toEqual([{ value: "2" }]);
  });
});
