/** DB_CACHE_MIB: the embedded database's page cache per connection (docs/DEPLOY.md, "4. Settings"). */
import { rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readConfig } from "./config.js";
import { DEFAULT_CACHE_MIB, openDatabase } from "./db/client.js";

describe("DB_CACHE_MIB", () => {
  it("defaults to 64 MiB and takes the operator's value", () => {
    expect([readConfig({}).dbCacheMib, DEFAULT_CACHE_MIB]).toEqual([64, 64]);
    expect(readConfig({ DB_CACHE_MIB: "16" }).dbCacheMib).toBe(16);
  });

  it("refuses what is not an integer 1..1024", () => {
    for (const value of ["0", "1025", "2.5", "-16", "veel"]) {
      expect(() => readConfig({ DB_CACHE_MIB: value }), value).toThrow(/DB_CACHE_MIB must be an integer/);
    }
  });

  it("sets both connections' page cache of a file database", async () => {
    const dir = await mkdtemp(join(tmpdir(), "bg-cache-"));
    try {
      const db = await openDatabase({ url: `file:${join(dir, "t.db")}`, cacheMib: 16 });
      const size = async (client: typeof db.readClient) =>
        Number((await client.execute("PRAGMA cache_size")).rows[0]?.[0]);
      expect([db.cacheMib, await size(db.writeClient)]).toEqual([16, -16 * 1024]);
      db.close();
      const byDefault = await openDatabase({ url: `file:${join(dir, "t.db")}` });
      expect([byDefault.cacheMib, await size(byDefault.writeClient)]).toEqual([64, -64 * 1024]);
      byDefault.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
