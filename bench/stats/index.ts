/**
 * Statistics benchmark (`npm run bench:stats`, issue 13): prints a Markdown table for docs/PERFORMANCE.md.
 *
 * 1. The statistics request over a year of the Dutch network's traffic (181,581 conversations, about
 *    900,000 messages): the year's events are counted with the server's own counter function
 *    (services/stats.ts; 5% event by event, timed, the rest summed per day first: the same rows), then
 *    GET /api/stats for the whole year is timed through the real app in this process (server time: request in, JSON out). Floor: the
 *    same JSON from a bare Hono route. For comparison, the on-demand alternative: one GROUP BY over the
 *    year's 181,581 conversation rows (only the "new conversations" figure).
 * 2. Counting one helpline's year of survey answers (20,000 conversations) the way the staff app does
 *    (per record: open the caller's epoch-0 grant, its context and recipient checked, then the sealed answers), with the
 *    libsodium build the browser runs (WebAssembly). Floor: the record's AEAD alone.
 * 3. `BENCH_STATS_ONLY=browser`: only the same count in the staff app in headless Chromium, beside the
 *    same SDK call in Node (browser.ts).
 * Everything is generated before the clock starts. The machine is shared: figures are what this run saw.
 */

import { availableParallelism } from "node:os";
import { inlineRunner, type WorkRunner } from "@briefgeheim/client";
import {
  type EpochRecordBytes,
  type GrantBytes,
  type HelplineId,
  loadSodium,
  openGrant,
  openGrantKeyForCounting,
  openSurveyRecord,
  openThread,
  parseEpochRecord,
  sealSurveyRecord,
  systemRandom,
  type ThreadId,
  toBase64,
} from "@briefgeheim/crypto";
import type { SurveyAnswerItem } from "@briefgeheim/protocol";
import { count } from "drizzle-orm";
import { Hono } from "hono";
import { threads } from "../../apps/api/src/db/schema.js";
import { countDay, countMember, DAY_MS, staffMessageDelta } from "../../apps/api/src/services/stats.js";
import { createWorld } from "../../apps/api/src/testing/harness.js";
import { countSurveyPages, type ListingPage } from "../../packages/client/src/survey-tally.js";
import { benchHelpline } from "../crypto/fixtures.js";
import { threadPool } from "./pool.js";

const CONVERSATIONS = Number(process.env.BENCH_STATS_CONVERSATIONS ?? 181_581);
const MESSAGES = 900_000;
/** The Dutch year's messages per conversation, whatever share of the year is run. */
const PER_CONVERSATION = MESSAGES / 181_581;
const ANSWERS = Number(process.env.BENCH_STATS_ANSWERS ?? 20_000);
const RUNS = 30;

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: s[Math.floor(s.length / 2)]!, max: s.at(-1)! };
}

const rows: string[] = [];
const emit = (row: string) => {
  rows.push(row);
  process.stderr.write(`${row}\n`);
};
const log = (s: string) => process.stderr.write(`${s}\n`);

if (process.env.BENCH_STATS_ONLY === "browser") {
  await import("./browser.js");
  process.exit(0);
}

// ---------------------------------------------------------------- 1: the statistics request
if (process.env.BENCH_STATS_ONLY !== "answers") {
  const w = await createWorld();
  const h = await w.setupHelpline("jaar", 9);
  const year = 2026;
  const start = Date.UTC(year, 0, 1);
  // A deterministic year: conversations spread evenly over the days, ~5 messages each, half from
  // staff; first replies after 1-80 hours.
  log(`counting ${CONVERSATIONS} conversations and ~${MESSAGES} messages`);
  const g0 = performance.now();
  let rng = 42;
  const next = () => {
    rng = (rng * 1103515245 + 12345) % 2 ** 31;
    return rng / 2 ** 31;
  };
  const perDay = CONVERSATIONS / 365;
  // Every conversation's events, as the write paths count them: a new conversation with its first
  // message, the first reply after 1-80 hours, then the rest of its ~5 messages alternating.
  type Event = readonly [at: number, delta: Parameters<typeof countDay>[3], reply: boolean];
  const eventsOf = (createdAt: number): Event[] => {
    const wait = Math.floor((1 + next() * 79) * 3_600_000);
    const out: Event[] = [
      [createdAt, { conversations: 1, seekerMessages: 1 }, false],
      [
        createdAt + wait,
        staffMessageDelta(
          { createdAt, waitingSince: createdAt, lastStaffMessageAt: null },
          72,
          createdAt + wait,
        ),
        true,
      ],
    ];
    for (let m = 2; m < PER_CONVERSATION; m++) {
      out.push([
        createdAt + wait + m * 3_600_000,
        m % 2 === 0 ? { seekerMessages: 1 } : { staffMessages: 1 },
        false,
      ]);
    }
    return out;
  };
  // A sample of 5% counted event by event through countDay (the cost a write pays); the rest summed
  // per day in memory and added with one countDay per day and counter set: the same final rows.
  const sampleEvery = 20;
  let sampled = 0;
  let sampleMs = 0;
  const summed = new Map<number, Record<string, number>>();
  const replies = new Map<number, number>();
  let made = 0;
  const threadRows: { id: string; createdAt: number }[] = [];
  for (let d = 0; d < 365 && made < CONVERSATIONS; d++) {
    const today = d === 364 ? CONVERSATIONS - made : Math.min(CONVERSATIONS - made, Math.round(perDay));
    const direct: Event[] = [];
    for (let i = 0; i < today; i++) {
      const createdAt = start + d * DAY_MS + Math.floor(next() * DAY_MS);
      threadRows.push({ id: `${d}-${i}`, createdAt });
      const events = eventsOf(createdAt);
      if ((made + i) % sampleEvery === 0) {
        direct.push(...events);
        continue;
      }
      for (const [at, delta, reply] of events) {
        const day = Math.floor(at / DAY_MS);
        const row = summed.get(day) ?? {};
        for (const [k, v] of Object.entries(delta)) row[k] = (row[k] ?? 0) + (v ?? 0);
        summed.set(day, row);
        if (reply) replies.set(day, (replies.get(day) ?? 0) + 1);
      }
    }
    const t0 = performance.now();
    await w.writer.run(async (tx) => {
      for (const [at, delta, reply] of direct) {
        await countDay(tx, h.id, at, delta);
        if (reply) await countMember(tx, h.id, h.supervisor.memberId, at, { replies: 1, firstReplies: 1 });
      }
    });
    sampleMs += performance.now() - t0;
    sampled += direct.length;
    made += today;
  }
  await w.writer.run(async (tx) => {
    for (const [day, delta] of summed) await countDay(tx, h.id, day * DAY_MS, delta);
    for (const [day, n] of replies)
      await countMember(tx, h.id, h.supervisor.memberId, day * DAY_MS, { replies: n, firstReplies: n });
  });
  const countSeconds = (performance.now() - g0) / 1000;
  const perEventUs = (sampleMs / sampled) * 1000;
  // The conversations themselves (metadata rows only) for the on-demand comparison.
  const client = (
    w.db.write as unknown as {
      $client: { execute(q: string | { sql: string; args: unknown[] }): Promise<unknown> };
    }
  ).$client;
  await client.execute(
    "CREATE TABLE bench_threads (id text PRIMARY KEY, helpline_id text NOT NULL, created_at integer NOT NULL)",
  );
  await client.execute("CREATE INDEX bench_threads_day ON bench_threads (helpline_id, created_at)");
  for (let i = 0; i < threadRows.length; i += 500) {
    const chunk = threadRows.slice(i, i + 500);
    await client.execute({
      sql: `INSERT INTO bench_threads VALUES ${chunk.map(() => "(?, ?, ?)").join(",")}`,
      args: chunk.flatMap((t) => [t.id, h.id, t.createdAt]),
    });
  }
  log(`counted in ${countSeconds.toFixed(1)} s; ${threadRows.length} conversation rows`);

  w.clock.t = Date.UTC(year + 1, 0, 2, 9);
  await w.signInStaff(h.supervisor);
  const path = `/api/stats?from=${year}-01-01&to=${year}-12-31`;
  const cookie = { Cookie: `__Host-bg_session=${h.supervisor.cookie}` };
  const first = await w.app.request(path, { headers: cookie });
  const body = await first.text();
  const parsed = JSON.parse(body) as { days: { conversations: number }[] };
  const total = parsed.days.reduce((n, d) => n + d.conversations, 0);
  if (total !== CONVERSATIONS)
    throw new Error(`the year counts ${total} conversations, not ${CONVERSATIONS}`);
  const timed: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const res = await w.app.request(path, { headers: cookie });
    await res.text();
    timed.push(performance.now() - t0);
  }
  const bare = new Hono().get("/x", (c) => c.body(body, 200, { "Content-Type": "application/json" }));
  const floor: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await (await bare.request("/x")).text();
    floor.push(performance.now() - t0);
  }
  const onDemand: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await client.execute({
      sql: "SELECT created_at / 86400000 AS day, count(*) FROM bench_threads WHERE helpline_id = ? AND created_at BETWEEN ? AND ? GROUP BY 1",
      args: [h.id, start, Date.UTC(year, 11, 31, 23, 59, 59)],
    });
    onDemand.push(performance.now() - t0);
  }
  const n = (await w.db.read.select({ n: count() }).from(threads))[0]!.n;
  const a = stats(timed);
  const f = stats(floor);
  const o = stats(onDemand);
  for (const row of [
    `| GET /api/stats, one year (${CONVERSATIONS.toLocaleString("en")} conversations counted, ${(body.length / 1024).toFixed(0)} KiB JSON), server time, ${RUNS} runs | ${a.p50.toFixed(1)} ms (max ${a.max.toFixed(1)}) | ≤ 200 ms | bare Hono route, same JSON: ${f.p50.toFixed(2)} ms |`,
    `| on demand instead: GROUP BY over the year's ${threadRows.length.toLocaleString("en")} conversation rows (one figure only), 5 runs | ${o.p50.toFixed(0)} ms (max ${o.max.toFixed(0)}) | – | – |`,
    `| counting one event through countDay (one upsert in the write's transaction), ${sampled.toLocaleString("en")} events in daily transactions | ${perEventUs.toFixed(0)} µs each | – | – |`,
  ])
    emit(row);
  if (n !== 0) throw new Error("unexpected thread rows");
  await w.cleanup();
}

// ---------------------------------------------------------------- 2: counting 20,000 answers
{
  const sodium = await loadSodium();
  const random = systemRandom(sodium);
  const hl = benchHelpline(sodium, random);
  const vera = hl.people.vera;
  log(`sealing ${ANSWERS} conversations' answers`);
  const items: { threadId: ThreadId; record: Uint8Array; grant: Uint8Array; answers: Uint8Array }[] = [];
  const seekerSign = sodium.crypto_sign_keypair();
  const seekerBox = sodium.crypto_box_keypair();
  for (let i = 0; i < ANSWERS; i++) {
    const threadId = `T${String(i).padStart(7, "0")}`.padEnd(22, "A") as ThreadId;
    const e0 = openThread(sodium, {
      helplineId: hl.helplineId as HelplineId,
      threadId,
      roster: hl.roster,
      seeker: {
        signing: { publicKey: seekerSign.publicKey, secretKey: seekerSign.privateKey } as never,
        box: { publicKey: seekerBox.publicKey, secretKey: seekerBox.privateKey } as never,
      },
      random,
      now: Date.UTC(2026, 0, 1) + i * 1000,
    });
    const mine = e0.grants.find((g) => {
      try {
        openGrant(sodium, g, e0.parsed, vera.keys.box);
        return true;
      } catch {
        return false;
      }
    })!;
    const answers = sealSurveyRecord(
      sodium,
      { helplineId: hl.helplineId as HelplineId, threadId, epoch: 0 },
      e0.keys.key,
      { age: "16-18", reason: i % 3 === 0 ? "anonymity" : "own-time", found: "search" },
      random,
    );
    items.push({ threadId, record: e0.record, grant: mine, answers });
  }
  const counts = new Map<string, number>();
  const t0 = performance.now();
  for (const it of items) {
    const record = parseEpochRecord(sodium, it.record as EpochRecordBytes);
    const keys = openGrant(sodium, it.grant as GrantBytes, record, vera.keys.box);
    const opened = openSurveyRecord(
      sodium,
      it.answers,
      { helplineId: hl.helplineId as HelplineId, threadId: it.threadId, epoch: 0 },
      keys.key,
    );
    for (const [q, a] of Object.entries(opened)) counts.set(`${q}:${a}`, (counts.get(`${q}:${a}`) ?? 0) + 1);
  }
  const tally = performance.now() - t0;
  // What the staff app does since: the grant's context and recipient checked, no signature, no record.
  const c0 = performance.now();
  for (const it of items) {
    const ctx = { helplineId: hl.helplineId as HelplineId, threadId: it.threadId, epoch: 0 };
    const key = openGrantKeyForCounting(sodium, it.grant as GrantBytes, ctx, vera.keys.box);
    openSurveyRecord(sodium, it.answers, ctx, key);
  }
  const counting = performance.now() - c0;
  if (counts.get("age:16-18") !== ANSWERS) throw new Error("not every record was counted");
  // Floor: the answers' AEAD alone, with the keys already open.
  const opened = items.map((it) =>
    openGrant(
      sodium,
      it.grant as GrantBytes,
      parseEpochRecord(sodium, it.record as EpochRecordBytes),
      vera.keys.box,
    ),
  );
  const f0 = performance.now();
  for (let i = 0; i < items.length; i++) {
    openSurveyRecord(
      sodium,
      items[i]!.answers,
      { helplineId: hl.helplineId as HelplineId, threadId: items[i]!.threadId, epoch: 0 },
      opened[i]!.key,
    );
  }
  const floor = performance.now() - f0;

  // The staff app's way now: the listing as the server sends it, in pages of 2,000 as the response
  // body's bytes; in a pool of one worker per core (worker threads running the same serveWork as the
  // app's Web Workers; started and warmed up before the clock, as the inbox starts the app's pool
  // before anyone counts) each page is one countSurveyPage job (parsed, checked and counted in the
  // worker); inline (the app without a pool) the page is parsed on the thread and counted as
  // countSurveyItems jobs of 250.
  const listing: SurveyAnswerItem[] = items.map((it, i) => ({
    threadId: it.threadId,
    createdAt: i,
    record: toBase64(sodium, it.answers),
    grant: toBase64(sodium, it.grant),
  }));
  const box = vera.keys.box;
  const pages: ListingPage[] = [];
  for (let i = 0, asked: string | null = null; i < listing.length; i += 2000) {
    const page = listing.slice(i, i + 2000);
    const last = page.at(-1)!;
    const next = i + 2000 < listing.length ? `${last.createdAt}.${last.threadId}` : null;
    pages.push({ asked, next, bytes: new TextEncoder().encode(JSON.stringify({ items: page, next })) });
    asked = next;
  }
  const runAll = async (runner: WorkRunner) => {
    const key = {
      helplineId: hl.helplineId as HelplineId,
      box: { publicKey: box.publicKey, secretKey: box.secretKey.slice() } as typeof box,
      // Every item's time is inside (the listing is this bench's own year).
      range: { from: 0, to: Number.MAX_SAFE_INTEGER },
    };
    const byAsked = new Map(pages.map((p) => [p.asked, p]));
    // A fresh copy of each page per count, as a fetch gives: the pool takes the bytes it is handed.
    const fresh = async (after: string | null) => {
      const page = byAsked.get(after)!;
      return { ...page, bytes: page.bytes.slice() };
    };
    const tally = await countSurveyPages(runner, key, fresh);
    const ok = tally.questions.age.counts["16-18"] ?? 0;
    if (ok !== ANSWERS) throw new Error(`only ${ok} of ${ANSWERS} answer sets opened`);
  };
  const i0 = performance.now();
  await runAll(inlineRunner(sodium));
  const inlineMs = performance.now() - i0;
  const cores = availableParallelism();
  const pool = threadPool(sodium, cores);
  let pooledMs: number;
  try {
    await runAll(pool); // warm-up: the workers load tsx and libsodium
    const p0 = performance.now();
    await runAll(pool);
    pooledMs = performance.now() - p0;
  } finally {
    pool.close();
  }

  emit(
    `| counting ${ANSWERS.toLocaleString("en")} conversations' answers (grant opened and checked, record opened), libsodium WebAssembly in Node | ${(tally / 1000).toFixed(2)} s (${((tally / ANSWERS) * 1000).toFixed(0)} µs each) | ≤ 2 s | answers' AEAD alone: ${(floor / 1000).toFixed(2)} s |`,
  );
  emit(
    `| the same, the grant's context and recipient checked, without its signature or the epoch record (the staff app's way, libsodium's X25519) | ${(counting / 1000).toFixed(2)} s (${((counting / ANSWERS) * 1000).toFixed(0)} µs each) | ≤ 2 s | answers' AEAD alone: ${(floor / 1000).toFixed(2)} s |`,
  );
  emit(
    `| the staff app's count without a pool (pages of the server's JSON listing parsed on the thread, countSurveyItems jobs of 250), inline on one thread | ${(inlineMs / 1000).toFixed(2)} s (${((inlineMs / ANSWERS) * 1000).toFixed(0)} µs each) | ≤ 2 s | answers' AEAD alone: ${(floor / 1000).toFixed(2)} s |`,
  );
  emit(
    `| the staff app's count in a pool of ${cores} worker threads (one countSurveyPage job per page of 2,000; the app's Web Worker pool) | ${(pooledMs / 1000).toFixed(2)} s (${((pooledMs / ANSWERS) * 1000).toFixed(0)} µs each) | ≤ 2 s | inline in the same run: ${(inlineMs / 1000).toFixed(2)} s |`,
  );
}

console.log("| measurement | reached | goal | floor in the same run |");
console.log("|---|---|---|---|");
for (const r of rows) console.log(r);
