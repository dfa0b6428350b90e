/**
 * The index.html rewrite of scripts/vite-sri.ts: every tag that loads a script or a style gets the
 * integrity of the exact file, modulepreload links come before the first script, the meta tag lists
 * every file, and a tag that would load something the build does not know stops the build.
 */
import { describe, expect, it } from "vitest";
import { addIntegrityToHtml, integrityOf, SRI_META_NAME } from "../../scripts/vite-sri.js";

const FILES = {
  "assets/index-a.js": integrityOf("entry"),
  "assets/shared-b.js": integrityOf("shared"),
  "assets/index-c.css": integrityOf("style"),
  "assets/sdk-d.js": integrityOf("sdk"),
};
const HTML = `<!doctype html>
<html>
  <head>
    <title>t</title>
    <script type="module" crossorigin src="/staff/assets/index-a.js"></script>
    <link rel="modulepreload" crossorigin href="/staff/assets/shared-b.js">
    <link rel="stylesheet" crossorigin href="/staff/assets/index-c.css">
  </head>
  <body></body>
</html>`;

describe("SRI in index.html", () => {
  it("puts the integrity of each file on its tag and preloads before the first script", () => {
    const out = addIntegrityToHtml(HTML, "/staff/", FILES);
    expect(out).toContain(
      `<script type="module" crossorigin src="/staff/assets/index-a.js" integrity="${FILES["assets/index-a.js"]}"></script>`,
    );
    expect(out).toContain(
      `<link rel="stylesheet" crossorigin href="/staff/assets/index-c.css" integrity="${FILES["assets/index-c.css"]}">`,
    );
    const preload = out.indexOf(
      `href="/staff/assets/shared-b.js" integrity="${FILES["assets/shared-b.js"]}"`,
    );
    expect(preload).toBeGreaterThan(0);
    expect(preload).toBeLessThan(out.indexOf("<script"));
    const meta = /<meta name="([^"]+)" content="([^"]+)">/.exec(out);
    expect(meta?.[1]).toBe(SRI_META_NAME);
    expect(JSON.parse((meta?.[2] ?? "").replaceAll("&quot;", '"'))).toEqual(FILES);
    expect(out.match(/integrity="/g)).toHaveLength(3);
  });

  it("adds crossorigin where it is missing, so the check runs in CORS mode", () => {
    const out = addIntegrityToHtml(
      '<head><script type="module" src="/assets/index-a.js"></script></head>',
      "/",
      FILES,
    );
    expect(out).toContain(`src="/assets/index-a.js" integrity="${FILES["assets/index-a.js"]}" crossorigin>`);
  });

  it("refuses a tag for a file that is not part of the build, or outside the base", () => {
    expect(() =>
      addIntegrityToHtml('<head><script type="module" src="/assets/other.js"></script></head>', "/", FILES),
    ).toThrow(/not a file of this build/);
    expect(() =>
      addIntegrityToHtml(
        '<head><script type="module" src="https://cdn.example/x.js"></script></head>',
        "/",
        FILES,
      ),
    ).toThrow(/not under/);
    expect(() =>
      addIntegrityToHtml(
        '<head><script type="module" src="/assets/index-a.js"></script><link rel="preload" as="script" href="/assets/sdk-d.js"></head>',
        "/",
        FILES,
      ),
    ).toThrow(/no integrity on <link rel="preload"/);
  });

  it("computes the integrity the browser computes: sha384 of the bytes, base64", () => {
    // printf 'abc' | openssl dgst -sha384 -binary | base64
    expect(integrityOf("abc")).toBe(
      "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn",
    );
  });
});
