/**
 * JPEG: keep only what decodes the picture. A JPEG is a list of marker segments; hidden data lives in
 * APPn segments (APP1 EXIF with GPS, serials and a thumbnail, APP1 XMP, APP2 ICC/FlashPix/MPF,
 * APP13 IPTC, ...), COM comments, and bytes after the end (phone "motion photos", MPF images). Kept:
 * the frame, tables and scans (DQT, DHT, DAC, DRI, SOFn, SOS with its entropy-coded data, DNL, EOI),
 * APP14 "Adobe" (it says how to convert the colours) and a JFIF header rebuilt without its thumbnail;
 * the EXIF orientation is written back as the only tag. Everything else is left out.
 */
import { malformed } from "./errors.js";
import {
  ascii,
  EXIF_PREFIX,
  onlyOrientation,
  orientationTiff,
  readOrientation,
  startsWith,
  withoutExifPrefix,
} from "./orientation.js";
import { type CleanPlan, PlanBuilder } from "./parts.js";

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP1 = 0xe1;
const APP13 = 0xed;
const APP14 = 0xee;
const COM = 0xfe;
const JFIF = ascii("JFIF\0");
const ADOBE = ascii("Adobe");
const XMP = ascii("http://ns.adobe.com/");
const ICC = ascii("ICC_PROFILE\0");

/** Segments that carry the picture itself (kept as they are). */
function isImageMarker(m: number): boolean {
  if (m >= 0xc0 && m <= 0xcf) return true; // SOF0..15, DHT (C4), JPG (C8), DAC (CC)
  return m === 0xdb || m === 0xdd || m === 0xdc; // DQT, DRI, DNL
}

export function planJpeg(bytes: Uint8Array): CleanPlan {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== SOI) throw malformed("not a JPEG (no SOI)");
  const plan = new PlanBuilder();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let orientation = 1;
  let sawFrame = false;
  let sawScan = false;
  let exifWritten = false;
  plan.keep(0, 2);
  let at = 2;
  for (;;) {
    if (at >= bytes.length) throw malformed("JPEG ends before its EOI marker");
    if (bytes[at] !== 0xff) throw malformed(`expected a marker at byte ${at}`);
    while (at < bytes.length && bytes[at] === 0xff) at++; // fill bytes
    if (at >= bytes.length) throw malformed("JPEG ends inside a marker");
    const marker = bytes[at]!;
    at++;
    if (marker === EOI) {
      plan.add(Uint8Array.of(0xff, EOI));
      if (at < bytes.length) plan.drop("trailer");
      break;
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === SOI) {
      throw malformed(`marker ${marker.toString(16)} outside a scan`);
    }
    if (at + 2 > bytes.length) throw malformed("JPEG ends inside a segment length");
    const length = view.getUint16(at);
    const start = at - 2; // the 0xFF before the marker (fill bytes are not kept)
    const end = at + length;
    if (length < 2 || end > bytes.length) throw malformed(`segment ${marker.toString(16)} runs past the end`);
    const body = bytes.subarray(at + 2, end);
    // Write the orientation once, right after the JFIF header (or first, when there is none).
    const writeExif = () => {
      if (exifWritten || orientation === 1) return;
      exifWritten = true;
      plan.add(app1Orientation(orientation));
    };
    if (marker === APP0 && startsWith(body, JFIF)) {
      plan.add(jfifWithoutThumbnail(body));
      if (body.length > 14) plan.drop("thumbnail");
    } else if (marker === APP1 && startsWith(body, EXIF_PREFIX)) {
      const tiff = withoutExifPrefix(body);
      orientation = readOrientation(tiff);
      if (!onlyOrientation(tiff)) plan.drop("exif");
    } else if (marker === APP14 && startsWith(body, ADOBE)) {
      writeExif();
      plan.keep(start, end);
    } else if (marker >= APP0 && marker <= 0xef) {
      plan.drop(
        marker === APP1 && startsWith(body, XMP)
          ? "xmp"
          : marker === APP13
            ? "iptc"
            : startsWith(body, ICC)
              ? "icc"
              : "other",
      );
    } else if (marker === COM) {
      plan.drop("comment");
    } else if (marker === SOS) {
      if (!sawFrame) throw malformed("scan before the frame header");
      writeExif();
      sawScan = true;
      plan.keep(start, end);
      at = scanEnd(bytes, end);
      plan.keep(end, at);
      continue;
    } else if (isImageMarker(marker)) {
      if (marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc && marker >= 0xc0 && marker <= 0xcf) {
        sawFrame = true;
      }
      writeExif();
      plan.keep(start, end);
    } else {
      plan.drop("other"); // JPGn, unknown: not needed to decode
    }
    at = end;
  }
  if (!sawFrame || !sawScan) throw malformed("JPEG without a frame or a scan");
  return { mediaType: "image/jpeg", parts: plan.parts, removed: plan.removed, orientation };
}

/**
 * The end of a scan's entropy-coded data: the next marker that is not a stuffed 0xFF00, a restart
 * marker (RSTn) or fill.
 */
function scanEnd(bytes: Uint8Array, from: number): number {
  for (let i = from; i < bytes.length - 1; i++) {
    if (bytes[i] !== 0xff) continue;
    const next = bytes[i + 1]!;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) continue;
    return i;
  }
  throw malformed("JPEG ends inside a scan");
}

/** APP1 with `Exif\0\0` and a TIFF structure holding only the orientation. */
function app1Orientation(orientation: number): Uint8Array {
  const tiff = orientationTiff(orientation);
  const length = 2 + EXIF_PREFIX.length + tiff.length;
  const out = new Uint8Array(2 + length);
  out.set([0xff, APP1, length >> 8, length & 0xff]);
  out.set(EXIF_PREFIX, 4);
  out.set(tiff, 4 + EXIF_PREFIX.length);
  return out;
}

/** The JFIF header with the same version and density, and no thumbnail (0 x 0). */
function jfifWithoutThumbnail(body: Uint8Array): Uint8Array {
  if (body.length < 14) throw malformed("JFIF header too short");
  const out = new Uint8Array(2 + 2 + 14);
  out.set([0xff, APP0, 0, 16]);
  out.set(body.subarray(0, 12), 4); // "JFIF\0", version, units, x and y density
  out[16] = 0;
  out[17] = 0;
  return out;
}
