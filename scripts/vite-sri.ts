/**
 * Subresource Integrity for every script and style the apps load, including the chunks they load
 * later with `import()` (the libsodium SDK chunk above all). Used by both apps' Vite configs.
 *
 * Why our own plugin: Vite 8 has no SRI option. vite-plugin-sri3 adds `integrity` only to the tags in
 * index.html. vite-plugin-sri-gen covers dynamic imports with an inline `<script type="importmap">`
 * (blocked by our CSP `script-src 'self'`, which allows no inline script) or else by fetching a chunk,
 * hashing it and importing it again (the second fetch is not the one that was checked), and it patches
 * DOM prototypes. Browsers put no `integrity` on `import()`; they do on `<link rel="modulepreload">`,
 * and a module fetched that way sits in the document's module map, where a later `import()` of the
 * same URL finds it (HTML: "fetch a single module script" looks in the module map first; a failed
 * fetch stays there as a failure). So:
 *
 * 1. index.html: `integrity` (sha384) and `crossorigin` on the module script, every modulepreload
 *    link and every stylesheet; the modulepreload links are moved before the script, so their fetches
 *    (with integrity) are in the module map before the entry asks for its static imports.
 * 2. index.html also carries `<meta name="briefgeheim-sri" content="{file: integrity}">` for every
 *    JS and CSS file of the build. A meta tag is data, not script, so the CSP stays as it is; the
 *    page is the root of trust either way (whoever can change it can change the script tags too).
 * 3. Vite's preload helper (`__vitePreload`, which wraps every dynamic import) is replaced by one that
 *    adds a `<link rel="modulepreload" integrity>` for the imported chunk and each chunk it imports
 *    (CSS: a stylesheet link with integrity), waits until all have loaded, and only then calls
 *    `import()`. A file without an integrity value, or one whose bytes differ, is never imported.
 *    `modulePreload.resolveDependencies` puts the imported chunk itself in the list (Vite leaves it out
 *    when it has no other dependencies, because `import()` fetches it anyway).
 * 4. The build fails when any chunk's dynamic import would bypass the helper's list, when the helper
 *    was not ours, or when a tag in index.html has no integrity: a future Vite that changes these
 *    internals breaks the build instead of silently dropping SRI.
 */
import { createHash } from "node:crypto";
import type { Plugin } from "vite";

export const SRI_META_NAME = "briefgeheim-sri";
const HELPER_ID = "\0vite/preload-helper.js";
const HELPER_MARK = "briefgeheim-sri-helper";

/** `sha384-<base64>`, the value of an `integrity` attribute. */
export function integrityOf(data: string | Uint8Array): string {
  return `sha384-${createHash("sha384").update(data).digest("base64")}`;
}

/**
 * The replacement for Vite's preload helper, as source. Runs in the browser; `deps` are file names
 * relative to `base` (Vite's `__vite__mapDeps`), the imported chunk first.
 */
function helperCode(base: string): string {
  return `
const mark = ${JSON.stringify(HELPER_MARK)};
const base = ${JSON.stringify(base)};
let integrity;
function integrityFor(file) {
  if (integrity === undefined) {
    const meta = document.querySelector('meta[name="${SRI_META_NAME}"]');
    integrity = Object.freeze(JSON.parse(meta === null ? "{}" : meta.getAttribute("content") || "{}"));
  }
  return Object.prototype.hasOwnProperty.call(integrity, file) ? integrity[file] : undefined;
}
const loaded = new Map();
function preloadOne(file) {
  let p = loaded.get(file);
  if (p !== undefined) return p;
  const hash = integrityFor(file);
  if (hash === undefined) return Promise.reject(new Error(mark + ": no integrity value for " + file + ", not loaded"));
  const isCss = file.endsWith(".css");
  const link = document.createElement("link");
  link.rel = isCss ? "stylesheet" : "modulepreload";
  if (!isCss) link.as = "script";
  link.crossOrigin = "";
  link.integrity = hash;
  link.href = base + file;
  p = new Promise((resolve, reject) => {
    link.addEventListener("load", () => resolve(), { once: true });
    link.addEventListener("error", () => {
      loaded.delete(file);
      reject(new Error(mark + ": " + file + " failed to load or failed its integrity check"));
    }, { once: true });
  });
  loaded.set(file, p);
  document.head.appendChild(link);
  return p;
}
// Without modulepreload (Safari before 17, Firefox before 115) nothing could check a chunk before
// import() runs it: such a browser gets an error instead of unchecked code.
const canCheck = (() => {
  const rel = document.createElement("link").relList;
  return !!(rel && rel.supports && rel.supports("modulepreload"));
})();
export const __vitePreload = function preload(baseModule, deps) {
  if (!canCheck) {
    return Promise.reject(new Error(mark + ": this browser cannot check scripts loaded later (no modulepreload)"));
  }
  if (!Array.isArray(deps) || deps.length === 0) {
    return Promise.reject(new Error(mark + ": a dynamic import without integrity values"));
  }
  return Promise.all(deps.map(preloadOne)).then(() => baseModule());
};
`;
}

interface OutputChunkLike {
  type: "chunk";
  fileName: string;
  code: string;
  isEntry: boolean;
  dynamicImports: readonly string[];
}
interface OutputAssetLike {
  type: "asset";
  fileName: string;
  source: string | Uint8Array;
}

/** The file list of a chunk's `__vite__mapDeps` (what its dynamic imports may preload), or []. */
function preloadList(code: string): string[] {
  const m =
    /const __vite__mapDeps=\(i,m=__vite__mapDeps,d=\(m\.f\|\|\(m\.f=(\[[^\]]*\])\)\)\)=>i\.map\(i=>d\[i\]\);/.exec(
      code,
    );
  return m === null ? [] : (JSON.parse(m[1] as string) as string[]);
}

/** Adds ` integrity="…" crossorigin` to one tag (keeps an existing crossorigin). */
function withIntegrity(tag: string, value: string): string {
  const cross = /\scrossorigin(=|\s|>|\/)/.test(tag) ? "" : " crossorigin";
  return tag.replace(/\s*\/?>$/, (end) => ` integrity="${value}"${cross}${end}`);
}

/**
 * Rewrites index.html: integrity on the tags that load scripts and styles, modulepreload links
 * first, and the meta tag with every file's integrity. Throws on a tag it cannot account for.
 */
export function addIntegrityToHtml(
  html: string,
  base: string,
  files: Readonly<Record<string, string>>,
): string {
  const lookup = (url: string): string => {
    if (!url.startsWith(base)) throw new Error(`SRI: ${url} is not under ${base}`);
    const value = files[url.slice(base.length)];
    if (value === undefined) throw new Error(`SRI: ${url} is not a file of this build`);
    return value;
  };
  let out = html.replace(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>/g, (tag, url: string) =>
    withIntegrity(tag, lookup(url)),
  );
  const preloads: string[] = [];
  out = out.replace(/[ \t]*<link\b[^>]*\brel="(stylesheet|modulepreload)"[^>]*>\n?/g, (tag: string) => {
    const url = /\bhref="([^"]+)"/.exec(tag)?.[1];
    if (url === undefined) throw new Error(`SRI: a link without href: ${tag}`);
    const done = withIntegrity(tag.trim(), lookup(url));
    if (/\brel="modulepreload"/.test(tag)) {
      preloads.push(done);
      return "";
    }
    return `    ${done}\n`;
  });
  const meta = `<meta name="${SRI_META_NAME}" content="${JSON.stringify(files).replaceAll('"', "&quot;")}">`;
  const firstScript = out.search(/[ \t]*<script\b/);
  const head = [meta, ...preloads].map((t) => `    ${t}\n`).join("");
  if (firstScript < 0) throw new Error("SRI: index.html has no script");
  out = `${out.slice(0, firstScript)}${head}${out.slice(firstScript)}`;
  for (const tag of out.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const loads = /\bsrc="/.test(tag) || /\brel="(stylesheet|modulepreload|preload)"/.test(tag);
    if (loads && !/\bintegrity="sha384-/.test(tag)) throw new Error(`SRI: no integrity on ${tag}`);
  }
  return out;
}

/**
 * The Vite plugins (put them last). The integrity values are computed in `generateBundle` after
 * every other plugin has changed the code, from the exact bytes written to disk.
 */
export function subresourceIntegrity(): Plugin[] {
  let base = "/";
  return [
    {
      name: "briefgeheim-sri-helper",
      enforce: "pre",
      apply: "build",
      configResolved(config) {
        base = config.base;
      },
      resolveId(id) {
        return id === HELPER_ID ? id : undefined;
      },
      load(id) {
        return id === HELPER_ID ? { code: helperCode(base), moduleSideEffects: false } : undefined;
      },
    },
    {
      name: "briefgeheim-sri",
      enforce: "post",
      apply: "build",
      config() {
        return {
          build: {
            modulePreload: {
              polyfill: false,
              // The imported chunk itself first (Vite drops it when it is the only one), then its imports.
              resolveDependencies: (file: string, deps: string[], ctx: { hostType: "html" | "js" }) =>
                ctx.hostType === "js" ? [file, ...deps.filter((d) => d !== file)] : deps,
            },
          },
        };
      },
      generateBundle: {
        order: "post",
        handler(_options, bundle) {
          const files: Record<string, string> = {};
          let helperFound = false;
          for (const item of Object.values(bundle) as (OutputChunkLike | OutputAssetLike)[]) {
            if (item.type === "chunk") {
              files[item.fileName] = integrityOf(item.code);
              if (item.code.includes(HELPER_MARK)) helperFound = true;
            } else if (/\.(css|js)$/.test(item.fileName)) {
              files[item.fileName] = integrityOf(item.source);
            }
          }
          // Every dynamic import must go through the helper with its target in the preload list.
          for (const item of Object.values(bundle) as (OutputChunkLike | OutputAssetLike)[]) {
            if (item.type !== "chunk" || item.dynamicImports.length === 0) continue;
            const listed = new Set(preloadList(item.code));
            for (const target of item.dynamicImports) {
              if (!listed.has(target)) {
                throw new Error(
                  `SRI: ${item.fileName} imports ${target} dynamically without an integrity check`,
                );
              }
            }
            for (const dep of listed) {
              if (files[dep] === undefined) throw new Error(`SRI: ${item.fileName} preloads unknown ${dep}`);
            }
            if (!helperFound) throw new Error("SRI: Vite's preload helper was not replaced");
          }
          const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)));
          for (const item of Object.values(bundle) as (OutputChunkLike | OutputAssetLike)[]) {
            if (item.type === "asset" && item.fileName.endsWith(".html")) {
              const html =
                typeof item.source === "string" ? item.source : new TextDecoder().decode(item.source);
              item.source = addIntegrityToHtml(html, base, sorted);
            }
          }
        },
      },
    },
  ];
}
