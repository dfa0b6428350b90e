import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openNativeClient } from "./native.js";

const dir = mkdtempSync(join(tmpdir(), "bg-native-"));
const client = openNativeClient(join(dir, "n.db"), { timeoutMs: 1000 });
afterAll(() => {
  client.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("native statement-caching client", () => {
  it("returns rows like @libsql/client: by index and by name, blobs as ArrayBuffer", async () => {
    await client.execute("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT UNIQUE, c BLOB)");
    const ins = await client.execute({
      sql: "INSERT INTO t (b, c) VALUES (?, ?)",
      args: ["x", new Uint8Array([1, 2])],
    });
    expect(ins.rowsAffected).toBe(1);
    expect(ins.lastInsertRowid).toBe(1n);
    for (let i = 0; i < 2; i++) {
      const rs = await client.execute({ sql: "SELECT a, b, c FROM t WHERE b = ?", args: ["x"] });
      const row = rs.rows[0]!;
      expect(rs.columns).toEqual(["a", "b", "c"]);
      expect(Object.keys(row)).toEqual(["a", "b", "c"]);
      expect([row[0], row[1], row.a, row.b, row.length]).toEqual([1, "x", 1, "x", 3]);
      expect(row.c).toBeInstanceOf(ArrayBuffer);
      expect([...new Uint8Array(row.c as ArrayBuffer)]).toEqual([1, 2]);
    }
  });

  it("maps errors to LibsqlError codes and keeps transactions to themselves", async () => {
    const dup = await client.execute({ sql: "INSERT INTO t (b) VALUES (?)", args: ["x"] }).catch((e) => e);
    expect(dup.code).toBe("SQLITE_CONSTRAINT");
    expect(String(dup.message)).toContain("UNIQUE constraint failed");

    const tx = await client.transaction("write");
    await tx.execute({ sql: "INSERT INTO t (b) VALUES (?)", args: ["y"] });
    const busy = await client.execute("SELECT 1").catch((e) => e);
    expect(busy.code).toBe("TRANSACTION_ACTIVE");
    await tx.rollback();
    expect((await client.execute("SELECT count(*) AS n FROM t")).rows[0]!.n).toBe(1);

    // A transaction whose COMMIT fails leaves the connection usable (rolled back).
    await client.execute("CREATE TABLE p (id INTEGER PRIMARY KEY)");
    await client.execute("CREATE TABLE ch (p INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)");
    await client.execute("PRAGMA foreign_keys=ON");
    const tx2 = await client.transaction("write");
    await tx2.execute("INSERT INTO ch (p) VALUES (42)");
    await expect(tx2.commit()).rejects.toMatchObject({ code: "SQLITE_CONSTRAINT" });
    expect((await client.execute("SELECT count(*) AS n FROM ch")).rows[0]!.n).toBe(0);
    const tx3 = await client.transaction("write");
    await tx3.commit();
  });
});
