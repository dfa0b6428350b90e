import type { BoxKeyPair, EpochKey, GrantBytes } from "../core/brand.js";
import { sealOpenNative } from "../core/seal-open-native.js";
import type { Sodium } from "../core/sodium.js";
import type { NativeBoxKey } from "../core/x25519-native.js";
import { grantForCounting, keyOfOpenedGrant } from "./grant-key.js";
import type { SurveyContext } from "./survey-record.js";

/**
 * `openGrantKeyForCounting` with the sealed box opened through Web Crypto's X25519 (`native`, from
 * `importNativeBoxKey(myBox)`): the same checks in the same order, the same refusals.
 *
 * @example
 * const key = await openGrantKeyForCountingNative(sodium, grantBytes, { helplineId, threadId, epoch: 0 }, me.box, native);
 */
export async function openGrantKeyForCountingNative(
  sodium: Sodium,
  bytes: GrantBytes,
  expected: SurveyContext,
  myBox: BoxKeyPair,
  native: NativeBoxKey,
): Promise<EpochKey> {
  const grant = grantForCounting(sodium, bytes, expected, myBox);
  return keyOfOpenedGrant(sodium, await sealOpenNative(sodium, grant.sealed, native));
}
