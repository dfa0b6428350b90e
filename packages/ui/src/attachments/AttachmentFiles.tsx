import { createSignal, For, onCleanup, Show } from "solid-js";
import {
  abortable,
  type FileMeta,
  formatBytes,
  objectUrl,
  percent,
  revoke,
  TAMPERED,
  type TransferProgress,
} from "./store.js";
import type { AttachmentLook, AttachmentTexts } from "./texts.js";
import "../styles/attachments.css";

/** Image types shown inline, and only when the decrypted bytes are one of them too. */
const INLINE = new Set(["image/jpeg", "image/png", "image/webp"]);

/** The first bytes of a decrypted file say whether it really is a JPEG, PNG or WebP picture. */
async function isPicture(blob: Blob): Promise<boolean> {
  const b = new Uint8Array(await blob.slice(0, 12).arrayBuffer());
  const jpeg = b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
  const png = b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
  const text = String.fromCharCode(...b);
  return jpeg || png || (text.startsWith("RIFF") && text.slice(8, 12) === "WEBP");
}

/** How an app fetches and verifies one file (its SDK call) and says why a fetch failed. */
export interface AttachmentFetcher<M extends FileMeta> {
  /** The verified bytes; undefined when there is nothing to fetch with (e.g. no session). */
  readonly download: (
    meta: M,
    onProgress: (p: TransferProgress) => void,
    signal: AbortSignal,
  ) => Promise<Blob | undefined>;
  readonly reason: (e: unknown) => string;
}

/**
 * The files of a received (verified) message: name and size, "view" for a picture (shown from memory
 * through a `blob:` URL that is revoked when hidden or left), "download" for any file, each with
 * progress. A file that does not verify is said to be changed or damaged and is never opened: the SDK
 * returns no bytes of it.
 */
export function AttachmentFiles<M extends FileMeta>(props: {
  readonly files: readonly M[];
  readonly texts: AttachmentTexts;
  readonly look: AttachmentLook;
  readonly fetcher: AttachmentFetcher<M>;
}) {
  return (
    <div class="attachments received">
      <h3 class="attach-title">{props.texts.attachInMessage}</h3>
      <ul class="attach-list">
        <For each={props.files}>
          {(meta) => (
            <ReceivedFile meta={meta} texts={props.texts} look={props.look} fetcher={props.fetcher} />
          )}
        </For>
      </ul>
      <Show when={props.texts.attachDownloadNote}>{(note) => <p class="hint">{note()}</p>}</Show>
    </div>
  );
}

function ReceivedFile<M extends FileMeta>(props: {
  readonly meta: M;
  readonly texts: AttachmentTexts;
  readonly look: AttachmentLook;
  readonly fetcher: AttachmentFetcher<M>;
}) {
  const [progress, setProgress] = createSignal<TransferProgress>();
  const [problem, setProblem] = createSignal("");
  const [shown, setShown] = createSignal<string>();
  const name = () => props.meta.name;
  const t = () => props.texts;

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
      return await props.fetcher.download(props.meta, setProgress, job.signal);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      // Stopped on purpose (the thread was left, or the quick exit / lock wiped everything).
      if (code === "ABORTED" || code === "WIPED") return undefined;
      setProblem(
        typeof code === "string" && TAMPERED.has(code)
          ? t().attachTampered(name())
          : t().attachFetchFailed(name(), props.fetcher.reason(e)),
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
    // The browser has taken the bytes once the click is handled; the URL goes soon after.
    setTimeout(() => revoke(url), 1000);
  };

  return (
    <li class="attach-item">
      <span class="attach-name" dir="auto">
        {name()}
      </span>{" "}
      <span class="attach-size">{formatBytes(props.meta.size, t().locale)}</span>
      <Show when={INLINE.has(props.meta.mediaType)}>
        <Show
          when={shown() === undefined}
          fallback={
            <button type="button" class={props.look.button} onClick={hide}>
              {t().attachHide}
            </button>
          }
        >
          <button
            type="button"
            class={props.look.button}
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
        class={props.look.button}
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
