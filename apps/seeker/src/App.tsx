import { createEffect, Match, on, onMount, Show, Switch } from "solid-js";
import { handleFailure, loadHelplines, lock, openConversation } from "./actions.js";
import { CrisisOptions } from "./components/CrisisOptions.js";
import { QuickExit } from "./components/QuickExit.js";
import { lang, setLang, startClock, t } from "./i18n/index.js";
import { interceptLinks, show, startRouter } from "./router.js";
import { lockWarning, stayActive, useIdleLock } from "./safety/idle-lock.js";
import { installLeaveGuard, takeLeftBehind } from "./safety/leave-guard.js";
import { installExitKeys } from "./safety/quick-exit.js";
import { Ceremony } from "./screens/Ceremony.js";
import { Conversation } from "./screens/Conversation.js";
import { HelplinePage } from "./screens/HelplinePage.js";
import { Return } from "./screens/Return.js";
import { Safety } from "./screens/Safety.js";
import { Start } from "./screens/Start.js";
import { Threads } from "./screens/Threads.js";
import { Write } from "./screens/Write.js";
import { loadSdk } from "./sdk/load.js";
import {
  hasSensitiveState,
  lockMinutes,
  screen,
  setNotice,
  signOutInBackground,
  summaries,
  view,
  wipeAll,
} from "./state.js";

/** Moves keyboard and screen-reader focus to the new screen's heading. */
function focusHeading(): void {
  requestAnimationFrame(() => document.querySelector<HTMLElement>("main h1")?.focus());
}

export function App() {
  onMount(() => {
    // Before the router touches the history entry: did the last load of this tab leave something unsent?
    const left = takeLeftBehind();
    if (left !== undefined) setNotice({ kind: left === "code" ? "left-code" : "left-text" });
    installLeaveGuard();
    startRouter();
    interceptLinks();
    installExitKeys();
    startClock();
    void loadHelplines();
    // Load the SDK (and libsodium) after the first paint, so typing a code never waits for it and a
    // mistyped code is caught without any request.
    setTimeout(() => void loadSdk().catch(() => undefined), 0);
    // Leaving the page any other way (a link, reload, back): wipe, so the back-forward cache cannot
    // bring the conversation back, and end the session.
    window.addEventListener("pagehide", () => {
      wipeAll();
      signOutInBackground();
    });
  });
  useIdleLock({ minutes: lockMinutes, active: hasSensitiveState, onLock: lock });
  createEffect(on(() => screen().name + (screen() as { slug?: string }).slug, focusHeading, { defer: true }));

  const other = () => (lang() === "nl" ? "en" : "nl");
  const resume = () => {
    const v = view();
    const first = summaries()[0];
    if (v !== undefined) show({ name: "conversation", threadId: v.threadId });
    else if (summaries().length > 1) show({ name: "threads" });
    else if (first !== undefined) void openConversation(first.id).catch(handleFailure);
    else show({ name: "write" });
  };

  return (
    <>
      <a class="skip-link" href="#main">
        {t().skipToContent}
      </a>
      <header class="top">
        <p class="brand">
          <a href="#/">{t().appName}</a> <span class="tagline">{t().appTagline}</span>
        </p>
        <button
          type="button"
          class="lang-switch"
          lang={other()}
          aria-label={t().otherLanguageLabel}
          onClick={() => setLang(other())}
        >
          {t().otherLanguage}
        </button>
        <QuickExit />
      </header>
      <CrisisOptions />
      <main id="main" tabindex="-1">
        <Show when={lockWarning()}>
          <div class="lock-warning" role="alert">
            <p>{t().lockSoon}</p>
            <button type="button" onClick={stayActive}>
              {t().lockStay}
            </button>
          </div>
        </Show>
        <Switch>
          <Match when={screen().name === "start"}>
            <Start onRetry={() => void loadHelplines()} onResume={resume} />
          </Match>
          <Match when={screen().name === "helpline" && screen()} keyed>
            {(s) => <HelplinePage slug={(s as { slug: string }).slug} />}
          </Match>
          <Match when={screen().name === "return"}>
            <Return />
          </Match>
          <Match when={screen().name === "safety"}>
            <Safety />
          </Match>
          <Match when={screen().name === "write"}>
            <Write />
          </Match>
          <Match when={screen().name === "ceremony"}>
            <Ceremony />
          </Match>
          <Match when={screen().name === "threads"}>
            <Threads />
          </Match>
          <Match when={screen().name === "conversation" && screen()} keyed>
            {(s) => <Conversation threadId={(s as { threadId: string }).threadId} />}
          </Match>
        </Switch>
      </main>
      <footer class="bottom">
        <a href="#/">{t().footerHome}</a>
        <a href="#/safety">{t().footerSafety}</a>
      </footer>
    </>
  );
}
