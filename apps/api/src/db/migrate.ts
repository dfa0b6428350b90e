import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/libsql/migrator";
import type { Db } from "./client.js";
import { assertStoredProtocol } from "./protocol-check.js";

/** The generated migrations (top-level drizzle/ folder of the repository). */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../../../drizzle", import.meta.url));

/**
 * Applies pending migrations on the writer connection (at start-up, before serving). A database made
 * by protocol 1 is refused first, unchanged (`ProtocolOneDatabaseError`, db/protocol-check.ts).
 */
export async function runMigrations(write: Db): Promise<void> {
  await assertStoredProtocol(write);
  await migrate(write, { migrationsFolder: MIGRATIONS_FOLDER });
}
