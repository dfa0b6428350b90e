/**
 * Files a counsellor is about to send with a reply, in memory only (one list per open thread screen).
 * Each picked file is prepared at once (an image cleaned of hidden data, packages/media), encrypted
 * and uploaded when the reply is sent, and its metadata goes inside the signed message. The metadata
 * of an upload under way is also kept in the reply's encrypted draft, so that after a reload the same
 * file, picked again, resumes where it stopped. `wipeAttachments()` (lock, sign-out) aborts every
 * transfer, drops every file and revokes every `blob:` URL.
 */
import type { AttachmentMeta, AttachmentProgress } from "@briefgeheim/client";
import { createSignal } from "solid-js";

export interface Picked {
  readonly id: number;
  readonly name: string;
  /** What is sent (the cleaned image, or the file as picked); absent after a reload until picked again. */
  readonly data?: Blob;
  readonly mediaType: string;
  readonly cleaned: boolean;
  /** Set once the SDK has prepared the upload: sending again resumes it. */
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

let nextId = 1;

export function createFileList(): FileList {
  const [items, setItems] = createSignal<readonly Picked[]>([]);
  const list: FileList = {
    items,
    add(item) {
      setItems((l) => [...l, { ...item, id: nextId++, uploaded: false }]);
    },
    remove(id) {
      const found = items().find((p) => p.id === id);
      setItems((l) => l.filter((p) => p.id !== id));
      return found;
    },
    patch(id, change) {
      setItems((l) => l.map((p) => (p.id === id ? { ...p, ...change } : p)));
    },
    clear() {
      setItems([]);
    },
  };
  lists.add(list);
  return list;
}

/** The defaults of the server's limits until the helpline's own are known (the server checks them). */
export const [fileLimits, setFileLimits] = createSignal({ maxFileBytes: 10_000_000, maxFilesPerMessage: 3 });

const lists = new Set<FileList>();
const controllers = new Set<AbortController>();
const urls = new Set<string>();

/** Forget a list when its screen goes (its files are dropped with it). */
export function dropList(list: FileList): void {
  list.clear();
  lists.delete(list);
}

export function abortable(): { readonly signal: AbortSignal; done(): void } {
  const controller = new AbortController();
  controllers.add(controller);
  return { signal: controller.signal, done: () => controllers.delete(controller) };
}

export function objectUrl(blob: Blob): string {
  const url = URL.createObjectURL(blob);
  urls.add(url);
  return url;
}

export function revoke(url: string): void {
  URL.revokeObjectURL(url);
  urls.delete(url);
}

/** Aborts every transfer, drops every file and revokes every URL (lock, sign-out). */
export function wipeAttachments(): void {
  for (const c of controllers) c.abort();
  controllers.clear();
  for (const url of urls) URL.revokeObjectURL(url);
  urls.clear();
  for (const list of lists) list.clear();
}

/** Bytes in words: "850 kB", "2,4 MB". */
export function formatBytes(bytes: number, locale: string): string {
  const [unit, value] =
    bytes >= 1_000_000
      ? ["megabyte", bytes / 1_000_000]
      : bytes >= 1000
        ? ["kilobyte", bytes / 1000]
        : ["byte", bytes];
  return new Intl.NumberFormat(locale, { style: "unit", unit, maximumFractionDigits: 1 }).format(value);
}

export function percent(p: { done: number; total: number }): number {
  return p.total <= 0 ? 100 : Math.min(100, Math.floor((p.done / p.total) * 100));
}
