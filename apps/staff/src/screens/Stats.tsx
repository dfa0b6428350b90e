import type { SurveyTally, TeamMember } from "@briefgeheim/client";
import type { StatsResponse } from "@briefgeheim/protocol";
import { createMemo, createSignal, For, onMount, Show } from "solid-js";
import { Alert, Status } from "../components/common.js";
import { PeriodTable } from "../components/PeriodTable.js";
import { StatsChart } from "../components/StatsChart.js";
import { formatNumber, t } from "../i18n/index.js";
import { nameOf } from "../lib/roster.js";
import { type Grouping, groupDays, groupingFor, meanHours, percent, totalsOf } from "../lib/stats.js";
import { failure, requireStaff } from "../state/session.js";
import { StatsReport } from "./StatsReport.js";
import { StatsSurvey } from "./StatsSurvey.js";
import { downloadStatsCsv } from "./stats-csv.js";
import "../styles/stats.css";

const today = () => new Date().toISOString().slice(0, 10);
const yearStart = (y: number) => `${y}-01-01`;

/** Supervisors: figures over time from metadata, workload, survey answers counted here, CSV. */
export function Stats() {
  const staff = requireStaff();
  const [from, setFrom] = createSignal(yearStart(new Date().getUTCFullYear()));
  const [to, setTo] = createSignal(today());
  const [data, setData] = createSignal<StatsResponse | undefined>();
  const [team, setTeam] = createSignal<TeamMember[]>([]);
  const [tally, setTally] = createSignal<SurveyTally | undefined>();
  const [error, setError] = createSignal<string | undefined>();
  const [loading, setLoading] = createSignal(false);

  const load = async () => {
    if (!(from() <= to())) {
      setError(t().statsBadRange);
      return;
    }
    setLoading(true);
    try {
      const [figures, members] = await Promise.all([
        staff.statistics().figures({ from: from(), to: to() }),
        team().length > 0 ? Promise.resolve(team()) : staff.listStaff(),
      ]);
      setData(figures);
      setTeam(members);
      setTally(undefined);
      setError(undefined);
    } catch (e) {
      setError(failure(e));
    } finally {
      setLoading(false);
    }
  };
  onMount(() => void load());

  const grouping = createMemo<Grouping>(() => {
    const d = data();
    return d === undefined ? "month" : groupingFor(d.from, d.to);
  });
  const periods = createMemo(() => {
    const d = data();
    return d === undefined ? [] : groupDays(d.days, d.from, d.to, grouping());
  });
  const totals = createMemo(() => totalsOf(data()?.days ?? []));
  const pct = (v: number | undefined) =>
    v === undefined ? t().statsNone : t().statsPercent(formatNumber(v, 1));
  const hours = (v: number | undefined) =>
    v === undefined ? t().statsNone : t().statsHours(formatNumber(v, 1));
  const member = (id: string) => {
    const m = team().find((x) => x.id === id);
    return nameOf(staff, id, m === undefined ? undefined : (m.displayName ?? m.username));
  };
  const preset = (f: string, tt: string) => {
    setFrom(f);
    setTo(tt);
    void load();
  };

  return (
    <section aria-labelledby="stats-title">
      <h1 id="stats-title">{t().statsTitle}</h1>
      <p class="lead">{t().statsLead}</p>
      <form
        class="stats-range"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <label>
          {t().statsFrom}
          <input type="date" value={from()} onInput={(e) => setFrom(e.currentTarget.value)} required />
        </label>
        <label>
          {t().statsTo}
          <input type="date" value={to()} onInput={(e) => setTo(e.currentTarget.value)} required />
        </label>
        <button type="submit">{t().statsShow}</button>
        <button
          type="button"
          class="secondary"
          onClick={() => preset(yearStart(new Date().getUTCFullYear()), today())}
        >
          {t().statsThisYear}
        </button>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            const y = new Date().getUTCFullYear() - 1;
            preset(yearStart(y), `${y}-12-31`);
          }}
        >
          {t().statsLastYear}
        </button>
        <button
          type="button"
          class="secondary"
          onClick={() => preset(new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10), today())}
        >
          {t().statsLast30}
        </button>
      </form>
      <Alert message={error()} />
      <Show when={loading()}>
        <Status>{t().statsLoading}</Status>
      </Show>
      <Show when={data()}>
        {(d) => (
          <>
            <h2>{t().statsTotals}</h2>
            <p>{t().statsPromise(d().replyTimeHours)}</p>
            <dl class="stats-totals" data-testid="stats-totals">
              <div>
                <dt>{t().statsConversations}</dt>
                <dd data-testid="total-conversations">{formatNumber(totals().conversations)}</dd>
              </div>
              <div>
                <dt>{t().statsSeekerMessages}</dt>
                <dd>{formatNumber(totals().seekerMessages)}</dd>
              </div>
              <div>
                <dt>{t().statsStaffMessages}</dt>
                <dd>{formatNumber(totals().staffMessages)}</dd>
              </div>
              <div>
                <dt>{t().statsFirstReplies}</dt>
                <dd>{formatNumber(totals().firstReplies)}</dd>
              </div>
              <div>
                <dt>{t().statsFirstInTime}</dt>
                <dd>{pct(percent(totals().firstInTime, totals().firstReplies))}</dd>
              </div>
              <div>
                <dt>{t().statsMeanFirst}</dt>
                <dd>{hours(meanHours(totals().firstReplyMs, totals().firstReplies))}</dd>
              </div>
              <div>
                <dt>{t().statsRepliesInTime}</dt>
                <dd>{pct(percent(totals().repliesInTime, totals().replies))}</dd>
              </div>
              <div>
                <dt>{t().statsClosed}</dt>
                <dd>{formatNumber(totals().closed)}</dd>
              </div>
              <div>
                <dt>{t().statsReassigned}</dt>
                <dd>{formatNumber(totals().reassigned)}</dd>
              </div>
              <div>
                <dt>{t().statsDeleted}</dt>
                <dd>{formatNumber(totals().deleted)}</dd>
              </div>
              <div>
                <dt>{t().statsExpired}</dt>
                <dd>{formatNumber(totals().expired)}</dd>
              </div>
            </dl>
            <p>
              <button
                type="button"
                onClick={() => downloadStatsCsv(d(), periods(), tally(), member)}
                aria-describedby="stats-csv-hint"
              >
                {t().statsCsv}
              </button>{" "}
              <span id="stats-csv-hint" class="hint">
                {t().statsCsvHint}
              </span>
            </p>

            <StatsChart
              title={t().statsChartVolume}
              label={t().statsChartVolumeLabel}
              x={periods().map((p) => p.start)}
              series={[
                {
                  label: t().statsConversations,
                  values: periods().map((p) => p.conversations),
                  color: "#1d4f91",
                },
                {
                  label: t().statsSeekerMessages,
                  values: periods().map((p) => p.seekerMessages),
                  color: "#0b6b3a",
                },
                {
                  label: t().statsStaffMessages,
                  values: periods().map((p) => p.staffMessages),
                  color: "#8a5a00",
                },
              ]}
              table={() => (
                <PeriodTable
                  testId="stats-volume-table"
                  periods={periods()}
                  columns={[
                    { label: t().statsConversations, value: (p) => p.conversations },
                    { label: t().statsSeekerMessages, value: (p) => p.seekerMessages },
                    { label: t().statsStaffMessages, value: (p) => p.staffMessages },
                    { label: t().statsClosed, value: (p) => p.closed },
                    { label: t().statsReassigned, value: (p) => p.reassigned },
                    { label: t().statsDeleted, value: (p) => p.deleted },
                    { label: t().statsExpired, value: (p) => p.expired },
                  ]}
                />
              )}
            />

            <StatsChart
              title={t().statsChartReply}
              label={t().statsChartReplyLabel}
              x={periods().map((p) => p.start)}
              leftLabel={t().statsMeanHours}
              rightLabel={t().statsShareInTime}
              series={[
                {
                  label: t().statsMeanHours,
                  values: periods().map((p) => meanHours(p.firstReplyMs, p.firstReplies) ?? null),
                  color: "#a4161a",
                },
                {
                  label: t().statsShareInTime,
                  values: periods().map((p) => percent(p.firstInTime, p.firstReplies) ?? null),
                  color: "#1d4f91",
                  right: true,
                },
              ]}
              table={() => (
                <PeriodTable
                  testId="stats-reply-table"
                  periods={periods()}
                  columns={[
                    { label: t().statsFirstReplies, value: (p) => p.firstReplies },
                    {
                      label: t().statsShareInTime,
                      value: (p) => pct(percent(p.firstInTime, p.firstReplies)),
                    },
                    {
                      label: t().statsMeanHours,
                      value: (p) => hours(meanHours(p.firstReplyMs, p.firstReplies)),
                    },
                    { label: t().statsWithin1h, value: (p) => p.firstWithin1h },
                    { label: t().statsWithin24h, value: (p) => p.firstWithin24h },
                  ]}
                />
              )}
            />

            <section class="stats-section" aria-labelledby="stats-work-title">
              <h2 id="stats-work-title">{t().statsWorkload}</h2>
              <Show when={d().members.length > 0} fallback={<p>{t().statsNoWork}</p>}>
                <div class="stats-scroll">
                  <table data-testid="stats-work-table">
                    <thead>
                      <tr>
                        <th scope="col">{t().statsMember}</th>
                        <th scope="col">{t().statsReplies}</th>
                        <th scope="col">{t().statsFirstRepliesShort}</th>
                        <th scope="col">{t().statsTaken}</th>
                        <th scope="col">{t().statsOpenNow}</th>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={d().members}>
                        {(m) => (
                          <tr>
                            <th scope="row">{member(m.memberId)}</th>
                            <td>{m.replies}</td>
                            <td>{m.firstReplies}</td>
                            <td>{m.taken}</td>
                            <td>{m.openNow}</td>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                </div>
              </Show>
            </section>

            <StatsSurvey range={{ from: d().from, to: d().to }} tally={tally()} onTally={setTally} />
            <StatsReport />
          </>
        )}
      </Show>
    </section>
  );
}
