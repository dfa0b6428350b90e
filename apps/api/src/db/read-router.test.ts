/**
 * Reads on the writer's connection (read-router.ts): taken only while no transaction owns it, so a read
 * never sees rows a batch has not committed; otherwise, and for anything but a SELECT, the read
 * connection as before.
 */
import { afterEach, describe, expect, it } from "vitest";
import { tempDatabase } from "../testing/temp-db.js";
import type { ReadRouting } from "./read-router.js";

const opened: { cleanup(): void }[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.cleanup();
});

const native = process.env.DATABASE_DRIVER !== "client";

async function world() {
  const db = await tempDatabase();
  opened.push(db);
  await db.writeClient.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
  await db.writeClient.execute({ sql: "INSERT INTO t VALUES (1, 'committed')", args: [] });
  const routing = db.readClient as unknown as ReadRouting;
  const ids = async () =>
    (await db.readClient.execute({ sql: "SELECT id FROM t ORDER BY id", args: [] })).rows.map((r) => r[0]);
  return { db, routing, ids };
}

describe.runIf(native)("reads routed to the writer's connection", () => {
  it("a SELECT with no transaction open runs on the writer's connection and sees every commit", async () => {
    const { routing, ids } = await world();
    const before = routing.onWriter;
    expect(await ids()).toEqual([1]);
    expect(routing.onWriter).toBe(before + 1);
  });

  it("while a transaction is open, reads go to the read connection and never see its rows", async () => {
    const { db, routing, ids } = await world();
    const tx = await db.writeClient.transaction("write");
    await tx.execute({ sql: "INSERT INTO t VALUES (2, 'not yet')", args: [] });
    const onWriter = routing.onWriter;
    const onReader = routing.onReader;
    expect(await ids()).toEqual([1]);
    expect([routing.onWriter, routing.onReader]).toEqual([onWriter, onReader + 1]);
    await tx.rollback();
    expect(await ids()).toEqual([1]);

    const next = await db.writeClient.transaction("write");
    await next.execute({ sql: "INSERT INTO t VALUES (3, 'now')", args: [] });
    expect(await ids()).toEqual([1]);
    await next.commit();
    expect(await ids()).toEqual([1, 3]);
    expect(routing.onWriter).toBe(onWriter + 2);
  });

  it("a statement that is not a SELECT stays on the read connection", async () => {
    const { db, routing } = await world();
    const onReader = routing.onReader;
    await db.readClient.execute("PRAGMA busy_timeout");
    expect(routing.onReader).toBe(onReader + 1);
  });
});
