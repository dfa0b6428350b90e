import sodiumModule from "libsodium-wrappers-sumo";
import { CryptoError } from "./errors.js";

/** The libsodium API as loaded from the sumo build. Every function in this package takes it as a parameter. */
export type Sodium = typeof sodiumModule;

let loaded: Promise<Sodium> | undefined;

/**
 * Load libsodium once and run the start-up self-check.
 *
 * @example
 * const sodium = await loadSodium();
 * const code = generateCode(sodium, { helplineTag: 7 });
 */
export function loadSodium(): Promise<Sodium> {
  loaded ??= sodiumModule.ready.then(
    () => {
      selfCheck(sodiumModule);
      return sodiumModule;
    },
    (cause: unknown) => {
      loaded = undefined;
      throw new CryptoError("SODIUM_UNAVAILABLE", "libsodium failed to load (is wasm blocked by the CSP?)", {
        cause,
      });
    },
  );
  return loaded;
}

/**
 * Argon2id must exist and produce a non-zero output. The standard (non-sumo) build declares
 * `crypto_pwhash` in its types but lacks it, and a broken build could return zeros: both would
 * silently make every derived key weak, so we refuse to run instead.
 */
export function selfCheck(sodium: Sodium): void {
  if (typeof sodium.crypto_pwhash !== "function" || sodium.crypto_pwhash_ALG_ARGON2ID13 === undefined) {
    throw new CryptoError(
      "SELF_CHECK_FAILED",
      "Argon2id (crypto_pwhash) is missing from the loaded libsodium",
    );
  }
  const out = sodium.crypto_pwhash(
    32,
    "briefgeheim self-check",
    new Uint8Array(sodium.crypto_pwhash_SALTBYTES),
    1,
    8192,
    sodium.crypto_pwhash_ALG_ARGON2ID13,
  );
  if (out.length !== 32 || out.every((b) => b === 0)) {
    throw new CryptoError("SELF_CHECK_FAILED", "Argon2id returned an all-zero output");
  }
}
