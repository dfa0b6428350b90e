import { createSignal, For, Match, onMount, Show, Switch } from "solid-js";
import { t } from "../i18n/index.js";
import type { SeekerSession } from "../sdk/types.js";
import "../styles/survey.css";

/** The answer ids per question (the same fixed lists as `SURVEY_QUESTIONS` in packages/protocol). */
const OPTIONS: Readonly<Record<string, readonly string[]>> = {
  age: ["under-12", "12-15", "16-18", "19-23", "24-30", "31-45", "46-65", "over-65"],
  gender: ["girl-woman", "boy-man", "other", "rather-not"],
  topic: ["loneliness", "relationships", "family", "school-work", "mental-health", "violence", "other"],
  reason: ["anonymity", "prefer-writing", "own-time", "other"],
  found: ["search", "school", "friend", "social-media", "professional", "other"],
};

type Phase = "loading" | "asking" | "sending" | "thanks" | "nothing" | "failed" | "none";

/**
 * The helpline's optional questions after a first message (issue 13): one at a time, each skipped with
 * one click ("Overslaan"), all of them with "Stoppen met de vragen". The answers are sealed in the SDK
 * for the conversation's readers (type 0x09) and sent once, at the end; nothing is kept in storage.
 * A failure never touches the message, which is sent already.
 */
export function Survey(props: { session: SeekerSession; threadId: string }) {
  const [questions, setQuestions] = createSignal<string[]>([]);
  const [step, setStep] = createSignal(0);
  const [phase, setPhase] = createSignal<Phase>("loading");
  const [picked, setPicked] = createSignal<string | undefined>();
  const answers: Record<string, string> = {};
  let legend: HTMLLegendElement | undefined;

  onMount(async () => {
    try {
      const asked = (await props.session.surveyQuestions()).filter((q) => OPTIONS[q] !== undefined);
      setQuestions(asked);
      setPhase(asked.length === 0 ? "none" : "asking");
    } catch {
      // Questions are optional: without them the sent state stays as it is.
      setPhase("none");
    }
  });

  const finish = async () => {
    if (Object.keys(answers).length === 0) {
      setPhase("nothing");
      return;
    }
    setPhase("sending");
    try {
      await props.session.submitSurvey(
        props.threadId as Parameters<SeekerSession["submitSurvey"]>[0],
        answers,
      );
      setPhase("thanks");
    } catch {
      setPhase("failed");
    }
  };

  const advance = (answer: string | undefined) => {
    const q = questions()[step()];
    if (q !== undefined && answer !== undefined) answers[q] = answer;
    setPicked(undefined);
    if (step() + 1 >= questions().length) {
      void finish();
      return;
    }
    setStep(step() + 1);
    requestAnimationFrame(() => legend?.focus());
  };

  return (
    <Show when={phase() !== "none" && phase() !== "loading"}>
      <section class="survey" aria-labelledby="survey-title">
        <h3 id="survey-title">{t().surveyTitle}</h3>
        <Switch>
          <Match when={phase() === "asking"}>
            <p>{t().surveyIntro}</p>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                advance(picked());
              }}
            >
              <p class="survey-step">{t().surveyStep(step() + 1, questions().length)}</p>
              <fieldset>
                <legend tabindex="-1" ref={legend}>
                  {t().surveyQuestion(questions()[step()] ?? "")}
                </legend>
                <div class="survey-options">
                  <For each={OPTIONS[questions()[step()] ?? ""] ?? []}>
                    {(option) => (
                      <label>
                        <input
                          type="radio"
                          name={`survey-${questions()[step()]}`}
                          value={option}
                          checked={picked() === option}
                          onChange={() => setPicked(option)}
                        />
                        {t().surveyOption(option)}
                      </label>
                    )}
                  </For>
                </div>
              </fieldset>
              <div class="survey-actions">
                <button type="submit" disabled={picked() === undefined} aria-describedby="survey-pick">
                  {t().surveyNext}
                </button>
                <button type="button" class="secondary" onClick={() => advance(undefined)}>
                  {t().surveySkip}
                </button>
                <button type="button" class="secondary" onClick={() => void finish()}>
                  {t().surveyStop}
                </button>
              </div>
              <p id="survey-pick" class="survey-step">
                {t().surveyPick}
              </p>
            </form>
          </Match>
          <Match when={phase() === "sending"}>
            <p role="status">{t().surveySending}</p>
          </Match>
          <Match when={phase() === "thanks"}>
            <p role="status">{t().surveyThanks}</p>
          </Match>
          <Match when={phase() === "nothing"}>
            <p role="status">{t().surveyNothing}</p>
          </Match>
          <Match when={phase() === "failed"}>
            <p role="alert">{t().surveyFailed}</p>
          </Match>
        </Switch>
      </section>
    </Show>
  );
}
