import { aeadOpen, aeadSeal, NONCE_BYTES } from "../core/aead.js";
import type { HelplineId, ThreadId } from "../core/brand.js";
import { concat, labelBytes, Writer } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";
import { ID_BYTES, idToBytes } from "../core/ids.js";
import { KDF_CONTEXT, LABEL } from "../core/labels.js";
import type { RandomSource } from "../core/random.js";
import type { Sodium } from "../core/sodium.js";

/** A sealed 32-byte key: nonce 24 + key 32 + tag 16. */
export const HISTORY_SEALED_BYTES = NONCE_BYTES + 32 + 16;

/** Where a history ciphertext belongs: it opens only in this helpline, thread and epoch. */
export interface HistoryContext {
  readonly helplineId: HelplineId;
  readonly threadId: ThreadId;
  /** The epoch of the record carrying the history (the newer epoch). */
  readonly epoch: number;
}

/** `AD_h = L("briefgeheim/epoch-history/v1") || helplineId || threadId || u32 epoch`. */
export function historyAd(sodium: Sodium, ctx: HistoryContext): Uint8Array {
  const fields = new Writer()
    .fixed(idToBytes(sodium, ctx.helplineId), ID_BYTES)
    .fixed(idToBytes(sodium, ctx.threadId), ID_BYTES)
    .u32(ctx.epoch)
    .finish();
  return concat(labelBytes(LABEL.epochHistory), fields);
}

/** `AEAD(KDF(newKey, 1, "bg-epoch"), previousKey, AD_h)`: the new epoch's key unlocks the previous one. */
export function sealHistory(
  sodium: Sodium,
  ctx: HistoryContext,
  newKey: Uint8Array,
  previousKey: Uint8Array,
  random: RandomSource,
): Uint8Array {
  if (previousKey.length !== 32) throw new CryptoError("MALFORMED", "history holds a 32-byte key");
  return aeadSeal(sodium, historyKey(sodium, newKey), previousKey, historyAd(sodium, ctx), random);
}

/** Opens a history field with the newer epoch's key; `DECRYPT_FAILED` for any other key or context. */
export function openHistory(
  sodium: Sodium,
  ctx: HistoryContext,
  newKey: Uint8Array,
  sealed: Uint8Array,
): Uint8Array {
  const key = aeadOpen(sodium, historyKey(sodium, newKey), sealed, historyAd(sodium, ctx));
  if (key.length !== 32) throw new CryptoError("MALFORMED", "history does not hold a 32-byte key");
  return key;
}

function historyKey(sodium: Sodium, key: Uint8Array): Uint8Array {
  if (key.length !== 32) throw new CryptoError("MALFORMED", "epoch keys are 32 bytes");
  return sodium.crypto_kdf_derive_from_key(32, 1, KDF_CONTEXT.epoch, key);
}
