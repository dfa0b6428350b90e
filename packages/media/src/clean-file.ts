import { isImage, planClean } from "./index.js";
import type { RemovedKind } from "./parts.js";

/** A picked file made ready to send: an image cleaned of hidden data, any other file as it is. */
export interface PreparedFile {
  readonly data: Blob;
  /** The type to send: for a cleaned image the one its bytes show, else the browser's (or octet-stream). */
  readonly mediaType: string;
  /** For an image: what was removed (may be empty: it had nothing). `undefined` for other files. */
  readonly removed: readonly RemovedKind[] | undefined;
}

/**
 * Prepares a picked file for sending. An image (by type or by its first bytes) is read once, planned
 * by `planClean`, and rebuilt as a Blob of slices of the original (the picture's bytes are not copied
 * again); the bytes read for planning are zeroed afterwards. Throws `MediaError` for an image that
 * cannot be cleaned: the caller must not send it.
 *
 * @example
 * const ready = await prepareFile(input.files[0]);
 * uploadAttachment(session, { file: { data: ready.data, name, mediaType: ready.mediaType }, ... });
 */
export async function prepareFile(file: Blob): Promise<PreparedFile> {
  const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  if (!isImage(file.type, head)) {
    return { data: file, mediaType: file.type || "application/octet-stream", removed: undefined };
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    const plan = planClean(bytes);
    // The new parts are small arrays the cleaner made itself (never views of shared memory).
    const parts = plan.parts.map((p) =>
      p instanceof Uint8Array ? (p as Uint8Array<ArrayBuffer>) : file.slice(p.from, p.to),
    );
    return {
      data: new Blob(parts, { type: plan.mediaType }),
      mediaType: plan.mediaType,
      removed: plan.removed,
    };
  } finally {
    bytes.fill(0);
  }
}
