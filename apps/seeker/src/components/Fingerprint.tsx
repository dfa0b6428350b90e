import { Match, Show, Switch } from "solid-js";
import { t } from "../i18n/index.js";
import type { RootCheck } from "../sdk/types.js";

/** A helpline's root-key fingerprint and how this build trusts it, with the matching warning. */
export function Fingerprint(props: { check: RootCheck | undefined }) {
  return (
    <div class="fingerprint">
      <p>
        <span class="label">{t().fingerprint}: </span>
        <Show
          when={props.check?.fingerprint}
          fallback={<span>{props.check === undefined ? t().fingerprintPending : "–"}</span>}
        >
          {(fp) => (
            <code class="fp" translate="no">
              {fp()}
            </code>
          )}
        </Show>
      </p>
      <Switch>
        <Match when={props.check?.status === "pinned"}>
          <p class="ok-note">{t().rootPinned}</p>
        </Match>
        <Match when={props.check?.status === "first-use"}>
          <p class="caution">{t().rootFirstUse}</p>
        </Match>
        <Match when={props.check?.status === "unpinned"}>
          <p class="caution">{t().rootUnpinned}</p>
        </Match>
        <Match when={props.check?.status === "mismatch"}>
          <p class="danger" role="alert">
            {t().rootMismatch}
          </p>
        </Match>
        <Match when={props.check?.status === "not-ready"}>
          <p class="caution">{t().rootNotReady}</p>
        </Match>
      </Switch>
    </div>
  );
}

/** Whether someone may write to a helpline with this trust. */
export function usable(check: RootCheck | undefined): boolean {
  return check?.status === "pinned" || check?.status === "first-use";
}
