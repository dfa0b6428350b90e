import { sql } from "drizzle-orm";
import type { Db } from "./client.js";

/** The protocol version of the structures this server stores and reads (docs/PROTOCOL.md). */
export const STORED_PROTOCOL = 2;

/** What a protocol-1 database holds, so the refusal can say what would be lost. */
export interface ProtocolOneContents {
  readonly helplines: number;
  /** Slugs of its helplines (the demo's is "demo"). */
  readonly slugs: readonly string[];
}

/**
 * A database made by protocol 1. Thrown by `runMigrations` before anything is changed: this version
 * cannot read its rosters, threads and messages, and migrating its tables would only hide that.
 */
export class ProtocolOneDatabaseError extends Error {
  override readonly name = "ProtocolOneDatabaseError";
  readonly code = "PROTOCOL_1_DATABASE";
  constructor(readonly contents: ProtocolOneContents) {
    super(
      `This database was made by Briefgeheim protocol 1, which this version no longer reads ` +
        `(${contents.helplines} helpline(s): ${contents.slugs.join(", ")}; their rosters, conversations and ` +
        `messages are in the protocol-1 format). Nothing was changed. To go on: keep running the previous ` +
        `release for this data, or start this version on a new database (set DATABASE_URL to a new file; ` +
        `helplines are then set up again with \`npm run admin -- helpline create\` and a new root key). ` +
        `A database that holds only the demo helpline is recreated by \`npm start\`.`,
    );
  }
}

/** The column `v` of the first row (every query here names its one column `v`). */
async function scalar(db: Db, query: ReturnType<typeof sql>): Promise<unknown> {
  const rows = await db.all<{ v: unknown }>(query);
  return rows[0]?.v;
}

async function tableExists(db: Db, name: string): Promise<boolean> {
  return (
    (await scalar(db, sql`SELECT 1 AS v FROM sqlite_master WHERE type = 'table' AND name = ${name}`)) === 1
  );
}

/**
 * Refuses a database made by protocol 1, without parsing its rows: a database that was migrated
 * before (it has drizzle's migrations table) but carries no `database_meta.protocol = 2` marker and
 * holds a helpline, or any database whose stored rosters start with version byte 0x01. An empty
 * protocol-1 database (no helpline) holds nothing to misread and is migrated normally (migration 0003
 * writes the marker). A new database passes.
 *
 * @example
 * await assertStoredProtocol(db.write); // throws ProtocolOneDatabaseError
 */
export async function assertStoredProtocol(db: Db): Promise<void> {
  if (!(await tableExists(db, "helplines"))) return; // a new database
  const marked =
    (await tableExists(db, "database_meta")) &&
    (await scalar(db, sql`SELECT value AS v FROM database_meta WHERE name = 'protocol'`)) ===
      String(STORED_PROTOCOL);
  // The first byte of a roster is its version: one indexed look at a small table, no parsing.
  const oldRoster =
    (await tableExists(db, "rosters")) &&
    (await scalar(db, sql`SELECT 1 AS v FROM rosters WHERE substr(bytes, 1, 1) = x'01' LIMIT 1`)) === 1;
  if (marked && !oldRoster) return;
  const slugs = (await db.all<{ slug: string }>(sql`SELECT slug FROM helplines ORDER BY slug LIMIT 20`)).map(
    (r) => r.slug,
  );
  const count = Number(await scalar(db, sql`SELECT count(*) AS v FROM helplines`));
  if (!oldRoster && count === 0) return;
  throw new ProtocolOneDatabaseError({ helplines: count, slugs });
}
