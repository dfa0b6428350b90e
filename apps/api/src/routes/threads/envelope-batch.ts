/**
 * `POST /threads/envelopes/batch` (issue 14): a bulk job's handover events in one request instead of
 * one request each. Every item goes through exactly the single post's path (`prepareEnvelope`, then
 * `commitEnvelope` in a write job of its own, so items share group commits and one failing item
 * changes nothing of the others); the answer says per item what the single route would have answered.
 */
import type { EnvelopeBatchRequest, EnvelopeBatchResponse } from "@briefgeheim/protocol";
import type { Auth, Deps } from "../../deps.js";
import { batchItem } from "./batch-item.js";
import { commitEnvelope, prepareEnvelope } from "./ingest-envelope.js";

export async function postEnvelopeBatch(
  deps: Deps,
  auth: Auth,
  items: EnvelopeBatchRequest["items"],
): Promise<EnvelopeBatchResponse["results"]> {
  const now = deps.clock.now();
  return Promise.all(
    items.map((item) =>
      batchItem(item.threadId, async () => {
        const prepared = await prepareEnvelope(deps, auth, item.threadId, item);
        return deps.writer.run((tx) => commitEnvelope(tx, prepared, auth, now));
      }),
    ),
  );
}
