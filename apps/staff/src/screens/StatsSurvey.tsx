import type { DayRange, SurveyTally } from "@briefgeheim/client";
import { createSignal, For, onMount, Show } from "solid-js";
import { Alert, Status } from "../components/common.js";
import { formatNumber, lookup, t } from "../i18n/index.js";
import { percent } from "../lib/stats.js";
import { SURVEY_QUESTION_IDS, SURVEY_QUESTIONS, type SurveyQuestion } from "../lib/survey-ids.js";
import { failure, requireStaff } from "../state/session.js";
import { ensurePool } from "../state/threads.js";

/**
 * The survey part of the statistics screen: which questions help-seekers get (saved on the server,
 * metadata), and their sealed answers fetched and counted in this browser (nothing per conversation
 * is shown or kept).
 */
export function StatsSurvey(props: {
  range: DayRange;
  tally: SurveyTally | undefined;
  onTally: (t: SurveyTally) => void;
}) {
  const staff = requireStaff();
  const [asked, setAsked] = createSignal<SurveyQuestion[]>([]);
  const [saved, setSaved] = createSignal(false);
  const [counting, setCounting] = createSignal<number | undefined>();
  const [error, setError] = createSignal<string | undefined>();

  onMount(async () => {
    // The crypto workers count a few made-up answers now, so the first real count does not also pay
    // for compiling their code (survey-warm-up.ts). Best effort: a failure here shows nothing.
    void ensurePool(staff)
      .then(() => staff.statistics().warmUpCount())
      .catch(() => undefined);
    try {
      setAsked(await staff.statistics().questions());
    } catch (e) {
      setError(failure(e));
    }
  });

  const toggle = (q: SurveyQuestion, on: boolean) => {
    setSaved(false);
    // Keep the fixed order of the questions.
    setAsked(SURVEY_QUESTION_IDS.filter((x) => (x === q ? on : asked().includes(x))));
  };
  const save = async () => {
    try {
      setAsked(await staff.statistics().saveQuestions(asked()));
      setSaved(true);
      setError(undefined);
    } catch (e) {
      setError(failure(e));
    }
  };
  const count = async () => {
    setCounting(0);
    try {
      // The answers are opened in the crypto workers when the browser has them (the inbox usually
      // started them already); without, on this thread in short jobs.
      await ensurePool(staff);
      props.onTally(await staff.statistics().tallySurvey(props.range, (p) => setCounting(p.done)));
      setError(undefined);
    } catch (e) {
      setError(failure(e));
    } finally {
      setCounting(undefined);
    }
  };
  const qLabel = (q: string) => lookup(t().surveyQuestions, q) ?? q;
  const aLabel = (a: string) => lookup(t().surveyOptions, a) ?? a;

  return (
    <section class="stats-section" aria-labelledby="stats-survey-title">
      <h2 id="stats-survey-title">{t().statsSurvey}</h2>
      <p>{t().statsSurveyLead}</p>
      <Alert message={error()} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <fieldset class="stats-questions">
          <legend>{t().statsSurveyAsk}</legend>
          <For each={SURVEY_QUESTION_IDS}>
            {(q) => (
              <label>
                <input
                  type="checkbox"
                  checked={asked().includes(q)}
                  onChange={(e) => toggle(q, e.currentTarget.checked)}
                />
                {qLabel(q)}
              </label>
            )}
          </For>
        </fieldset>
        <button type="submit" class="secondary">
          {t().statsSurveySave}
        </button>
        <Show when={saved()}>
          <Status>{t().statsSurveySaved}</Status>
        </Show>
      </form>
      <p>
        <button type="button" onClick={() => void count()} disabled={counting() !== undefined}>
          {t().statsSurveyCount}
        </button>
      </p>
      <Show when={counting() !== undefined}>
        <Status>{t().statsSurveyCounting(counting() ?? 0)}</Status>
      </Show>
      <Show when={props.tally}>
        {(tally) => (
          <div data-testid="stats-survey-result">
            <Status>{t().statsSurveyRecords(tally().records)}</Status>
            <Show when={tally().unreadable.noKey > 0}>
              <p class="hint">{t().statsSurveyNoKey(tally().unreadable.noKey)}</p>
            </Show>
            <Show when={tally().unreadable.invalid > 0}>
              <p class="warning">{t().statsSurveyInvalid(tally().unreadable.invalid)}</p>
            </Show>
            <Show when={tally().repeated > 0}>
              <p class="warning">{t().statsSurveyRepeated(tally().repeated)}</p>
            </Show>
            <For each={SURVEY_QUESTION_IDS}>
              {(q) => (
                <div class="stats-scroll">
                  <table data-testid={`stats-survey-${q}`}>
                    <caption>
                      {qLabel(q)} ({t().statsAnswered(tally().questions[q].answered)})
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">{t().statsAnswer}</th>
                        <th scope="col">{t().statsCount}</th>
                        <th scope="col">{t().statsShare}</th>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={SURVEY_QUESTIONS[q]}>
                        {(a) => {
                          const n = () => tally().questions[q].counts[a] ?? 0;
                          const share = () => percent(n(), tally().questions[q].answered);
                          return (
                            <tr>
                              <th scope="row">{aLabel(a)}</th>
                              <td>{n()}</td>
                              <td>
                                {share() === undefined
                                  ? t().statsNone
                                  : t().statsPercent(formatNumber(share() ?? 0, 1))}
                              </td>
                            </tr>
                          );
                        }}
                      </For>
                    </tbody>
                  </table>
                </div>
              )}
            </For>
          </div>
        )}
      </Show>
    </section>
  );
}
