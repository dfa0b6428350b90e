import { describe, expect, it } from "vitest";
import { loadingFirst } from "./bulk-progress.js";
import type { BulkProgress } from "./bulk-run.js";

describe("loadingFirst", () => {
  it("reports only loading until every thread is loaded, then every phase as it comes", () => {
    const seen: string[] = [];
    const { report, loaded } = loadingFirst((p) => seen.push(`${p.phase} ${p.done}/${p.total}`));
    const p = (phase: BulkProgress["phase"], done: number, total: number) => report({ phase, done, total });
    p("loading", 1, 3);
    p("signing", 1, 1);
    p("uploading", 1, 1);
    p("announcing", 1, 1);
    p("loading", 3, 3);
    loaded();
    p("uploading", 2, 2);
    p("announcing", 2, 2);
    expect(seen).toEqual(["loading 1/3", "loading 3/3", "uploading 2/2", "announcing 2/2"]);
  });

  it("is silent without a callback", () => {
    const { report, loaded } = loadingFirst(undefined);
    loaded();
    expect(() => report({ phase: "uploading", done: 0, total: 0 })).not.toThrow();
  });
});
