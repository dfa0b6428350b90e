/**
 * CPU time of this process (the in-process API server and the bench) and of its descendants (the
 * Chromium processes), read from /proc: to tell, over a span of wall time, how much CPU the work took
 * on both sides and so whether the cores were the limit. Linux only; elsewhere the figures are NaN.
 */
import { readdirSync, readFileSync } from "node:fs";
import { procStat } from "../../tests/support/api-world-process.js";

interface Stat {
  readonly ppid: number;
  readonly cpuS: number;
}

function stat(pid: number): Stat | undefined {
  try {
    const { ppid, cpuMs } = procStat(`/proc/${pid}/stat`);
    return { ppid, cpuS: cpuMs / 1000 };
  } catch {
    return undefined;
  }
}

/**
 * Chromium's kind of process, from its command line (which Chromium rewrites as one line, without
 * `--type=`): the renderer of a page (with its workers), the GPU process, a utility (network,
 * storage), or the browser process itself.
 */
function kindOf(pid: number): string {
  try {
    const line = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    if (line.includes("--renderer-client-id=")) return "renderer";
    if (line.includes("--gpu-preferences=")) return "gpu";
    if (line.includes("--shared-files")) return "utility";
    return line.split(/[\0 ]/)[0]?.split("/").pop() || "?";
  } catch {
    return "?";
  }
}

/**
 * A renderer's CPU by thread name (`/proc/<pid>/task/<tid>/comm`): the page's thread (`main`, the
 * process's first thread), its Web Workers (`DedicatedWorker`), V8's helpers; threads that ended are
 * no longer counted.
 */
function rendererThreads(pid: number, into: Map<string, number>): void {
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      // The main thread's name is the process's own: it is the page's thread.
      const name =
        Number(tid) === pid ? "main" : readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim();
      const { cpuMs } = procStat(`/proc/${pid}/task/${tid}/stat`);
      into.set(name, (into.get(name) ?? 0) + cpuMs / 1000);
    }
  } catch {
    // The process or a thread ended while it was read.
  }
}

/**
 * CPU seconds so far: this process, all its descendants together, those by process type, and the
 * renderers' by thread name (`threads`).
 */
export function cpuSeconds(): {
  self: number;
  children: number;
  byKind: Map<string, number>;
  threads: Map<string, number>;
} {
  const self = process.cpuUsage();
  let pids: number[];
  try {
    pids = readdirSync("/proc")
      .filter((d) => /^\d+$/.test(d))
      .map(Number);
  } catch {
    return {
      self: (self.user + self.system) / 1e6,
      children: Number.NaN,
      byKind: new Map(),
      threads: new Map(),
    };
  }
  const stats = new Map<number, Stat>();
  for (const pid of pids) {
    const s = stat(pid);
    if (s !== undefined) stats.set(pid, s);
  }
  const isDescendant = (pid: number): boolean => {
    for (let p = stats.get(pid)?.ppid, hops = 0; p !== undefined && p > 1 && hops < 64; hops++) {
      if (p === process.pid) return true;
      p = stats.get(p)?.ppid;
    }
    return false;
  };
  let children = 0;
  const byKind = new Map<string, number>();
  const threads = new Map<string, number>();
  for (const [pid, s] of stats) {
    if (pid === process.pid || !isDescendant(pid)) continue;
    children += s.cpuS;
    const kind = kindOf(pid);
    byKind.set(kind, (byKind.get(kind) ?? 0) + s.cpuS);
    if (kind === "renderer") rendererThreads(pid, threads);
  }
  return { self: (self.user + self.system) / 1e6, children, byKind, threads };
}

type CpuSeconds = ReturnType<typeof cpuSeconds>;

/** What each side spent between two readings of `cpuSeconds`, by kind of Chromium process too. */
export function cpuBetween(before: CpuSeconds, after: CpuSeconds): CpuSeconds {
  return {
    self: after.self - before.self,
    children: after.children - before.children,
    byKind: minus(after.byKind, before.byKind),
    threads: minus(after.threads, before.threads),
  };
}

/** Each entry of `after` less the same entry of `before` (0 where `before` has none). */
function minus(after: ReadonlyMap<string, number>, before: ReadonlyMap<string, number>): Map<string, number> {
  return new Map([...after].map(([key, s]) => [key, s - (before.get(key) ?? 0)]));
}
