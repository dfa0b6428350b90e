/**
 * PNG: keep the chunks that draw the picture and drop the rest. Hidden data lives in text chunks
 * (tEXt, zTXt, iTXt: comments, XMP with GPS, "Raw profile" EXIF), eXIf, tIME, iCCP (a profile with
 * its own name and description), unknown private chunks, and bytes after IEND. Kept: IHDR, PLTE,
 * IDAT, IEND and the ancillary chunks that change how it looks (tRNS, gAMA, cHRM, sRGB, cICP, sBIT,
 * bKGD, pHYs) and animation (acTL, fcTL, fdAT). The EXIF orientation goes back in a minimal eXIf.
 */
import { crc32 } from "./crc32.js";
import { malformed } from "./errors.js";
import {
  ascii,
  onlyOrientation,
  orientationTiff,
  readOrientation,
  withoutExifPrefix,
} from "./orientation.js";
import { type CleanPlan, PlanBuilder, type RemovedKind } from "./parts.js";

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const KEPT = new Set([
  "IHDR",
  "PLTE",
  "IDAT",
  "IEND",
  "tRNS",
  "gAMA",
  "cHRM",
  "sRGB",
  "cICP",
  "sBIT",
  "bKGD",
  "pHYs",
  "acTL",
  "fcTL",
  "fdAT",
]);
const DROPPED_AS: Readonly<Record<string, RemovedKind>> = {
  tEXt: "comment",
  zTXt: "comment",
  iTXt: "xmp",
  eXIf: "exif",
  iCCP: "icc",
};

export function planPng(bytes: Uint8Array): CleanPlan {
  for (let i = 0; i < SIGNATURE.length; i++) {
    if (bytes[i] !== SIGNATURE[i]) throw malformed("not a PNG (no signature)");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const plan = new PlanBuilder();
  plan.keep(0, SIGNATURE.length);
  let orientation = 1;
  let exifWritten = false;
  let sawData = false;
  let first = true;
  let at = SIGNATURE.length;
  for (;;) {
    if (at + 12 > bytes.length) throw malformed("PNG ends before IEND");
    const length = view.getUint32(at);
    const end = at + 12 + length;
    if (length > 0x7fffffff || end > bytes.length) throw malformed("PNG chunk runs past the end");
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (!/^[A-Za-z]{4}$/.test(type)) throw malformed("PNG chunk with a bad type");
    if (first && type !== "IHDR") throw malformed("PNG does not start with IHDR");
    first = false;
    const exif = type === "eXIf" ? withoutExifPrefix(bytes.subarray(at + 8, at + 8 + length)) : undefined;
    if (exif !== undefined) orientation = readOrientation(exif);
    if (KEPT.has(type)) {
      if ((type === "IDAT" || type === "acTL") && !exifWritten && orientation !== 1) {
        plan.add(exifChunk(orientation)); // eXIf must come before the image data
        exifWritten = true;
      }
      if (type === "IDAT") sawData = true;
      plan.keep(at, end);
    } else if (exif === undefined || !onlyOrientation(exif)) {
      plan.drop(DROPPED_AS[type] ?? "other");
    }
    at = end;
    if (type === "IEND") break;
  }
  if (!sawData) throw malformed("PNG without image data");
  if (at < bytes.length) plan.drop("trailer");
  return { mediaType: "image/png", parts: plan.parts, removed: plan.removed, orientation };
}

function exifChunk(orientation: number): Uint8Array {
  const data = orientationTiff(orientation);
  const type = ascii("eXIf");
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(type, 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(type, data));
  return out;
}
