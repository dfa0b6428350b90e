/**
 * Golden vectors: fixed inputs and fixed randomness in, expected keys and structure bytes out,
 * committed as `packages/crypto/vectors/golden.json` (written by `npm run vectors`). The same check
 * runs in Node (vitest) and in a browser, so nothing here touches the file system: the parsed JSON is
 * passed in.
 */

import type { Sodium } from "../src/core/sodium.js";
import { attachmentChecks, buildAttachmentVectors } from "./golden-vectors-attachment.js";
import { buildKeyVectors } from "./golden-vectors-build-keys.js";
import { buildMessageVectors } from "./golden-vectors-build-messages.js";
import { buildThreadVectors } from "./golden-vectors-build-thread.js";
import { goldenContext } from "./golden-vectors-context.js";
import { GOLDEN_FORMAT, GOLDEN_RANDOMNESS } from "./golden-vectors-inputs.js";
import { buildProfileVectors, profileChecks } from "./golden-vectors-profile.js";
import { firstDifference, VectorFile } from "./golden-vectors-read.js";
import { buildSavedRepliesVectors, savedRepliesChecks } from "./golden-vectors-saved-replies.js";
import { keyChecks } from "./golden-vectors-verify-keys.js";
import { threadChecks } from "./golden-vectors-verify-thread.js";

/** The outcome of one check; `detail` says what differs or which error was thrown. */
export interface GoldenCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail?: string;
}

/**
 * Build every vector from the fixed inputs (pure and deterministic: the same object on every run
 * and platform). Two Argon2id runs: the help-seeker code (64 MiB, ops 3) and the passphrase wrap
 * (at the floor).
 *
 * @example
 * const vectors = buildGoldenVectors(await loadSodium());
 * console.log(JSON.stringify(vectors, null, 2)); // what scripts/make-vectors.ts writes
 */
export function buildGoldenVectors(sodium: Sodium) {
  const keys = buildKeyVectors(sodium);
  const thread = buildThreadVectors(sodium, keys.state);
  return {
    format: GOLDEN_FORMAT,
    description:
      "Golden vectors of docs/PROTOCOL.md v1. Byte strings are lower-case hex, ids unpadded base64url, " +
      "times milliseconds since the epoch. Rebuild with `npm run vectors`; checked by checkGoldenVectors.",
    randomness: GOLDEN_RANDOMNESS,
    ...keys.vectors,
    ...thread.vectors,
    ...buildMessageVectors(sodium, keys.state, thread.state),
    ...buildProfileVectors(sodium, keys.state.accountKey),
    ...buildAttachmentVectors(sodium),
    ...buildSavedRepliesVectors(sodium),
  };
}

export type GoldenVectors = ReturnType<typeof buildGoldenVectors>;

/**
 * Check a golden vector file (parsed JSON, of any shape) in two independent ways, and report every
 * check rather than stopping at the first failure; never throws for a bad file.
 *
 * 1. `<entry>: rebuild`: every entry is rebuilt from the fixed inputs with the same seeded randomness
 *    and must equal the file's entry exactly (inputs and outputs).
 * 2. `<entry>: verify`: the file's bytes are parsed, verified and opened with the package's public
 *    functions, starting from the file's secrets: keys derived from the code, the rosters verified
 *    under the committed root, grants opened with each reader's box key, the history walked back, the
 *    envelopes read through `verifyThread`, the draft and the sign-in signatures checked.
 *
 * Argon2id outputs are cached for the duration of one call, so the check costs two Argon2id runs.
 *
 * @example
 * import vectors from "@briefgeheim/crypto/vectors" with { type: "json" };
 * const failed = checkGoldenVectors(sodium, vectors).filter((c) => !c.ok);
 */
export function checkGoldenVectors(sodium: Sodium, vectors: unknown): GoldenCheck[] {
  const cached = withArgon2Cache(sodium);
  const checks: GoldenCheck[] = [];
  const run = (name: string, f: () => string | undefined) => {
    try {
      const problem = f();
      checks.push(problem === undefined ? { name, ok: true } : { name, ok: false, detail: problem });
    } catch (e) {
      checks.push({ name, ok: false, detail: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    }
  };

  let rebuilt: Record<string, unknown> = {};
  run("rebuild", () => {
    rebuilt = buildGoldenVectors(cached);
    return undefined;
  });
  const file = typeof vectors === "object" && vectors !== null ? (vectors as Record<string, unknown>) : {};
  run("file: entries", () => {
    if (typeof vectors !== "object" || vectors === null || Array.isArray(vectors)) return "not a JSON object";
    const extra = Object.keys(file).filter((k) => !Object.hasOwn(rebuilt, k));
    return extra.length === 0 ? undefined : `unknown entries: ${extra.join(", ")}`;
  });
  for (const [name, value] of Object.entries(rebuilt)) {
    run(`${name}: rebuild`, () =>
      Object.hasOwn(file, name) ? firstDifference(value, file[name], name) : "missing from the file",
    );
  }

  const reader = new VectorFile(cached, vectors);
  const ctx = goldenContext(cached, reader);
  for (const check of [
    ...keyChecks(cached, reader, ctx),
    ...threadChecks(cached, reader, ctx),
    ...profileChecks(cached, reader, ctx),
    ...attachmentChecks(cached, reader),
    ...savedRepliesChecks(cached, reader),
  ]) {
    run(check.name, () => {
      check.run();
      return undefined;
    });
  }
  return checks;
}

/**
 * The same libsodium with `crypto_pwhash` remembering its outputs: the rebuild and the independent
 * checks derive the same Argon2id outputs, and computing each once keeps the check fast (a browser
 * needs seconds per 64 MiB run). Deterministic, so caching cannot change a result.
 */
function withArgon2Cache(sodium: Sodium): Sodium {
  const cache = new Map<string, Uint8Array>();
  const hexOf = (v: unknown) =>
    v instanceof Uint8Array ? sodium.to_hex(v) : sodium.to_hex(new TextEncoder().encode(String(v)));
  const direct = sodium.crypto_pwhash as (...a: unknown[]) => Uint8Array;
  const pwhash = (...args: unknown[]): Uint8Array => {
    // Only the plain form (6 arguments, bytes out) is cached; this package uses no other.
    if (args.length !== 6) return direct(...args);
    const [length, password, salt, ops, mem, alg] = args;
    const key = [length, hexOf(password), hexOf(salt), ops, mem, alg].join("/");
    let out = cache.get(key);
    if (out === undefined) {
      out = direct(...args);
      cache.set(key, out.slice());
    }
    // A copy: callers wipe what they get.
    return out.slice();
  };
  return Object.create(sodium, { crypto_pwhash: { value: pwhash } }) as Sodium;
}
