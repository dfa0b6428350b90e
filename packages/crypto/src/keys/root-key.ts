/**
 * Helpline root key (PROTOCOL.md §3): an Ed25519 key pair from a 32-byte seed, made in the first
 * supervisor's browser. It founds the helpline (signs roster v1) and afterwards is used only from its
 * printed sheet: for an emergency roster (no supervisor left) and to hand over to a new root
 * (succession). Protocol 2 keeps it nowhere else: no server copy, no supervisor holds it.
 *
 * The root recovery sheet (printed and locked away), the seed in the style of a recovery sheet:
 *
 *      56 Crockford characters, 14 groups of 4 joined by "-":
 *      ┌──────────────────────────────────────────┬─────────────────┐
 *      │ seed: 52 chars = 256 bits + 4 zero bits   │ check: 4 chars  │
 *      └──────────────────────────────────────────┴─────────────────┘
 *      check = first 20 bits of H("briefgeheim/recovery-checksum/v1", ascii(52 seed chars)).
 *    The padding bits must be zero (one seed, one text). Parsing is tolerant like codes and recovery
 *    keys; any error is `INVALID_RECOVERY_KEY`. The length (56 vs 36) keeps it apart from a staff key.
 */
import type { Brand, RootPublicKey, RootSecretKey } from "../core/brand.js";
import { CryptoError } from "../core/errors.js";
import type { RandomSource } from "../core/random.js";
import type { Sodium } from "../core/sodium.js";
import { decodeRecoveryText, encodeRecoveryText } from "./recovery-text.js";

/** The printed form of a root seed (validated, canonical, grouped). */
export type RootRecoveryText = Brand<string, "RootRecoveryText">;

export interface RootKey {
  /** The 32-byte Ed25519 seed: the only thing to keep; the key pair follows from it. */
  readonly seed: Uint8Array;
  readonly keyPair: { readonly publicKey: RootPublicKey; readonly secretKey: RootSecretKey };
}

export const ROOT_SEED_BYTES = 32;

/**
 * A new helpline root key.
 *
 * @example
 * const root = generateRootKey(sodium, systemRandom(sodium));
 * show(rootFingerprint(sodium, root.keyPair.publicKey), rootRecoveryText(sodium, root.seed));
 */
export function generateRootKey(sodium: Sodium, random: RandomSource): RootKey {
  return rootKeyFromSeed(sodium, random(ROOT_SEED_BYTES));
}

/**
 * The root key pair of a seed (`crypto_sign_seed_keypair`).
 *
 * @example
 * const root = rootKeyFromSeed(sodium, parseRootRecoveryText(sodium, typed));
 */
export function rootKeyFromSeed(sodium: Sodium, seed: Uint8Array): RootKey {
  if (seed.length !== ROOT_SEED_BYTES) throw new CryptoError("MALFORMED", "a root seed has 32 bytes");
  const kp = sodium.crypto_sign_seed_keypair(seed);
  return {
    seed: seed.slice(),
    keyPair: { publicKey: kp.publicKey as RootPublicKey, secretKey: kp.privateKey as RootSecretKey },
  };
}

/**
 * The root recovery text of a seed (layout at the top of this file).
 *
 * @example
 * rootRecoveryText(sodium, root.seed); // "XXXX-XXXX-... (14 groups)"
 */
export function rootRecoveryText(sodium: Sodium, seed: Uint8Array): RootRecoveryText {
  if (seed.length !== ROOT_SEED_BYTES) throw new CryptoError("MALFORMED", "a root seed has 32 bytes");
  return encodeRecoveryText(sodium, seed) as RootRecoveryText;
}

/**
 * The seed in a typed root recovery text; `INVALID_RECOVERY_KEY` for a wrong length, characters,
 * padding or checksum. The message never contains the input.
 *
 * @example
 * const seed = parseRootRecoveryText(sodium, typed);
 */
export function parseRootRecoveryText(sodium: Sodium, input: string): Uint8Array {
  return decodeRecoveryText(sodium, input, ROOT_SEED_BYTES, "a root recovery text").secret;
}

/**
 * The root key from a typed root recovery sheet (`INVALID_RECOVERY_KEY` for a typo).
 *
 * @example
 * const root = rootKeyFromSheet(sodium, typedSheet);
 * try { sign(root); } finally { wipeRootKey(root); }
 */
export function rootKeyFromSheet(sodium: Sodium, sheet: string): RootKey {
  const seed = parseRootRecoveryText(sodium, sheet);
  try {
    return rootKeyFromSeed(sodium, seed);
  } finally {
    seed.fill(0);
  }
}

/** Overwrites the root seed and secret key (after signing with a sheet). */
export function wipeRootKey(root: RootKey): void {
  root.seed.fill(0);
  root.keyPair.secretKey.fill(0);
}
