import { For, Match, Show, Switch } from "solid-js";
import { BUILD } from "../build-config.js";
import { Fingerprint } from "../components/Fingerprint.js";
import { t } from "../i18n/index.js";
import { slugOf } from "../pinned-slug.js";
import { description, openProfile } from "../profile-text.js";
import {
  current,
  hasUnsentText,
  helplines,
  helplinesFailed,
  notice,
  profiles,
  roots,
  screen,
  sdkError,
  signedIn,
} from "../state.js";

/** The first screen: choose a helpline, or come back with a code. Shows without libsodium. */
export function Start(props: { onRetry: () => void; onResume: () => void }) {
  const refusedCount = () => Object.values(profiles()).filter((p) => p.status === "refused").length;
  const noticeText = () => {
    const n = notice();
    switch (n?.kind) {
      case "locked":
        return t().noticeLocked(n.minutes ?? 15);
      case "signed-out":
        return t().noticeSignedOut;
      case "deleted":
        return t().noticeDeleted;
      case "expired":
        return t().noticeExpired;
      case "left-text":
        return t().noticeLeftText;
      case "left-code":
        return t().noticeLeftCode;
      default:
        return "";
    }
  };
  return (
    <>
      <h1 tabindex="-1">{t().startTitle}</h1>
      <Show when={noticeText() !== ""}>
        <p class="notice" role="status">
          {noticeText()}
        </p>
      </Show>
      <Show when={(signedIn() || hasUnsentText()) && current() !== undefined && screen().name === "start"}>
        <p>
          <button type="button" onClick={() => props.onResume()}>
            {signedIn() ? t().resumeConversation : t().resumeWriting}
          </button>
        </p>
      </Show>
      <p class="lead">{t().startIntro}</p>
      <Show when={sdkError() !== ""}>
        <p class="danger" role="alert">
          {sdkError()}
        </p>
      </Show>

      <section aria-labelledby="choose-title">
        <h2 id="choose-title">{t().startChoose}</h2>
        <Switch>
          <Match when={helplinesFailed()}>
            <p role="alert">{t().startListError}</p>
            <button type="button" onClick={() => props.onRetry()}>
              {t().retry}
            </button>
          </Match>
          <Match when={helplines() === undefined}>
            <p role="status">{t().loading}</p>
          </Match>
          <Match when={helplines()?.length === 0}>
            <p>{t().startNoHelplines}</p>
          </Match>
          <Match when={helplines()}>
            {(list) => (
              <>
                <ul class="helplines">
                  {/* Only what the helpline signed is shown (docs/PROTOCOL.md §10), never the server's text. */}
                  <For each={list().filter((h) => profiles()[h.id]?.status !== "refused")}>
                    {(h) => (
                      <li class="card">
                        <Switch fallback={<p role="status">{t().helplineChecking}</p>}>
                          <Match when={openProfile(profiles()[h.id])}>
                            {(p) => (
                              <>
                                <h3>{p().name}</h3>
                                <Show when={description(p()) !== ""}>
                                  <p>{description(p())}</p>
                                </Show>
                                <p class="reply-time">{t().replyTime(p().replyWithinHours)}</p>
                                <Fingerprint check={roots()[h.id]} />
                                <p>
                                  <a class="button-link" href={`#/h/${slugOf(h, BUILD.pins)}`}>
                                    {t().writeTo(p().name)}
                                  </a>
                                </p>
                              </>
                            )}
                          </Match>
                          <Match when={profiles()[h.id]?.status === "not-open"}>
                            <h3>{t().helplineNotOpen}</h3>
                            <p>{t().helplineNotOpenText}</p>
                          </Match>
                          <Match when={profiles()[h.id]?.status === "unusable"}>
                            <h3>{t().helplineUnusable}</h3>
                            <Fingerprint check={roots()[h.id]} />
                          </Match>
                        </Switch>
                      </li>
                    )}
                  </For>
                </ul>
                <Show when={refusedCount() > 0}>
                  <p class="danger" role="alert">
                    {t().helplinesRefused(refusedCount())}
                  </p>
                </Show>
              </>
            )}
          </Match>
        </Switch>
      </section>

      <section aria-labelledby="return-title" class="card">
        <h2 id="return-title">{t().startReturnTitle}</h2>
        <p>{t().startReturnText}</p>
        <p>
          <a class="button-link secondary" href="#/return">
            {t().startReturnLink}
          </a>
        </p>
      </section>
    </>
  );
}
