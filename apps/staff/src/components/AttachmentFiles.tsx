import type { AttachmentMeta } from "@briefgeheim/client";
import { AttachmentFiles as SharedFiles } from "@briefgeheim/ui";
import { LOOK } from "../attachments/ui.js";
import { t } from "../i18n/index.js";
import { loadSdk } from "../lib/sdk.js";
import { failure, requireStaff } from "../state/session.js";

/** The files of a verified message (the shared list of @briefgeheim/ui), fetched as this counsellor. */
export function AttachmentFiles(props: {
  readonly threadId: string;
  readonly files: readonly AttachmentMeta[];
}) {
  const staff = requireStaff();
  return (
    <SharedFiles
      files={props.files}
      texts={t()}
      look={LOOK}
      fetcher={{
        download: async (meta, onProgress, signal) =>
          (await loadSdk()).downloadAttachment(staff, {
            threadId: props.threadId as never,
            meta,
            onProgress,
            signal,
          }),
        reason: failure,
      }}
    />
  );
}
