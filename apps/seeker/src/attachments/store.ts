/**
 * The help-seeker's files about to be sent, in memory only: one list for the first message and one
 * for a reply. The lists, transfers and `blob:` URLs are @briefgeheim/ui's (shared with the staff
 * app); here the SDK's metadata type is bound and a picked file always has its bytes (nothing is
 * kept across a reload on this side). `wipeAttachments()` (the quick exit, the lock, sign-out) aborts
 * every upload and download, empties both lists and revokes every URL.
 */
import {
  createFileList,
  type FileList as Files,
  type Picked as OnePicked,
} from "@briefgeheim/ui/attachments/store";
import type { AttachmentMeta } from "../sdk/types.js";

export { abortable, setFileLimits, wipeAttachments } from "@briefgeheim/ui/attachments/store";

export type Picked = OnePicked<AttachmentMeta, Blob>;
export type FileList = Files<AttachmentMeta, Blob>;

/** The first message's files and the reply's files. */
export const firstFiles: FileList = createFileList<AttachmentMeta, Blob>();
export const replyFiles: FileList = createFileList<AttachmentMeta, Blob>();
