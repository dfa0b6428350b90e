/**
 * Part 1 of the API benchmark: requests/s of acknowledged, authenticated envelope posts against the
 * bare Hono JSON echo (the ceiling), same load generator, same request bodies, same connections.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  buildThread,
  call,
  messageText,
  newSeeker,
  type SeekerSession,
  type World,
} from "../../tests/support/api-world.js";
import { inWorkers, runJson } from "./procs.js";
import type { PostJob, WorkerRequest } from "./seal-worker.js";

export interface LoadResult {
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationSec: number;
  perSecond: number;
  latencyP50: number;
  latencyP99: number;
}

export interface PostsConfig {
  connections: number;
  threadsPerConnection: number;
  messagesPerThread: number;
  durationSec: number;
  sealWorkers: number;
}

/** Runs `fn` over `items` with at most `limit` at a time. */
export async function pool<T, R>(
  items: T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

export interface PreparedPosts {
  planFile: string;
  requests: number;
  meanBodyBytes: number;
  threads: number;
  seekers: number;
}

/** Signs in one help-seeker per thread, opens the threads, seals every later message in workers. */
export async function preparePosts(w: World, dir: string, cfg: PostsConfig): Promise<PreparedPosts> {
  const nThreads = cfg.connections * cfg.threadsPerConnection;
  const seekers: SeekerSession[] = await pool(
    Array.from({ length: nThreads }, (_, i) => i),
    16,
    () => newSeeker(w),
  );
  const threads = await pool(seekers, 16, async (s, i) => {
    const t = buildThread(w.sodium, w.random, w, s, messageText(i, 800));
    const res = await call(w.base, "POST", "/api/threads", t.request, s.cookie);
    if (res.status !== 200) throw new Error(`open thread: ${res.status} ${JSON.stringify(res.body)}`);
    return { threadId: t.threadId, keys: t.keys, seeker: s };
  });
  const jobs: PostJob[] = threads.map((t) => ({
    threadId: t.threadId,
    keys: t.keys,
    sender: t.seeker.messageSign,
    fromSeq: 2,
    count: cfg.messagesPerThread,
  }));
  // Chunks of 8 threads per worker request.
  const chunks: WorkerRequest[] = [];
  for (let i = 0; i < jobs.length; i += 8)
    chunks.push({ kind: "posts", helplineId: w.helplineId, jobs: jobs.slice(i, i + 8) });
  const sealed = (
    await inWorkers<WorkerRequest, { bodies: string[][] }>(
      new URL("./seal-worker.ts", import.meta.url),
      cfg.sealWorkers,
      chunks,
    )
  ).flatMap((r) => r.bodies);
  // Connection c owns threads c*k .. c*k+k-1 and posts them round-robin: one request in flight per
  // connection, so every thread's sequence numbers arrive in order.
  const lines: string[] = [
    JSON.stringify({ url: w.base, connections: cfg.connections, durationSec: cfg.durationSec }),
  ];
  let bytes = 0;
  for (let c = 0; c < cfg.connections; c++) {
    for (let m = 0; m < cfg.messagesPerThread; m++) {
      for (let k = 0; k < cfg.threadsPerConnection; k++) {
        const ti = c * cfg.threadsPerConnection + k;
        const t = threads[ti]!;
        const body = sealed[ti]![m]!;
        bytes += body.length;
        lines.push(
          JSON.stringify({
            c,
            method: "POST",
            path: `/api/threads/${t.threadId}/envelopes`,
            cookie: t.seeker.cookie,
            body,
          }),
        );
      }
    }
  }
  const planFile = join(dir, "posts.ndjson");
  writeFileSync(planFile, `${lines.join("\n")}\n`);
  const requests = lines.length - 1;
  return { planFile, requests, meanBodyBytes: bytes / requests, threads: nThreads, seekers: nThreads };
}

/** A plan of one small static JSON body that every connection repeats for `durationSec`. */
export function smallEchoPlan(dir: string, url: string, connections: number, durationSec: number): string {
  const file = join(dir, "echo-small.ndjson");
  writeFileSync(
    file,
    `${JSON.stringify({ url, connections, durationSec })}\n${JSON.stringify({
      static: { method: "POST", path: "/echo", body: JSON.stringify({ hello: "world", n: 1 }) },
    })}\n`,
  );
  return file;
}

export function runLoad(planFile: string, url: string | undefined, timeoutMs: number): Promise<LoadResult> {
  return runJson<LoadResult>(
    new URL("./load.ts", import.meta.url).pathname,
    url ? [planFile, url] : [planFile],
    timeoutMs,
  );
}
