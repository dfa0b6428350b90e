/**
 * Files the help-seeker is about to send, in memory only: one list for the first message and one for
 * a reply. Each picked file is prepared at once (an image cleaned of hidden data, packages/media);
 * it is encrypted and uploaded when the message is sent (a session exists by then), and its metadata
 * goes inside the signed message. `wipeAttachments()` (the quick exit, the lock, sign-out) aborts every
 * upload and download, drops every file and revokes every `blob:` URL.
 */
import { createSignal } from "solid-js";
import type { AttachmentMeta, AttachmentProgress } from "../sdk/types.js";

export interface Picked {
  readonly id: number;
  readonly name: string;
  /** What is sent: the cleaned image, or the file as picked. */
  readonly data: Blob;
  readonly mediaType: string;
  /** True for an image whose hidden data was removed. */
  readonly cleaned: boolean;
  /** Set once the SDK has prepared the upload (hash, key): a retry resumes it instead of starting anew. */
  readonly meta?: AttachmentMeta;
  readonly uploaded: boolean;
  readonly progress?: AttachmentProgress;
}

export interface FileList {
  readonly items: () => readonly Picked[];
  add(item: Omit<Picked, "id" | "uploaded">): void;
  remove(id: number): Picked | undefined;
  patch(id: number, change: Partial<Omit<Picked, "id">>): void;
  clear(): void;
}

/**
 * The defaults of the server's limits (packages/protocol LIMITS.attachments), used before a session
 * exists; once it does, the helpline's own limits replace them. The server checks them either way.
 */
export const DEFAULT_LIMITS = { maxFileBytes: 10_000_000, maxFilesPerMessage: 3 } as const;
export const [fileLimits, setFileLimits] = createSignal<{ maxFileBytes: number; maxFilesPerMessage: number }>(
  DEFAULT_LIMITS,
);

let nextId = 1;

function createFileList(): FileList {
  const [items, setItems] = createSignal<readonly Picked[]>([]);
  return {
    items,
    add(item) {
      setItems((list) => [...list, { ...item, id: nextId++, uploaded: false }]);
    },
    remove(id) {
      const found = items().find((p) => p.id === id);
      setItems((list) => list.filter((p) => p.id !== id));
      return found;
    },
    patch(id, change) {
      setItems((list) => list.map((p) => (p.id === id ? { ...p, ...change } : p)));
    },
    clear() {
      setItems([]);
    },
  };
}

/** The first message's files and the reply's files. */
export const firstFiles = createFileList();
export const replyFiles = createFileList();

const controllers = new Set<AbortController>();
const urls = new Set<string>();

/** An AbortController that `wipeAttachments` aborts; call `done` when the work ends. */
export function abortable(): { readonly signal: AbortSignal; done(): void } {
  const controller = new AbortController();
  controllers.add(controller);
  return { signal: controller.signal, done: () => controllers.delete(controller) };
}

/** A `blob:` URL for decrypted bytes, revoked by `revoke` or at the latest by `wipeAttachments`. */
export function objectUrl(blob: Blob): string {
  const url = URL.createObjectURL(blob);
  urls.add(url);
  return url;
}

export function revoke(url: string): void {
  URL.revokeObjectURL(url);
  urls.delete(url);
}

/** Aborts every transfer, drops every file and revokes every URL. Synchronous (the quick exit). */
export function wipeAttachments(): void {
  for (const c of controllers) c.abort();
  controllers.clear();
  for (const url of urls) URL.revokeObjectURL(url);
  urls.clear();
  firstFiles.clear();
  replyFiles.clear();
}

/** Bytes in words: "850 kB", "2,4 MB" (decimal units, as file managers show them). */
export function formatBytes(bytes: number, locale: string): string {
  const [unit, value] =
    bytes >= 1_000_000
      ? ["megabyte", bytes / 1_000_000]
      : bytes >= 1000
        ? ["kilobyte", bytes / 1000]
        : ["byte", bytes];
  return new Intl.NumberFormat(locale, { style: "unit", unit, maximumFractionDigits: 1 }).format(value);
}
