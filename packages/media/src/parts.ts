/**
 * A cleaned image as a list of parts: byte ranges of the original file (kept as they were) and a few
 * new bytes (a rewritten header). The browser builds the cleaned file as a Blob of `File.slice()`s,
 * so the pixel data is never copied into memory a second time.
 */
export type Part = { readonly from: number; readonly to: number } | Uint8Array;

/** What kind of hidden data was dropped (for tests and the notice). */
export type RemovedKind = "exif" | "xmp" | "iptc" | "icc" | "comment" | "thumbnail" | "trailer" | "other";

export interface CleanPlan {
  readonly mediaType: "image/jpeg" | "image/png" | "image/webp";
  readonly parts: readonly Part[];
  /** Every kind of data left out, once each, in the order found. Empty: the image had none. */
  readonly removed: readonly RemovedKind[];
  /** The EXIF orientation kept (1..8; 1 when none), written back as the only tag. */
  readonly orientation: number;
}

/** Collects parts, merging adjacent ranges, and the kinds removed. */
export class PlanBuilder {
  readonly parts: Part[] = [];
  readonly removed: RemovedKind[] = [];

  keep(from: number, to: number): void {
    if (to <= from) return;
    const last = this.parts.at(-1);
    if (last !== undefined && !(last instanceof Uint8Array) && last.to === from) {
      this.parts[this.parts.length - 1] = { from: last.from, to };
    } else this.parts.push({ from, to });
  }

  add(bytes: Uint8Array): void {
    this.parts.push(bytes);
  }

  drop(kind: RemovedKind): void {
    if (!this.removed.includes(kind)) this.removed.push(kind);
  }
}

/** The cleaned bytes in one array (Node, tests; the browser uses Blob slices instead). */
export function assemble(source: Uint8Array, parts: readonly Part[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p instanceof Uint8Array ? p.length : p.to - p.from;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    const bytes = p instanceof Uint8Array ? p : source.subarray(p.from, p.to);
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}
