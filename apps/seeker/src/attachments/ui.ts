/**
 * What the shared attachment screens (@briefgeheim/ui) take from this app: its words (the phases are
 * separate keys here) and the look of its buttons and notes.
 */
import type { AttachmentLook, AttachmentTexts } from "@briefgeheim/ui";
import { t } from "../i18n/index.js";

export function attachmentTexts(): AttachmentTexts {
  const m = t();
  return {
    ...m,
    attachPhases: {
      preparing: m.attachPhasePreparing,
      encrypting: m.attachPhaseEncrypting,
      uploading: m.attachPhaseUploading,
      downloading: m.attachPhaseDownloading,
      decrypting: m.attachPhaseDecrypting,
    },
  };
}

export const LOOK: AttachmentLook = {
  button: "secondary attach-button",
  addButton: "secondary",
  legend: "attach-title",
  warning: "note caution attach-warning",
};
