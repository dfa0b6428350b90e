/**
 * The statistics screen's arithmetic (screens/Stats.tsx), pure so it is tested on its own: days
 * grouped into periods, totals, reply times against the promise, and the CSV file.
 */
import { STATS_COUNTERS, type StatsCounter, type StatsDay } from "@briefgeheim/protocol";

export type Counter = StatsCounter;

export const COUNTERS = STATS_COUNTERS;

/** A period's figures: the day counters summed, labelled by its first day (`YYYY-MM-DD` or `YYYY-MM`). */
export interface Period extends Record<Counter, number> {
  readonly key: string;
  /** Midnight UTC of the period's first day, in seconds (the chart's x value). */
  readonly start: number;
}

export type Grouping = "day" | "month";

/** Days for ranges up to about two months, months beyond. */
export function groupingFor(from: string, to: string): Grouping {
  return (Date.parse(to) - Date.parse(from)) / 86_400_000 <= 62 ? "day" : "month";
}

function zero(key: string, startMs: number): Period {
  const p = { key, start: startMs / 1000 } as Record<string, number | string>;
  for (const c of COUNTERS) p[c] = 0;
  return p as unknown as Period;
}

/**
 * Every period of the range, in order, including the empty ones (a chart or table with gaps would
 * mislead), with the days' counters summed into them.
 */
export function groupDays(days: readonly StatsDay[], from: string, to: string, grouping: Grouping): Period[] {
  const periods: Period[] = [];
  const index = new Map<string, Period>();
  const keyOf = (day: string) => (grouping === "day" ? day : day.slice(0, 7));
  const cursor = new Date(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  while (cursor.getTime() <= end) {
    const day = cursor.toISOString().slice(0, 10);
    const key = keyOf(day);
    if (!index.has(key)) {
      const startMs = grouping === "day" ? cursor.getTime() : Date.parse(`${key}-01T00:00:00Z`);
      const p = zero(key, startMs);
      index.set(key, p);
      periods.push(p);
    }
    cursor.setUTCDate(cursor.getUTCDate() + (grouping === "day" ? 1 : 0));
    if (grouping === "month") cursor.setUTCMonth(cursor.getUTCMonth() + 1, 1);
  }
  for (const d of days) {
    const p = index.get(keyOf(d.day)) as Record<Counter, number> | undefined;
    if (p === undefined) continue;
    for (const c of COUNTERS) p[c] += d[c];
  }
  return periods;
}

/** The sum of every counter over the range. */
export function totalsOf(days: readonly StatsDay[]): Record<Counter, number> {
  const t = {} as Record<Counter, number>;
  for (const c of COUNTERS) t[c] = 0;
  for (const d of days) for (const c of COUNTERS) t[c] += d[c];
  return t;
}

/** A share in percent, or undefined when there is nothing to divide by. */
export function percent(part: number, whole: number): number | undefined {
  return whole === 0 ? undefined : (100 * part) / whole;
}

/** The mean in hours, or undefined without any. */
export function meanHours(sumMs: number, n: number): number | undefined {
  return n === 0 ? undefined : sumMs / n / 3_600_000;
}

/**
 * A CSV file that LibreOffice and Excel with Dutch settings open as columns: UTF-8 with a byte order
 * mark (else Excel reads it as Windows-1252), `;` between fields (Dutch Excel's list separator, as the
 * comma is its decimal sign), decimals with a comma, CRLF line ends, and fields quoted when they hold a
 * `;`, a quote or a line break. A leading `=`, `+`, `-` or `@` in text is prefixed with `'` so a
 * spreadsheet never runs it as a formula.
 */
export function toCsv(rows: readonly (readonly (string | number | undefined)[])[]): string {
  const cell = (v: string | number | undefined): string => {
    if (v === undefined) return "";
    if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toFixed(1).replace(".", ",");
    let s = /^[=+\-@]/.test(v) ? `'${v}` : v;
    if (/[;"\r\n]/.test(s)) s = `"${s.replaceAll('"', '""')}"`;
    return s;
  };
  return `\uFEFF${rows.map((r) => r.map(cell).join(";")).join("\r\n")}\r\n`;
}
