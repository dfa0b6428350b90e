import type { AttachmentMeta, AttachmentProgress } from "@briefgeheim/client";
import { createSignal, For, onCleanup, Show } from "solid-js";
import { TAMPERED } from "../attachments/send.js";
import { abortable, formatBytes, objectUrl, percent, revoke } from "../attachments/store.js";
import { t } from "../i18n/index.js";
import { errorCode, loadSdk } from "../lib/sdk.js";
import { failure, requireStaff } from "../state/session.js";
import "../styles/attachments.css";

/** Image types shown inline, and only when the decrypted bytes are one of them too. */
const INLINE = new Set(["image/jpeg", "image/png", "image/webp"]);

async function isPicture(blob: Blob): Promise<boolean> {
  const b = new Uint8Array(await blob.slice(0, 12).arrayBuffer());
  const text = String.fromCharCode(...b);
  return (
    (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) ||
    text.startsWith("\x89PNG") ||
    (text.startsWith("RIFF") && text.slice(8, 12) === "WEBP")
  );
}

/**
 * The files of a verified message: name and size; "view" for a picture, shown from memory through a
 * `blob:` URL revoked when hidden or when the thread is left; "download" for any file; progress for
 * both. A file that fails verification is said to be changed or damaged and never opened: the SDK
 * returns no bytes of it.
 */
export function AttachmentFiles(props: {
  readonly threadId: string;
  readonly files: readonly AttachmentMeta[];
}) {
  return (
    <div class="attachments received">
      <h3 class="attach-title">{t().attachInMessage}</h3>
      <ul class="attach-list">
        <For each={props.files}>{(meta) => <ReceivedFile threadId={props.threadId} meta={meta} />}</For>
      </ul>
    </div>
  );
}

function ReceivedFile(props: { readonly threadId: string; readonly meta: AttachmentMeta }) {
  const staff = requireStaff();
  const [progress, setProgress] = createSignal<AttachmentProgress>();
  const [problem, setProblem] = createSignal("");
  const [shown, setShown] = createSignal<string>();
  const name = () => props.meta.name;

  const hide = () => {
    const url = shown();
    if (url !== undefined) revoke(url);
    setShown(undefined);
  };
  onCleanup(hide);

  const fetchFile = async (): Promise<Blob | undefined> => {
    const job = abortable();
    setProblem("");
    setProgress({ phase: "downloading", done: 0, total: props.meta.size });
    try {
      const sdk = await loadSdk();
      return await sdk.downloadAttachment(staff, {
        threadId: props.threadId as never,
        meta: props.meta,
        onProgress: setProgress,
        signal: job.signal,
      });
    } catch (e) {
      const code = errorCode(e);
      if (code === "ABORTED") return undefined;
      setProblem(
        code !== undefined && TAMPERED.has(code)
          ? t().attachTampered(name())
          : t().attachFetchFailed(name(), failure(e)),
      );
      return undefined;
    } finally {
      job.done();
      setProgress(undefined);
    }
  };

  const view = async () => {
    const blob = await fetchFile();
    if (blob === undefined) return;
    if (!(await isPicture(blob))) {
      setProblem(t().attachTampered(name()));
      return;
    }
    setShown(objectUrl(blob));
  };

  const download = async () => {
    const blob = await fetchFile();
    if (blob === undefined) return;
    const url = objectUrl(new Blob([blob], { type: "application/octet-stream" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name();
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => revoke(url), 1000);
  };

  return (
    <li class="attach-item">
      <span class="attach-name" dir="auto">
        {name()}
      </span>
      <span class="attach-size">{formatBytes(props.meta.size, t().locale)}</span>
      <Show when={INLINE.has(props.meta.mediaType)}>
        <Show
          when={shown() === undefined}
          fallback={
            <button type="button" class="link-button" onClick={hide}>
              {t().attachHide}
            </button>
          }
        >
          <button
            type="button"
            class="link-button"
            aria-label={t().attachShowLabel(name())}
            disabled={progress() !== undefined}
            onClick={() => void view()}
          >
            {t().attachShow}
          </button>
        </Show>
      </Show>
      <button
        type="button"
        class="link-button"
        aria-label={t().attachDownloadLabel(name())}
        disabled={progress() !== undefined}
        onClick={() => void download()}
      >
        {t().attachDownload}
      </button>
      <span role="status" class="attach-progress">
        <Show when={progress()}>
          {(p) => (
            <>
              <progress
                max="100"
                value={percent(p())}
                aria-label={t().attachProgress(name(), t().attachPhases[p().phase], percent(p()))}
              />
              <span aria-hidden="true">
                {t().attachPhases[p().phase]} {percent(p())}%
              </span>
            </>
          )}
        </Show>
      </span>
      <Show when={problem() !== ""}>
        <p class="error attach-problem" role="alert">
          {problem()}
        </p>
      </Show>
      <Show when={shown()}>
        {(url) => <img class="attach-image" src={url()} alt={t().attachImageAlt(name())} />}
      </Show>
    </li>
  );
}
