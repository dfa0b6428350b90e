/**
 * The migrations in /drizzle are written by hand (each with a note on why), and the server's queries
 * are typed by schema.ts: the two must describe the same database. drizzle-kit's push planner compares
 * the schema with a database migrated from scratch and lists what it would change; it must list nothing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pushSQLiteSchema } from "drizzle-kit/api";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "./client.js";
import { runMigrations } from "./migrate.js";
import * as schema from "./schema.js";

const dir = mkdtempSync(join(tmpdir(), "bg-schema-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("schema.ts and the migrations", () => {
  it("describe the same tables, columns, keys and indexes", async () => {
    const db = await openDatabase({ url: `file:${join(dir, "t.db")}` });
    try {
      await runMigrations(db.write);
      const plan = await pushSQLiteSchema({ ...schema }, db.write as never);
      expect(plan.statementsToExecute).toEqual([]);
    } finally {
      db.close();
    }
  }, 60_000);
});
