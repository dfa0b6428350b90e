import type { StatsDay } from "@briefgeheim/protocol";
import { describe, expect, it } from "vitest";
import { COUNTERS, groupDays, groupingFor, meanHours, percent, toCsv, totalsOf } from "./stats.js";

function day(d: string, over: Partial<StatsDay>): StatsDay {
  const out = { day: d } as Record<string, unknown>;
  for (const c of COUNTERS) out[c] = 0;
  return { ...(out as StatsDay), ...over };
}

describe("statistics arithmetic", () => {
  it("groups days into every day or month of the range, empty ones included", () => {
    const days = [
      day("2026-01-31", { conversations: 2 }),
      day("2026-03-01", { conversations: 5, closed: 1 }),
    ];
    const months = groupDays(days, "2026-01-15", "2026-03-10", "month");
    expect(months.map((p) => [p.key, p.conversations, p.closed])).toEqual([
      ["2026-01", 2, 0],
      ["2026-02", 0, 0],
      ["2026-03", 5, 1],
    ]);
    expect(months[1]!.start).toBe(Date.parse("2026-02-01T00:00:00Z") / 1000);
    const daily = groupDays(days, "2026-01-30", "2026-02-02", "day");
    expect(daily.map((p) => [p.key, p.conversations])).toEqual([
      ["2026-01-30", 0],
      ["2026-01-31", 2],
      ["2026-02-01", 0],
      ["2026-02-02", 0],
    ]);
    // A whole year by month: 12 periods, and the sum is kept.
    const year = groupDays(days, "2026-01-01", "2026-12-31", "month");
    expect(year).toHaveLength(12);
    expect(year.reduce((n, p) => n + p.conversations, 0)).toBe(7);
    expect(groupingFor("2026-01-01", "2026-03-03")).toBe("day");
    expect(groupingFor("2026-01-01", "2026-03-05")).toBe("month");
  });

  it("totals, shares and means say nothing where there is nothing", () => {
    const t = totalsOf([day("2026-01-01", { firstReplies: 2, firstReplyMs: 7_200_000, firstInTime: 1 })]);
    expect(t.firstReplies).toBe(2);
    expect(percent(t.firstInTime, t.firstReplies)).toBe(50);
    expect(meanHours(t.firstReplyMs, t.firstReplies)).toBe(1);
    expect(percent(1, 0)).toBeUndefined();
    expect(meanHours(0, 0)).toBeUndefined();
  });

  it("writes CSV for Dutch spreadsheets: BOM, semicolons, decimal commas, CRLF, quoting, no formulas", () => {
    const csv = toCsv([
      ["Periode", "Gesprekken", "Gem. uren"],
      ["2026-01", 12, 3.25],
      ['Anna "A"; team', undefined, 0.5],
      ["=HYPERLINK(1)", -3, 1],
    ]);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.slice(1).split("\r\n")).toEqual([
      "Periode;Gesprekken;Gem. uren",
      "2026-01;12;3,3",
      '"Anna ""A""; team";;0,5',
      "'=HYPERLINK(1);-3;1",
      "",
    ]);
  });
});
