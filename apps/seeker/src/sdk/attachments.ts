/**
 * Attachments through the SDK (lazy chunk): upload the picked files of a message (resuming any that
 * were prepared before an interruption), fetch and verify a received file, and prepare a picked file
 * (an image cleaned of hidden data by @briefgeheim/media, which loads with this chunk).
 */
import {
  type AttachmentLimits,
  type AttachmentMeta,
  type AttachmentTarget,
  attachmentLimits,
  discardAttachment,
  downloadAttachment,
  resumeAttachment,
  type SeekerSession,
  uploadAttachment,
} from "@briefgeheim/client";
import { checkAttachmentName, type ThreadId } from "@briefgeheim/crypto";
import { type PreparedFile, prepareFile } from "@briefgeheim/media";
import type { FileList, Picked } from "../attachments/store.js";

export type { PreparedFile };

/**
 * A picked file made ready to attach: a name that could show as another (bidi or control characters)
 * is refused at once with `ATTACHMENT_NAME_INVALID`, the rule the SDK would apply when sending, so
 * the person hears it beside the picker; then an image is cleaned of hidden data.
 */
export function prepare(file: File): Promise<PreparedFile> {
  checkAttachmentName(file.name);
  return prepareFile(file);
}

/** The helpline's limits for this session. */
export function limits(session: SeekerSession): Promise<AttachmentLimits> {
  return attachmentLimits(session);
}

/**
 * Encrypts and uploads every file of `list` not uploaded yet, one after another, with progress on
 * each; a file prepared before (its `meta` kept from an interrupted try) is resumed from the last
 * acknowledged chunk. Resolves with the metadata for the message, in the list's order.
 */
export async function uploadAll(
  session: SeekerSession,
  target: { threadId: string } | { newConversation: true },
  list: FileList,
  signal: AbortSignal,
): Promise<AttachmentMeta[]> {
  const sdkTarget = target as AttachmentTarget;
  const metas: AttachmentMeta[] = [];
  for (const item of list.items()) {
    if (item.uploaded && item.meta !== undefined) {
      metas.push(item.meta);
      continue;
    }
    const file = { data: item.data, name: item.name, mediaType: item.mediaType };
    const onProgress = (progress: Picked["progress"]) => list.patch(item.id, { progress });
    const meta =
      item.meta === undefined
        ? await uploadAttachment(session, {
            target: sdkTarget,
            file,
            onProgress,
            signal,
            onPrepared: (m: AttachmentMeta) => list.patch(item.id, { meta: m }),
          })
        : await resumeAttachment(session, { target: sdkTarget, meta: item.meta, file, onProgress, signal });
    list.patch(item.id, { meta, uploaded: true });
    metas.push(meta);
  }
  return metas;
}

/** Deletes an upload that will not be sent (the remove button after an interrupted send). */
export async function discard(session: SeekerSession, meta: AttachmentMeta): Promise<void> {
  await discardAttachment(session, meta.attachmentId);
}

/** Fetches, decrypts and verifies a received file; a typed error (never partial bytes) otherwise. */
export function download(
  session: SeekerSession,
  threadId: string,
  meta: AttachmentMeta,
  onProgress: (p: NonNullable<Picked["progress"]>) => void,
  signal: AbortSignal,
): Promise<Blob> {
  return downloadAttachment(session, { threadId: threadId as ThreadId, meta, onProgress, signal });
}
