import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "./client.js";
import { insertRows } from "./prepared.js";

// Two tables with the same columns: what a cached INSERT must never mix up.
const left = sqliteTable("left_side", { id: integer("id").primaryKey(), note: text("note").notNull() });
const right = sqliteTable("right_side", { id: integer("id").primaryKey(), note: text("note").notNull() });

// The driver the project names (DATABASE_DRIVER): native, or @libsql/client in the libsql-client project.
const dir = mkdtempSync(join(tmpdir(), "bg-prepared-"));
const database = await openDatabase({ url: `file:${join(dir, "p.db")}` });
const db = database.write;
const client = database.writeClient;
afterAll(() => {
  database.readClient.close();
  client.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("insertRows", () => {
  it("keeps one statement per table even when two callers give it the same name", async () => {
    await client.execute("CREATE TABLE left_side (id INTEGER PRIMARY KEY, note TEXT NOT NULL)");
    await client.execute("CREATE TABLE right_side (id INTEGER PRIMARY KEY, note TEXT NOT NULL)");
    await insertRows(db, left, "rows", [{ id: 1, note: "links" }]);
    await insertRows(db, right, "rows", [{ id: 1, note: "rechts" }]);
    await insertRows(db, left, "rows", [
      { id: 2, note: "a" },
      { id: 3, note: "b" },
    ]);
    expect(await db.select().from(left)).toEqual([
      { id: 1, note: "links" },
      { id: 2, note: "a" },
      { id: 3, note: "b" },
    ]);
    expect(await db.select().from(right)).toEqual([{ id: 1, note: "rechts" }]);
  });
});
