/**
 * WebP: a RIFF container of chunks. The simple formats (a lone VP8 or VP8L chunk) cannot hold
 * metadata; the extended format (VP8X) can: EXIF, XMP and ICCP chunks, and unknown ones. Kept: VP8X
 * (its flags rewritten to match), VP8, VP8L, ALPH, ANIM, ANMF; the EXIF orientation goes back in a
 * minimal EXIF chunk. The RIFF size is rewritten; bytes after the RIFF are dropped.
 */
import { malformed } from "./errors.js";
import {
  ascii,
  onlyOrientation,
  orientationTiff,
  readOrientation,
  withoutExifPrefix,
} from "./orientation.js";
import { type CleanPlan, PlanBuilder, type RemovedKind } from "./parts.js";

const KEPT = new Set(["VP8 ", "VP8L", "ALPH", "ANIM", "ANMF"]);
const DROPPED_AS: Readonly<Record<string, RemovedKind>> = { EXIF: "exif", "XMP ": "xmp", ICCP: "icc" };
const FLAG_ICC = 0x20;
const FLAG_EXIF = 0x08;
const FLAG_XMP = 0x04;

interface Chunk {
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly data: Uint8Array;
}

function chunks(bytes: Uint8Array, riffEnd: number): Chunk[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Chunk[] = [];
  for (let at = 12; at < riffEnd; ) {
    if (at + 8 > riffEnd) throw malformed("WebP chunk header cut short");
    const type = String.fromCharCode(...bytes.subarray(at, at + 4));
    const size = view.getUint32(at + 4, true);
    const end = at + 8 + size + (size & 1);
    if (at + 8 + size > riffEnd) throw malformed("WebP chunk runs past the end");
    out.push({ type, start: at, end: Math.min(end, riffEnd), data: bytes.subarray(at + 8, at + 8 + size) });
    at = end;
  }
  return out;
}

export function planWebp(bytes: Uint8Array): CleanPlan {
  if (bytes.length < 20 || String.fromCharCode(...bytes.subarray(0, 4)) !== "RIFF") {
    throw malformed("not a WebP (no RIFF)");
  }
  if (String.fromCharCode(...bytes.subarray(8, 12)) !== "WEBP") throw malformed("not a WebP");
  const riffEnd = 8 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
  if (riffEnd > bytes.length) throw malformed("WebP shorter than its RIFF size");
  const list = chunks(bytes, riffEnd);
  const plan = new PlanBuilder();
  const exif = list.find((c) => c.type === "EXIF");
  const orientation = exif === undefined ? 1 : readOrientation(withoutExifPrefix(exif.data));
  const body: (Uint8Array | { from: number; to: number })[] = [];
  let sawImage = false;
  for (const c of list) {
    if (c.type === "VP8X") {
      if (c.data.length < 10) throw malformed("VP8X chunk too short");
      const copy = bytes.slice(c.start, c.start + 18);
      copy[8] = copy[8]! & ~(FLAG_ICC | FLAG_XMP | FLAG_EXIF);
      if (orientation !== 1) copy[8] = copy[8]! | FLAG_EXIF;
      body.push(copy);
    } else if (KEPT.has(c.type)) {
      if (c.type === "VP8 " || c.type === "VP8L" || c.type === "ANMF") sawImage = true;
      body.push({ from: c.start, to: c.end });
    } else if (c.type !== "EXIF" || !onlyOrientation(withoutExifPrefix(c.data))) {
      plan.drop(DROPPED_AS[c.type] ?? "other");
    }
  }
  if (!sawImage) throw malformed("WebP without image data");
  // EXIF belongs after the image data (WebP container spec); only possible with VP8X present.
  if (orientation !== 1 && list.some((c) => c.type === "VP8X")) body.push(exifChunk(orientation));
  let size = 4; // "WEBP"
  for (const p of body) size += p instanceof Uint8Array ? p.length : p.to - p.from;
  const header = new Uint8Array(12);
  header.set(ascii("RIFF"));
  new DataView(header.buffer).setUint32(4, size, true);
  header.set(ascii("WEBP"), 8);
  plan.add(header);
  for (const p of body) {
    if (p instanceof Uint8Array) plan.add(p);
    else plan.keep(p.from, p.to);
  }
  if (riffEnd < bytes.length) plan.drop("trailer");
  return { mediaType: "image/webp", parts: plan.parts, removed: plan.removed, orientation };
}

function exifChunk(orientation: number): Uint8Array {
  const data = orientationTiff(orientation); // 26 bytes: even, no padding
  const out = new Uint8Array(8 + data.length);
  out.set(ascii("EXIF"));
  new DataView(out.buffer).setUint32(4, data.length, true);
  out.set(data, 8);
  return out;
}
