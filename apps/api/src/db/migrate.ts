import { fileURLToPath } from "node:url";
import type { Client } from "@libsql/client";
import { migrate } from "drizzle-orm/libsql/migrator";
import { readMigrationFiles } from "drizzle-orm/migrator";
import type { Db } from "./client.js";
import { assertStoredProtocol } from "./protocol-check.js";

/** The generated migrations (top-level drizzle/ folder of the repository). */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../../../drizzle", import.meta.url));

/** drizzle's bookkeeping table (the same name, layout and rows as `drizzle-orm/libsql/migrator`). */
const TABLE = "__drizzle_migrations";

/**
 * Applies pending migrations on the writer connection (at start-up, before serving). A database made
 * by protocol 1 is refused first, unchanged (`ProtocolOneDatabaseError`, db/protocol-check.ts).
 *
 * Several processes may start on one database at the same moment (two API instances, the admin CLI).
 * drizzle's migrator reads which migrations are pending before its transaction begins, so two of them
 * could both decide to apply the same migration: the second then failed with "table already exists"
 * (seen once in six simultaneous starts of two servers and the CLI on a new file), or, for a migration
 * whose statements can run twice, would apply it twice. For `file:` databases the check and the
 * migrations therefore run inside ONE `BEGIN IMMEDIATE` transaction (`migrateLocked`): whoever gets the
 * write lock first migrates, the others wait (busy timeout) and then find nothing to do. A libSQL
 * server keeps drizzle's migrator (its `migrate` sends `PRAGMA foreign_keys=off` on the same stream);
 * if that fails because another instance migrated meanwhile, the database is up to date and that is
 * fine.
 */
export async function runMigrations(write: Db, options: { locked?: boolean } = {}): Promise<void> {
  await assertStoredProtocol(write);
  const client = (write as unknown as { $client: Client }).$client;
  const locked = options.locked ?? client.protocol === "file";
  if (locked) return migrateLocked(client);
  try {
    await migrate(write, { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (e) {
    if (!(await isUpToDate(client))) throw e;
  }
}

function pending(lastCreatedAt: number | undefined) {
  return readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).filter(
    (m) => lastCreatedAt === undefined || lastCreatedAt < m.folderMillis,
  );
}

async function lastApplied(client: Pick<Client, "execute">): Promise<number | undefined> {
  const rs = await client.execute(`SELECT created_at FROM "${TABLE}" ORDER BY created_at DESC LIMIT 1`);
  const v = rs.rows[0]?.[0];
  return v === undefined || v === null ? undefined : Number(v);
}

async function isUpToDate(client: Client): Promise<boolean> {
  try {
    return pending(await lastApplied(client)).length === 0;
  } catch {
    return false;
  }
}

/** drizzle's migrator, with the pending check inside the write transaction (see `runMigrations`). */
async function migrateLocked(client: Client): Promise<void> {
  await client.execute(
    `CREATE TABLE IF NOT EXISTS "${TABLE}" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
  );
  // Nothing pending: no write lock at all (the usual start).
  if (pending(await lastApplied(client)).length === 0) return;
  // Outside any transaction, where it takes effect (table rebuilds must not cascade).
  await client.execute("PRAGMA foreign_keys=OFF");
  try {
    const tx = await client.transaction("write");
    try {
      for (const m of pending(await lastApplied(tx))) {
        for (const stmt of m.sql) if (stmt.trim() !== "") await tx.execute(stmt);
        await tx.execute({
          sql: `INSERT INTO "${TABLE}" ("hash", "created_at") VALUES (?, ?)`,
          args: [m.hash, m.folderMillis],
        });
      }
      await tx.commit();
    } finally {
      tx.close();
    }
  } finally {
    await client.execute("PRAGMA foreign_keys=ON");
  }
}
