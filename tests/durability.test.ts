/**
 * Durability under a hard crash (docs/REQUIREMENTS.md Invariant 7: a reply of success means committed; a retry never
 * duplicates). The real server runs as a child process on a temporary libSQL file; many help-seekers
 * open threads and post envelopes concurrently over loopback; the server is killed with SIGKILL in the
 * middle of the load and started again on the same file. Then every acknowledged envelope and thread
 * must be stored exactly once, and retrying every unacknowledged request with the same client id must
 * either store it once or return the original result: the stored rows are exactly the acknowledged
 * and the retried ones, each once.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { afterAll, describe, expect, it } from "vitest";
import {
  buildThread,
  call,
  createHelplineWithCli,
  messageText,
  newSeeker,
  type ServerProcess,
  sealMessage,
  setupWorld,
  sleep,
  startServer,
  stopServer,
} from "./support/api-world.js";

const CLIENTS = 32;
const THREADS_PER_CLIENT = 3;
const MESSAGES_PER_THREAD = 12;
/** Kill the server once this many requests were acknowledged (or after KILL_AFTER_MS). */
const KILL_AFTER_ACKS = 300;
const KILL_AFTER_MS = 15_000;
const REQUEST_TIMEOUT_MS = 10_000;
/**
 * The lowest proof-of-work difficulty the server accepts: this test is about SIGKILL, and its 32 clients
 * solve every sign-in and new conversation on this one thread. The production difficulty is tested in
 * apps/api/src/routes/pow, tests/journeys.test.ts and the browser tests.
 */
const CHEAP_POW = { POW_DIFFICULTY: "1000" };

interface Step {
  kind: "open" | "envelope";
  threadId: string;
  /** The envelope's client id (the thread id for the first envelope). */
  id: string;
  path: string;
  body: unknown;
  /** base64url of the envelope bytes (to find it by hash/bytes in the database). */
  envelope: string;
}

interface Outcome {
  step: Step;
  status: number | "network-error";
  body?: { id?: string; position?: number; hash?: string; envelope?: { position: number; hash: string } };
}

const dir = mkdtempSync(join(tmpdir(), "bg-durability-"));
const dbFile = join(dir, "durability.db");
const servers: ServerProcess[] = [];

afterAll(async () => {
  for (const s of servers) await stopServer(s, "SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

describe("durability: SIGKILL under concurrent load", () => {
  it("keeps every acknowledged write exactly once and retries without duplicates", async () => {
    const helpline = await createHelplineWithCli(dbFile, { slug: "duur", name: "Duurzaam", tag: 11 });
    let server = await startServer({ dbFile, logFile: join(dir, "server-1.log"), env: CHEAP_POW });
    servers.push(server);
    expect(server.port).toBeGreaterThan(0);
    const world = await setupWorld(
      server.base,
      { ...helpline, slug: "duur" },
      { counsellors: 1, intakeReaders: true },
    );

    // Every client's whole sequence is encrypted before the load starts.
    const clients: { cookie: string; steps: Step[] }[] = [];
    for (let c = 0; c < CLIENTS; c++) {
      const seeker = await newSeeker(world);
      const steps: Step[] = [];
      for (let t = 0; t < THREADS_PER_CLIENT; t++) {
        const thread = buildThread(world.sodium, world.random, world, seeker, messageText(c * 100 + t, 600));
        steps.push({
          kind: "open",
          threadId: thread.threadId,
          id: thread.threadId,
          path: "/api/threads",
          body: thread.request,
          envelope: thread.request.envelope,
        });
        for (let m = 0; m < MESSAGES_PER_THREAD; m++) {
          const envelope = sealMessage(world.sodium, world.random, {
            helplineId: world.helplineId,
            threadId: thread.threadId,
            keys: thread.keys,
            sender: seeker.messageSign,
            seq: m + 2,
            text: messageText(c * 1000 + t * 50 + m, 300 + ((c * 37 + m * 101) % 2500)),
          });
          const id = Buffer.from(world.random(16)).toString("base64url");
          steps.push({
            kind: "envelope",
            threadId: thread.threadId,
            id,
            path: `/api/threads/${thread.threadId}/envelopes`,
            body: { id, envelope },
            envelope,
          });
        }
      }
      clients.push({ cookie: seeker.cookie, steps });
    }

    // Load: each client sends its steps in order, one at a time, until its first failure.
    const outcomes: Outcome[] = [];
    let acks = 0;
    let killed = false;
    const send = async (cookie: string, step: Step): Promise<Outcome> => {
      try {
        const res = await call(server.base, "POST", step.path, step.body, cookie, REQUEST_TIMEOUT_MS);
        return { step, status: res.status, body: res.body };
      } catch {
        return { step, status: "network-error" };
      }
    };
    const load = Promise.all(
      clients.map(async (client) => {
        for (const step of client.steps) {
          if (killed) return;
          const outcome = await send(client.cookie, step);
          outcomes.push(outcome);
          if (outcome.status !== 200) return;
          acks++;
        }
      }),
    );
    const started = Date.now();
    while (acks < KILL_AFTER_ACKS && Date.now() - started < KILL_AFTER_MS) await sleep(5);
    server.child.kill("SIGKILL");
    killed = true;
    const exit = await server.exited;
    expect(exit.signal).toBe("SIGKILL");
    await load;

    const acked = outcomes.filter((o) => o.status === 200);
    const unacked = outcomes.filter((o) => o.status !== 200);
    // Before the kill nothing failed: the only failures are the requests in flight when it hit.
    expect(unacked.every((o) => o.status === "network-error")).toBe(true);
    expect(acked.length).toBeGreaterThanOrEqual(Math.min(KILL_AFTER_ACKS, 50));
    expect(unacked.length).toBeGreaterThan(0);

    // Restart on the same file.
    server = await startServer({ dbFile, logFile: join(dir, "server-2.log"), env: CHEAP_POW });
    servers.push(server);

    const db = createClient({ url: `file:${dbFile}` });
    try {
      const rowsOf = async (step: Step) =>
        (
          await db.execute({
            sql: "SELECT thread_id, id, position, hex(hash) AS hash FROM envelopes WHERE thread_id = ? AND id = ?",
            args: [step.threadId, step.id],
          })
        ).rows;
      const hashAck = (o: Outcome) => (o.step.kind === "open" ? o.body?.envelope?.hash : o.body?.hash);

      // Every acknowledged envelope (and thread) survived the crash, exactly once, as acknowledged.
      for (const o of acked) {
        const rows = await rowsOf(o.step);
        expect(rows.length, `acknowledged ${o.step.kind} ${o.step.id}`).toBe(1);
        const ackedHash = Buffer.from(hashAck(o)!, "base64url").toString("hex").toUpperCase();
        expect(rows[0]!.hash).toBe(ackedHash);
        if (o.step.kind === "open") {
          const t = await db.execute({
            sql: "SELECT count(*) AS n FROM threads WHERE id = ?",
            args: [o.step.threadId],
          });
          expect(Number(t.rows[0]!.n)).toBe(1);
        }
      }

      // Retry every unacknowledged request with the same client id: stored once, or the original result.
      const retried: Outcome[] = [];
      let committedUnanswered = 0;
      for (const o of unacked) {
        const client = clients.find((c) => c.steps.includes(o.step))!;
        const before = await rowsOf(o.step);
        const again = await send(client.cookie, o.step);
        expect(again.status, `retry of ${o.step.kind}: ${JSON.stringify(again.body)}`).toBe(200);
        const after = await rowsOf(o.step);
        expect(after.length).toBe(1);
        if (before.length === 1) {
          committedUnanswered++;
          // Committed before the kill, only the answer was lost: the retry returns the original result.
          expect(after[0]!.position).toBe(before[0]!.position);
          const position = o.step.kind === "open" ? again.body?.envelope?.position : again.body?.position;
          expect(position).toBe(Number(before[0]!.position));
        }
        retried.push(again);
      }

      console.info(
        `durability: ${acked.length} acknowledged before SIGKILL, ${unacked.length} in flight; of these ${committedUnanswered} had committed (the retry returned the original result) and ${unacked.length - committedUnanswered} were stored by the retry`,
      );

      // An acknowledged request retried once more also returns its original result.
      for (const o of acked.slice(0, 20)) {
        const client = clients.find((c) => c.steps.includes(o.step))!;
        const again = await send(client.cookie, o.step);
        expect(again.status).toBe(200);
        expect(hashAck(again)).toBe(hashAck(o));
      }

      // The database holds exactly the acknowledged and the retried envelopes, each once.
      const expected = new Set([...acked, ...retried].map((o) => `${o.step.threadId}/${o.step.id}`));
      const all = await db.execute(
        "SELECT thread_id, id, count(*) AS n FROM envelopes GROUP BY thread_id, id",
      );
      const stored = new Set(all.rows.map((r) => `${r.thread_id}/${r.id}`));
      expect(all.rows.every((r) => Number(r.n) === 1)).toBe(true);
      expect(stored).toEqual(expected);
      const dupHashes = await db.execute(
        "SELECT count(*) AS n FROM (SELECT hash FROM envelopes GROUP BY hash HAVING count(*) > 1)",
      );
      expect(Number(dupHashes.rows[0]!.n)).toBe(0);
      // Positions per thread are 1..n without gaps, and each thread counts what it holds.
      const gaps = await db.execute(
        `SELECT t.id, t.envelope_count AS c, count(e.id) AS n, max(e.position) AS maxp
         FROM threads t LEFT JOIN envelopes e ON e.thread_id = t.id GROUP BY t.id`,
      );
      for (const r of gaps.rows) {
        expect(Number(r.n)).toBe(Number(r.c));
        expect(Number(r.maxp)).toBe(Number(r.n));
      }
      const integrity = await db.execute("PRAGMA integrity_check");
      expect(String(integrity.rows[0]![0])).toBe("ok");
    } finally {
      db.close();
    }
    await stopServer(server);
  });
});
