import {
  type BoxKeyPair,
  type EpochKey,
  fromBase64,
  type GrantBytes,
  type HelplineId,
  type NativeBoxKey,
  openGrantKeyForCounting,
  openGrantKeyForCountingNative,
  openSurveyRecord,
  type Sodium,
  type SurveyContext,
  type ThreadId,
} from "@briefgeheim/crypto";
import type { SurveyAnswerItem } from "@briefgeheim/protocol";

/*
 * Opening one listed conversation's survey answers for counting (issue 13), for the jobs of
 * survey-count-job.ts: the key of the caller's epoch-0 grant of that conversation (context and
 * recipient checked, no signature or key commitment: `openGrantKeyForCounting` says why), then the
 * sealed answers under it, bound to this helpline, thread and epoch 0. Pure; runs in a worker of the
 * staff app's pool or on the calling thread.
 */

/**
 * One listed item's answers: the grant must be the caller's for this helpline, thread and epoch 0, the
 * record must open under its key for the same. Throws (a `CryptoError`) when any of it fails; null
 * without a grant.
 */
export function openSurveyItem(
  sodium: Sodium,
  helplineId: HelplineId,
  box: BoxKeyPair,
  item: SurveyAnswerItem,
): Record<string, string> | null {
  if (item.grant === null) return null;
  const expected = expectedOf(helplineId, item);
  const key = openGrantKeyForCounting(sodium, fromBase64(sodium, item.grant) as GrantBytes, expected, box);
  return answersUnder(sodium, item, expected, key);
}

/**
 * `openSurveyItem` with the grant's sealed box opened through Web Crypto's X25519 (`native`): the
 * same checks in the same order. Rejects (a `CryptoError`) or resolves null where that one throws or
 * returns null.
 */
export async function openSurveyItemNative(
  sodium: Sodium,
  helplineId: HelplineId,
  box: BoxKeyPair,
  item: SurveyAnswerItem,
  native: NativeBoxKey,
): Promise<Record<string, string> | null> {
  if (item.grant === null) return null;
  const expected = expectedOf(helplineId, item);
  const grant = fromBase64(sodium, item.grant) as GrantBytes;
  const key = await openGrantKeyForCountingNative(sodium, grant, expected, box, native);
  return answersUnder(sodium, item, expected, key);
}

function expectedOf(helplineId: HelplineId, item: SurveyAnswerItem): SurveyContext {
  return { helplineId, threadId: item.threadId as ThreadId, epoch: 0 };
}

/** The record opened under `key`, which is wiped after. */
function answersUnder(
  sodium: Sodium,
  item: SurveyAnswerItem,
  expected: SurveyContext,
  key: EpochKey,
): Record<string, string> {
  try {
    return openSurveyRecord(sodium, fromBase64(sodium, item.record), expected, key);
  } finally {
    key.fill(0);
  }
}
