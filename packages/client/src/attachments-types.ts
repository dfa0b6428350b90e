/**
 * The attachment API of the SDK (docs/CLIENT.md "Attachments", PROTOCOL.md §6). Types only: the
 * functions live in attachments.ts and take a `SeekerSession` or a `StaffSession`.
 */
import type { AttachmentMeta, ThreadId } from "@briefgeheim/crypto";

export type { AttachmentMeta };

/**
 * What is happening, in bytes of the file: `preparing` (reading the file once to hash it, before
 * anything is sent), `encrypting` + `uploading` (encrypted chunk by chunk as it is sent: `uploading`
 * counts acknowledged bytes), `downloading` + `decrypting` (likewise on the way back).
 */
export type AttachmentPhase = "preparing" | "encrypting" | "uploading" | "downloading" | "decrypting";

export interface AttachmentProgress {
  readonly phase: AttachmentPhase;
  /** Bytes of the plaintext file done in this phase. */
  readonly done: number;
  /** The file's size in bytes. */
  readonly total: number;
}

/** A file to send. `data` is read piece by piece (`Blob.slice`), never copied whole. */
export interface OutgoingFile {
  readonly data: Blob;
  /** Shown to the readers; at most 1 KiB of UTF-8. Take it from the picked file; no path. */
  readonly name: string;
  /** e.g. `image/jpeg`; at most 255 bytes; `application/octet-stream` when unknown. */
  readonly mediaType: string;
}

/**
 * Where the attachment will be sent: a reply in an existing thread, or the first message of a new
 * conversation with the session's helpline (`openThread`). The server binds the upload to the message
 * that names it; an upload never named expires after `LIMITS.attachments.unboundTtlMs` (24 h).
 */
export type AttachmentTarget = { readonly threadId: ThreadId } | { readonly newConversation: true };

export interface UploadAttachmentOptions {
  readonly target: AttachmentTarget;
  readonly file: OutgoingFile;
  readonly onProgress?: (progress: AttachmentProgress) => void;
  /** Aborting stops reading and sending and deletes the unfinished upload on the server. */
  readonly signal?: AbortSignal;
  /**
   * Called once with the final metadata (key included) after hashing and before the first byte is
   * sent. The staff app keeps it in the reply's encrypted draft (`saveDraft(..., { attachments })`)
   * so that after a reload `resumeAttachment` can continue the same upload; never store it in plain.
   */
  readonly onPrepared?: (meta: AttachmentMeta) => void | Promise<void>;
}

export interface ResumeAttachmentOptions {
  readonly target: AttachmentTarget;
  /** The metadata `onPrepared` gave (e.g. from the reply's encrypted draft). */
  readonly meta: AttachmentMeta;
  /** The same file, picked again. Checked against `meta.size` and `meta.hash` before anything is sent. */
  readonly file: OutgoingFile;
  readonly onProgress?: (progress: AttachmentProgress) => void;
  readonly signal?: AbortSignal;
}

export interface DownloadAttachmentOptions {
  /** The thread of the message that carries `meta`. */
  readonly threadId: ThreadId;
  /** From a verified message's `attachments` (ThreadMessage.attachments). */
  readonly meta: AttachmentMeta;
  readonly onProgress?: (progress: AttachmentProgress) => void;
  readonly signal?: AbortSignal;
}

/** The helpline's limits for the caller (server settings per helpline). */
export interface AttachmentLimits {
  /** Largest file in bytes (default 10 MB). */
  readonly maxFileBytes: number;
  /** Files per message (default 3). */
  readonly maxFilesPerMessage: number;
  /** Padded bytes per conversation (thread or new conversation) per 24 hours (default 50 MB). */
  readonly maxBytesPerConversationPerDay: number;
}
