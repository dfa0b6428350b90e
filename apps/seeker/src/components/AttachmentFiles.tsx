import { createSignal, For, onCleanup, Show } from "solid-js";
import { abortable, formatBytes, objectUrl, revoke } from "../attachments/store.js";
import { errorMessage } from "../errors.js";
import { t } from "../i18n/index.js";
import { loadSdk } from "../sdk/load.js";
import type { AttachmentMeta, AttachmentProgress } from "../sdk/types.js";
import { session } from "../state.js";
import { percent, phaseText } from "./AttachmentPicker.js";
import "../styles/attachments.css";

/** Codes of a file that does not verify: said as "changed or damaged", its bytes never opened. */
const TAMPERED = new Set([
  "ATTACHMENT_TRUNCATED",
  "ATTACHMENT_REORDERED",
  "ATTACHMENT_INVALID",
  "ATTACHMENT_MISMATCH",
  "UNSUPPORTED_VERSION",
]);

/** Image types shown inline (only when the decrypted bytes are one of them, too). */
const INLINE = new Set(["image/jpeg", "image/png", "image/webp"]);

/** The first bytes of a decrypted file say whether it really is a JPEG, PNG or WebP picture. */
async function isPicture(blob: Blob): Promise<boolean> {
  const b = new Uint8Array(await blob.slice(0, 12).arrayBuffer());
  const jpeg = b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
  const png = b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
  const text = String.fromCharCode(...b);
  return jpeg || png || (text.startsWith("RIFF") && text.slice(8, 12) === "WEBP");
}

/**
 * The files of a received (verified) message: name and size, "view" for a picture (shown from memory
 * through a `blob:` URL that is revoked when hidden or left), "download" for any file, each with
 * progress. A file that does not verify is said to be changed or damaged and is never opened.
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
      <p class="hint">{t().attachDownloadNote}</p>
    </div>
  );
}

function ReceivedFile(props: { readonly threadId: string; readonly meta: AttachmentMeta }) {
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
    const s = session();
    if (s === undefined) return undefined;
    const job = abortable();
    setProblem("");
    setProgress({ phase: "downloading", done: 0, total: props.meta.size });
    try {
      const sdk = await loadSdk();
      return await sdk.attachments.download(s, props.threadId, props.meta, setProgress, job.signal);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === "ABORTED" || code === "WIPED") return undefined;
      setProblem(
        typeof code === "string" && TAMPERED.has(code)
          ? t().attachTampered(name())
          : t().attachFetchFailed(name(), errorMessage(e)),
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
            <button type="button" class="secondary attach-button" onClick={hide}>
              {t().attachHide}
            </button>
          }
        >
          <button
            type="button"
            class="secondary attach-button"
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
        class="secondary attach-button"
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
                aria-label={t().attachProgress(name(), phaseText(p().phase), percent(p()))}
              />
              <span aria-hidden="true">
                {phaseText(p().phase)} {percent(p())}%
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
