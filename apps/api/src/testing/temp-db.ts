import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Database, openDatabase } from "../db/client.js";
import { runMigrations } from "../db/migrate.js";

/** A migrated database in a fresh temporary folder; `cleanup()` closes it and removes the folder. */
export async function tempDatabase(): Promise<Database & { dir: string; file: string; cleanup(): void }> {
  const dir = mkdtempSync(join(tmpdir(), "bg-api-"));
  const file = join(dir, "test.db");
  const db = await openDatabase({ url: `file:${file}` });
  await runMigrations(db.write);
  return {
    ...db,
    dir,
    file,
    cleanup() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
