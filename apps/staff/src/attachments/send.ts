/**
 * The SDK side of attachments for the staff app: upload a reply's files (resuming those prepared
 * before a network loss or a reload), fetch and verify a received file, and the sentences for the
 * refusals. The SDK module is loaded lazily (lib/sdk.ts); @briefgeheim/media comes with it.
 */
import type { AttachmentMeta, StaffSession } from "@briefgeheim/client";
import type { ThreadId } from "@briefgeheim/crypto";
import { t } from "../i18n/index.js";
import { refusalText, retryAfterSeconds } from "../lib/rate-limit.js";
import { errorCode, loadSdk } from "../lib/sdk.js";
import { failure } from "../state/session.js";
import { abortable, type FileList, setFileLimits } from "./store.js";

/**
 * Uploads every file of `list` not uploaded yet, in order, with progress; a prepared one resumes.
 * `onPrepared` lets the caller keep the metadata in the encrypted draft before the first byte goes.
 */
export async function uploadAll(
  staff: StaffSession,
  threadId: string,
  list: FileList,
  onPrepared: () => void,
): Promise<AttachmentMeta[]> {
  const sdk = await loadSdk();
  const job = abortable();
  const target = { threadId: threadId as ThreadId };
  const metas: AttachmentMeta[] = [];
  try {
    for (const item of list.items()) {
      if (item.uploaded && item.meta !== undefined) {
        metas.push(item.meta);
        continue;
      }
      if (item.data === undefined)
        throw Object.assign(new Error("pick the file again"), { code: "NEEDS_FILE" });
      const file = { data: item.data, name: item.name, mediaType: item.mediaType };
      const onProgress = (progress: NonNullable<typeof item.progress>) => list.patch(item.id, { progress });
      const meta =
        item.meta === undefined
          ? await sdk.uploadAttachment(staff, {
              target,
              file,
              onProgress,
              signal: job.signal,
              onPrepared: (m: AttachmentMeta) => {
                list.patch(item.id, { meta: m });
                onPrepared();
              },
            })
          : await sdk.resumeAttachment(staff, {
              target,
              meta: item.meta,
              file,
              onProgress,
              signal: job.signal,
            });
      list.patch(item.id, { meta, uploaded: true });
      metas.push(meta);
    }
    return metas;
  } catch (e) {
    const code = errorCode(e);
    if (code === "NETWORK" || code === "UNAVAILABLE") {
      throw Object.assign(new Error("upload interrupted"), { code: "UPLOAD_INTERRUPTED", cause: e });
    }
    throw e;
  } finally {
    job.done();
  }
}

/** The helpline's own limits (the defaults stay on failure; the server checks anyway). */
export async function loadFileLimits(staff: StaffSession): Promise<void> {
  try {
    const sdk = await loadSdk();
    const { maxFileBytes, maxFilesPerMessage } = await sdk.attachmentLimits(staff);
    setFileLimits({ maxFileBytes, maxFilesPerMessage });
  } catch {
    // Defaults stand.
  }
}

/** Deletes an upload removed before its reply was sent (best effort: unbound uploads expire). */
export async function discard(staff: StaffSession, meta: AttachmentMeta): Promise<void> {
  try {
    await (await loadSdk()).discardAttachment(staff, meta.attachmentId);
  } catch {
    // Expires on the server after 24 hours.
  }
}

/** The sentence for a refused send with files, or the usual one. */
export function sendErrorText(e: unknown): string {
  switch (errorCode(e)) {
    case "ATTACHMENT_TOO_LARGE":
      return t().errorAttachTooLarge;
    case "ATTACHMENT_TOO_MANY":
      return t().errorAttachTooMany;
    case "ATTACHMENT_QUOTA_EXCEEDED":
      return `${t().errorAttachQuota} ${t().retryInSeconds(retryAfterSeconds(e) ?? 3600)}`;
    case "UPLOAD_INTERRUPTED":
      return t().errorAttachInterrupted;
    case "NEEDS_FILE":
      return t().attachNeedsFile;
    case "ATTACHMENT_INCOMPLETE":
    case "ATTACHMENT_FILE_CHANGED":
      return t().errorAttachGone;
    default:
      return refusalText(e, failure(e));
  }
}
