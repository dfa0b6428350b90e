import { createSignal, For, Show } from "solid-js";
import { type FileList, fileLimits, formatBytes, type Picked } from "../attachments/store.js";
import { t } from "../i18n/index.js";
import { loadSdk } from "../sdk/load.js";
import "../styles/attachments.css";

/** The phase of an upload in words. */
export function phaseText(phase: NonNullable<Picked["progress"]>["phase"]): string {
  const m = t();
  switch (phase) {
    case "preparing":
      return m.attachPhasePreparing;
    case "encrypting":
      return m.attachPhaseEncrypting;
    case "uploading":
      return m.attachPhaseUploading;
    case "downloading":
      return m.attachPhaseDownloading;
    default:
      return m.attachPhaseDecrypting;
  }
}

export function percent(p: { done: number; total: number }): number {
  return p.total <= 0 ? 100 : Math.min(100, Math.floor((p.done / p.total) * 100));
}

/**
 * Adding files to a message: a button that opens the file chooser, the list with sizes, a remove
 * button per file and each file's progress while it is encrypted and sent. Images are cleaned of
 * hidden data as soon as they are picked (and the list says so), with a short warning about what a
 * photo can still show. Refusals (too large, too many, an image that cannot be cleaned) are said in
 * an alert under the button; nothing is added then.
 */
export function AttachmentPicker(props: {
  readonly list: FileList;
  readonly busy: boolean;
  /** Called when a file that was already uploaded (an interrupted send) is removed. */
  readonly onRemoved?: (item: Picked) => void;
}) {
  const [refusals, setRefusals] = createSignal<string[]>([]);
  const [preparing, setPreparing] = createSignal(false);
  let input: HTMLInputElement | undefined;
  let addButton: HTMLButtonElement | undefined;

  const pick = async (files: readonly File[]) => {
    const said: string[] = [];
    setPreparing(true);
    try {
      const sdk = await loadSdk();
      for (const file of files) {
        const { maxFileBytes, maxFilesPerMessage } = fileLimits();
        if (props.list.items().length >= maxFilesPerMessage) {
          said.push(t().attachTooMany(maxFilesPerMessage));
          break;
        }
        if (file.size === 0) {
          said.push(t().attachEmpty(file.name));
          continue;
        }
        if (file.size > maxFileBytes) {
          said.push(t().attachTooBig(file.name, formatBytes(maxFileBytes, t().locale)));
          continue;
        }
        try {
          const ready = await sdk.attachments.prepareFile(file);
          props.list.add({
            name: file.name,
            data: ready.data,
            mediaType: ready.mediaType,
            cleaned: ready.removed !== undefined,
          });
        } catch (e) {
          const code = (e as { code?: unknown }).code;
          said.push(
            code === "IMAGE_MALFORMED"
              ? t().attachImageBroken(file.name)
              : t().attachImageUnsupported(file.name),
          );
        }
      }
    } finally {
      setPreparing(false);
      setRefusals(said);
    }
  };

  const hasImage = () => props.list.items().some((p) => p.cleaned);

  return (
    <fieldset class="attachments">
      <legend class="attach-title">{t().attachTitle}</legend>
      <p class="hint" id="attach-hint">
        {t().attachHint(fileLimits().maxFilesPerMessage, formatBytes(fileLimits().maxFileBytes, t().locale))}{" "}
        {t().attachPhotoNote}
      </p>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        id="attach-input"
        onChange={(e) => {
          const files = [...(e.currentTarget.files ?? [])];
          e.currentTarget.value = ""; // the chooser's own copy of the choice is not kept
          void pick(files);
        }}
      />
      <button
        ref={addButton}
        type="button"
        class="secondary"
        aria-describedby="attach-hint"
        disabled={props.busy || preparing() || props.list.items().length >= fileLimits().maxFilesPerMessage}
        onClick={() => input?.click()}
      >
        {t().attachAdd}
      </button>
      <Show when={props.list.items().length > 0}>
        <ul class="attach-list" aria-label={t().attachListLabel}>
          <For each={props.list.items()}>
            {(item) => (
              <li class="attach-item">
                <span class="attach-name" dir="auto">
                  {item.name}
                </span>{" "}
                <span class="attach-size">{formatBytes(item.data.size, t().locale)}</span>
                <Show when={item.cleaned}>
                  <span class="attach-cleaned">{t().attachCleaned}</span>
                </Show>
                <Show when={item.progress !== undefined && !item.uploaded}>
                  <span class="attach-progress">
                    <progress
                      max="100"
                      value={percent(item.progress!)}
                      aria-label={t().attachProgress(
                        item.name,
                        phaseText(item.progress!.phase),
                        percent(item.progress!),
                      )}
                    />
                    <span aria-hidden="true">
                      {phaseText(item.progress!.phase)} {percent(item.progress!)}%
                    </span>
                  </span>
                </Show>
                <Show when={item.uploaded}>
                  <span class="attach-done">{t().attachDone}</span>
                </Show>
                <button
                  type="button"
                  class="secondary attach-button"
                  aria-label={t().attachRemoveLabel(item.name)}
                  disabled={props.busy}
                  onClick={() => {
                    const gone = props.list.remove(item.id);
                    if (gone?.meta !== undefined) props.onRemoved?.(gone);
                    addButton?.focus();
                  }}
                >
                  {t().attachRemove}
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={hasImage()}>
        <p class="note caution attach-warning">{t().attachPhotoWarning}</p>
      </Show>
      <div role="alert" class="attach-refusals">
        <For each={refusals()}>{(r) => <p class="error">{r}</p>}</For>
      </div>
    </fieldset>
  );
}
