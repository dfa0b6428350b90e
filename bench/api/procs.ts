/** Child processes and worker threads of the API benchmark. */
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { ROOT_DIR, sleep } from "../../tests/support/api-world.js";

export interface Child {
  pid: number;
  port: number;
  stop(): Promise<void>;
}

/** Starts `node --import tsx <script>` and waits for its `{"event":"listening","port":N}` line. */
export async function startListening(script: string, logFile: string): Promise<Child> {
  const out = openSync(logFile, "a");
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: ROOT_DIR,
    stdio: ["ignore", out, "inherit"],
  });
  closeSync(out);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const m = /"event":"listening","port":(\d+)/.exec(readFileSync(logFile, "utf8"));
    if (m) {
      return {
        pid: child.pid!,
        port: Number(m[1]),
        stop: async () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const done = new Promise((r) => child.once("exit", r));
          child.kill("SIGTERM");
          await done;
        },
      };
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${script} did not start`);
    await sleep(50);
  }
}

/** Runs `node --import tsx <script> ...args` to its end and parses the last stdout line as JSON. */
export async function runJson<T>(script: string, args: string[], timeoutMs: number): Promise<T> {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: ROOT_DIR,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    out += d;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const code = await new Promise<number | null>((r) => child.once("exit", r));
  clearTimeout(timer);
  const last = out.trim().split("\n").at(-1) ?? "";
  if (code !== 0) throw new Error(`${script} exited with ${code}: ${last}`);
  return JSON.parse(last) as T;
}

/** Sends each request to one of `n` worker threads running `script`; results in request order. */
export async function inWorkers<Req, Res>(script: URL, n: number, requests: Req[]): Promise<Res[]> {
  const results: Res[] = new Array(requests.length);
  let next = 0;
  // Worker threads do not inherit tsx's loader: register it inside the worker, then load the script.
  const boot = `import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(script.href)}); });`;
  const workers = Array.from(
    { length: Math.min(n, requests.length) },
    () => new Worker(boot, { eval: true }),
  );
  try {
    await Promise.all(
      workers.map(async (w) => {
        while (next < requests.length) {
          const i = next++;
          results[i] = await new Promise<Res>((resolve, reject) => {
            const onError = (e: Error) => reject(e);
            w.once("error", onError);
            w.once("message", (m: Res) => {
              w.off("error", onError);
              resolve(m);
            });
            w.postMessage(requests[i]);
          });
        }
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
