/**
 * `npm run admin -- helpline set <slug> ...` (issue 11 item 3): the operator changes a helpline after
 * creation. Retention and lock minutes apply at once (the server enforces them); the fields help-seekers
 * see (name, descriptions, reply time, crisis options, quick-exit destination) are only proposed: a
 * supervisor signs them in the staff app (docs/PROTOCOL.md §10), where the proposal is offered.
 */
import { type CrisisOption, checkSafetyFields, isCryptoError } from "@briefgeheim/crypto";
import { eq } from "drizzle-orm";
import type { Database } from "./db/client.js";
import { helplines } from "./db/schema.js";
import { createWriter } from "./db/writer.js";
import { silentLogger } from "./logger.js";
import { OperatorInputError, type OperatorOptions } from "./operator.js";
import {
  ATTACHMENT_LIMIT_RANGES,
  type AttachmentLimitsChange,
  applyAttachmentLimits,
} from "./services/attachments-limits.js";
import {
  applyProfileProposal,
  applyServerSettings,
  type ProfileProposal,
} from "./services/helpline-settings.js";

export interface HelplineSettingsInput extends ProfileProposal {
  readonly retentionDays?: number;
  readonly lockAfterMinutes?: number;
  /** Attachment limits (slice A; services/attachments-limits.ts): apply at once, audited. */
  readonly attachments?: AttachmentLimitsChange;
}

function intIn(value: number | undefined, name: string, min: number, max: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
    throw new OperatorInputError(`${name} must be an integer ${min}..${max}`);
  }
}

/** The operator's values, checked as a supervisor's client would check them before signing. */
export function checkSettingsInput(input: HelplineSettingsInput): void {
  intIn(input.retentionDays, "retention (days)", 1, 3650);
  intIn(input.lockAfterMinutes, "lock (minutes)", 1, 240);
  intIn(input.replyTimeHours, "reply time (hours)", 1, 24 * 365);
  const r = ATTACHMENT_LIMIT_RANGES;
  intIn(input.attachments?.fileMb, "attachment file size (MB)", r.fileMb[0], r.fileMb[1]);
  intIn(input.attachments?.files, "attachments per message", r.files[0], r.files[1]);
  intIn(
    input.attachments?.dailyMb,
    "attachment bytes per conversation per day (MB)",
    r.dailyMb[0],
    r.dailyMb[1],
  );
  if (input.name !== undefined && (input.name.trim() === "" || input.name.length > 120)) {
    throw new OperatorInputError("name: 1-120 characters");
  }
  for (const [field, text] of [
    ["description-nl", input.descriptionNl],
    ["description-en", input.descriptionEn],
  ] as const) {
    if (text !== undefined && text.length > 2000)
      throw new OperatorInputError(`${field}: at most 2000 characters`);
  }
  try {
    checkSafetyFields((input.crisisOptions ?? []) as CrisisOption[], input.exitUrl ?? "");
  } catch (e) {
    if (isCryptoError(e)) throw new OperatorInputError(e.message);
    throw e;
  }
}

/**
 * Applies the settings to the helpline `slug` in one write job (audited). Returns which parts
 * apply now and which wait for a supervisor's signature.
 *
 * @example
 * await setHelplineSettings(db, "hulplijn", { retentionDays: 90, replyTimeHours: 48 });
 */
export async function setHelplineSettings(
  db: Database,
  slug: string,
  input: HelplineSettingsInput,
  options: Pick<OperatorOptions, "writer" | "now"> = {},
): Promise<{ applied: string[]; proposed: string[] }> {
  checkSettingsInput(input);
  const rows = await db.read.select({ id: helplines.id }).from(helplines).where(eq(helplines.slug, slug));
  const helpline = rows[0];
  if (helpline === undefined) throw new OperatorInputError(`no helpline with slug ${slug}`);
  const { retentionDays, lockAfterMinutes, attachments, ...proposal } = input;
  const server = {
    ...(retentionDays === undefined ? {} : { retentionDays }),
    ...(lockAfterMinutes === undefined ? {} : { lockAfterMinutes }),
  };
  const writer = options.writer ?? createWriter(db, { logger: silentLogger });
  const now = (options.now ?? Date.now)();
  try {
    await writer.run(async (tx) => {
      if (Object.keys(server).length > 0) {
        await applyServerSettings(tx, helpline.id, server, { kind: "operator" }, now);
      }
      await applyProfileProposal(tx, helpline.id, proposal, now);
      if (attachments !== undefined) await applyAttachmentLimits(tx, helpline.id, attachments, now);
    });
  } catch (e) {
    if (e instanceof RangeError) throw new OperatorInputError(e.message);
    throw e;
  } finally {
    if (options.writer === undefined) await writer.close();
  }
  const given = (o: object) =>
    Object.entries(o)
      .filter(([, v]) => v !== undefined)
      .map(([k]) => k);
  const attachmentFields = given(attachments ?? {}).map((k) => `attachment ${k}`);
  return { applied: [...given(server), ...attachmentFields], proposed: given(proposal) };
}

/** `phone|Label NL|Label EN|0800-0113` or `url|Label NL|Label EN|https://...` (the CLI's --crisis). */
export function parseCrisisArg(text: string): CrisisOption {
  const parts = text.split("|");
  const [kind, labelNl, labelEn, target] = parts;
  if (parts.length !== 4 || (kind !== "phone" && kind !== "url")) {
    throw new OperatorInputError(`--crisis "${text}": expected kind|label nl|label en|number or address`);
  }
  return { kind, labelNl: labelNl!.trim(), labelEn: labelEn!.trim(), target: target!.trim() };
}
