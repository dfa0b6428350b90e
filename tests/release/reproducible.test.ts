/**
 * The comparisons of scripts/check-reproducible.ts (what `npm test` runs after the build), on small
 * folders made here: a changed, a missing and an extra file are each named; a .br/.gz that does not
 * decode to its plain file is named; an absolute path in the output is named.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkCompressedSiblings, compareFolders, findLeaks } from "../../scripts/check-reproducible.js";

let work: string;

function folder(name: string, files: Record<string, string | Buffer>): string {
  const dir = join(work, name);
  for (const [path, data] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), data);
  }
  return dir;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "bg-repro-test-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the reproducibility check", () => {
  it("finds nothing in two identical folders", () => {
    const files = {
      "index.html": "<html>",
      "assets/a-1.js": "a()",
      "assets/a-1.js.br": brotliCompressSync("a()"),
    };
    expect(compareFolders(folder("same1", files), folder("same2", files))).toEqual([]);
  });

  it("names a changed, a missing and an extra file", () => {
    const a = folder("a", { "index.html": "<html>", "assets/x.js": "x()", "assets/gone.js": "g()" });
    const b = folder("b", { "index.html": "<html>", "assets/x.js": "y()", "assets/new.js": "n()" });
    expect(compareFolders(a, b)).toEqual([
      { path: "assets/gone.js", reason: "only in the first build" },
      { path: "assets/x.js", reason: "differs" },
      { path: "assets/new.js", reason: "only in the second build" },
    ]);
  });

  it("leaves out what it is told to skip (the compressed siblings)", () => {
    const a = folder("skip1", { "x.js": "x", "x.js.br": "one" });
    const b = folder("skip2", { "x.js": "x" });
    expect(compareFolders(a, b, (p) => p.endsWith(".br"))).toEqual([]);
    expect(compareFolders(a, b)).toEqual([{ path: "x.js.br", reason: "only in the first build" }]);
  });

  it("names a compressed sibling that does not decode to its plain file", () => {
    const dir = folder("packed", {
      "a.js": "honest()",
      "a.js.br": brotliCompressSync("honest()"),
      "a.js.gz": gzipSync("evil()"),
    });
    expect(checkCompressedSiblings(dir)).toEqual([{ path: "a.js.gz", reason: "does not decode to a.js" }]);
  });

  it("names a file that contains a machine's absolute path", () => {
    const dir = folder("leaky", { "assets/a.js": 'import "/home/someone/briefgeheim/x.ts"', "b.css": "a{}" });
    expect(findLeaks(dir, ["/home/someone/briefgeheim"])).toEqual([
      { path: "assets/a.js", reason: "contains the path /home/someone/briefgeheim" },
    ]);
  });
});
