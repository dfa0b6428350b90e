import { Match, Show, Switch } from "solid-js";
import { t } from "../i18n/index.js";
import type { RootCheck } from "../sdk/types.js";

/**
 * How this build trusts a helpline, in one plain sentence (issue 10, item 5: no key words for
 * help-seekers), with the root-key fingerprint and the technical sentence one click away.
 */
export function Fingerprint(props: { check: RootCheck | undefined }) {
  return (
    <div class="fingerprint">
      <Switch fallback={<p role="status">{t().helplineVerifying}</p>}>
        <Match when={props.check?.status === "pinned"}>
          <p class="ok-note">{t().plainPinned}</p>
        </Match>
        <Match when={props.check?.status === "first-use"}>
          <p class="caution">{t().plainFirstUse}</p>
        </Match>
        <Match when={props.check?.status === "unpinned"}>
          <p class="caution">{t().plainUnpinned}</p>
        </Match>
        <Match when={props.check?.status === "mismatch"}>
          <p class="danger" role="alert">
            {t().plainMismatch}
          </p>
        </Match>
        <Match when={props.check?.status === "not-ready"}>
          <p class="caution">{t().plainNotReady}</p>
        </Match>
      </Switch>
      <Show when={props.check !== undefined}>
        <details class="technical">
          <summary>{t().technicalDetails}</summary>
          <p>
            <span class="label">{t().fingerprintLabel}: </span>
            <Show when={props.check?.fingerprint} fallback={<span>–</span>}>
              {(fp) => (
                <code class="fp" translate="no">
                  {fp()}
                </code>
              )}
            </Show>
          </p>
          <Switch>
            <Match when={props.check?.status === "pinned"}>
              <p>{t().rootPinned}</p>
            </Match>
            <Match when={props.check?.status === "first-use"}>
              <p>{t().rootFirstUse}</p>
            </Match>
            <Match when={props.check?.status === "unpinned"}>
              <p>{t().rootUnpinned}</p>
            </Match>
            <Match when={props.check?.status === "mismatch"}>
              <p>{t().rootMismatch}</p>
            </Match>
          </Switch>
        </details>
      </Show>
    </div>
  );
}

/** Whether someone may write to a helpline with this trust. */
export function usable(check: RootCheck | undefined): boolean {
  return check?.status === "pinned" || check?.status === "first-use";
}
