import { createEffect, createSignal, Match, on, Show, Switch } from "solid-js";
import { startWriting } from "../actions.js";
import { BUILD } from "../build-config.js";
import { Fingerprint, usable } from "../components/Fingerprint.js";
import { errorMessage } from "../errors.js";
import { t } from "../i18n/index.js";
import { helplineBySlug } from "../pinned-slug.js";
import { description, profileOf } from "../profile-text.js";
import { safeLockMinutes } from "../safety/lock-minutes.js";
import { loadSdk } from "../sdk/load.js";
import { helplines, profiles, roots, sdkError } from "../state.js";

/** A helpline's own page (`#/h/<slug>`, linkable): what it is, its promise, its key, and "start". */
export function HelplinePage(props: { slug: string }) {
  // The server's slug is unsigned: a slug the build pins opens only its own helpline.
  const helpline = () => helplineBySlug(helplines(), props.slug, BUILD.pins);
  const profile = () => profileOf(helpline()?.id);
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
      <Match when={helpline() !== undefined && profiles()[helpline()!.id]?.status === "not-open"}>
        <h1 tabindex="-1">{t().helplineNotOpen}</h1>
        <p class="lead">{t().helplineNotOpenText}</p>
        <p>
          <a href="#/">{t().helplineToStart}</a>
        </p>
      </Match>
      <Match when={helpline() !== undefined && profiles()[helpline()!.id]?.status === "unusable"}>
        {/* Not pinned here (or another key than the pin): nothing the server says about it is shown. */}
        <h1 tabindex="-1">{t().helplineUnusable}</h1>
        <section class="card" aria-labelledby="key-title">
          <h2 id="key-title">{t().fingerprint}</h2>
          <Fingerprint check={check()} />
        </section>
        <div class="actions">
          <a class="secondary button-link" href="#/">
            {t().back}
          </a>
          <button type="button" disabled>
            {t().helplineStart}
          </button>
        </div>
      </Match>
      <Match when={helpline() !== undefined && profiles()[helpline()!.id]?.status === "refused"}>
        <h1 tabindex="-1">{t().helplineNotFound}</h1>
        <p class="danger" role="alert">
          {t().errorProfile}
        </p>
        <p>
          <a href="#/">{t().helplineToStart}</a>
        </p>
      </Match>
      <Match when={helpline() !== undefined && profile() === undefined}>
        <h1 tabindex="-1">{t().helplineChecking}</h1>
      </Match>
      <Match when={helpline() !== undefined && profile()}>
        {(p) => (
          <>
            {/* Name, description and promise as the helpline signed them (docs/PROTOCOL.md §10). */}
            <h1 tabindex="-1">{p().name}</h1>
            <Show when={description(p()) !== ""}>
              <p class="lead">{description(p())}</p>
            </Show>
            <ul class="facts">
              <li>{t().replyTime(p().replyWithinHours)}</li>
              <li>{t().helplineRetention(helpline()!.retentionDays)}</li>
              <li>{t().helplineLock(safeLockMinutes(helpline()!.lockAfterMinutes))}</li>
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
                onClick={() => startWriting(helpline()!)}
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
