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

/** CPU seconds so far: this process, all its descendants together, and those by process type. */
export function cpuSeconds(): { self: number; children: number; byKind: Map<string, number> } {
  const self = process.cpuUsage();
  let pids: number[];
  try {
    pids = readdirSync("/proc")
      .filter((d) => /^\d+$/.test(d))
      .map(Number);
  } catch {
    return { self: (self.user + self.system) / 1e6, children: Number.NaN, byKind: new Map() };
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
  for (const [pid, s] of stats) {
    if (pid === process.pid || !isDescendant(pid)) continue;
    children += s.cpuS;
    const kind = kindOf(pid);
    byKind.set(kind, (byKind.get(kind) ?? 0) + s.cpuS);
  }
  return { self: (self.user + self.system) / 1e6, children, byKind };
}

type CpuSeconds = ReturnType<typeof cpuSeconds>;

/** What each side spent between two readings of `cpuSeconds`, by kind of Chromium process too. */
export function cpuBetween(before: CpuSeconds, after: CpuSeconds): CpuSeconds {
  const byKind = new Map<string, number>();
  for (const [kind, s] of after.byKind) byKind.set(kind, s - (before.byKind.get(kind) ?? 0));
  return { self: after.self - before.self, children: after.children - before.children, byKind };
}
