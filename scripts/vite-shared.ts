/**
 * Build-time pieces shared by the two apps' Vite configs (apps/seeker, apps/staff): the operator's
 * pinned helpline roots and precompressed assets. Read when `vite build` runs, never at run time, so
 * the server cannot change what the apps trust.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import type { Plugin } from "vite";

/** A helpline's pin: the root (fingerprint or key), or the root with a minimum roster head. */
export type BuildPin = string | { root: string; roster: { version: number; hash: string }; slug?: string };

/**
 * The operator's pins from BRIEFGEHEIM_PINS_FILE or config/pins.json at the repository root; an absent
 * file means "no pins". Each is `"<helplineId>": "<fingerprint or root key>"` or, with the roster head
 * the build is made with (`npm run admin -- helpline head <slug>` prints it; every client then refuses a
 * roster fork at or below it) and the slug of its `#/h/<slug>` link,
 * `"<helplineId>": { "root": "<...>", "roster": { "version": 4, "hash": "<base64url>" }, "slug": "<slug>" }`.
 */
export function readPins(repoRoot: string): Record<string, BuildPin> {
  const file = process.env.BRIEFGEHEIM_PINS_FILE || join(repoRoot, "config", "pins.json");
  if (!existsSync(file)) return {};
  const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${file}: expected an object { "<helplineId>": "<fingerprint or root key>" }`);
  }
  const pins: Record<string, BuildPin> = {};
  for (const [id, pin] of Object.entries(parsed)) {
    if (id.startsWith("$")) continue; // "$comment" and the like
    const root = typeof pin === "object" && pin !== null ? (pin as Record<string, unknown>).root : pin;
    if (!/^[A-Za-z0-9_-]{22}$/.test(id) || typeof root !== "string" || root.trim() === "") {
      throw new Error(`${file}: "${id}" is not a helpline id with a fingerprint or root key`);
    }
    if (typeof pin === "string") {
      pins[id] = pin;
      continue;
    }
    const roster = (pin as Record<string, unknown>).roster as Record<string, unknown> | undefined;
    const version = roster?.version;
    const hash = roster?.hash;
    if (
      typeof version !== "number" ||
      !Number.isInteger(version) ||
      version < 1 ||
      typeof hash !== "string" ||
      !/^[A-Za-z0-9_-]{43}$/.test(hash)
    ) {
      throw new Error(
        `${file}: "${id}".roster must be { "version": <1 or more>, "hash": "<43 base64url characters>" }`,
      );
    }
    const slug = (pin as Record<string, unknown>).slug;
    if (slug !== undefined && (typeof slug !== "string" || !/^[a-z0-9-]{2,40}$/.test(slug))) {
      throw new Error(`${file}: "${id}".slug must be the helpline's slug (2-40 of a-z 0-9 -)`);
    }
    pins[id] = { root, roster: { version, hash }, ...(slug === undefined ? {} : { slug }) };
  }
  return pins;
}

/** Writes .gz and .br next to every JS, CSS and HTML file, for serveStatic's `precompressed`. */
export function precompress(): Plugin {
  return {
    name: "briefgeheim-precompress",
    apply: "build",
    writeBundle(options) {
      const dir = options.dir;
      if (dir === undefined) return;
      const walk = (d: string): string[] =>
        readdirSync(d).flatMap((f) => {
          const p = join(d, f);
          return statSync(p).isDirectory() ? walk(p) : [p];
        });
      for (const file of walk(dir)) {
        if (!/\.(js|css|html|txt)$/.test(file)) continue;
        const data = readFileSync(file);
        writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
      }
    },
  };
}
