import type { BulkProgress } from "./bulk-run.js";

/**
 * The progress a bulk run shows while it works as a pipeline: batches are signed, uploaded and
 * announced while later threads still load, so their reports would make the bar jump back and forth.
 * Until `loaded()` only loading is reported; after it, every phase, as it comes.
 *
 * @example
 * const progress = loadingFirst(onProgress);
 * progress.report({ phase: "uploading", done: 1, total: 5 }); // held back
 * progress.loaded();
 */
export function loadingFirst(onProgress: ((p: BulkProgress) => void) | undefined): {
  readonly report: (p: BulkProgress) => void;
  readonly loaded: () => void;
} {
  let loadingDone = false;
  return {
    report: (p) => {
      if (p.phase === "loading" || loadingDone) onProgress?.(p);
    },
    loaded: () => {
      loadingDone = true;
    },
  };
}
