/**
 * Sending the picked files with a message (used by actions.ts): each is encrypted and uploaded through
 * the SDK before the message is posted, with progress in the list; an upload that the quick exit,
 * the lock or a sign-out stops is aborted. A network failure mid-way is `UPLOAD_INTERRUPTED`: the files
 * keep what the SDK prepared, so sending again resumes from the last acknowledged chunk.
 */
import { loadSdk } from "../sdk/load.js";
import type { AttachmentMeta, SeekerSession } from "../sdk/types.js";
import { abortable, type FileList, firstFiles, replyFiles, setFileLimits } from "./store.js";

export { firstFiles, replyFiles };

export async function uploadFiles(
  session: SeekerSession,
  target: { threadId: string } | { newConversation: true },
  list: FileList,
): Promise<AttachmentMeta[]> {
  if (list.items().length === 0) return [];
  const sdk = await loadSdk();
  const job = abortable();
  try {
    return await sdk.attachments.uploadAll(session, target, list, job.signal);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === "NETWORK" || code === "UNAVAILABLE") {
      throw Object.assign(new Error("upload interrupted"), { code: "UPLOAD_INTERRUPTED", cause: e });
    }
    throw e;
  } finally {
    job.done();
  }
}

/** The helpline's own limits, once a session exists (the defaults stand until then, or on failure). */
export async function loadFileLimits(session: SeekerSession): Promise<void> {
  try {
    const sdk = await loadSdk();
    const { maxFileBytes, maxFilesPerMessage } = await sdk.attachments.limits(session);
    setFileLimits({ maxFileBytes, maxFilesPerMessage });
  } catch {
    // The defaults stay; the server checks the real limits anyway.
  }
}

/** Deletes an uploaded file that was removed before its message was sent (best effort: it expires). */
export async function discardFile(session: SeekerSession | undefined, meta: AttachmentMeta): Promise<void> {
  if (session === undefined) return;
  try {
    await (await loadSdk()).attachments.discard(session, meta);
  } catch {
    // An unbound upload expires on the server after 24 hours anyway.
  }
}
