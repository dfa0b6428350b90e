/**
 * The operator's command-line tool: `npm run admin -- <command>`. Never sees content.
 *
 *   helpline create --slug S --name N --tag T --reply-hours H [--description D] [--retention-days 365]
 *                   [--lock-minutes 15] [--invite-hours 72]    creates a helpline, prints a first-supervisor invite
 *   helpline list                                             lists helplines
 *   invite --helpline S --role supervisor|counsellor [--hours 72]
 *                                                             a one-time invite (first supervisor while not set up)
 *   backup <file>                                             consistent copy of the embedded database (VACUUM INTO)
 *   restore <file>                                            replaces the embedded database (stop the server first)
 *
 * Environment: DATABASE_URL, DATABASE_AUTH_TOKEN, ORIGIN (for invite links), as the server.
 */
import { copyFileSync, existsSync, renameSync, rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { createClient } from "@libsql/client";
import { asc, eq } from "drizzle-orm";
import { readConfig } from "./config.js";
import { type Database, openDatabase } from "./db/client.js";
import { runMigrations } from "./db/migrate.js";
import { helplines } from "./db/schema.js";
import { createWriter } from "./db/writer.js";
import { loadServerSecrets, newId } from "./deps.js";
import { silentLogger } from "./logger.js";
import { insertInvite } from "./routes/invites/index.js";

const USAGE = `usage: npm run admin -- <command>
  helpline create --slug S --name N --tag 0..1023 --reply-hours H [--description D]
                  [--retention-days 365] [--lock-minutes 15] [--invite-hours 72]
  helpline list
  invite --helpline S --role supervisor|counsellor [--hours 72]
  backup <file>
  restore <file>`;

class UsageError extends Error {}

function int(value: string | undefined, name: string, min: number, max: number, fallback?: number): number {
  if (value === undefined) {
    if (fallback !== undefined) return fallback;
    throw new UsageError(`--${name} is required`);
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer ${min}..${max}`);
  return n;
}

/** The link a new staff member opens; the token is in the fragment, so it never reaches a server log. */
export function inviteLink(origin: string, token: string): string {
  return `${origin}/staff/#/invite/${token}`;
}

async function withDatabase<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const config = readConfig();
  const db = await openDatabase({ url: config.databaseUrl, authToken: config.databaseAuthToken });
  try {
    await runMigrations(db.write);
    return await fn(db);
  } finally {
    db.close();
  }
}

async function createInvite(db: Database, slug: string, role: "supervisor" | "counsellor", hours: number) {
  const writer = createWriter(db, { logger: silentLogger });
  const rows = await db.read.select().from(helplines).where(eq(helplines.slug, slug));
  const helpline = rows[0];
  if (helpline === undefined) throw new UsageError(`no helpline with slug ${slug}`);
  const firstSupervisor = helpline.rootPk === null;
  if (firstSupervisor && role !== "supervisor")
    throw new UsageError("the first invite of a helpline is for a supervisor");
  const secrets = await loadServerSecrets(db, writer);
  const id = newId();
  const invite = await writer.run((tx) =>
    insertInvite(tx, {
      id,
      helplineId: helpline.id,
      role,
      expiresInHours: hours,
      createdBy: null,
      firstSupervisor,
      now: Date.now(),
      token: secrets.inviteToken(id),
    }),
  );
  await writer.close();
  return { ...invite, firstSupervisor };
}

export async function main(argv: string[]): Promise<void> {
  const [command, sub, ...rest] = argv;
  const origin = readConfig().origin;
  if (command === "helpline" && sub === "create") {
    const { values } = parseArgs({
      args: rest,
      options: {
        slug: { type: "string" },
        name: { type: "string" },
        description: { type: "string" },
        tag: { type: "string" },
        "reply-hours": { type: "string" },
        "retention-days": { type: "string" },
        "lock-minutes": { type: "string" },
        "invite-hours": { type: "string" },
      },
    });
    const slug = values.slug ?? "";
    if (!/^[a-z0-9-]{2,40}$/.test(slug)) throw new UsageError("--slug: 2-40 of a-z 0-9 -");
    const name = values.name?.trim() ?? "";
    if (name.length < 1 || name.length > 120)
      throw new UsageError("--name is required (at most 120 characters)");
    const tag = int(values.tag, "tag", 0, 1023);
    const replyTimeHours = int(values["reply-hours"], "reply-hours", 1, 24 * 60);
    const retentionDays = int(values["retention-days"], "retention-days", 1, 3650, 365);
    const lockAfterMinutes = int(values["lock-minutes"], "lock-minutes", 1, 240, 15);
    const inviteHours = int(values["invite-hours"], "invite-hours", 1, 24 * 30, 72);
    await withDatabase(async (db) => {
      const clash = await db.read.select().from(helplines);
      if (clash.some((h) => h.slug === slug)) throw new UsageError(`slug ${slug} is taken`);
      if (clash.some((h) => h.tag === tag)) throw new UsageError(`tag ${tag} is taken`);
      const id = newId();
      const writer = createWriter(db, { logger: silentLogger });
      await writer.run((tx) =>
        tx.insert(helplines).values({
          id,
          slug,
          name,
          description: values.description ?? "",
          replyTimeHours,
          tag,
          retentionDays,
          lockAfterMinutes,
          createdAt: Date.now(),
        }),
      );
      await writer.close();
      const invite = await createInvite(db, slug, "supervisor", inviteHours);
      console.log(`helpline ${slug} created (id ${id}, tag ${tag})`);
      console.log(`first-supervisor invite (one use, until ${new Date(invite.expiresAt).toISOString()}):`);
      console.log(inviteLink(origin, invite.token));
    });
    return;
  }
  if (command === "helpline" && sub === "list") {
    await withDatabase(async (db) => {
      const rows = await db.read.select().from(helplines).orderBy(asc(helplines.slug));
      if (rows.length === 0) console.log("no helplines");
      for (const h of rows) {
        console.log(
          [
            h.slug,
            `id=${h.id}`,
            `tag=${h.tag}`,
            `reply=${h.replyTimeHours}h`,
            `retention=${h.retentionDays}d`,
            `roster=v${h.rosterVersion}`,
            h.rootPk ? `root=${h.rootPk}` : "not set up",
            JSON.stringify(h.name),
          ].join("  "),
        );
      }
    });
    return;
  }
  if (command === "invite") {
    const { values } = parseArgs({
      args: [sub ?? "", ...rest].filter((a) => a !== ""),
      options: { helpline: { type: "string" }, role: { type: "string" }, hours: { type: "string" } },
    });
    const role = values.role;
    if (role !== "supervisor" && role !== "counsellor") throw new UsageError("--role supervisor|counsellor");
    if (!values.helpline) throw new UsageError("--helpline is required");
    const hours = int(values.hours, "hours", 1, 24 * 30, 72);
    await withDatabase(async (db) => {
      const invite = await createInvite(db, values.helpline!, role, hours);
      console.log(
        `${invite.firstSupervisor ? "first-supervisor" : role} invite (one use, until ${new Date(invite.expiresAt).toISOString()}):`,
      );
      console.log(inviteLink(origin, invite.token));
    });
    return;
  }
  if (command === "backup" || command === "restore") {
    const file = sub;
    if (!file) throw new UsageError(`${command} needs a file`);
    const config = readConfig();
    if (!config.databaseUrl.startsWith("file:")) {
      throw new UsageError(
        "backup/restore work on the embedded file database; use the libSQL server's tools",
      );
    }
    if (command === "backup") {
      if (existsSync(file)) throw new UsageError(`${file} exists; choose a new file`);
      await withDatabase(async (db) => {
        // VACUUM INTO writes a consistent, compact copy from one read snapshot, while the server runs.
        await db.writeClient.execute({ sql: "VACUUM INTO ?", args: [file] });
      });
      console.log(`backup written to ${file}`);
      return;
    }
    await restore(config.databaseUrl, file);
    return;
  }
  throw new UsageError(USAGE);
}

/** Replaces the database with a backup after checking it; the old one is kept as `<db>.before-restore-<time>`. */
async function restore(url: string, file: string): Promise<void> {
  if (!existsSync(file)) throw new UsageError(`${file} does not exist`);
  const check = createClient({ url: `file:${file}` });
  try {
    const ok = await check.execute("PRAGMA integrity_check");
    if (String(ok.rows[0]?.[0]) !== "ok") throw new UsageError(`${file} fails the integrity check`);
    const tables = await check.execute(
      "SELECT name FROM sqlite_master WHERE type='table' AND name='helplines'",
    );
    if (tables.rows.length === 0) throw new UsageError(`${file} is not a Briefgeheim database`);
  } finally {
    check.close();
  }
  const db = await openDatabase({ url });
  const target = db.path!;
  const keep = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  try {
    await db.writeClient.execute({ sql: "VACUUM INTO ?", args: [keep] });
  } finally {
    db.close();
  }
  const tmp = `${target}.restoring`;
  copyFileSync(file, tmp);
  for (const suffix of ["-wal", "-shm"]) rmSync(`${target}${suffix}`, { force: true });
  renameSync(tmp, target);
  console.log(`restored ${target} from ${file} (previous database kept as ${keep}); start the server again`);
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/"));
if (isMain) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    if (e instanceof UsageError) {
      console.error(e.message);
      process.exitCode = 2;
    } else {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    }
  });
}
