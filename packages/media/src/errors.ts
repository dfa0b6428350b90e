/**
 * Why an image could not be cleaned. The apps refuse to attach such a file (its hidden data would
 * travel along), with a sentence per code.
 *
 * | code | meaning |
 * |---|---|
 * | IMAGE_UNSUPPORTED | an image type this package cannot clean (HEIC, GIF, TIFF, SVG, ...) |
 * | IMAGE_MALFORMED | the bytes are not a well-formed JPEG, PNG or WebP (cut short, a bad length, no image data) |
 */
export type MediaErrorCode = "IMAGE_UNSUPPORTED" | "IMAGE_MALFORMED";

export class MediaError extends Error {
  override readonly name = "MediaError";
  constructor(
    readonly code: MediaErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function malformed(message: string): MediaError {
  return new MediaError("IMAGE_MALFORMED", message);
}
