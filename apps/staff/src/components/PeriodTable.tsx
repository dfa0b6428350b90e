import { For } from "solid-js";
import { t } from "../i18n/index.js";
import type { Period } from "../lib/stats.js";

/** One column of a period table: its header and what a period shows in it. */
export interface PeriodColumn {
  readonly label: string;
  readonly value: (p: Period) => string | number;
}

/**
 * A chart's table alternative (screen readers, copying figures): one row per period, headed by the
 * period's label, one column per figure.
 */
export function PeriodTable(props: {
  testId: string;
  periods: readonly Period[];
  columns: readonly PeriodColumn[];
}) {
  return (
    <div class="stats-scroll">
      <table data-testid={props.testId}>
        <thead>
          <tr>
            <th scope="col">{t().statsPeriod}</th>
            <For each={props.columns}>{(c) => <th scope="col">{c.label}</th>}</For>
          </tr>
        </thead>
        <tbody>
          <For each={props.periods}>
            {(p) => (
              <tr>
                <th scope="row">{p.key}</th>
                <For each={props.columns}>{(c) => <td>{c.value(p)}</td>}</For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
