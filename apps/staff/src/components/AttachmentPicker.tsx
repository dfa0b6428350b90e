import { AttachmentPicker as SharedPicker } from "@briefgeheim/ui";
import type { FileList, Picked } from "../attachments/store.js";
import { LOOK } from "../attachments/ui.js";
import { t } from "../i18n/index.js";
import { loadSdk } from "../lib/sdk.js";

/**
 * Files with a reply (the shared picker of @briefgeheim/ui) with this app's words and its SDK, which
 * refuses a name that could show as another and cleans an image of hidden data as soon as it is
 * picked. A file whose upload was under way when the page closed (kept in the encrypted draft) gets a
 * button to pick the same file again.
 */
export function AttachmentPicker(props: {
  readonly list: FileList;
  readonly busy: boolean;
  readonly onRemoved?: (item: Picked) => void;
  /** Called after a file was added or picked again (e.g. to save the draft). */
  readonly onChanged?: () => void;
}) {
  return (
    <SharedPicker
      list={props.list}
      busy={props.busy}
      onRemoved={(item) => props.onRemoved?.(item)}
      onChanged={() => props.onChanged?.()}
      texts={t()}
      look={LOOK}
      prepare={async (file) => {
        const sdk = await loadSdk();
        sdk.checkAttachmentName(file.name);
        return sdk.prepareFile(file);
      }}
    />
  );
}
