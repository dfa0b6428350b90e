/**
 * The two drivers of a `file:` database (client.ts): the native statement-caching client (default) and
 * `@libsql/client`, the driver of a libSQL server deployment, which the `libsql-client` vitest project
 * (vitest.config.ts, in `npm test`) runs the API's route tests through with DATABASE_DRIVER=client.
 */
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { tempDatabase } from "../testing/temp-db.js";
import { createWriter } from "./writer.js";

const opened: { cleanup(): void }[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.cleanup();
});

const pragma = async (db: Awaited<ReturnType<typeof tempDatabase>>, name: string) =>
  String((await db.writeClient.execute(`PRAGMA ${name}`)).rows[0]![0]);

describe("database drivers for file: URLs", () => {
  it("uses the driver DATABASE_DRIVER names (this run: the suite's project)", async () => {
    const db = await tempDatabase();
    opened.push(db);
    const expected = process.env.DATABASE_DRIVER === "client" ? "Sqlite3Client" : "NativeClient";
    expect(db.writeClient.constructor.name).toBe(expected);
    // The native reads go through the router that borrows the writer's connection (read-router.ts).
    expect(db.readClient.constructor.name).toBe(expected === "NativeClient" ? "ReadRouter" : expected);
  });

  it.each(["native", "client"] as const)(
    "%s: the writer keeps WAL and foreign keys across its group-commit transactions",
    async (driver) => {
      const before = process.env.DATABASE_DRIVER;
      process.env.DATABASE_DRIVER = driver;
      let db: Awaited<ReturnType<typeof tempDatabase>>;
      try {
        db = await tempDatabase();
      } finally {
        if (before === undefined) delete process.env.DATABASE_DRIVER;
        else process.env.DATABASE_DRIVER = before;
      }
      opened.push(db);
      await db.writeClient.execute("CREATE TABLE probe (x INTEGER)");
      const writer = createWriter(db);
      await Promise.all(
        [1, 2, 3].map((i) => writer.run((tx) => tx.run(sql`INSERT INTO probe VALUES (${i})`))),
      );
      expect(writer.stats().committed).toBe(3);
      await writer.close();
      expect(await pragma(db, "journal_mode")).toBe("wal");
      expect(await pragma(db, "foreign_keys")).toBe("1");
      // What the writer committed is visible to the read pool at once.
      const rs = await db.readClient.execute("SELECT sum(x) FROM probe");
      expect(Number(rs.rows[0]![0])).toBe(6);
    },
  );
});
