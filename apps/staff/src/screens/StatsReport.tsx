import type { AnnualReportContent } from "@briefgeheim/protocol";
import { createSignal, For, Show } from "solid-js";
import { Alert, Status } from "../components/common.js";
import { formatNumber, lookup, t } from "../i18n/index.js";
import { ANNUAL_FIGURES, SURVEY_QUESTION_IDS, SURVEY_QUESTIONS } from "../lib/survey-ids.js";
import { failure, requireStaff } from "../state/session.js";

/**
 * The annual report (issue 13 part 4): a preview of exactly what would be published (counts under 10
 * as "<10", percentages only over a base of 10 or more), then signed with this supervisor's key and
 * published for the network's table.
 */
export function StatsReport() {
  const staff = requireStaff();
  const [year, setYear] = createSignal(new Date().getUTCFullYear() - 1);
  const [preview, setPreview] = createSignal<AnnualReportContent | undefined>();
  const [busy, setBusy] = createSignal(false);
  const [published, setPublished] = createSignal<number | undefined>();
  const [error, setError] = createSignal<string | undefined>();

  const make = async () => {
    setBusy(true);
    setPublished(undefined);
    try {
      setPreview(await staff.statistics().annualReport(year()));
      setError(undefined);
    } catch (e) {
      setError(failure(e));
    } finally {
      setBusy(false);
    }
  };
  const publish = async () => {
    const p = preview();
    if (p === undefined) return;
    setBusy(true);
    try {
      await staff.statistics().publishAnnualReport(p);
      setPublished(p.year);
      setError(undefined);
    } catch (e) {
      setError(failure(e));
    } finally {
      setBusy(false);
    }
  };
  const shown = (v: number | string) => (typeof v === "number" ? formatNumber(v) : v);
  const pct = (v: number | null | undefined) =>
    v === null || v === undefined ? t().statsNone : t().statsPercent(formatNumber(v, 1));

  return (
    <section class="stats-section" aria-labelledby="stats-report-title">
      <h2 id="stats-report-title">{t().statsReport}</h2>
      <p>{t().statsReportLead}</p>
      <Alert message={error()} />
      <form
        class="stats-range"
        onSubmit={(e) => {
          e.preventDefault();
          void make();
        }}
      >
        <label>
          {t().statsReportYear}
          <input
            type="number"
            min="2000"
            max="9999"
            value={year()}
            onInput={(e) => setYear(Number(e.currentTarget.value))}
            required
          />
        </label>
        <button type="submit" class="secondary" disabled={busy()}>
          {t().statsReportPreview}
        </button>
      </form>
      <Show when={busy()}>
        <Status>{t().statsLoading}</Status>
      </Show>
      <Show when={preview()}>
        {(p) => (
          <div data-testid="stats-report-preview">
            <div class="stats-scroll">
              <table>
                <caption>{t().statsReportFigures(p().year)}</caption>
                <tbody>
                  <For each={ANNUAL_FIGURES}>
                    {(f) => (
                      <tr>
                        <th scope="row">{lookup(t().statsFigureNames, f) ?? f}</th>
                        <td>{shown(p().figures[f])}</td>
                      </tr>
                    )}
                  </For>
                  <tr>
                    <th scope="row">{t().statsFirstInTime}</th>
                    <td>{pct(p().firstInTimePercent)}</td>
                  </tr>
                </tbody>
              </table>
            </div>
            <For each={SURVEY_QUESTION_IDS}>
              {(q) => (
                <div class="stats-scroll">
                  <table>
                    <caption>
                      {lookup(t().surveyQuestions, q) ?? q} ({shown(p().survey.questions[q].answered)})
                    </caption>
                    <tbody>
                      <For each={SURVEY_QUESTIONS[q]}>
                        {(a) => (
                          <tr>
                            <th scope="row">{lookup(t().surveyOptions, a) ?? a}</th>
                            <td>{pct(p().survey.questions[q].percent?.[a])}</td>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                </div>
              )}
            </For>
            <p>
              <button type="button" onClick={() => void publish()} disabled={busy()}>
                {t().statsReportPublish(p().year)}
              </button>
            </p>
          </div>
        )}
      </Show>
      <Show when={published()}>{(y) => <Status>{t().statsReportPublished(y())}</Status>}</Show>
    </section>
  );
}
