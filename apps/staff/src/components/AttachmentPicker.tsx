import { createSignal, For, Show } from "solid-js";
import { type FileList, fileLimits, formatBytes, type Picked, percent } from "../attachments/store.js";
import { t } from "../i18n/index.js";
import { loadSdk } from "../lib/sdk.js";
import "../styles/attachments.css";

/**
 * Files with a reply: a button that opens the file chooser, the list with sizes, a remove button per
 * file, each file's progress while it is encrypted and sent, and for a file whose upload was under
 * way when the page closed (kept in the encrypted draft) a button to pick the same file again.
 * Images are cleaned of hidden data as soon as they are picked (the list says so), with a warning
 * about what a picture can still show. Refusals are said in an alert under the button.
 */
export function AttachmentPicker(props: {
  readonly list: FileList;
  readonly busy: boolean;
  readonly onRemoved?: (item: Picked) => void;
  /** Called after a file was added or picked again (e.g. to save the draft). */
  readonly onChanged?: () => void;
}) {
  const [refusals, setRefusals] = createSignal<string[]>([]);
  const [preparing, setPreparing] = createSignal(false);
  let input: HTMLInputElement | undefined;
  let addButton: HTMLButtonElement | undefined;
  /** The item a "pick again" is for (undefined: a new file). */
  let again: Picked | undefined;

  const prepare = async (
    file: File,
  ): Promise<{ data: Blob; mediaType: string; cleaned: boolean } | string> => {
    const { maxFileBytes } = fileLimits();
    if (file.size === 0) return t().attachEmpty(file.name);
    if (file.size > maxFileBytes) return t().attachTooBig(file.name, formatBytes(maxFileBytes, t().locale));
    try {
      const ready = await (await loadSdk()).prepareFile(file);
      return { data: ready.data, mediaType: ready.mediaType, cleaned: ready.removed !== undefined };
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      return code === "IMAGE_MALFORMED"
        ? t().attachImageBroken(file.name)
        : t().attachImageUnsupported(file.name);
    }
  };

  const pick = async (files: readonly File[]) => {
    const said: string[] = [];
    setPreparing(true);
    try {
      const target = again;
      again = undefined;
      if (target !== undefined) {
        const file = files[0];
        if (file !== undefined) {
          const ready = await prepare(file);
          if (typeof ready === "string") said.push(ready);
          else props.list.patch(target.id, { data: ready.data, cleaned: ready.cleaned });
        }
        return;
      }
      for (const file of files) {
        if (props.list.items().length >= fileLimits().maxFilesPerMessage) {
          said.push(t().attachTooMany(fileLimits().maxFilesPerMessage));
          break;
        }
        const ready = await prepare(file);
        if (typeof ready === "string") said.push(ready);
        else props.list.add({ name: file.name, ...ready });
      }
    } finally {
      setPreparing(false);
      setRefusals(said);
      props.onChanged?.();
    }
  };

  const hasImage = () => props.list.items().some((p) => p.cleaned);

  return (
    <fieldset class="attachments">
      <legend>{t().attachTitle}</legend>
      <p class="hint" id="attach-hint">
        {t().attachHint(fileLimits().maxFilesPerMessage, formatBytes(fileLimits().maxFileBytes, t().locale))}
      </p>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        id="attach-input"
        onChange={(e) => {
          const files = [...(e.currentTarget.files ?? [])];
          e.currentTarget.value = "";
          void pick(files);
        }}
      />
      <button
        ref={addButton}
        type="button"
        aria-describedby="attach-hint"
        disabled={props.busy || preparing() || props.list.items().length >= fileLimits().maxFilesPerMessage}
        onClick={() => {
          again = undefined;
          input?.click();
        }}
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
                </span>
                <Show when={item.data}>
                  {(d) => <span class="attach-size">{formatBytes(d().size, t().locale)}</span>}
                </Show>
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
                        t().attachPhases[item.progress!.phase],
                        percent(item.progress!),
                      )}
                    />
                    <span aria-hidden="true">
                      {t().attachPhases[item.progress!.phase]} {percent(item.progress!)}%
                    </span>
                  </span>
                </Show>
                <Show when={item.uploaded}>
                  <span class="attach-done">{t().attachDone}</span>
                </Show>
                <Show when={item.data === undefined}>
                  <span class="attach-needs hint">{t().attachNeedsFile}</span>
                  <button
                    type="button"
                    aria-label={t().attachPickAgainLabel(item.name)}
                    disabled={props.busy || preparing()}
                    onClick={() => {
                      again = item;
                      input?.click();
                    }}
                  >
                    {t().attachPickAgain}
                  </button>
                </Show>
                <button
                  type="button"
                  class="link-button"
                  aria-label={t().attachRemoveLabel(item.name)}
                  disabled={props.busy}
                  onClick={() => {
                    const gone = props.list.remove(item.id);
                    if (gone?.meta !== undefined) props.onRemoved?.(gone);
                    props.onChanged?.();
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
        <p class="hint attach-warning">{t().attachPhotoWarning}</p>
      </Show>
      <div role="alert" class="attach-refusals">
        <For each={refusals()}>{(r) => <p class="error">{r}</p>}</For>
      </div>
    </fieldset>
  );
}
