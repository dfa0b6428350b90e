/**
 * Streams a year of pre-encrypted conversations (files written by seal-worker.ts) into the real API
 * over loopback: `lanes` conversations in flight, each conversation's requests in order (open the
 * thread, then every later message from the help-seeker's or the counsellor's session). A failed
 * request ends its conversation (its later sequence numbers could not be valid) and is counted.
 * Bounded by the files and by `maxSeconds`. Prints one JSON line with the result.
 *
 * Usage: node --import tsx bench/api/ingest-driver.ts <config.json>
 */
import { createReadStream, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { Pool } from "undici";
import { POW_HEADER } from "../../apps/api/src/testing/pow.js";
import { powFor } from "../../tests/support/api-world.js";

interface Config {
  base: string;
  files: string[];
  lanes: number;
  seekerCookies: string[];
  counsellorCookies: string[];
  maxSeconds: number;
}

const config = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as Config;
const pool = new Pool(config.base, { connections: config.lanes, pipelining: 1, keepAliveTimeout: 60_000 });

async function* conversations(): AsyncGenerator<string> {
  for (const file of config.files) {
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of lines) if (line !== "") yield line;
  }
}

const source = conversations();
const deadline = performance.now() + config.maxSeconds * 1000;
const failures: Record<string, number> = {};
let firstFailure: string | undefined;
let ok = 0;
let requests = 0;
let done = 0;
let abandoned = 0;

async function post(path: string, body: string, cookie: string): Promise<boolean> {
  requests++;
  try {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      cookie: `__Host-bg_session=${cookie}`,
    };
    // A new conversation costs a proof of work (solved here, at the server's difficulty).
    if (path === "/api/threads") headers[POW_HEADER] = await powFor(config.base, "open-thread");
    const res = await pool.request({
      path,
      method: "POST",
      headers,
      body,
      headersTimeout: 60_000,
      bodyTimeout: 60_000,
    });
    const text = await res.body.text();
    if (res.statusCode === 200 || res.statusCode === 201) {
      ok++;
      return true;
    }
    failures[res.statusCode] = (failures[res.statusCode] ?? 0) + 1;
    firstFailure ??= `${res.statusCode} ${text.slice(0, 300)}`;
  } catch (e) {
    failures.network = (failures.network ?? 0) + 1;
    firstFailure ??= `network: ${(e as Error).message}`;
  }
  return false;
}

const started = performance.now();
await Promise.all(
  Array.from({ length: config.lanes }, async () => {
    for (;;) {
      if (performance.now() > deadline) return;
      const next = await source.next();
      if (next.done) return;
      const parts = next.value.split("\t");
      const seeker = config.seekerCookies[Number(parts[0])]!;
      const counsellor = config.counsellorCookies[Number(parts[1])]!;
      const threadId = parts[2]!;
      let alive = await post("/api/threads", parts[3]!, seeker);
      for (let i = 4; alive && i < parts.length; i++) {
        const part = parts[i]!;
        alive = await post(
          `/api/threads/${threadId}/envelopes`,
          part.slice(1),
          part[0] === "c" ? counsellor : seeker,
        );
      }
      if (alive) done++;
      else abandoned++;
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
await pool.close();
process.stdout.write(
  `${JSON.stringify({ conversations: done, abandoned, requests, ok, failures, firstFailure, seconds, timedOut: performance.now() > deadline })}\n`,
);
