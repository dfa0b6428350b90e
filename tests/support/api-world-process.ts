/**
 * The real API server as a child process (see tests/support/api-world.ts, which re-exports this):
 * start and stop it, read its CPU time and peak memory, and run the operator's CLI on its database.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const ADMIN = join(ROOT_DIR, "apps/api/src/admin.ts");

// ------------------------------------------------------------------------------------ the process

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** The server's stdout (one JSON line per event and request) so far. */
  log(): string;
  /** Peak resident memory (VmHWM) in KiB, from /proc; undefined once the process is gone. */
  peakRssKiB(): number | undefined;
  /** Resolves with the exit code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StartOptions {
  dbFile: string;
  /** Where the server's stdout goes (a file, so nobody has to drain a pipe). */
  logFile: string;
  env?: Record<string, string>;
  /** Extra node flags (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Another checkout's root to run its server instead (before/after comparisons). */
  root?: string;
  timeoutMs?: number;
}

export const BENCH_ORIGIN = "http://127.0.0.1";

/** Starts the real server on 127.0.0.1 with PORT=0 and waits for its `listening` line. */
export async function startServer(o: StartOptions): Promise<ServerProcess> {
  const out = openSync(o.logFile, "a");
  const root = o.root ?? ROOT_DIR;
  const child = spawn(
    process.execPath,
    [...(o.nodeArgs ?? []), "--import", "tsx", join(root, "apps/api/src/server.ts")],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: `file:${o.dbFile}`,
        PORT: "0",
        HOST: "127.0.0.1",
        ORIGIN: BENCH_ORIGIN,
        RATE_LIMIT_MULTIPLIER: "1000",
        ...o.env,
      },
      stdio: ["ignore", out, "pipe"],
    },
  );
  closeSync(out);
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (d: string) => {
    stderr = (stderr + d).slice(-20_000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const log = () => readFileSync(o.logFile, "utf8");
  const deadline = Date.now() + (o.timeoutMs ?? 30_000);
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  for (;;) {
    const text = log();
    let port: number | undefined;
    for (const line of text.split("\n")) {
      if (!line.includes('"listening"')) continue;
      const parsed = JSON.parse(line) as { event?: string; port?: number; pid?: number };
      // Servers before the pid was logged: a fresh log file has only this one's line.
      if (parsed.event === "listening" && (parsed.pid ?? child.pid) === child.pid) port = parsed.port;
    }
    if (port !== undefined) {
      const pid = child.pid!;
      return {
        child,
        pid,
        port,
        base: `http://127.0.0.1:${port}`,
        log,
        peakRssKiB: () => readPeakRss(pid),
        exited,
      };
    }
    if (gone) throw new Error(`the server exited before listening: ${stderr}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the server did not start within the time limit: ${stderr}`);
    }
    await sleep(50);
  }
}

/**
 * CPU time (user + system, ms) a process has used: all its threads, and its main thread alone
 * (/proc/<pid>/stat and /proc/<pid>/task/<pid>/stat; clock ticks of 10 ms).
 */
export function cpuTimeMs(pid: number): { all: number; main: number } {
  return { all: procStat(`/proc/${pid}/stat`).cpuMs, main: procStat(`/proc/${pid}/task/${pid}/stat`).cpuMs };
}

/**
 * The parent and the CPU time (user + system, ms; clock ticks of 10 ms) from a /proc `stat` file. The
 * fields are read after the last ")": the name before it may hold spaces and parentheses.
 */
export function procStat(file: string): { ppid: number; cpuMs: number } {
  const text = readFileSync(file, "utf8");
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { ppid: Number(fields[1]), cpuMs: (Number(fields[11]) + Number(fields[12])) * 10 };
}

/** VmHWM of a process in KiB (peak resident set size). */
export function readPeakRss(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Stops the server with a signal and waits (SIGKILL after `graceMs`). */
export async function stopServer(s: ServerProcess, signal: NodeJS.Signals = "SIGTERM", graceMs = 10_000) {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return s.exited;
  s.child.kill(signal);
  const timer = setTimeout(() => s.child.kill("SIGKILL"), graceMs);
  const result = await s.exited;
  clearTimeout(timer);
  return result;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** `npm run admin -- helpline create ...` on the database file; returns the id and the invite token. */
export async function createHelplineWithCli(
  dbFile: string,
  h: { slug: string; name: string; tag: number; replyHours?: number },
): Promise<{ helplineId: string; token: string }> {
  const args = [
    "--import",
    "tsx",
    ADMIN,
    "helpline",
    "create",
    "--slug",
    h.slug,
    "--name",
    h.name,
    "--tag",
    String(h.tag),
    "--reply-hours",
    String(h.replyHours ?? 72),
  ];
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd: ROOT_DIR, env: { ...process.env, DATABASE_URL: `file:${dbFile}`, ORIGIN: BENCH_ORIGIN } },
      (error, out, err) =>
        error ? reject(new Error(`admin failed: ${err || error.message}`)) : resolve(out),
    );
  });
  const id = /\(id ([A-Za-z0-9_-]{22}),/.exec(stdout)?.[1];
  const token = /#\/invite\/([A-Za-z0-9_-]+)/.exec(stdout)?.[1];
  if (!id || !token) throw new Error(`unexpected admin output: ${stdout}`);
  return { helplineId: id, token };
}
