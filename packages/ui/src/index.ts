/**
 * @briefgeheim/ui: what both apps share so a fix lands once (issue 10, "one look"). The CSS is
 * imported by each app's styles.css: `@import "@briefgeheim/ui/styles/tokens.css"` (design tokens)
 * and `@import "@briefgeheim/ui/styles/base.css"` (common rules and the components' classes).
 * Components take their words as props: each app keeps its own i18n.
 */
export { ActionError } from "./ActionError.js";
export { type AttachmentFetcher, AttachmentFiles } from "./attachments/AttachmentFiles.js";
export { AttachmentPicker, type PreparedFile } from "./attachments/AttachmentPicker.js";
export {
  abortable,
  createFileList,
  DEFAULT_LIMITS,
  dropList,
  type FileList,
  type FileMeta,
  fileLimits,
  formatBytes,
  objectUrl,
  type Picked,
  percent,
  revoke,
  setFileLimits,
  TAMPERED,
  type TransferPhase,
  type TransferProgress,
  wipeAttachments,
} from "./attachments/store.js";
export type { AttachmentLook, AttachmentTexts } from "./attachments/texts.js";
export { CharCounter } from "./CharCounter.js";
export { Dialog } from "./Dialog.js";
export { Alert, Status } from "./Live.js";
export { LongText } from "./LongText.js";
export { ProgressBar } from "./ProgressBar.js";
export { charCount, excerpt, overLimit } from "./text.js";
