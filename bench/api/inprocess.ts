/**
 * In-process envelope ingest (no HTTP, no load generator): the real app on a temporary libSQL file
 * through `app.request`, 64 help-seekers posting to their own threads concurrently. Measures the
 * server's request path alone (posts/s and CPU per post). Run: `node --import tsx bench/api/inprocess.ts
 * [repository root]`; the optional root runs the same measurement against another checkout (e.g. an
 * export of the previous commit, for before/after figures). Prints one JSON line.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const root = resolve(process.argv[2] ?? new URL("../..", import.meta.url).pathname);
const lanes = Number(process.env.LANES ?? 64);
const perLane = Number(process.env.PER_LANE ?? 80);
const harness = (await import(
  pathToFileURL(`${root}/apps/api/src/testing/harness.ts`).href
)) as typeof import("../../apps/api/src/testing/harness.js");
const w = await harness.createWorld({
  rateLimits: {
    session: { max: 1e9, windowMs: 60_000 },
    global: { max: 1e9, windowMs: 60_000 },
    challenge: { max: 1e9, windowMs: 60_000 },
  },
});
try {
  const h = await w.setupHelpline("bench", 7);
  for (let i = 0; i < 3; i++) await w.addStaff(h, `c${i}`, "counsellor", true);
  const threads = [];
  for (let i = 0; i < lanes; i++) {
    const seeker = await w.newSeeker(h.id);
    const t = await w.openNewThread(h, seeker, "Vraag", "hallo ".repeat(150));
    const bodies: string[] = [];
    for (let k = 0; k < perLane; k++) {
      const envelope = w.envelope({
        h,
        threadId: t.threadId,
        keys: t.keys,
        sender: seeker.messageSign,
        seq: k + 2,
        body: "tekst ".repeat(250),
      });
      bodies.push(JSON.stringify({ id: w.b64(w.random(16)), envelope }));
    }
    threads.push({ threadId: t.threadId, cookie: seeker.cookie!, bodies });
  }
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let failures = 0;
  await Promise.all(
    threads.map(async (t) => {
      for (const raw of t.bodies) {
        const res = await w.request("POST", `/api/threads/${t.threadId}/envelopes`, {
          raw,
          cookie: t.cookie,
        });
        if (res.status !== 200 && res.status !== 201) failures++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const posts = lanes * perLane;
  console.log(
    JSON.stringify({
      posts,
      failures,
      perSecond: Math.round(posts / seconds),
      cpuUsPerPost: Math.round((cpu.user + cpu.system) / posts),
    }),
  );
} finally {
  await w.cleanup();
}
