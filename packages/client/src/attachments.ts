/**
 * Attachments (docs/CLIENT.md "Attachments", PROTOCOL.md §6): a file is hashed once, then each 64 KiB
 * chunk is read from the `Blob`, encrypted and uploaded on its own, so an upload resumes from the last
 * acknowledged chunk after a network loss or, with the metadata kept in an encrypted draft, a reload.
 * Downloads (attachments-download.ts) are verified chunk by chunk against the signed metadata before
 * any byte is handed out.
 */
import {
  type AttachmentMeta,
  attachmentChunkRange,
  attachmentHasher,
  attachmentLayout,
  bytesEqual,
  checkAttachmentName,
  encryptAttachmentChunk,
  fromBase64,
  type HelplineId,
  newId,
  parseAttachmentHeader,
  planAttachment,
  toBase64,
} from "@briefgeheim/crypto";
import type { AttachmentStatus } from "@briefgeheim/protocol";
import type {
  AttachmentLimits,
  AttachmentProgress,
  AttachmentTarget,
  OutgoingFile,
  ResumeAttachmentOptions,
  UploadAttachmentOptions,
} from "./attachments-types.js";
import type { BriefgeheimClient } from "./client.js";
import { ClientError, guard } from "./errors.js";
import { withRetry } from "./retry.js";
import { readJson } from "./transport.js";

/** What the attachment calls need of a `SeekerSession` or a `StaffSession`. */
export interface AttachmentSession {
  readonly client: BriefgeheimClient;
  readonly helplineId: HelplineId;
}

/** Bytes read from the file per slice while hashing (1 MiB: few calls, little memory). */
const HASH_SLICE = 1024 * 1024;
const MAX_NAME_BYTES = 1024;
const MAX_MEDIA_TYPE_BYTES = 255;

type Progress = ((p: AttachmentProgress) => void) | undefined;

export function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ClientError("ABORTED", "the transfer was stopped");
}

export function url(session: AttachmentSession, path: string): string {
  return `${session.client.transport.baseUrl}/api/attachments${path}`;
}

async function call<T>(
  session: AttachmentSession,
  method: string,
  path: string,
  init: { json?: unknown; bytes?: Uint8Array; signal?: AbortSignal | undefined } = {},
): Promise<T> {
  const headers: Record<string, string> = {};
  let body: BodyInit | undefined;
  if (init.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(init.json);
  } else if (init.bytes !== undefined) {
    headers["Content-Type"] = "application/octet-stream";
    body = init.bytes as Uint8Array<ArrayBuffer>;
  }
  const res = await session.client.transport.fetch(url(session, path), {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
    ...(init.signal === undefined ? {} : { signal: init.signal }),
  });
  return readJson<T>(res);
}

/** Reads `[start, end)` of a Blob as bytes. */
async function readSlice(data: Blob, start: number, end: number): Promise<Uint8Array> {
  return new Uint8Array(await data.slice(start, end).arrayBuffer());
}

/** H(attachment-hash, file), read in 1 MiB slices (the `preparing` phase). */
async function hashFile(
  session: AttachmentSession,
  data: Blob,
  onProgress: Progress,
  signal: AbortSignal | undefined,
): Promise<Uint8Array> {
  const { sodium } = session.client;
  const hasher = attachmentHasher(sodium);
  let finished = false;
  try {
    for (let at = 0; at < data.size; at += HASH_SLICE) {
      checkAbort(signal);
      const end = Math.min(data.size, at + HASH_SLICE);
      const piece = await readSlice(data, at, end);
      hasher.update(piece);
      sodium.memzero(piece);
      onProgress?.({ phase: "preparing", done: end, total: data.size });
    }
    finished = true;
    return hasher.final();
  } finally {
    if (!finished) hasher.final(); // frees the wasm state
  }
}

function targetJson(target: AttachmentTarget): { threadId: string } | { newConversation: true } {
  return "threadId" in target ? { threadId: target.threadId } : { newConversation: true };
}

function checkFile(file: OutgoingFile): void {
  // Refused before a byte is sent: the message that names it could not be encoded or read anyway.
  try {
    checkAttachmentName(file.name);
  } catch (cause) {
    throw new ClientError("ATTACHMENT_NAME_INVALID", (cause as Error).message, { source: "crypto", cause });
  }
  const encoder = new TextEncoder();
  if (encoder.encode(file.name).length > MAX_NAME_BYTES) {
    throw new ClientError("TOO_LARGE", `a file name is at most ${MAX_NAME_BYTES} bytes`);
  }
  if (encoder.encode(file.mediaType).length > MAX_MEDIA_TYPE_BYTES) {
    throw new ClientError("TOO_LARGE", `a media type is at most ${MAX_MEDIA_TYPE_BYTES} bytes`);
  }
}

/**
 * Encrypts and sends chunks `from`..end (each made from its own slice of the file, the plaintext wiped
 * after), then asks the server to close the upload. A chunk is acknowledged after the server's commit;
 * network failures are retried, and a failure that remains is thrown (resume with `resumeAttachment`).
 */
async function sendChunks(
  session: AttachmentSession,
  plan: Parameters<typeof encryptAttachmentChunk>[1],
  meta: AttachmentMeta,
  file: Blob,
  from: number,
  onProgress: Progress,
  signal: AbortSignal | undefined,
): Promise<void> {
  const { sodium } = session.client;
  for (let i = from; i < plan.chunkCount; i++) {
    checkAbort(signal);
    const { start, end } = attachmentChunkRange(plan, i);
    const plain = await readSlice(file, start, end);
    const cipher = encryptAttachmentChunk(sodium, plan, i, plain);
    sodium.memzero(plain);
    onProgress?.({ phase: "encrypting", done: end, total: meta.size });
    await withRetry(() =>
      call(session, "PUT", `/${meta.attachmentId}/chunks/${i}`, { bytes: cipher, signal }),
    );
    onProgress?.({ phase: "uploading", done: end, total: meta.size });
  }
  checkAbort(signal);
  await withRetry(() =>
    call<AttachmentStatus>(session, "POST", `/${meta.attachmentId}/complete`, { signal }),
  );
}

/** On abort: the unfinished upload is deleted (best effort) and the call fails with `ABORTED`. */
async function abortable<T>(
  session: AttachmentSession,
  id: () => string | undefined,
  signal: AbortSignal | undefined,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (signal?.aborted) {
      const created = id();
      if (created !== undefined) await discardAttachment(session, created).catch(() => undefined);
      throw new ClientError("ABORTED", "the transfer was stopped", { cause: e });
    }
    throw e;
  }
}

/**
 * The helpline's attachment limits for the caller.
 *
 * @example
 * const { maxFileBytes, maxFilesPerMessage } = await attachmentLimits(session);
 */
export function attachmentLimits(session: AttachmentSession): Promise<AttachmentLimits> {
  return guard(() => withRetry(() => call<AttachmentLimits>(session, "GET", "/limits")));
}

/**
 * Encrypts a file as it uploads it; resolves with the metadata to name in the post
 * (`reply(threadId, body, { attachments: [meta] })` or `openThread(message, { attachments })`).
 *
 * @example
 * const meta = await uploadAttachment(staff, {
 *   target: { threadId },
 *   file: { data: picked, name: picked.name, mediaType: picked.type || "application/octet-stream" },
 *   onProgress: (p) => bar.update(p),
 *   onPrepared: (m) => staff.saveDraft(replyDraftContext(threadId), { subject: "", body, attachments: [m] }),
 * });
 */
export function uploadAttachment(
  session: AttachmentSession,
  options: UploadAttachmentOptions,
): Promise<AttachmentMeta> {
  return guard(async () => {
    const { sodium, random } = session.client;
    const { file, signal, onProgress } = options;
    checkFile(file);
    let id: string | undefined;
    return abortable(
      session,
      () => id,
      signal,
      async () => {
        const hash = await hashFile(session, file.data, onProgress, signal);
        const plan = planAttachment(sodium, file.data.size, random);
        const meta: AttachmentMeta = {
          attachmentId: newId(sodium, random),
          name: file.name,
          mediaType: file.mediaType,
          size: file.data.size,
          hash,
          key: plan.key,
        };
        await options.onPrepared?.(meta);
        checkAbort(signal);
        const status = await withRetry(() =>
          call<AttachmentStatus>(session, "POST", "", {
            json: {
              id: meta.attachmentId,
              ...targetJson(options.target),
              header: toBase64(sodium, plan.header),
              paddedSize: plan.paddedSize,
            },
            signal,
          }),
        );
        id = meta.attachmentId;
        await sendChunks(
          session,
          plan,
          meta,
          file.data,
          status.firstMissing ?? plan.chunkCount,
          onProgress,
          signal,
        );
        return meta;
      },
    );
  });
}

/**
 * Continues an interrupted upload from the first chunk the server has not acknowledged: after a
 * network loss (same page) or a reload (the metadata from the reply's encrypted draft and the same
 * file picked again). The file is checked against the signed size and hash first
 * (`ATTACHMENT_FILE_CHANGED`); an upload that expired or was never created is `NOT_FOUND`: start anew.
 *
 * @example
 * const meta = await resumeAttachment(staff, { target: { threadId }, meta: draft.attachments[0], file });
 */
export function resumeAttachment(
  session: AttachmentSession,
  options: ResumeAttachmentOptions,
): Promise<AttachmentMeta> {
  return guard(async () => {
    const { sodium } = session.client;
    const { meta, file, signal, onProgress } = options;
    checkFile(file);
    return abortable(
      session,
      () => meta.attachmentId,
      signal,
      async () => {
        if (file.data.size !== meta.size) {
          throw new ClientError(
            "ATTACHMENT_FILE_CHANGED",
            "this is not the file that was being sent (its size differs)",
          );
        }
        const hash = await hashFile(session, file.data, onProgress, signal);
        if (!bytesEqual(sodium, hash, meta.hash)) {
          throw new ClientError(
            "ATTACHMENT_FILE_CHANGED",
            "this is not the file that was being sent (its content differs)",
          );
        }
        const status = await withRetry(() =>
          call<AttachmentStatus>(session, "GET", `/${meta.attachmentId}`, { signal }),
        );
        const layout = attachmentLayout(meta.size);
        const header = fromBase64(sodium, status.header);
        parseAttachmentHeader(header);
        if (status.paddedSize !== layout.paddedSize || status.chunkCount !== layout.chunkCount) {
          throw new ClientError(
            "UNEXPECTED_RESPONSE",
            "the server describes another upload than this file's",
          );
        }
        if (status.complete) return meta;
        // The server's header: its nonce prefix with our key. A lying server only spoils its own copy
        // (readers see the chunks do not open); a nonce never repeats for different plaintext, since
        // the file is the one hashed above and the nonce holds the chunk's index.
        const plan = { ...layout, key: meta.key, header };
        await sendChunks(
          session,
          plan,
          meta,
          file.data,
          status.firstMissing ?? layout.chunkCount,
          onProgress,
          signal,
        );
        return meta;
      },
    );
  });
}

/**
 * Deletes an upload that no message has named yet (the remove button, or an abandoned file). An
 * upload already gone is not an error.
 *
 * @example
 * await discardAttachment(session, meta.attachmentId);
 */
export function discardAttachment(session: AttachmentSession, attachmentId: string): Promise<void> {
  return guard(async () => {
    try {
      await withRetry(() => call(session, "DELETE", `/${attachmentId}`));
    } catch (e) {
      if (e instanceof ClientError && e.code === "NOT_FOUND") return;
      throw e;
    }
  });
}
