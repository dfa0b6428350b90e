import {
  type BoxKeyPair,
  type EpochRecordBytes,
  fromBase64,
  type GrantBytes,
  type HelplineId,
  openGrantKeyForCounting,
  openSurveyRecord,
  readRecordForCounting,
  type Sodium,
  type ThreadId,
} from "@briefgeheim/crypto";
import type { SurveyAnswerItem } from "@briefgeheim/protocol";

/*
 * Opening one listed conversation's survey answers for counting (issue 13), for the jobs of
 * survey-count-job.ts: the key of the conversation's epoch-0 grant, checked against the record's key
 * commitment (no signature check for counting: `openGrantKeyForCounting` says why), then the sealed
 * answers under it. Pure; runs in a worker of the staff app's pool or on the calling thread.
 */

/**
 * One listed item's answers: the epoch-0 record must be this conversation's, the grant's key must
 * match its commitment, the record must open under it for this helpline, thread and epoch 0. Throws
 * (a `CryptoError`) or returns null when any of it fails; null too without a grant.
 */
export function openSurveyItem(
  sodium: Sodium,
  helplineId: HelplineId,
  box: BoxKeyPair,
  item: SurveyAnswerItem,
): Record<string, string> | null {
  if (item.grant === null) return null;
  // Only the record's head and hash: the count uses nothing else of it (readRecordForCounting says why).
  const record = readRecordForCounting(sodium, fromBase64(sodium, item.epochRecord) as EpochRecordBytes);
  const expected = { helplineId, threadId: item.threadId as ThreadId, epoch: 0 };
  // The epoch record must be this conversation's first: a record of another one is not counted.
  if (record.helplineId !== helplineId || record.threadId !== expected.threadId || record.epoch !== 0) {
    return null;
  }
  const key = openGrantKeyForCounting(sodium, fromBase64(sodium, item.grant) as GrantBytes, record, box);
  try {
    return openSurveyRecord(sodium, fromBase64(sodium, item.record), expected, key);
  } finally {
    key.fill(0);
  }
}
