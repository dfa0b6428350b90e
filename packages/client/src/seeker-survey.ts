import { bytesEqual, sealSurveyRecord, type ThreadId, toBase64 } from "@briefgeheim/crypto";
import type { SurveyQuestion } from "@briefgeheim/protocol";
import type { BriefgeheimClient } from "./client.js";
import { ClientError } from "./errors.js";
import { withRetry } from "./retry.js";
import { checkAnswerSet, type SurveyAnswerSet } from "./survey-answers.js";
import { loadEpochs, type ThreadContext, wipeEpochKeys } from "./thread-loader.js";
import { readJson } from "./transport.js";

/**
 * Seals a help-seeker's survey answers for the readers of epoch 0 of their conversation (type 0x09,
 * docs/PROTOCOL.md §13) and stores them. The key is the help-seeker's own K_0 from their verified
 * thread (`loadEpochs`: the chain checked against the verified rosters, the grant against the
 * record's commitment), and epoch 0 must be the one the help-seeker made: signed with their own
 * message key and naming their own keys as its help-seeker reader. A record the server made (its own
 * signature, the help-seeker's box key, a K_0 it chose) is refused as `THREAD_TAMPERED` with
 * `details.code` `SURVEY_EPOCH_NOT_OWN`, before anything is sealed.
 * Skipped questions are left out; the record's size is the same.
 *
 * @example
 * await submitSurvey(ctx, threadId, { age: "16-18", reason: "anonymity" });
 */
export async function submitSurvey(
  ctx: ThreadContext,
  threadId: ThreadId,
  answers: SurveyAnswerSet,
): Promise<void> {
  const checked = checkAnswerSet(answers as Record<string, string>);
  const { client, helplineId, me } = ctx;
  const { sodium } = client;
  const epochs = await loadEpochs(ctx, threadId);
  try {
    const first = epochs.records[0];
    const own = (pk: Uint8Array) => bytesEqual(sodium, pk, me.signing.publicKey);
    const mine =
      first !== undefined &&
      own(first.signerPk) &&
      first.readers.some(
        (r) => r.kind === "seeker" && own(r.signPk) && bytesEqual(sodium, r.boxPk, me.box.publicKey),
      );
    const key = epochs.keys.get(0)?.key;
    if (!mine || key === undefined) {
      throw new ClientError("THREAD_TAMPERED", "the first epoch is not the one this help-seeker made", {
        source: "client",
        details: { code: "SURVEY_EPOCH_NOT_OWN" },
      });
    }
    const bytes = sealSurveyRecord(
      sodium,
      { helplineId, threadId, epoch: 0 },
      key,
      checked as Record<string, string>,
      client.random,
    );
    const json = { record: toBase64(sodium, bytes) };
    await withRetry(async () =>
      readJson(await client.api.stats.answers[":threadId"].$put({ param: { threadId }, json })),
    );
  } finally {
    wipeEpochKeys(epochs.keys);
  }
}

/** The questions the helpline asks, in its order (none: ask nothing). */
export async function fetchSurveyQuestionsForSeeker(client: BriefgeheimClient): Promise<SurveyQuestion[]> {
  return (await readJson(await client.api.stats.questions.$get())).questions;
}
