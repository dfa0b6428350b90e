import { CryptoError } from "../core/errors.js";

/**
 * C0 and C1 controls and the bidirectional formatting characters (ALM, LRM, RLM, the embeddings and
 * overrides U+202A-U+202E, the isolates U+2066-U+2069). The same rule as packages/protocol's
 * CONTROL_OR_BIDI, restated here because the crypto package imports nothing of protocol.
 */
const CONTROL_OR_BIDI = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/**
 * Refuses an attachment name that could show one thing and save as another (`factuur\u202Efdp.exe`
 * shows as "factuurexe.pdf") or that carries control characters: `ATTACHMENT_NAME_INVALID`. The apps
 * use the name as the download's file name, so a signed payload never carries such a name.
 *
 * @example
 * checkAttachmentName("verslag.pdf"); // returns
 * checkAttachmentName("factuur\u202Efdp.exe"); // throws ATTACHMENT_NAME_INVALID
 */
export function checkAttachmentName(name: string): void {
  if (CONTROL_OR_BIDI.test(name)) {
    throw new CryptoError(
      "ATTACHMENT_NAME_INVALID",
      "attachment name contains control or bidirectional formatting characters",
    );
  }
}
