import { createEffect, createSignal, onCleanup, Show } from "solid-js";
import { t } from "../i18n/index.js";
import type { ChartSeries } from "./stats-uplot.js";

/**
 * A chart with its figures as a table (issue 13: every chart has a table alternative). The chart is
 * decoration for sighted users (`aria-hidden`, its label says the table has the same figures); the
 * table, in a disclosure right below, is what screen readers and keyboards use. uPlot is imported
 * lazily on the first draw.
 */
export function StatsChart(props: {
  title: string;
  label: string;
  x: readonly number[];
  series: readonly ChartSeries[];
  leftLabel?: string;
  rightLabel?: string;
  table: () => import("solid-js").JSX.Element;
}) {
  let box: HTMLDivElement | undefined;
  let destroy: (() => void) | undefined;
  const [failed, setFailed] = createSignal(false);
  createEffect(() => {
    const x = props.x;
    const series = props.series;
    void (async () => {
      try {
        const { drawChart } = await import("./stats-uplot.js");
        destroy?.();
        if (box === undefined) return;
        const width = Math.max(280, Math.min(900, box.clientWidth || 600));
        destroy = drawChart(box, x, series, {
          width,
          height: 240,
          ...(props.leftLabel ? { leftLabel: props.leftLabel } : {}),
          ...(props.rightLabel ? { rightLabel: props.rightLabel } : {}),
        });
      } catch {
        setFailed(true);
      }
    })();
  });
  onCleanup(() => destroy?.());
  return (
    <figure class="stats-chart">
      <figcaption>
        <h3>{props.title}</h3>
        <p class="hint">{props.label}</p>
      </figcaption>
      <div class="stats-chart-canvas" ref={box} aria-hidden="true" data-testid="stats-chart" />
      <Show when={failed()}>
        <p class="warning">{t().statsChartFailed}</p>
      </Show>
      <details class="stats-table">
        <summary>{t().statsAsTable}</summary>
        {props.table()}
      </details>
    </figure>
  );
}
