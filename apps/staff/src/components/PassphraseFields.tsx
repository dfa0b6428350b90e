import { createEffect, createSignal, on, onMount } from "solid-js";
import { t } from "../i18n/index.js";
import { acceptable, estimate, loadStrength, MIN_LENGTH, measure, type Strength } from "../lib/strength.js";

export interface PassphraseState {
  /** The passphrase when it is strong enough and both fields match; else undefined. */
  readonly value: () => string | undefined;
  /** Why it cannot be used yet (for the form's error). */
  readonly problem: () => string | undefined;
  readonly clear: () => void;
}

/**
 * A new passphrase twice, with a strength meter (zxcvbn-ts, lazily loaded; words from `userInputs`,
 * such as the username, count against it).
 */
export function PassphraseFields(props: {
  idPrefix: string;
  userInputs: () => string[];
  bind: (state: PassphraseState) => void;
}) {
  const [pass, setPass] = createSignal("");
  const [again, setAgain] = createSignal("");
  const [strength, setStrength] = createSignal<Strength | undefined>();
  let first: HTMLInputElement | undefined;
  let second: HTMLInputElement | undefined;

  onMount(() => void loadStrength().catch(() => undefined));

  let seq = 0;
  createEffect(
    on([pass, props.userInputs], ([p, inputs]) => {
      const mine = ++seq;
      if (p === "") {
        setStrength(undefined);
        return;
      }
      setStrength((s) => s ?? estimate(p));
      void measure(p, inputs).then((s) => {
        if (mine === seq) setStrength(s);
      });
    }),
  );

  const problem = () => {
    const p = pass();
    if (p.length < MIN_LENGTH) return t().passphraseTooShort(MIN_LENGTH);
    if (!acceptable(p, strength())) return t().passphraseTooWeak;
    if (p !== again()) return t().passphraseMismatch;
    return undefined;
  };

  props.bind({
    value: () => (problem() === undefined ? pass() : undefined),
    problem,
    clear: () => {
      setPass("");
      setAgain("");
      if (first !== undefined) first.value = "";
      if (second !== undefined) second.value = "";
    },
  });

  const id = (n: string) => `${props.idPrefix}-${n}`;
  return (
    <fieldset class="stack passphrase">
      <legend>{t().passphraseLegend}</legend>
      <p class="hint" id={id("hint")}>
        {t().passphraseHint(MIN_LENGTH)}
      </p>
      <div class="field">
        <label for={id("new")}>{t().passphraseNew}</label>
        <input
          id={id("new")}
          ref={first}
          type="password"
          autocomplete="new-password"
          aria-describedby={`${id("hint")} ${id("meter-text")}`}
          onInput={(e) => setPass(e.currentTarget.value)}
          required
        />
      </div>
      <div class="meter-row">
        <label for={id("meter")}>{t().strengthLabel}</label>
        <meter id={id("meter")} min={0} max={4} low={2} high={3} optimum={4} value={strength()?.score ?? 0}>
          {strength()?.score ?? 0}/4
        </meter>
        <span id={id("meter-text")} class="meter-text" aria-live="polite">
          {strength() === undefined ? t().strengthEmpty : t().strengthNames[strength()!.score]}
        </span>
      </div>
      <div class="field">
        <label for={id("again")}>{t().passphraseAgain}</label>
        <input
          id={id("again")}
          ref={second}
          type="password"
          autocomplete="new-password"
          onInput={(e) => setAgain(e.currentTarget.value)}
          required
        />
      </div>
    </fieldset>
  );
}
