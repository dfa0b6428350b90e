import type { BoxKeyPair, EpochKey, GrantBytes } from "../core/brand.js";
import { CryptoError } from "../core/errors.js";
import type { Sodium } from "../core/sodium.js";
import type { Grant } from "../core/types.js";
import { parseGrant } from "../threads/grant.js";
import { openGrantBox, requireRecipient } from "../threads/grant-open.js";
import type { SurveyContext } from "./survey-record.js";

/**
 * The main key K_e a grant seals, for counting survey answers (issue 13): the grant must name the
 * expected helpline, thread and epoch and the caller as recipient; its signature and the epoch record's
 * key commitment are not checked. For counting neither adds anything: the answers open only under the
 * key they were sealed with, for the helpline, thread and epoch in their AD, and a help-seeker is
 * anonymous, so whoever could forge a grant (or the epoch record it names) could as well open a
 * conversation of their own with made-up answers (docs/THREAT-MODEL.md, the count's limits). Reading
 * messages keeps using `openGrant`.
 *
 * @example
 * const key = openGrantKeyForCounting(sodium, grantBytes, { helplineId, threadId, epoch: 0 }, me.box);
 */
export function openGrantKeyForCounting(
  sodium: Sodium,
  bytes: GrantBytes,
  expected: SurveyContext,
  myBox: BoxKeyPair,
): EpochKey {
  const grant = grantForCounting(sodium, bytes, expected, myBox);
  return keyOfOpenedGrant(sodium, openGrantBox(sodium, grant, myBox));
}

/** The grant's checks before its box is opened: `WRONG_CONTEXT`, then `NOT_A_READER`. */
export function grantForCounting(
  sodium: Sodium,
  bytes: GrantBytes,
  expected: SurveyContext,
  myBox: BoxKeyPair,
): Grant {
  const grant = parseGrant(sodium, bytes);
  if (
    grant.helplineId !== expected.helplineId ||
    grant.threadId !== expected.threadId ||
    grant.epoch !== expected.epoch
  ) {
    throw new CryptoError("WRONG_CONTEXT", "grant names another conversation or epoch");
  }
  requireRecipient(grant, myBox);
  return grant;
}

/** K_e from the grant's opened box, which is wiped (a staff grant's S_e after it is not used). */
export function keyOfOpenedGrant(sodium: Sodium, opened: Uint8Array): EpochKey {
  const key = opened.slice(0, 32) as EpochKey;
  sodium.memzero(opened);
  return key;
}
