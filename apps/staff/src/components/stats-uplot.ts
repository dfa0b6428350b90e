/**
 * The chart library, loaded only when the statistics screen draws its first chart (a separate chunk:
 * nobody else pays for it). uPlot draws on a canvas and sets sizes through the CSSOM (`el.style`),
 * which a `style-src 'self'` CSP allows; its stylesheet comes in this chunk's CSS file.
 */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface ChartSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly color: string;
  /** The right-hand axis (e.g. percentages beside counts). */
  readonly right?: boolean;
}

/** Draws a line chart into `el` and returns a function that removes it. */
export function drawChart(
  el: HTMLElement,
  x: readonly number[],
  series: readonly ChartSeries[],
  opts: { width: number; height: number; rightLabel?: string; leftLabel?: string },
): () => void {
  const data = [x as number[], ...series.map((s) => s.values as (number | null)[])] as uPlot.AlignedData;
  const hasRight = series.some((s) => s.right);
  const plot = new uPlot(
    {
      width: opts.width,
      height: opts.height,
      // Days are UTC days: show them as such, whatever the browser's time zone.
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          scale: s.right ? "right" : "y",
          spanGaps: false,
        })),
      ],
      axes: [
        {},
        { scale: "y", ...(opts.leftLabel ? { label: opts.leftLabel } : {}) },
        ...(hasRight
          ? [
              {
                scale: "right",
                side: 1 as const,
                grid: { show: false },
                ...(opts.rightLabel ? { label: opts.rightLabel } : {}),
              },
            ]
          : []),
      ],
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    },
    data,
    el,
  );
  return () => plot.destroy();
}
