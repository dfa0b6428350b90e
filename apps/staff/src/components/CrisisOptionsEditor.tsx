import { type CrisisOption, DEFAULT_CRISIS_OPTIONS } from "@briefgeheim/client";
import { For, Show } from "solid-js";
import { t } from "../i18n/index.js";
import "../styles/helpline-settings.css";

/** The signed profile's limit (PROTOCOL.md §10, type 0x0b). */
const MAX_OPTIONS = 6;
/** What the signature check accepts (digits, spaces, dashes, a leading plus), as a form hint. */
const PHONE_PATTERN = "\\+?[0-9][0-9 \\-]*[0-9]";
const HTTPS_PATTERN = "https://[A-Za-z0-9.\\-]+(:[0-9]{1,5})?(/\\S*)?";

/**
 * Supervisors: the crisis options help-seekers see on every screen (each a label per language and a
 * phone number or https address). The signing call checks them once more; the form's patterns say
 * early what it would refuse.
 */
export function CrisisOptionsEditor(props: {
  readonly options: readonly CrisisOption[];
  readonly onChange: (next: CrisisOption[]) => void;
}) {
  const set = (i: number, patch: Partial<CrisisOption>) =>
    props.onChange(props.options.map((o, j) => (j === i ? { ...o, ...patch } : o)));
  const remove = (i: number) => props.onChange(props.options.filter((_, j) => j !== i));
  const add = () =>
    props.onChange([...props.options, { kind: "phone", labelNl: "", labelEn: "", target: "" }]);

  return (
    <fieldset class="crisis-editor" data-testid="crisis-editor">
      <legend>{t().crisisTitle}</legend>
      <p class="hint">{t().crisisLead}</p>
      <Show when={props.options.length === 0}>
        <p class="hint" data-testid="crisis-empty">
          {t().crisisEmpty}
        </p>
      </Show>
      <For each={props.options}>
        {(option, i) => {
          const id = (part: string) => `crisis-${i()}-${part}`;
          return (
            <fieldset class="crisis-option" data-testid="crisis-option">
              <legend>{t().crisisOption(i() + 1)}</legend>
              <div class="field">
                <label for={id("kind")}>{t().crisisKind}</label>
                <select
                  id={id("kind")}
                  value={option.kind}
                  onChange={(ev) => set(i(), { kind: ev.currentTarget.value === "url" ? "url" : "phone" })}
                >
                  <option value="phone">{t().crisisKindPhone}</option>
                  <option value="url">{t().crisisKindUrl}</option>
                </select>
              </div>
              <div class="field">
                <label for={id("nl")}>{t().crisisLabelNl}</label>
                <input
                  id={id("nl")}
                  required
                  maxlength={120}
                  value={option.labelNl}
                  onInput={(ev) => set(i(), { labelNl: ev.currentTarget.value })}
                />
              </div>
              <div class="field">
                <label for={id("en")}>{t().crisisLabelEn}</label>
                <input
                  id={id("en")}
                  lang="en"
                  required
                  maxlength={120}
                  value={option.labelEn}
                  onInput={(ev) => set(i(), { labelEn: ev.currentTarget.value })}
                />
              </div>
              <div class="field">
                <label for={id("target")}>
                  {option.kind === "phone" ? t().crisisTargetPhone : t().crisisTargetUrl}
                </label>
                <input
                  id={id("target")}
                  required
                  type={option.kind === "phone" ? "tel" : "url"}
                  inputmode={option.kind === "phone" ? "tel" : "url"}
                  pattern={option.kind === "phone" ? PHONE_PATTERN : HTTPS_PATTERN}
                  maxlength={option.kind === "phone" ? 32 : 512}
                  value={option.target}
                  onInput={(ev) => set(i(), { target: ev.currentTarget.value })}
                />
              </div>
              <button type="button" class="link-button" onClick={() => remove(i())}>
                {t().crisisRemove(i() + 1)}
              </button>
            </fieldset>
          );
        }}
      </For>
      <div class="crisis-actions">
        <button type="button" disabled={props.options.length >= MAX_OPTIONS} onClick={add}>
          {t().crisisAdd}
        </button>
        <Show when={props.options.length === 0}>
          <button type="button" onClick={() => props.onChange(DEFAULT_CRISIS_OPTIONS.map((o) => ({ ...o })))}>
            {t().crisisDefaults}
          </button>
        </Show>
      </div>
      <Show when={props.options.length >= MAX_OPTIONS}>
        <p class="hint">{t().crisisMax(MAX_OPTIONS)}</p>
      </Show>
    </fieldset>
  );
}
