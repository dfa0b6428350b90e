import { createSignal, For, Show } from "solid-js";
import { type FileList, fileLimits, formatBytes, type Picked, percent } from "./store.js";
import type { AttachmentLook, AttachmentTexts } from "./texts.js";
import "../styles/attachments.css";

/**
 * A file name as a refusal shows it: without control and format characters, so a right-to-left
 * override in the name cannot turn the sentence around it (display only; the rule is the SDK's).
 */
function shownName(name: string): string {
  return name.replace(/[\p{Cc}\p{Cf}]/gu, "");
}

/** A picked file as the SDK prepared it (packages/media PreparedFile): `removed` set for a cleaned image. */
export interface PreparedFile {
  readonly data: Blob;
  readonly mediaType: string;
  readonly removed?: unknown;
}

/**
 * Adding files to a message: a button that opens the file chooser, the list with sizes, a remove
 * button per file and each file's progress while it is encrypted and sent. Images are cleaned of
 * hidden data as soon as they are picked (`prepare`, the SDK's) and the list says so, with a warning
 * about what a photo can still show. Refusals (too large, too many, an image that cannot be cleaned,
 * a name that could show as another) are said in an alert under the button; nothing is added then. A
 * file whose bytes are missing (an upload under way when the page closed, kept in an encrypted draft)
 * gets a button to pick it again.
 */
export function AttachmentPicker<M, D extends Blob | undefined>(props: {
  readonly list: FileList<M, D>;
  readonly busy: boolean;
  readonly texts: AttachmentTexts;
  readonly look: AttachmentLook;
  readonly prepare: (file: File) => Promise<PreparedFile>;
  /** Called when a file that was already uploaded (an interrupted send) is removed. */
  readonly onRemoved?: (item: Picked<M, D>) => void;
  /** Called after a file was added or picked again (e.g. to save the draft). */
  readonly onChanged?: () => void;
}) {
  const [refusals, setRefusals] = createSignal<string[]>([]);
  const [preparing, setPreparing] = createSignal(false);
  let input: HTMLInputElement | undefined;
  let addButton: HTMLButtonElement | undefined;
  /** The item a "pick again" is for (undefined: a new file). */
  let again: Picked<M> | undefined;
  // Inside, a file may lack its bytes (D = Blob | undefined); what is added always has them.
  const list = () => props.list as unknown as FileList<M, Blob | undefined>;
  const t = () => props.texts;

  const prepare = async (
    file: File,
  ): Promise<{ data: Blob; mediaType: string; cleaned: boolean } | string> => {
    const { maxFileBytes } = fileLimits();
    const name = shownName(file.name);
    if (file.size === 0) return t().attachEmpty(name);
    if (file.size > maxFileBytes) return t().attachTooBig(name, formatBytes(maxFileBytes, t().locale));
    try {
      const ready = await props.prepare(file);
      return { data: ready.data, mediaType: ready.mediaType, cleaned: ready.removed !== undefined };
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === "ATTACHMENT_NAME_INVALID") return t().attachNameInvalid(name);
      return code === "IMAGE_MALFORMED" ? t().attachImageBroken(name) : t().attachImageUnsupported(name);
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
          else list().patch(target.id, { data: ready.data, cleaned: ready.cleaned });
        }
        return;
      }
      for (const file of files) {
        if (list().items().length >= fileLimits().maxFilesPerMessage) {
          said.push(t().attachTooMany(fileLimits().maxFilesPerMessage));
          break;
        }
        const ready = await prepare(file);
        if (typeof ready === "string") said.push(ready);
        else list().add({ name: file.name, ...ready });
      }
    } finally {
      setPreparing(false);
      setRefusals(said);
      props.onChanged?.();
    }
  };

  const hasImage = () =>
    list()
      .items()
      .some((p) => p.cleaned);

  return (
    <fieldset class="attachments">
      <legend class={props.look.legend}>{t().attachTitle}</legend>
      <p class="hint" id="attach-hint">
        {t().attachHint(fileLimits().maxFilesPerMessage, formatBytes(fileLimits().maxFileBytes, t().locale))}
        <Show when={t().attachPhotoNote}>{(note) => <> {note()}</>}</Show>
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
        class={props.look.addButton}
        aria-describedby="attach-hint"
        disabled={props.busy || preparing() || list().items().length >= fileLimits().maxFilesPerMessage}
        onClick={() => {
          again = undefined;
          input?.click();
        }}
      >
        {t().attachAdd}
      </button>
      <Show when={list().items().length > 0}>
        <ul class="attach-list" aria-label={t().attachListLabel}>
          <For each={list().items()}>
            {(item) => (
              <li class="attach-item">
                <span class="attach-name" dir="auto">
                  {item.name}
                </span>{" "}
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
                    aria-label={t().attachPickAgainLabel?.(item.name)}
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
                  class={props.look.button}
                  aria-label={t().attachRemoveLabel(item.name)}
                  disabled={props.busy}
                  onClick={() => {
                    const gone = list().remove(item.id);
                    if (gone?.meta !== undefined) props.onRemoved?.(gone as Picked<M, D>);
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
        <p class={props.look.warning}>{t().attachPhotoWarning}</p>
      </Show>
      <div role="alert" class="attach-refusals">
        <For each={refusals()}>{(r) => <p class="error">{r}</p>}</For>
      </div>
    </fieldset>
  );
}
