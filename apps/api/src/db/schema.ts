/**
 * The database schema (drizzle, SQLite/libSQL). The tables live in schema/, one file per concern; this file is
 * what the server and drizzle-kit import. The migrations in /drizzle are written by hand (each says why);
 * `npm run db:generate` drafts one from a change here, and schema-matches-migrations.test.ts checks that
 * the migrations and these tables describe the same database.
 *
 * Storage conventions:
 * - Ids (helpline, thread, member, envelope, invite) and public keys are stored as the unpadded
 *   base64url text the API uses, so lookups compare the wire form directly.
 * - Binary structures (rosters, epoch records, grants, envelopes, drafts, wrapped keys) and hashes are
 *   BLOBs: 25% smaller than base64 and never mistaken for text.
 * - Times are integer milliseconds since the epoch.
 * - Nothing here holds plaintext, a code, a passphrase, a proof (only its hash), a private key, an IP
 *   address or a user agent.
 */

export * from "./schema/attachments.js";
export * from "./schema/audit.js";
export * from "./schema/helplines.js";
export * from "./schema/saved-replies.js";
export * from "./schema/sessions.js";
export * from "./schema/stats.js";
export * from "./schema/threads.js";

import { auditLog } from "./schema/audit.js";
import {
  databaseMeta,
  helplineProfiles,
  helplines,
  invites,
  members,
  rosters,
  serverSecrets,
} from "./schema/helplines.js";
import { challenges, seekers, sessions } from "./schema/sessions.js";
import { drafts, envelopes, epochRecords, grants, threadReaders, threads } from "./schema/threads.js";

/** The tables given to drizzle for its relational queries (the older ones; the rest are used as tables). */
export const schema = {
  serverSecrets,
  helplines,
  rosters,
  members,
  invites,
  seekers,
  sessions,
  challenges,
  threads,
  threadReaders,
  epochRecords,
  grants,
  envelopes,
  drafts,
  auditLog,
  helplineProfiles,
  databaseMeta,
};
