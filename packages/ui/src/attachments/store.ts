/**
 * Files about to be sent, in memory only, and every transfer and `blob:` URL of the attachment
 * screens (issue 12), shared by both apps. Each app makes its own lists (`createFileList`) and binds
 * the metadata type of its SDK; `wipeAttachments()` (quick exit, lock, sign-out) aborts every upload
 * and download, empties every list and revokes every URL. Each app bundles its own copy of this
 * module, so the two apps never share state.
 */
import { createSignal } from "solid-js";

export type TransferPhase = "preparing" | "encrypting" | "uploading" | "downloading" | "decrypting";

/** The SDK's progress of one transfer (packages/client AttachmentProgress). */
export interface TransferProgress {
  readonly phase: TransferPhase;
  readonly done: number;
  readonly total: number;
}

/** What the screens read of a file's signed metadata (packages/crypto AttachmentMeta). */
export interface FileMeta {
  readonly name: string;
  readonly size: number;
  readonly mediaType: string;
}

/**
 * A picked file. `M` is the SDK's metadata type; `D` is `Blob` where the file is always in memory,
 * `Blob | undefined` where an interrupted upload comes back from a draft without its bytes.
 */
export type Picked<M = FileMeta, D extends Blob | undefined = Blob | undefined> = {
  readonly id: number;
  readonly name: string;
  readonly mediaType: string;
  /** True for an image whose hidden data was removed. */
  readonly cleaned: boolean;
  /** Set once the SDK has prepared the upload (hash, key): sending again resumes it. */
  readonly meta?: M;
  readonly uploaded: boolean;
  readonly progress?: TransferProgress;
} & (undefined extends D
  ? {
      /** What is sent; absent after a reload until the file is picked again. */
      readonly data?: Blob;
    }
  : {
      /** What is sent: the cleaned image, or the file as picked. */
      readonly data: Blob;
    });

export interface FileList<M = FileMeta, D extends Blob | undefined = Blob | undefined> {
  readonly items: () => readonly Picked<M, D>[];
  add(item: Omit<Picked<M, D>, "id" | "uploaded">): void;
  remove(id: number): Picked<M, D> | undefined;
  patch(id: number, change: Partial<Omit<Picked<M, D>, "id">>): void;
  clear(): void;
}

/**
 * The defaults of the server's limits (packages/protocol LIMITS.attachments) until the helpline's
 * own are known; the server checks them either way.
 */
export const DEFAULT_LIMITS = { maxFileBytes: 10_000_000, maxFilesPerMessage: 3 } as const;
export const [fileLimits, setFileLimits] = createSignal<{ maxFileBytes: number; maxFilesPerMessage: number }>(
  DEFAULT_LIMITS,
);

let nextId = 1;
const lists = new Set<{ clear(): void }>();
const controllers = new Set<AbortController>();
const urls = new Set<string>();

/** A new list, emptied by `wipeAttachments` until `dropList` forgets it. */
export function createFileList<M = FileMeta, D extends Blob | undefined = Blob | undefined>(): FileList<
  M,
  D
> {
  const [items, setItems] = createSignal<readonly Picked<M, D>[]>([]);
  const list: FileList<M, D> = {
    items,
    add(item) {
      // The spread keeps `data` as given; TypeScript cannot see that through the conditional type.
      setItems((l) => [...l, { ...item, id: nextId++, uploaded: false } as Picked<M, D>]);
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

/** Forget a list when its screen goes (its files are dropped with it). */
export function dropList(list: { clear(): void }): void {
  list.clear();
  lists.delete(list);
}

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
  for (const list of lists) list.clear();
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

export function percent(p: { done: number; total: number }): number {
  return p.total <= 0 ? 100 : Math.min(100, Math.floor((p.done / p.total) * 100));
}

/** Codes of a file that does not verify: said as "changed or damaged", its bytes never opened. */
export const TAMPERED: ReadonlySet<string> = new Set([
  "ATTACHMENT_TRUNCATED",
  "ATTACHMENT_REORDERED",
  "ATTACHMENT_INVALID",
  "ATTACHMENT_MISMATCH",
  "UNSUPPORTED_VERSION",
]);
