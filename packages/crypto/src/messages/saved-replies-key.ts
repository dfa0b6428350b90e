import type { AccountKey, SavedRepliesKey } from "../core/brand.js";
import { CryptoError } from "../core/errors.js";
import { KDF_CONTEXT, SAVED_REPLIES } from "../core/labels.js";
import type { Sodium } from "../core/sodium.js";

/**
 * `KDF(accountKey, 7, "bg-acct_")`: the key of the member's own saved replies (PROTOCOL.md §14). A
 * subkey of its own (not the draft key), so the two kinds of ciphertext never share a key.
 *
 * @example
 * const key = deriveSavedRepliesKey(sodium, accountKey);
 */
export function deriveSavedRepliesKey(sodium: Sodium, accountKey: AccountKey): SavedRepliesKey {
  if (accountKey.length !== 32) throw new CryptoError("MALFORMED", "an account key has 32 bytes");
  return sodium.crypto_kdf_derive_from_key(
    32,
    SAVED_REPLIES.kdfId,
    KDF_CONTEXT.account,
    accountKey,
  ) as SavedRepliesKey;
}
