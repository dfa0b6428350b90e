import { Match, Switch } from "solid-js";
import { formatTime, t } from "../i18n/index.js";
import type { SaveStatus } from "./autosave.js";

/** The line under a form that says whether the draft is saved (not a live region: it changes often). */
export function SaveNote(props: { status: SaveStatus }) {
  return (
    <p class="save-note">
      <Switch>
        <Match when={props.status.kind === "saving"}>{t().draftSaving}</Match>
        <Match when={props.status.kind === "saved" && props.status}>
          {(s) => t().draftSaved(formatTime((s() as { at: number }).at))}
        </Match>
        <Match when={props.status.kind === "failed"}>
          <span role="alert">{t().draftSaveFailed}</span>
        </Match>
      </Switch>
    </p>
  );
}
