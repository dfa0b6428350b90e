import { AttachmentFiles as SharedFiles } from "@briefgeheim/ui";
import { attachmentTexts, LOOK } from "../attachments/ui.js";
import { errorMessage } from "../errors.js";
import { loadSdk } from "../sdk/load.js";
import type { AttachmentMeta } from "../sdk/types.js";
import { session } from "../state.js";

/** The files of a received message (the shared list of @briefgeheim/ui), fetched with this session. */
export function AttachmentFiles(props: {
  readonly threadId: string;
  readonly files: readonly AttachmentMeta[];
}) {
  return (
    <SharedFiles
      files={props.files}
      texts={attachmentTexts()}
      look={LOOK}
      fetcher={{
        download: async (meta, onProgress, signal) => {
          const s = session();
          if (s === undefined) return undefined;
          return (await loadSdk()).attachments.download(s, props.threadId, meta, onProgress, signal);
        },
        reason: errorMessage,
      }}
    />
  );
}
