import {
  type BoxKeyPair,
  type EpochRecordBytes,
  fromBase64,
  type GrantBytes,
  type HelplineId,
  openGrant,
  parseEpochRecord,
  parseGrant,
  sealSurveyRecord,
  type ThreadId,
  toBase64,
} from "@briefgeheim/crypto";
import type { SurveyQuestion } from "@briefgeheim/protocol";
import type { BriefgeheimClient } from "./client.js";
import { ClientError } from "./errors.js";
import { withRetry } from "./retry.js";
import { checkAnswerSet, type SurveyAnswerSet } from "./survey-answers.js";
import { readJson } from "./transport.js";

/**
 * Seals a help-seeker's survey answers for the readers of epoch 0 of their conversation (type 0x09,
 * docs/PROTOCOL.md §13) and stores them: the key comes from the help-seeker's own epoch-0 grant, checked
 * against the record's commitment. Skipped questions are left out; the record's size is the same.
 *
 * @example
 * await submitSurvey(client, keys.box, helplineId, threadId, { age: "16-18", reason: "anonymity" });
 */
export async function submitSurvey(
  client: BriefgeheimClient,
  box: BoxKeyPair,
  helplineId: HelplineId,
  threadId: ThreadId,
  answers: SurveyAnswerSet,
): Promise<void> {
  const checked = checkAnswerSet(answers as Record<string, string>);
  const { sodium } = client;
  const detail = await readJson(await client.api.threads[":threadId"].$get({ param: { threadId } }));
  const recordText = detail.records[0];
  const grantBytes = detail.grants
    .map((g: string) => fromBase64(sodium, g) as GrantBytes)
    .find((g: GrantBytes) => parseGrant(sodium, g).epoch === 0);
  if (recordText === undefined || grantBytes === undefined) {
    throw new ClientError("NOT_A_READER", "no key of this conversation's first epoch");
  }
  const record = parseEpochRecord(sodium, fromBase64(sodium, recordText) as EpochRecordBytes);
  if (record.helplineId !== helplineId || record.threadId !== threadId || record.epoch !== 0) {
    throw new ClientError("THREAD_TAMPERED", "the first epoch belongs to another conversation");
  }
  const keys = openGrant(sodium, grantBytes, record, box);
  try {
    const bytes = sealSurveyRecord(
      sodium,
      { helplineId, threadId, epoch: 0 },
      keys.key,
      checked as Record<string, string>,
      client.random,
    );
    const json = { record: toBase64(sodium, bytes) };
    await withRetry(async () =>
      readJson(await client.api.stats.answers[":threadId"].$put({ param: { threadId }, json })),
    );
  } finally {
    keys.key.fill(0);
  }
}

/** The questions the helpline asks, in its order (none: ask nothing). */
export async function fetchSurveyQuestionsForSeeker(client: BriefgeheimClient): Promise<SurveyQuestion[]> {
  return (await readJson(await client.api.stats.questions.$get())).questions;
}
