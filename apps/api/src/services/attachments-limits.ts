/**
 * The operator's per-helpline attachment limits (table attachment_limits; `npm run admin -- helpline
 * set <slug> --attachment-file-mb N --attachment-files N --attachment-daily-mb N`). A change is one
 * "settings-changed" audit entry with the old and new values, like retention and lock minutes.
 */
import { LIMITS } from "@briefgeheim/protocol";
import type { WriteTx } from "../db/client.js";
import { attachmentLimits } from "../db/schema.js";
import { limitsOf } from "./attachments.js";
import { appendAudit } from "./audit.js";

/** A megabyte in these settings: 1,000,000 bytes (the default file limit is 10 MB = 10,000,000). */
export const MB = 1_000_000;

export interface AttachmentLimitsChange {
  /** Largest file, in MB (plaintext). */
  readonly fileMb?: number;
  /** Files per message. */
  readonly files?: number;
  /** Padded bytes per conversation per 24 hours, in MB. */
  readonly dailyMb?: number;
}

/**
 * The ranges the operator may choose: a 100 MB file pads to 104,857,600 bytes, within the protocol's
 * largest padded size; a message names at most LIMITS.attachments.maxIdsPerMessage ids (0: no files).
 */
export const ATTACHMENT_LIMIT_RANGES = {
  fileMb: [1, 100],
  files: [0, LIMITS.attachments.maxIdsPerMessage],
  dailyMb: [1, 10_000],
} as const;

/**
 * Writes the helpline's attachment limits (unchanged fields keep their value, or the default) and an
 * audit entry when something changed. Refuses a daily figure below one largest file (`RangeError`),
 * which would make the file limit a lie.
 */
export async function applyAttachmentLimits(
  tx: WriteTx,
  helplineId: string,
  change: AttachmentLimitsChange,
  now: number,
): Promise<boolean> {
  const before = await limitsOf(tx, helplineId);
  const after = {
    maxFileBytes: change.fileMb === undefined ? before.maxFileBytes : change.fileMb * MB,
    maxFilesPerMessage: change.files ?? before.maxFilesPerMessage,
    dailyBytesPerConversation:
      change.dailyMb === undefined ? before.dailyBytesPerConversation : change.dailyMb * MB,
  };
  if (after.dailyBytesPerConversation < after.maxFileBytes) {
    throw new RangeError("the daily attachment bytes must hold at least one largest file");
  }
  if (
    after.maxFileBytes === before.maxFileBytes &&
    after.maxFilesPerMessage === before.maxFilesPerMessage &&
    after.dailyBytesPerConversation === before.dailyBytesPerConversation
  ) {
    return false;
  }
  await tx
    .insert(attachmentLimits)
    .values({ helplineId, ...after })
    .onConflictDoUpdate({ target: attachmentLimits.helplineId, set: after });
  await appendAudit(tx, {
    helplineId,
    at: now,
    actorKind: "operator",
    actorId: null,
    action: "settings-changed",
    details: {
      attachmentMaxFileBytes: after.maxFileBytes,
      previousAttachmentMaxFileBytes: before.maxFileBytes,
      attachmentMaxFilesPerMessage: after.maxFilesPerMessage,
      previousAttachmentMaxFilesPerMessage: before.maxFilesPerMessage,
      attachmentDailyBytesPerConversation: after.dailyBytesPerConversation,
      previousAttachmentDailyBytesPerConversation: before.dailyBytesPerConversation,
    },
  });
  return true;
}
