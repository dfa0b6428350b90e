/**
 * Where a Chromium page's time goes, for the benches (BENCH_STATS_PROFILE / BENCH_STATS_TRACE,
 * BENCH_THREAD_PROFILE): the CDP sampling profiler on the page's thread (JavaScript self time by
 * function), and a trace (CDP `Tracing`, the DevTools timeline categories) summed per event name on
 * each thread of the renderer, which names what a JS profile shows only as "(program)". Trace self
 * time: an event's duration less that of the complete events nested in it on the same thread.
 */
import type { Page } from "playwright-core";

/** Starts the CDP sampling profiler on the page's main thread; the returned function stops it and sums self time. */
export async function startProfile(page: Page): Promise<() => Promise<string[]>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 500 });
  await cdp.send("Profiler.start");
  return async () => {
    const { profile } = await cdp.send("Profiler.stop");
    const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    const deltas = profile.timeDeltas ?? [];
    for (const [i, id] of (profile.samples ?? []).entries()) {
      const f = byNode.get(id)!.callFrame;
      const name = `${f.functionName || "(anonymous)"} ${f.url.split("/").pop() ?? ""}:${f.lineNumber + 1}`;
      self.set(name, (self.get(name) ?? 0) + (deltas[i] ?? 0) / 1000);
    }
    await cdp.detach();
    const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30);
    return [
      "| function | self time (ms) |",
      "|---|---|",
      ...top.map(([n, ms]) => `| ${n} | ${ms.toFixed(0)} |`),
    ];
  };
}

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly args?: { name?: string };
}

export async function startTrace(page: Page): Promise<() => Promise<string[]>> {
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on("Tracing.dataCollected", (e) => events.push(...(e.value as unknown as TraceEvent[])));
  await cdp.send("Tracing.start", {
    categories: "devtools.timeline,disabled-by-default-devtools.timeline,v8,v8.execute,blink,loading",
    transferMode: "ReportEvents",
  });
  return async () => {
    const done = new Promise<void>((resolve) => cdp.once("Tracing.tracingComplete", () => resolve()));
    await cdp.send("Tracing.end");
    await done;
    await cdp.detach();
    const threadName = new Map<string, string>();
    for (const e of events) {
      if (e.ph === "M" && e.name === "thread_name") threadName.set(`${e.pid}:${e.tid}`, e.args?.name ?? "?");
    }
    // Per thread: complete events sorted by start; self time = duration - nested children's durations.
    const byThread = new Map<string, TraceEvent[]>();
    for (const e of events) {
      if (e.ph !== "X" || e.dur === undefined) continue;
      const key = `${e.pid}:${e.tid}`;
      (byThread.get(key) ?? byThread.set(key, []).get(key)!).push(e);
    }
    const self = new Map<string, number>();
    for (const [key, list] of byThread) {
      list.sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
      const stack: { end: number; name: string }[] = [];
      const selfOf = new Map<TraceEvent, number>();
      const open: TraceEvent[] = [];
      for (const e of list) {
        while (stack.length > 0 && stack.at(-1)!.end <= e.ts) {
          stack.pop();
          open.pop();
        }
        const parent = open.at(-1);
        if (parent !== undefined) selfOf.set(parent, (selfOf.get(parent) ?? parent.dur!) - e.dur!);
        selfOf.set(e, e.dur!);
        stack.push({ end: e.ts + e.dur!, name: e.name });
        open.push(e);
      }
      const thread = threadName.get(key) ?? key;
      for (const [e, us] of selfOf) {
        const name = `${thread} · ${e.name}`;
        self.set(name, (self.get(name) ?? 0) + us / 1000);
      }
    }
    const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30);
    return [
      "| thread · event | self time (ms) |",
      "|---|---|",
      ...top.map(([n, ms]) => `| ${n} | ${ms.toFixed(0)} |`),
    ];
  };
}
