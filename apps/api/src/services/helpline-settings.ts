/**
 * Helpline settings after creation (issue 11 item 3). Two kinds:
 * - what the server applies itself, unsigned: retention (days after the last message) and the idle
 *   lock (minutes). Changed by a supervisor (API) or the operator (CLI), effective at once.
 * - what help-seekers are shown: only a supervisor's signed profile (PROTOCOL.md §10) changes that. The
 *   operator can only propose it: the proposal is the helpline row's unsigned copy, which the staff
 *   settings screen offers for signing when it differs from the signed profile.
 * Every change is one audit entry ("settings-changed") with the old and new values, never content.
 */
import { type CrisisOptionProposal, crisisOptionSchema } from "@briefgeheim/protocol";
import { eq, sql } from "drizzle-orm";
import type { WriteTx } from "../db/client.js";
import { helplines, threads } from "../db/schema.js";
import { appendAudit } from "./audit.js";

const DAY_MS = 86_400_000;

export interface ServerSettings {
  readonly retentionDays?: number;
  readonly lockAfterMinutes?: number;
}

/** The operator's proposal for the next signed profile (any subset). */
export interface ProfileProposal {
  readonly name?: string;
  readonly descriptionNl?: string;
  readonly descriptionEn?: string;
  readonly replyTimeHours?: number;
  readonly crisisOptions?: readonly CrisisOptionProposal[];
  readonly exitUrl?: string;
}

type Actor = { readonly kind: "staff"; readonly memberId: string } | { readonly kind: "operator" };

/**
 * Applies retention and lock minutes inside a write job and audits the change. A new retention also
 * moves the expiry of every conversation of the helpline by the difference (expiry = last message +
 * retention), so a shorter retention removes older conversations at the next maintenance run.
 * Returns the values now in force; `undefined` when the helpline does not exist.
 */
export async function applyServerSettings(
  tx: WriteTx,
  helplineId: string,
  change: ServerSettings,
  actor: Actor,
  now: number,
): Promise<{ retentionDays: number; lockAfterMinutes: number } | undefined> {
  const rows = await tx
    .select({ retentionDays: helplines.retentionDays, lockAfterMinutes: helplines.lockAfterMinutes })
    .from(helplines)
    .where(eq(helplines.id, helplineId));
  const before = rows[0];
  if (before === undefined) return undefined;
  const after = {
    retentionDays: change.retentionDays ?? before.retentionDays,
    lockAfterMinutes: change.lockAfterMinutes ?? before.lockAfterMinutes,
  };
  if (after.retentionDays === before.retentionDays && after.lockAfterMinutes === before.lockAfterMinutes) {
    return after; // nothing changed: no audit entry
  }
  await tx.update(helplines).set(after).where(eq(helplines.id, helplineId));
  const shift = (after.retentionDays - before.retentionDays) * DAY_MS;
  if (shift !== 0) {
    await tx
      .update(threads)
      .set({ expiresAt: sql`${threads.expiresAt} + ${shift}` })
      .where(eq(threads.helplineId, helplineId));
  }
  await appendAudit(tx, {
    helplineId,
    at: now,
    actorKind: actor.kind,
    actorId: actor.kind === "staff" ? actor.memberId : null,
    action: "settings-changed",
    details: {
      retentionDays: after.retentionDays,
      previousRetentionDays: before.retentionDays,
      lockAfterMinutes: after.lockAfterMinutes,
      previousLockAfterMinutes: before.lockAfterMinutes,
    },
  });
  return after;
}

/** Stores the operator's proposal in the helpline row and audits which fields it touched. */
export async function applyProfileProposal(
  tx: WriteTx,
  helplineId: string,
  proposal: ProfileProposal,
  now: number,
): Promise<void> {
  const set: Partial<typeof helplines.$inferInsert> = {};
  if (proposal.name !== undefined) set.name = proposal.name;
  if (proposal.descriptionNl !== undefined) set.description = proposal.descriptionNl;
  if (proposal.descriptionEn !== undefined) set.descriptionEn = proposal.descriptionEn;
  if (proposal.replyTimeHours !== undefined) set.replyTimeHours = proposal.replyTimeHours;
  if (proposal.crisisOptions !== undefined) set.crisisOptions = JSON.stringify(proposal.crisisOptions);
  if (proposal.exitUrl !== undefined) set.exitUrl = proposal.exitUrl;
  const fields = Object.keys(proposal).filter((k) => proposal[k as keyof ProfileProposal] !== undefined);
  if (fields.length === 0) return;
  await tx.update(helplines).set(set).where(eq(helplines.id, helplineId));
  await appendAudit(tx, {
    helplineId,
    at: now,
    actorKind: "operator",
    actorId: null,
    action: "settings-changed",
    details: { proposed: fields.sort() },
  });
}

const storedOptions = crisisOptionSchema.array().max(6);

/**
 * The stored crisis options of a helpline row. The column holds JSON this module or `insertProfile`
 * wrote (checked before); a row edited by hand into something else throws rather than list it.
 */
export function crisisOptionsOf(row: { readonly crisisOptions: string }): CrisisOptionProposal[] {
  return storedOptions.parse(JSON.parse(row.crisisOptions));
}
