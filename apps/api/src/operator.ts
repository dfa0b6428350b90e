/**
 * What the operator does (the `npm run admin` commands, and tests that set up helplines in process):
 * create a helpline with its first-supervisor invite, and create one-time invites. No content, no keys:
 * the first supervisor's browser makes the helpline root when accepting the invite.
 */
import { eq, or } from "drizzle-orm";
import { readConfig } from "./config.js";
import type { Database } from "./db/client.js";
import { helplines } from "./db/schema.js";
import { createWriter, type Writer } from "./db/writer.js";
import { newId, random, toB64 } from "./deps.js";
import { silentLogger } from "./logger.js";
import { insertInvite } from "./routes/invites/index.js";

/** A helpline as the operator creates it. */
export interface NewHelpline {
  /** 2-40 of a-z 0-9 - */
  readonly slug: string;
  /** 1-120 characters. */
  readonly name: string;
  /** The helpline's public 10-bit number inside help-seeker codes (0-1023), unique per deployment. */
  readonly tag: number;
  /** The reply time the helpline promises (1-1440 hours). */
  readonly replyTimeHours: number;
  /** The Dutch description (and the English one when `descriptionEn` is not given). */
  readonly description?: string;
  /** The English description (issue 10 item 8: one field per language). */
  readonly descriptionEn?: string;
  /** Days after the last message a thread is deleted (1-3650, default 365). */
  readonly retentionDays?: number;
  /** Clients lock after this many idle minutes (1-240, default 15). */
  readonly lockAfterMinutes?: number;
}

export interface OperatorOptions {
  /** The web origin invite links point to; default `ORIGIN` from the environment (as the server). */
  readonly origin?: string;
  /** Lifetime of the invite in hours (1-720, default 72). */
  readonly inviteHours?: number;
  /**
   * The writer to use when the server runs in the same process (tests); otherwise a writer is made
   * for this call and closed after it.
   */
  readonly writer?: Writer;
  /** Clock (tests). */
  readonly now?: () => number;
}

/** The operator gave a value the command refuses (message says which; never echoes secrets). */
export class OperatorInputError extends Error {
  override readonly name = "OperatorInputError";
}

/** The link a new staff member opens; token (and secret) are in the fragment, never sent to a server. */
export function inviteLink(origin: string, token: string, secret?: string): string {
  return `${origin}/staff/#/invite/${token}${secret === undefined ? "" : `/${secret}`}`;
}

export interface CreatedOperatorInvite {
  readonly inviteId: string;
  readonly inviteToken: string;
  readonly inviteLink: string;
  readonly expiresAt: number;
  /** True while the helpline has no root: the invitee makes it (trust on first use, see PROTOCOL.md). */
  readonly firstSupervisor: boolean;
}

export interface CreatedHelpline extends CreatedOperatorInvite {
  readonly helplineId: string;
  readonly slug: string;
  readonly tag: number;
}

function int(value: number | undefined, name: string, min: number, max: number, fallback?: number): number {
  const n = value ?? fallback;
  if (n === undefined) throw new OperatorInputError(`${name} is required`);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new OperatorInputError(`${name} must be an integer ${min}..${max}`);
  }
  return n;
}

async function withWriter<T>(db: Database, options: OperatorOptions, fn: (w: Writer) => Promise<T>) {
  if (options.writer !== undefined) return fn(options.writer);
  const writer = createWriter(db, { logger: silentLogger });
  try {
    return await fn(writer);
  } finally {
    await writer.close();
  }
}

/**
 * Creates a helpline and its first-supervisor invite (one use; the invitee makes the helpline root
 * and roster v1). Slug and tag must be free.
 *
 * @example
 * const { helplineId, inviteLink } = await createHelpline(db, {
 *   slug: "hulplijn-een", name: "Hulplijn Een", tag: 7, replyTimeHours: 72,
 * });
 */
export async function createHelpline(
  db: Database,
  input: NewHelpline,
  options: OperatorOptions = {},
): Promise<CreatedHelpline> {
  const slug = input.slug;
  if (!/^[a-z0-9-]{2,40}$/.test(slug)) throw new OperatorInputError("slug: 2-40 of a-z 0-9 -");
  const name = input.name.trim();
  if (name.length < 1 || name.length > 120) {
    throw new OperatorInputError("name is required (at most 120 characters)");
  }
  const description = input.description ?? "";
  if (description.length > 2000) throw new OperatorInputError("description: at most 2000 characters");
  const descriptionEn = input.descriptionEn ?? description;
  if (descriptionEn.length > 2000) throw new OperatorInputError("description-en: at most 2000 characters");
  const tag = int(input.tag, "tag", 0, 1023);
  const replyTimeHours = int(input.replyTimeHours, "reply time (hours)", 1, 24 * 60);
  const retentionDays = int(input.retentionDays, "retention (days)", 1, 3650, 365);
  const lockAfterMinutes = int(input.lockAfterMinutes, "lock (minutes)", 1, 240, 15);
  const inviteHours = int(options.inviteHours, "invite lifetime (hours)", 1, 24 * 30, 72);
  const origin = options.origin ?? readConfig().origin;
  const now = options.now ?? Date.now;

  return withWriter(db, options, async (writer) => {
    const helplineId = newId();
    const inviteId = newId();
    const token = newInviteToken();
    const invite = await writer.run(async (tx) => {
      const clash = await tx
        .select({ slug: helplines.slug, tag: helplines.tag })
        .from(helplines)
        .where(or(eq(helplines.slug, slug), eq(helplines.tag, tag)));
      if (clash.some((h) => h.slug === slug)) throw new OperatorInputError(`slug ${slug} is taken`);
      if (clash.length > 0) throw new OperatorInputError(`tag ${tag} is taken`);
      const at = now();
      await tx.insert(helplines).values({
        id: helplineId,
        slug,
        name,
        description,
        descriptionEn,
        replyTimeHours,
        tag,
        retentionDays,
        lockAfterMinutes,
        createdAt: at,
      });
      return insertInvite(tx, {
        id: inviteId,
        helplineId,
        role: "supervisor",
        expiresInHours: inviteHours,
        createdBy: null,
        firstSupervisor: true,
        now: at,
        token,
      });
    });
    return {
      helplineId,
      slug,
      tag,
      inviteId,
      inviteToken: invite.token,
      inviteLink: inviteLink(origin, invite.token),
      expiresAt: invite.expiresAt,
      firstSupervisor: true,
    };
  });
}

/**
 * A random invite token (32 bytes, base64url), made here and printed once: the database keeps only
 * its SHA-256, so whoever steals the database cannot recompute the link (issue 8, item 8).
 */
export function newInviteToken(): string {
  return toB64(random(32));
}

/**
 * A one-time invite made by the operator: the first supervisor's while the helpline has no root,
 * else a counsellor's or supervisor's. Such invites carry no key-binding secret (the operator has no
 * account key), so the admitting supervisor compares the new member's safety code with them (see
 * `admitPending`'s `comparedSafetyCode` in the SDK).
 *
 * @example
 * const { inviteLink } = await createOperatorInvite(db, { slug: "hulplijn-een", role: "supervisor" });
 */
export async function createOperatorInvite(
  db: Database,
  input: { readonly slug: string; readonly role: "supervisor" | "counsellor" },
  options: OperatorOptions = {},
): Promise<CreatedOperatorInvite> {
  const hours = int(options.inviteHours, "invite lifetime (hours)", 1, 24 * 30, 72);
  const origin = options.origin ?? readConfig().origin;
  const now = options.now ?? Date.now;
  return withWriter(db, options, async (writer) => {
    const rows = await db.read.select().from(helplines).where(eq(helplines.slug, input.slug));
    const helpline = rows[0];
    if (helpline === undefined) throw new OperatorInputError(`no helpline with slug ${input.slug}`);
    const firstSupervisor = helpline.rootPk === null;
    if (firstSupervisor && input.role !== "supervisor") {
      throw new OperatorInputError("the first invite of a helpline is for a supervisor");
    }
    const inviteId = newId();
    const invite = await writer.run((tx) =>
      insertInvite(tx, {
        id: inviteId,
        helplineId: helpline.id,
        role: input.role,
        expiresInHours: hours,
        createdBy: null,
        firstSupervisor,
        now: now(),
        token: newInviteToken(),
      }),
    );
    return {
      inviteId,
      inviteToken: invite.token,
      inviteLink: inviteLink(origin, invite.token),
      expiresAt: invite.expiresAt,
      firstSupervisor,
    };
  });
}
