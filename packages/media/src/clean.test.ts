/**
 * The cleaner on real files: `fixtures/gps.{jpg,png,webp}` are pictures encoded by Chromium and
 * tagged by ExifTool 12.57 with GPS, camera make, model and serial numbers, an artist, XMP (creator,
 * city, GPS), IPTC (city, by-line), a comment, an EXIF thumbnail and Orientation 6 (fixtures/README.md).
 * exifr, an independent EXIF/XMP/IPTC reader, checks what is left.
 */
import { readFileSync } from "node:fs";
import exifr from "exifr";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc32 } from "./crc32.js";
import { assemble, MediaError, planClean, sniffImage } from "./index.js";

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");
const clean = (bytes: Uint8Array) => assemble(bytes, planClean(bytes).parts);

/** Every marker string ExifTool wrote into the fixtures (see fixtures/README.md). */
const MARKERS = ["MARKER", "SN-MARKER-4711", "LENS-MARKER-0815", "MarkerCam", "Jan Jansen", "2026:11:30"];
/** Every segment exifr reads (IFD0 always), but the kept JFIF header and PNG IHDR (size and version only). */
const ALL_SEGMENTS = {
  tiff: true,
  exif: true,
  gps: true,
  interop: true,
  ifd1: true,
  xmp: true,
  iptc: true,
  icc: true,
  jfif: false,
  ihdr: false,
  makerNote: true,
  userComment: true,
} as const;

/**
 * What exifr can read: the file itself (JPEG, PNG), or for WebP (which exifr does not parse) the
 * TIFF structure inside its EXIF chunk plus the XMP chunk's text, checked as text above.
 */
function readable(type: string, bytes: Uint8Array): Uint8Array | undefined {
  if (type !== "webp") return bytes;
  const s = text(bytes);
  const at = s.indexOf("EXIF");
  if (at < 0) return undefined;
  const size = new DataView(bytes.buffer, bytes.byteOffset).getUint32(at + 4, true);
  const data = bytes.subarray(at + 8, at + 8 + size);
  return text(data).startsWith("Exif\0\0") ? data.subarray(6) : data;
}

function picture(type: string, bytes: Uint8Array): Uint8Array {
  const s = text(bytes);
  if (type === "jpg") return bytes.subarray(s.lastIndexOf("\xff\xda"), s.lastIndexOf("\xff\xd9") + 2);
  if (type === "png") return bytes.subarray(s.indexOf("IDAT") - 4, s.indexOf("IEND") - 4);
  return bytes.subarray(
    s.indexOf("VP8 "),
    s.indexOf("VP8 ") +
      8 +
      new DataView(bytes.buffer, bytes.byteOffset).getUint32(s.indexOf("VP8 ") + 4, true),
  );
}

describe.each(["jpg", "png", "webp"])("a %s with GPS, serials, XMP and IPTC", (type) => {
  const original = fixture(`gps.${type}`);
  const cleaned = clean(original);

  it("carried all of it before (the fixture is what it claims)", async () => {
    for (const m of MARKERS) expect(text(original)).toContain(m);
    const gps = await exifr.gps(readable(type, original)!);
    expect(gps?.latitude).toBeCloseTo(52.370216, 5);
    expect(gps?.longitude).toBeCloseTo(4.895168, 5);
  });

  it("has none of it after: no GPS, no serial, no name, only the orientation", async () => {
    for (const m of MARKERS) expect(text(cleaned)).not.toContain(m);
    expect(text(cleaned)).not.toContain("http://ns.adobe.com/"); // no XMP packet
    const target = readable(type, cleaned)!;
    expect(await exifr.gps(target)).toBeUndefined();
    const left = await exifr.parse(target, ALL_SEGMENTS);
    expect(left).toEqual({ Orientation: "Rotate 90 CW" });
    expect(await exifr.orientation(target)).toBe(6);
    const plan = planClean(original);
    expect(plan.orientation).toBe(6);
    expect(plan.removed).toContain("exif");
    expect(plan.removed).toContain("xmp");
  });

  it("keeps the picture's bytes exactly", () => {
    expect(picture(type, cleaned)).toEqual(picture(type, original));
    expect(picture(type, cleaned).length).toBeGreaterThan(100);
  });

  it("is a fixed point: cleaning again changes nothing and finds nothing", () => {
    expect(clean(cleaned)).toEqual(cleaned);
    expect(planClean(cleaned).removed).toEqual([]);
  });

  it("refuses every truncation with IMAGE_MALFORMED, never another error", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: original.length - 1 }), (cut) => {
        try {
          const plan = planClean(original.subarray(0, cut));
          // A cut inside bytes the cleaner drops anyway (a trailing chunk) may still be a whole image.
          return plan.parts.length > 0;
        } catch (e) {
          return e instanceof MediaError && (e.code === "IMAGE_MALFORMED" || e.code === "IMAGE_UNSUPPORTED");
        }
      }),
      { numRuns: 300 },
    );
  });

  it("never throws anything but a MediaError on corrupted bytes", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: original.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        (at, value) => {
          const bytes = original.slice();
          bytes[at] = value;
          try {
            planClean(bytes);
          } catch (e) {
            return e instanceof MediaError;
          }
          return true;
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("details", () => {
  it("drops bytes after the end of the image (motion photos, MPF images)", () => {
    const original = fixture("gps.jpg");
    const extra = new Uint8Array([...original, ...new TextEncoder().encode("MARKER-TRAILER video bytes")]);
    const plan = planClean(extra);
    expect(plan.removed).toContain("trailer");
    expect(text(assemble(extra, plan.parts))).not.toContain("MARKER-TRAILER");
  });

  it("adds no EXIF to a picture that had no orientation", () => {
    const original = fixture("gps.png");
    const s = text(original);
    // Cut the eXIf chunk out: a PNG with text and XMP but no orientation.
    const at = s.indexOf("eXIf") - 4;
    const len = new DataView(original.buffer).getUint32(at);
    const without = new Uint8Array([...original.subarray(0, at), ...original.subarray(at + 12 + len)]);
    const plan = planClean(without);
    expect(plan.orientation).toBe(1);
    expect(text(assemble(without, plan.parts))).not.toContain("eXIf");
  });

  it("writes a PNG chunk with a correct CRC", () => {
    expect(crc32(new TextEncoder().encode("IEND"))).toBe(0xae426082);
    const cleaned = clean(fixture("gps.png"));
    const at = text(cleaned).indexOf("eXIf");
    const len = new DataView(cleaned.buffer).getUint32(at - 4);
    const crc = new DataView(cleaned.buffer).getUint32(at + 4 + len);
    expect(crc).toBe(crc32(cleaned.subarray(at, at + 4 + len)));
  });

  it("keeps the WebP's RIFF size and VP8X flags true to what is left", () => {
    const cleaned = clean(fixture("gps.webp"));
    expect(new DataView(cleaned.buffer).getUint32(4, true)).toBe(cleaned.length - 8);
    const flags = cleaned[20]!;
    expect(flags & 0x20).toBe(0); // no ICC
    expect(flags & 0x04).toBe(0); // no XMP
    expect(flags & 0x08).toBe(0x08); // the orientation's EXIF
  });

  it("refuses image types it cannot clean, and knows the ones it can by their bytes", () => {
    const gif = new TextEncoder().encode("GIF89a\x01\x00\x01\x00");
    expect(() => planClean(gif)).toThrow(expect.objectContaining({ code: "IMAGE_UNSUPPORTED" }));
    expect(sniffImage(fixture("gps.jpg"))).toBe("image/jpeg");
    expect(sniffImage(fixture("gps.png"))).toBe("image/png");
    expect(sniffImage(fixture("gps.webp"))).toBe("image/webp");
    expect(sniffImage(gif)).toBeUndefined();
  });

  it("refuses a JPEG without a scan, and a segment that claims more bytes than there are", () => {
    expect(() => planClean(Uint8Array.of(0xff, 0xd8, 0xff, 0xd9))).toThrow(
      expect.objectContaining({ code: "IMAGE_MALFORMED" }),
    );
    expect(() => planClean(Uint8Array.of(0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff, 0x00))).toThrow(
      expect.objectContaining({ code: "IMAGE_MALFORMED" }),
    );
  });
});
