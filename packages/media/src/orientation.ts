/**
 * The one EXIF tag worth keeping: Orientation (0x0112). Cameras store a photo sideways and say in
 * EXIF how to turn it; browsers honour it. Dropping it would show a portrait photo on its side, so the
 * cleaner writes back a minimal TIFF structure that holds this tag and nothing else.
 */
const ORIENTATION_TAG = 0x0112;
const TYPE_SHORT = 3;

/** The Orientation of a TIFF structure (EXIF without its `Exif\0\0` prefix); 1 when absent or unreadable. */
export function readOrientation(tiff: Uint8Array): number {
  if (tiff.length < 8) return 1;
  const little = tiff[0] === 0x49 && tiff[1] === 0x49;
  const big = tiff[0] === 0x4d && tiff[1] === 0x4d;
  if (!little && !big) return 1;
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  if (view.getUint16(2, little) !== 42) return 1;
  const ifd = view.getUint32(4, little);
  if (ifd < 8 || ifd + 2 > tiff.length) return 1;
  const count = view.getUint16(ifd, little);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return 1;
    if (view.getUint16(entry, little) !== ORIENTATION_TAG) continue;
    if (view.getUint16(entry + 2, little) !== TYPE_SHORT || view.getUint32(entry + 4, little) !== 1) return 1;
    const value = view.getUint16(entry + 8, little);
    return value >= 1 && value <= 8 ? value : 1;
  }
  return 1;
}

/**
 * A big-endian TIFF structure with one IFD holding only Orientation (26 bytes).
 *
 * ```
 * "MM" 00 2A | 00000008 | 0001 | 0112 0003 00000001 <value> 0000 | 00000000
 *  header      IFD0 at 8  1 tag  Orientation SHORT x1              no next IFD
 * ```
 */
export function orientationTiff(orientation: number): Uint8Array {
  const out = new Uint8Array(26);
  const view = new DataView(out.buffer);
  out.set([0x4d, 0x4d, 0x00, 0x2a]);
  view.setUint32(4, 8);
  view.setUint16(8, 1);
  view.setUint16(10, ORIENTATION_TAG);
  view.setUint16(12, TYPE_SHORT);
  view.setUint32(14, 1);
  view.setUint16(18, orientation);
  view.setUint32(22, 0);
  return out;
}

/** True when `tiff` is exactly what `orientationTiff` writes: nothing but the orientation (a re-clean). */
export function onlyOrientation(tiff: Uint8Array): boolean {
  const minimal = orientationTiff(readOrientation(tiff));
  return tiff.length === minimal.length && startsWith(tiff, minimal);
}

/** The `Exif\0\0` prefix of EXIF in JPEG APP1 (and, from some writers, in WebP and PNG). */
export const EXIF_PREFIX = Uint8Array.of(0x45, 0x78, 0x69, 0x66, 0x00, 0x00);

/** `bytes` without a leading `Exif\0\0`. */
export function withoutExifPrefix(bytes: Uint8Array): Uint8Array {
  return startsWith(bytes, EXIF_PREFIX) ? bytes.subarray(EXIF_PREFIX.length) : bytes;
}

export function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

export function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}
