/** The look of this app's buttons and notes in the shared attachment screens (@briefgeheim/ui). */
import type { AttachmentLook } from "@briefgeheim/ui";

export const LOOK: AttachmentLook = { button: "link-button", warning: "hint attach-warning" };
