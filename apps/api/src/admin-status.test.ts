/**
 * `npm run admin -- status`: the overview (database size, pending migrations, last backup, the running
 * server's write queue, members and conversations per helpline) above the storage lines; it changes
 * nothing (a pending migration stays pending), and warns (exit 3) on a pending migration or an old
 * backup.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  BACKUP_MAX_AGE_MS,
  backupRecordFile,
  lastBackup,
  pendingMigrations,
  printOverview,
} from "./admin-status.js";
import { Metrics, startMetricsServer } from "./metrics/index.js";
import { runAdmin } from "./testing/admin-cli.js";
import { createWorld, type World } from "./testing/harness.js";

let w: World;

beforeAll(async () => {
  w = await createWorld();
  const h = await w.setupHelpline("alpha", 1);
  await w.addStaff(h, "Ines", "counsellor", true);
  await w.openNewThread(h, await w.newSeeker(h.id));
});
afterAll(async () => {
  await w.cleanup();
});

/** Runs the admin CLI against the world's database; returns its lines and exit code. */
const admin = (args: string[], env: Record<string, string> = {}) =>
  runAdmin(args, { DATABASE_URL: `file:${w.db.file}`, METRICS_PORT: "", ...env });

describe("admin status", () => {
  it("prints the overview, then each helpline's storage last", async () => {
    const { lines, exitCode } = await admin(["status"]);
    expect(lines[0]).toMatch(/^database: embedded file, \d+\.\d MiB; migrations: none pending$/);
    expect(lines).toContain(
      "last backup: none recorded (npm run admin -- backup <file>; docs/DEPLOY.md, Backups)",
    );
    expect(lines).toContain("write queue: unknown (the server's metrics are off: set METRICS_PORT)");
    // The supervisor and Ines; one conversation.
    expect(lines).toContain("helpline alpha  members=2 active  conversations=1");
    expect(lines.at(-1)).toMatch(/^OK {2}alpha {2}storage=/);
    expect(exitCode).toBeUndefined();
  });

  it("records each backup and shows it; a recorded backup older than 26 h is a warning", async () => {
    const file = join(w.db.dir, "backup-1.db");
    await admin(["backup", file]);
    const record = lastBackup(w.db.file);
    expect(record?.file).toBe(file);
    expect(record?.bytes).toBeGreaterThan(0);
    const { lines, exitCode } = await admin(["status"]);
    expect(lines.find((l) => l.startsWith("last backup: "))).toContain(`${file}, `);
    expect(exitCode).toBeUndefined();

    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      expect(await printOverview(w.db, record!.at + BACKUP_MAX_AGE_MS - 60_000)).toBe("ok");
      expect(await printOverview(w.db, record!.at + BACKUP_MAX_AGE_MS + 60_000)).toBe("warning");
    } finally {
      log.mockRestore();
      rmSync(backupRecordFile(w.db.file), { force: true });
    }
  });

  it("reports a pending migration without applying it (exit 3)", async () => {
    expect(await pendingMigrations(w.db)).toEqual([]);
    const rs = await w.db.writeClient.execute(
      'SELECT hash, created_at FROM "__drizzle_migrations" ORDER BY created_at DESC LIMIT 1',
    );
    const row = rs.rows[0]!;
    const [hash, createdAt] = [row.hash, row.created_at];
    await w.db.writeClient.execute({
      sql: 'DELETE FROM "__drizzle_migrations" WHERE created_at = ?',
      args: [createdAt!],
    });
    try {
      const pending = await pendingMigrations(w.db);
      expect(pending).toHaveLength(1);
      const { lines, exitCode } = await admin(["status"]);
      expect(lines[0]).toContain(`migrations: PENDING ${pending[0]} (the server applies them when it starts`);
      expect(exitCode).toBe(3);
      // status changed nothing: still pending.
      expect(await pendingMigrations(w.db)).toEqual(pending);
    } finally {
      await w.db.writeClient.execute({
        sql: 'INSERT INTO "__drizzle_migrations" (hash, created_at) VALUES (?, ?)',
        args: [hash!, createdAt!],
      });
    }
    expect(await pendingMigrations(w.db)).toEqual([]);
  });

  it("reads the running server's write queue from its metrics listener (with its token)", async () => {
    const metrics = new Metrics(
      { writeQueue: () => 4, databaseBytes: async () => 0 },
      { processMetrics: false },
    );
    const token = "s".repeat(32);
    const { server, port } = await startMetricsServer(metrics, { host: "127.0.0.1", port: 0, token });
    try {
      const on = await admin(["status"], { METRICS_PORT: String(port), METRICS_TOKEN: token });
      expect(on.lines).toContain("write queue: 4 waiting");
      const wrong = await admin(["status"], { METRICS_PORT: String(port), METRICS_TOKEN: "t".repeat(32) });
      expect(wrong.lines).toContain("write queue: unknown (metrics answered 401)");
    } finally {
      server.close();
    }
  });
});
