/**
 * What the page's long tasks were made of (`BENCH_TRACE=1 npm run bench:inbox`): a Chromium trace
 * taken from the first row shown until every conversation is verified, and for each main-thread task
 * over 50 ms its time on a core (the rest it waited for one) and its biggest parts by self time
 * (scripts by function and file, GC, layout, paint, message handling). Not a timing figure: it says
 * where a long task's time went.
 */

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur?: number;
  /** Thread (CPU) time: much less than `dur` when the thread waited for a core. */
  readonly tdur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly args?: { readonly name?: string; readonly data?: Record<string, unknown> };
}

/** Chromium's categories for the main thread's tasks and what runs in them. */
export const TRACE_CATEGORIES = [
  "toplevel",
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "v8",
  "disabled-by-default-v8.gc",
  "blink",
];

function label(e: TraceEvent): string {
  const d = e.args?.data ?? {};
  if (e.name === "FunctionCall") {
    const file = String(d.url ?? "").replace(/^.*\//, "");
    return `FunctionCall ${String(d.functionName ?? "") || "(anonymous)"} ${file}:${String(d.lineNumber ?? "")}`;
  }
  if (e.name === "EventDispatch") return `EventDispatch ${String(d.type ?? "")}`;
  return e.name;
}

/**
 * One line per main-thread task longer than `overMs`: its length and its three biggest parts by self
 * time (a part's duration minus that of the parts inside it).
 */
export function summariseLongTasks(json: string, overMs = 50): string[] {
  const parsed = JSON.parse(json) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  const main = events.find(
    (e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain",
  );
  if (main === undefined) return ["(no renderer main thread in the trace)"];
  const onMain = events
    .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === "X" && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const lines: string[] = [];
  for (const task of onMain) {
    if (task.name !== "RunTask" || task.dur! < overMs * 1000) continue;
    const end = task.ts + task.dur!;
    const inside = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur! <= end);
    // Self time: an event's duration minus that of the events directly inside it (a stack walk).
    const child = new Map<TraceEvent, number>();
    const stack: TraceEvent[] = [];
    let outer = 0;
    for (const e of inside) {
      while (stack.length > 0 && stack.at(-1)!.ts + stack.at(-1)!.dur! <= e.ts) stack.pop();
      const parent = stack.at(-1);
      if (parent !== undefined) child.set(parent, (child.get(parent) ?? 0) + e.dur!);
      else outer += e.dur!;
      stack.push(e);
    }
    const self = new Map<string, number>();
    for (const e of inside) {
      const k = label(e);
      self.set(k, (self.get(k) ?? 0) + Math.max(0, e.dur! - (child.get(e) ?? 0)));
    }
    const direct = task.dur! - outer;
    if (direct > 0) self.set("(in the task, outside traced events)", direct);
    const top = [...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([k, us]) => `${k} ${(us / 1000).toFixed(0)} ms`);
    const cpu = task.tdur === undefined ? "" : ` (on a core ${(task.tdur / 1000).toFixed(0)} ms)`;
    lines.push(`${(task.dur! / 1000).toFixed(0)} ms${cpu}: ${top.join("; ")}`);
  }
  return lines;
}
