/**
 * `@briefgeheim/media`: removes hidden metadata from images in the browser, before they are
 * encrypted and sent (docs/SEEKER.md, "Attachments"). A hand-written segment filter, not a
 * re-encode: the picture's bytes are kept exactly (no quality loss, nothing a canvas would change),
 * only what is not needed to draw it is left out, and the EXIF orientation is written back alone.
 */
import { MediaError } from "./errors.js";
import { planJpeg } from "./jpeg.js";
import type { CleanPlan } from "./parts.js";
import { planPng } from "./png.js";
import { planWebp } from "./webp.js";

export { MediaError, type MediaErrorCode } from "./errors.js";
export { assemble, type CleanPlan, type Part, type RemovedKind } from "./parts.js";

export type CleanableType = CleanPlan["mediaType"];

/** The image type by its first bytes (never by the name or the browser's guess), if one we clean. */
export function sniffImage(head: Uint8Array): CleanableType | undefined {
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "image/jpeg";
  if (head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47) return "image/png";
  const text = String.fromCharCode(...head.subarray(0, 12));
  if (text.startsWith("RIFF") && text.slice(8, 12) === "WEBP") return "image/webp";
  return undefined;
}

/** True for a file that must be cleaned before it is sent: any image, by type or by its first bytes. */
export function isImage(mediaType: string, head: Uint8Array): boolean {
  return mediaType.toLowerCase().startsWith("image/") || sniffImage(head) !== undefined;
}

/**
 * Plans the cleaned image: which byte ranges of the original to keep and which new bytes to add.
 * Throws `MediaError`: `IMAGE_UNSUPPORTED` for an image type this package cannot clean,
 * `IMAGE_MALFORMED` for broken bytes.
 *
 * @example
 * const plan = planClean(new Uint8Array(await file.arrayBuffer()));
 * const cleaned = new Blob(plan.parts.map((p) => (p instanceof Uint8Array ? p : file.slice(p.from, p.to))));
 */
export function planClean(bytes: Uint8Array): CleanPlan {
  switch (sniffImage(bytes)) {
    case "image/jpeg":
      return planJpeg(bytes);
    case "image/png":
      return planPng(bytes);
    case "image/webp":
      return planWebp(bytes);
    default:
      throw new MediaError("IMAGE_UNSUPPORTED", "only JPEG, PNG and WebP images can be cleaned");
  }
}

export { type PreparedFile, prepareFile } from "./clean-file.js";
