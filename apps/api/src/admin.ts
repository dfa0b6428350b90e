/**
 * The operator's command-line tool: `npm run admin -- <command>`. Never sees content.
 *
 *   helpline create --slug S --name N --tag T --reply-hours H [--description D] [--retention-days 365]
 *                   [--lock-minutes 15] [--invite-hours 72]    creates a helpline, prints a first-supervisor invite
 *   helpline set S [--retention-days D] [--lock-minutes M]    applied at once (audited); and as a proposal for the
 *                  [--name N] [--description-nl D] [--description-en D] [--reply-hours H]
 *                  [--crisis "phone|label nl|label en|0800-0113" ...] [--no-crisis] [--exit-url URL]
 *                  [--attachment-file-mb 1..100] [--attachment-files 0..16] [--attachment-daily-mb 1..10000]
 *                                                             next signed profile, offered to supervisors in the staff app
 *   helpline list                                             lists helplines
 *   helpline head S                                           the newest roster {version, hash}, as a pin entry
 *   helpline pin S [--fingerprint F] [--no-build]             compares the root's fingerprint with the one the first
 *                                                             supervisor reads out, writes config/pins.json, builds the apps
 *   invite --helpline S --role supervisor|counsellor [--hours 72]
 *                                                             a one-time invite (first supervisor while not set up)
 *   status                                                    database size, pending migrations, last backup, write queue, members and
 *                                                             conversations per helpline; each helpline's storage against its quota (HELPLINE_STORAGE_MB):
 *                                                             OK, WARNING (80 % used) or FULL (new conversations refused); exit 3 when
 *                                                             any is at WARNING, 4 when any is FULL
 *   report --year YYYY [--csv FILE]                           the network's annual table from the helplines' published, verified
 *                                                             annual reports (and the server's own counts); CSV to FILE
 *                                                             (default annual-report-YYYY.csv); exit 3 when a report is refused
 *   backup <file>                                             consistent copy of the embedded database (VACUUM INTO)
 *   restore <file>                                            replaces the embedded database (stop the server first)
 *
 * Environment: DATABASE_URL, DATABASE_AUTH_TOKEN, ORIGIN (for invite links), as the server.
 */
import { copyFileSync, existsSync, renameSync, rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { createClient } from "@libsql/client";
import { asc, desc, eq } from "drizzle-orm";
import { PinError, pinCommand } from "./admin-pin.js";
import { reportCommand } from "./admin-report.js";
import { helplineSetCommand } from "./admin-set.js";
import { printOverview, recordBackup } from "./admin-status.js";
import { readConfig } from "./config.js";
import { type Database, openDatabase } from "./db/client.js";
import { runMigrations } from "./db/migrate.js";
import { helplines, rosters } from "./db/schema.js";
import { createHelpline, createOperatorInvite, OperatorInputError } from "./operator.js";
import { DEFAULT_QUOTAS, helplineStorageBytes, type StorageLevel, storageLevel } from "./services/quotas.js";

export { inviteLink } from "./operator.js";

const USAGE = `usage: npm run admin -- <command>
  helpline create --slug S --name N --tag 0..1023 --reply-hours H [--description D] [--description-en D]
                  [--retention-days 365] [--lock-minutes 15] [--invite-hours 72]
  helpline set <slug> [--retention-days D] [--lock-minutes M] [--reply-hours H] [--name N]
                  [--description-nl D] [--description-en D] [--exit-url https://...|""]
                  [--crisis "phone|label nl|label en|0800-0113"]... [--no-crisis]
                  [--attachment-file-mb 1..100] [--attachment-files 0..16] [--attachment-daily-mb 1..10000]
  helpline list
  helpline head <slug>
  helpline pin <slug> [--fingerprint "XXXX XXXX ..."] [--no-build]
  invite --helpline S --role supervisor|counsellor [--hours 72]
  status
  report --year YYYY [--csv FILE]
  backup <file>
  restore <file>`;

class UsageError extends Error {}

/** A number option as given (the operator functions check the ranges); NaN for non-numbers. */
function num(value: string | undefined): number | undefined {
  return value === undefined ? undefined : /^\d+$/.test(value) ? Number(value) : Number.NaN;
}

const NO_MIGRATION = { migrate: false };

async function withDatabase<T>(
  fn: (db: Database) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  const config = readConfig();
  const db = await openDatabase({ url: config.databaseUrl, authToken: config.databaseAuthToken });
  try {
    // `status` looks without changing anything, so it can report pending migrations.
    if (options.migrate !== false) await runMigrations(db.write);
    return await fn(db);
  } finally {
    db.close();
  }
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
        "description-en": { type: "string" },
        tag: { type: "string" },
        "reply-hours": { type: "string" },
        "retention-days": { type: "string" },
        "lock-minutes": { type: "string" },
        "invite-hours": { type: "string" },
      },
    });
    await withDatabase(async (db) => {
      const created = await createHelpline(
        db,
        {
          slug: values.slug ?? "",
          name: values.name ?? "",
          tag: num(values.tag) as number,
          replyTimeHours: num(values["reply-hours"]) as number,
          ...(values.description === undefined ? {} : { description: values.description }),
          ...(values["description-en"] === undefined ? {} : { descriptionEn: values["description-en"] }),
          ...(values["retention-days"] === undefined
            ? {}
            : { retentionDays: num(values["retention-days"]) as number }),
          ...(values["lock-minutes"] === undefined
            ? {}
            : { lockAfterMinutes: num(values["lock-minutes"]) as number }),
        },
        {
          origin,
          ...(values["invite-hours"] === undefined
            ? {}
            : { inviteHours: num(values["invite-hours"]) as number }),
        },
      );
      console.log(`helpline ${created.slug} created (id ${created.helplineId}, tag ${created.tag})`);
      console.log(`first-supervisor invite (one use, until ${new Date(created.expiresAt).toISOString()}):`);
      console.log(created.inviteLink);
      console.log("the link is shown once: only a hash of its token is stored");
      console.log(
        "name, description and reply time are a proposal: help-seekers see the helpline once its first supervisor signs them (when accepting)",
      );
    });
    return;
  }
  if (command === "helpline" && sub === "set") {
    await helplineSetCommand(rest, withDatabase);
    return;
  }
  if (command === "report") {
    const { values } = parseArgs({
      args: argv.slice(1),
      options: { year: { type: "string" }, csv: { type: "string" } },
    });
    const year = num(values.year);
    if (year === undefined || !Number.isInteger(year) || year < 2000 || year > 9999) {
      throw new UsageError("report needs --year YYYY");
    }
    const refused = await withDatabase((db) =>
      reportCommand(db, year, values.csv ?? `annual-report-${year}.csv`),
    );
    if (refused > 0) process.exitCode = 3;
    return;
  }
  if (command === "status") {
    const quota = readConfig().helplineStorageBytes;
    // Looks without migrating, so that it can report pending migrations.
    const worst = await withDatabase(async (db) => {
      const overview = await printOverview(db);
      const rows = await db.read.select().from(helplines).orderBy(asc(helplines.slug));
      if (rows.length === 0) console.log("no helplines");
      let worst: StorageLevel = overview === "warning" ? "warning" : "ok";
      for (const h of rows) {
        const used = await helplineStorageBytes(db.read, h.id);
        const level = storageLevel(used, { helplineStorageBytes: quota, warnAt: DEFAULT_QUOTAS.warnAt });
        if (level === "full" || (level === "warning" && worst === "ok")) worst = level;
        const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
        const pct = `${((used / quota) * 100).toFixed(1)} %`;
        const note =
          level === "full"
            ? "new conversations are refused (507 STORAGE_FULL): raise HELPLINE_STORAGE_MB or lower the retention"
            : level === "warning"
              ? "over 80 %: raise HELPLINE_STORAGE_MB or lower the retention before it is full"
              : "";
        console.log(
          [level.toUpperCase(), h.slug, `storage=${mib(used)} of ${mib(quota)} (${pct})`, note]
            .filter((p) => p !== "")
            .join("  "),
        );
      }
      return worst;
    }, NO_MIGRATION);
    // Exit codes for monitoring: 3 when a helpline is at WARNING (or a migration is pending, or the last
    // recorded backup is older than 26 h), 4 when one is FULL (2 is a usage error).
    if (worst !== "ok") process.exitCode = worst === "full" ? 4 : 3;
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
  if (command === "helpline" && sub === "pin") {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { fingerprint: { type: "string" }, "no-build": { type: "boolean" } },
    });
    const slug = positionals[0];
    if (slug === undefined) throw new UsageError("helpline pin needs the helpline's slug");
    await withDatabase((db) =>
      pinCommand(db, slug, { fingerprint: values.fingerprint, build: values["no-build"] !== true }),
    );
    return;
  }
  if (command === "helpline" && sub === "head") {
    const slug = rest[0];
    if (slug === undefined) throw new UsageError("helpline head needs the helpline's slug");
    await withDatabase(async (db) => {
      const [h] = await db.read.select().from(helplines).where(eq(helplines.slug, slug));
      if (h === undefined) throw new UsageError(`no helpline ${slug}`);
      const [head] = await db.read
        .select({ version: rosters.version, hash: rosters.hash })
        .from(rosters)
        .where(eq(rosters.helplineId, h.id))
        .orderBy(desc(rosters.version))
        .limit(1);
      if (head === undefined || h.rootPk === null) throw new UsageError(`${slug} is not set up yet`);
      const roster = { version: head.version, hash: Buffer.from(head.hash).toString("base64url") };
      console.log(`${slug}  roster v${roster.version}  hash ${roster.hash}`);
      // The build's pin with this minimum roster head (PROTOCOL.md §3): every client then refuses a
      // roster fork at or below it, and the seeker app opens `#/h/<slug>` only for this helpline.
      // Keep "root" as published (the fingerprint, or this key).
      console.log(JSON.stringify({ [h.id]: { root: h.rootPk, roster, slug: h.slug } }, null, 2));
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
    await withDatabase(async (db) => {
      const invite = await createOperatorInvite(
        db,
        { slug: values.helpline!, role },
        { origin, ...(values.hours === undefined ? {} : { inviteHours: num(values.hours) as number }) },
      );
      console.log(
        `${invite.firstSupervisor ? "first-supervisor" : role} invite (one use, until ${new Date(invite.expiresAt).toISOString()}):`,
      );
      console.log(invite.inviteLink);
      if (!invite.firstSupervisor) {
        // An operator's invite carries no key binding: the admitting supervisor compares the new
        // member's safety code with them (PROTOCOL.md §3, "Invites").
        console.log(
          "the admitting supervisor compares the new member's safety code with them before admitting",
        );
      }
      console.log("the link is shown once: only a hash of its token is stored");
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
        if (db.path !== null) recordBackup(db.path, file); // shown by `status`
        // Not migrated first: the copy taken before an upgrade is the database as the old version left it.
      }, NO_MIGRATION);
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
    if (e instanceof UsageError || e instanceof OperatorInputError || e instanceof PinError) {
      console.error(e.message);
      process.exitCode = 2;
    } else {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    }
  });
}
