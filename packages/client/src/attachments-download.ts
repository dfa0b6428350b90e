/**
 * Downloading an attachment (docs/CLIENT.md "Attachments"): the stream is decrypted and verified chunk
 * by chunk against the signed metadata, and only the whole, verified file is handed out.
 */
import { decryptAttachment } from "@briefgeheim/crypto";
import { type AttachmentSession, checkAbort, url } from "./attachments.js";
import type { DownloadAttachmentOptions } from "./attachments-types.js";
import { guard } from "./errors.js";
import { withRetry } from "./retry.js";
import { errorFromResponse } from "./transport.js";

/** The response body as an async iterable (a reader loop: works where streams are not iterable). */
async function* bodyOf(res: Response, onBytes: (n: number) => void): AsyncGenerator<Uint8Array> {
  if (res.body === null) return;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      onBytes(value.length);
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * Downloads an attachment of a verified message and decrypts it against its signed metadata. Resolves
 * only with the whole, verified file; a damaged stream is a typed error (`ATTACHMENT_TRUNCATED`,
 * `ATTACHMENT_REORDERED`, `ATTACHMENT_INVALID`, `ATTACHMENT_MISMATCH`, `UNSUPPORTED_VERSION`) and no
 * bytes are returned. The decrypted chunks are wiped once the Blob holds them.
 *
 * @example
 * const blob = await downloadAttachment(seeker, { threadId, meta: message.attachments[0] });
 */
export function downloadAttachment(
  session: AttachmentSession,
  options: DownloadAttachmentOptions,
): Promise<Blob> {
  return guard(async () => {
    const { sodium } = session.client;
    const { meta, signal, onProgress } = options;
    checkAbort(signal);
    const res = await withRetry(async () => {
      const r = await session.client.transport.fetch(
        url(session, `/${meta.attachmentId}/content?thread=${encodeURIComponent(options.threadId)}`),
        signal === undefined ? {} : { signal },
      );
      if (!r.ok) {
        let body: unknown;
        try {
          body = await r.json();
        } catch {
          body = undefined;
        }
        throw errorFromResponse(r.status, r.headers, body);
      }
      return r;
    });
    const parts: Uint8Array[] = [];
    let done = 0;
    try {
      const source = bodyOf(res, () => checkAbort(signal));
      for await (const plain of decryptAttachment(sodium, source, meta)) {
        parts.push(plain);
        done += plain.length;
        onProgress?.({ phase: "downloading", done, total: meta.size });
      }
      onProgress?.({ phase: "decrypting", done: meta.size, total: meta.size });
      return new Blob(parts as Uint8Array<ArrayBuffer>[], { type: meta.mediaType });
    } finally {
      // The Blob holds its own copy: the plaintext is not kept twice (nor at all, on failure).
      for (const p of parts) sodium.memzero(p);
    }
  });
}
