import { AttachmentPicker as SharedPicker } from "@briefgeheim/ui";
import type { FileList, Picked } from "../attachments/store.js";
import { attachmentTexts, LOOK } from "../attachments/ui.js";
import { loadSdk } from "../sdk/load.js";

/**
 * Adding files to a message (the shared picker of @briefgeheim/ui) with this app's words and its SDK,
 * which cleans an image of hidden data as soon as it is picked.
 */
export function AttachmentPicker(props: {
  readonly list: FileList;
  readonly busy: boolean;
  /** Called when a file that was already uploaded (an interrupted send) is removed. */
  readonly onRemoved?: (item: Picked) => void;
}) {
  return (
    <SharedPicker
      list={props.list}
      busy={props.busy}
      onRemoved={(item) => props.onRemoved?.(item)}
      texts={attachmentTexts()}
      look={LOOK}
      prepare={async (file) => (await loadSdk()).attachments.prepare(file)}
    />
  );
}
