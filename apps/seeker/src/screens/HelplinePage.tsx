import { createEffect, createSignal, Match, on, Show, Switch } from "solid-js";
import { startWriting } from "../actions.js";
import { Fingerprint, usable } from "../components/Fingerprint.js";
import { errorMessage } from "../errors.js";
import { t } from "../i18n/index.js";
import { loadSdk } from "../sdk/load.js";
import { helplines, roots, sdkError } from "../state.js";

/** A helpline's own page (`#/h/<slug>`, linkable): what it is, its promise, its key, and "start". */
export function HelplinePage(props: { slug: string }) {
  const helpline = () => helplines()?.find((h) => h.slug === props.slug);
  const check = () => {
    const h = helpline();
    return h === undefined ? undefined : roots()[h.id];
  };
  const [verified, setVerified] = createSignal<"no" | "busy" | "yes" | "failed">("no");
  const [failure, setFailure] = createSignal("");

  // Before anyone writes: verify the roster chain against the pinned root (the SDK keeps it).
  createEffect(
    on(check, (c) => {
      const h = helpline();
      if (h === undefined || !usable(c) || verified() !== "no") return;
      setVerified("busy");
      loadSdk()
        .then((sdk) => sdk.verifyHelpline(h.id))
        .then(
          () => setVerified("yes"),
          (e: unknown) => {
            setFailure(errorMessage(e));
            setVerified("failed");
          },
        );
    }),
  );

  return (
    <Switch>
      <Match when={helplines() === undefined}>
        <h1 tabindex="-1">{t().loading}</h1>
      </Match>
      <Match when={helpline() === undefined}>
        <h1 tabindex="-1">{t().helplineNotFound}</h1>
        <p>
          <a href="#/">{t().helplineToStart}</a>
        </p>
      </Match>
      <Match when={helpline()}>
        {(h) => (
          <>
            <h1 tabindex="-1">{h().name}</h1>
            <Show when={h().description !== ""}>
              <p class="lead">{h().description}</p>
            </Show>
            <ul class="facts">
              <li>{t().replyTime(h().replyTimeHours)}</li>
              <li>{t().helplineRetention(h().retentionDays)}</li>
              <li>{t().helplineLock(h().lockAfterMinutes)}</li>
            </ul>
            <section class="card" aria-labelledby="key-title">
              <h2 id="key-title">{t().fingerprint}</h2>
              <Fingerprint check={check()} />
              <p>{t().helplineCompare}</p>
            </section>
            <Switch>
              <Match when={sdkError() !== ""}>
                <p class="danger" role="alert">
                  {sdkError()}
                </p>
              </Match>
              <Match when={verified() === "busy"}>
                <p role="status">{t().helplineVerifying}</p>
              </Match>
              <Match when={verified() === "failed"}>
                <p class="danger" role="alert">
                  {t().helplineVerifyFailed} {failure()}
                </p>
              </Match>
            </Switch>
            <div class="actions">
              <a class="secondary button-link" href="#/">
                {t().back}
              </a>
              <button
                type="button"
                disabled={verified() !== "yes" || !usable(check())}
                onClick={() => startWriting(h())}
              >
                {t().helplineStart}
              </button>
            </div>
          </>
        )}
      </Match>
    </Switch>
  );
}
