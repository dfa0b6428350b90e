/**
 * Files a counsellor is about to send with a reply, in memory only (one list per open thread screen).
 * The lists, transfers and `blob:` URLs are @briefgeheim/ui's (shared with the help-seeker app); here
 * the SDK's metadata type is bound. A file's bytes may be missing: the metadata of an upload under way
 * is kept in the reply's encrypted draft, so that after a reload the same file, picked again, resumes
 * where it stopped. `wipeAttachments()` (lock, sign-out) aborts every transfer, empties every list and
 * revokes every URL.
 */
import type { AttachmentMeta } from "@briefgeheim/client";
import {
  createFileList as createList,
  type FileList as Files,
  type Picked as OnePicked,
} from "@briefgeheim/ui/attachments/store";

export { abortable, dropList, setFileLimits, wipeAttachments } from "@briefgeheim/ui/attachments/store";

export type Picked = OnePicked<AttachmentMeta>;
export type FileList = Files<AttachmentMeta>;

export function createFileList(): FileList {
  return createList<AttachmentMeta>();
}
