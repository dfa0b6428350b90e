/**
 * The overview at the top of `npm run admin -- status` (docs/DEPLOY.md, "Monitoring"): database size,
 * pending migrations, the last backup, the write queue of the running server, and per helpline its
 * active members and conversations. Counts only: no names of people, nothing about content.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { and, count, eq } from "drizzle-orm";
import type { Database } from "./db/client.js";
import { MIGRATIONS_FOLDER } from "./db/migrate.js";
import { helplines, members, threads } from "./db/schema.js";
import { databaseBytes, readMetricsConfig } from "./metrics/index.js";

/** A recorded backup is "old" after this long: status then says WARNING (exit 3). */
export const BACKUP_MAX_AGE_MS = 26 * 3600_000;

/** What the last `npm run admin -- backup` wrote, kept beside the database file. */
export interface BackupRecord {
  readonly at: number;
  readonly file: string;
  readonly bytes: number;
}

/** The record file of a database file. */
export function backupRecordFile(dbPath: string): string {
  return `${dbPath}.last-backup.json`;
}

/** Called by `backup` once the copy is complete. */
export function recordBackup(dbPath: string, file: string, now = Date.now()): void {
  const record: BackupRecord = { at: now, file, bytes: statSync(file).size };
  writeFileSync(backupRecordFile(dbPath), `${JSON.stringify(record)}\n`);
}

export function lastBackup(dbPath: string | null): BackupRecord | undefined {
  if (dbPath === null || !existsSync(backupRecordFile(dbPath))) return undefined;
  try {
    return JSON.parse(readFileSync(backupRecordFile(dbPath), "utf8")) as BackupRecord;
  } catch {
    return undefined;
  }
}

/** The migrations in drizzle/ that this database has not applied yet (by tag, oldest first). */
export async function pendingMigrations(db: Database): Promise<string[]> {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as {
    entries: { when: number; tag: string }[];
  };
  let last = -1;
  try {
    const rs = await db.readClient.execute(
      'SELECT created_at FROM "__drizzle_migrations" ORDER BY created_at DESC LIMIT 1',
    );
    last = Number(rs.rows[0]?.[0] ?? -1);
  } catch {
    // no bookkeeping table: nothing applied yet
  }
  return journal.entries.filter((e) => e.when > last).map((e) => e.tag);
}

/** The running server's write-queue depth, read from its metrics listener when METRICS_PORT is set. */
export async function writeQueueDepth(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const config = readMetricsConfig(env);
  if (config === undefined) return "unknown (the server's metrics are off: set METRICS_PORT)";
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  try {
    const res = await fetch(`http://${host}:${config.port}/metrics`, {
      headers: config.token === undefined ? {} : { Authorization: `Bearer ${config.token}` },
      signal: AbortSignal.timeout(3000),
    });
    const depth = /^briefgeheim_write_queue_depth (\d+)$/m.exec(await res.text())?.[1];
    return depth === undefined ? `unknown (metrics answered ${res.status})` : `${depth} waiting`;
  } catch {
    return `unknown (no server answers on ${host}:${config.port})`;
  }
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

/**
 * Prints the overview; returns "warning" when something needs the operator (a pending migration on a
 * server that should have applied it, or a recorded backup older than BACKUP_MAX_AGE_MS).
 */
export async function printOverview(db: Database, now = Date.now()): Promise<"ok" | "warning"> {
  let level: "ok" | "warning" = "ok";
  const pending = await pendingMigrations(db);
  const size = await databaseBytes(db.readClient);
  console.log(
    `database: ${db.isFile ? "embedded file" : "libSQL server"}, ${mib(size)}; migrations: ${
      pending.length === 0
        ? "none pending"
        : `PENDING ${pending.join(", ")} (the server applies them when it starts; take a backup first)`
    }`,
  );
  if (pending.length > 0) level = "warning";
  const backup = lastBackup(db.path);
  if (!db.isFile) {
    console.log("last backup: kept by the libSQL server's own tools");
  } else if (backup === undefined) {
    console.log("last backup: none recorded (npm run admin -- backup <file>; docs/DEPLOY.md, Backups)");
  } else {
    const hours = (now - backup.at) / 3600_000;
    const old = now - backup.at > BACKUP_MAX_AGE_MS;
    if (old) level = "warning";
    console.log(
      `last backup: ${new Date(backup.at).toISOString()} (${hours.toFixed(1)} h ago), ${backup.file}, ${mib(backup.bytes)}${
        old ? "  WARNING: older than 26 h; check the backup timer" : ""
      }`,
    );
  }
  console.log(`write queue: ${await writeQueueDepth()}`);
  for (const h of await db.read.select({ id: helplines.id, slug: helplines.slug }).from(helplines)) {
    const [m] = await db.read
      .select({ n: count() })
      .from(members)
      .where(and(eq(members.helplineId, h.id), eq(members.status, "active")));
    const [t] = await db.read.select({ n: count() }).from(threads).where(eq(threads.helplineId, h.id));
    console.log(`helpline ${h.slug}  members=${m?.n ?? 0} active  conversations=${t?.n ?? 0}`);
  }
  return level;
}
