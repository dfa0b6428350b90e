/**
 * Cross-cutting checks on the whole app: generated bad input never yields a 500 or changes a row,
 * and plaintext markers, IP addresses and user agents never reach the database file, its WAL or the
 * logs.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROUTES } from "./routes/openapi/list.js";
import { createWorld, type HelplineFixture, type Seeker, type Staff, type World } from "./testing/harness.js";

let w: World;
let h: HelplineFixture;
let ines: Staff;
let seeker: Seeker;
let threadId: string;

beforeAll(async () => {
  w = await createWorld();
  h = await w.setupHelpline("alpha", 1);
  ines = await w.addStaff(h, "Ines", "counsellor", true);
  seeker = await w.newSeeker(h.id);
  threadId = (await w.openNewThread(h, seeker)).threadId;
});
afterAll(async () => {
  await w.cleanup();
});

const TABLES = [
  "helplines",
  "rosters",
  "members",
  "invites",
  "seekers",
  "sessions",
  "challenges",
  "threads",
  "thread_readers",
  "epoch_records",
  "grants",
  "envelopes",
  "drafts",
  "audit_log",
];

async function snapshot(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES)
    out[t] = Number((await w.db.readClient.execute(`SELECT count(*) AS n FROM ${t}`)).rows[0]!.n);
  return out;
}

function concretePath(path: string): string {
  return path
    .replace("{threadId}", threadId)
    .replace("{helplineId}", h.id)
    .replace("{memberId}", ines.memberId)
    .replace("{token}", "A".repeat(43))
    .replace("{context}", `reply:${threadId}`);
}

describe("generated bad input", () => {
  // Routes whose valid use changes state without any body (sign-out), or that create a row for any
  // known helpline (challenge), are left out of the "no change" check.
  const targets = ROUTES.filter(
    (r) => r.body !== undefined && !["/api/auth/sign-out", "/api/auth/challenge"].includes(r.path),
  );

  it("typed 4xx, never 500, and no row changes, for random JSON on every writing route", async () => {
    const before = await snapshot();
    const cookies = [undefined, seeker.cookie, ines.cookie, h.supervisor.cookie];
    for (const route of targets) {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(...cookies), async (body, cookie) => {
          const res = await w.request(route.method.toUpperCase(), concretePath(route.path), { body, cookie });
          expect(res.status, `${route.method} ${route.path}`).toBeGreaterThanOrEqual(400);
          expect(res.status, `${route.method} ${route.path}`).toBeLessThan(500);
          expect(res.body.error.code).toBeTypeOf("string");
        }),
        { numRuns: 15 },
      );
    }
    expect(await snapshot()).toEqual(before);
  });

  it("malformed JSON, wrong content types and oversized bodies", async () => {
    const before = await snapshot();
    for (const route of targets) {
      const path = concretePath(route.path);
      const method = route.method.toUpperCase();
      const malformed = await w.request(method, path, { raw: '{"a":', cookie: h.supervisor.cookie });
      expect([400, 401, 403, 404]).toContain(malformed.status);
      const form = await w.request(method, path, {
        raw: "a=1",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        cookie: h.supervisor.cookie,
      });
      expect(form.status, `${method} ${path}`).toBe(415);
      const huge = await w.request(method, path, { raw: JSON.stringify({ x: "y".repeat(5 * 1024 * 1024) }) });
      expect(huge.status, `${method} ${path}`).toBe(413);
      expect(huge.body.error.code).toBe("PAYLOAD_TOO_LARGE");
    }
    // a body just over the envelope route's own limit
    const big = await w.request("POST", `/api/threads/${threadId}/envelopes`, {
      cookie: seeker.cookie,
      raw: JSON.stringify({ id: "A".repeat(22), envelope: "A".repeat(430 * 1024) }),
    });
    expect(big.status).toBe(413);
    expect(await snapshot()).toEqual(before);
  });

  it("random query strings on every list never 500", async () => {
    for (const route of ROUTES.filter((r) => r.method === "get")) {
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(fc.constantFrom("limit", "after", "cursor", "view"), fc.string({ maxLength: 30 })),
          async (q) => {
            const qs = new URLSearchParams(q).toString();
            const res = await w.request("GET", `${concretePath(route.path)}?${qs}`, {
              cookie: h.supervisor.cookie,
            });
            expect(res.status, `${route.path}?${qs}`).toBeLessThan(500);
          },
        ),
        { numRuns: 15 },
      );
    }
  });
});

describe("what the server keeps", () => {
  it("no plaintext marker, IP address or user agent in the database file, its WAL or the logs", async () => {
    const marker = (what: string) => `MARKER-${what}-${w.b64(w.random(9))}`;
    const markers = {
      subject: marker("subject"),
      body: marker("body"),
      reply: marker("reply"),
      note: marker("note"),
      draft: marker("draft"),
    };
    const ip = "198.51.100.77";
    const ua = "Mozilla/5.0 UA-MARKER-7731";
    const headers = { "X-Forwarded-For": ip, "X-Real-IP": ip, "User-Agent": ua };
    const s = await w.newSeeker(h.id);
    const t = w.buildThread(h, s, markers.subject, markers.body);
    expect(
      (await w.request("POST", "/api/threads", { cookie: s.cookie, body: t.request, headers })).status,
    ).toBe(200);
    const { claimThread, encodeDraft } = await import("@briefgeheim/crypto");
    const { record, keys } = await w.currentKeys(t.threadId, ines);
    const next = claimThread(w.sodium, {
      prev: record,
      prevKeys: keys!,
      roster: h.roster,
      signer: ines.signing,
      random: w.random,
      now: w.clock.now(),
      heads: await w.currentHeads(t.threadId, ines),
    });
    await w.request("POST", `/api/threads/${t.threadId}/epochs`, {
      cookie: ines.cookie,
      headers,
      body: { record: w.b64(next.record), grants: next.grants.map(w.b64) },
    });
    for (const [kind, text, seq] of [
      ["message", markers.reply, 1],
      ["note", markers.note, 1],
    ] as const) {
      const env = w.envelope({
        h,
        threadId: t.threadId,
        keys: next.keys,
        sender: ines.signing,
        seq,
        kind,
        body: text,
      });
      const res = await w.request("POST", `/api/threads/${t.threadId}/envelopes`, {
        cookie: ines.cookie,
        headers,
        body: { id: w.b64(w.random(16)), envelope: env },
      });
      expect(res.status).toBe(200);
    }
    // a draft: sealed bytes stand in for the encryption (the server only sees the structure)
    const { sealDraft } = await import("@briefgeheim/crypto");
    const draft = sealDraft(
      w.sodium,
      w.random(32) as never,
      `reply:${t.threadId}`,
      { subject: "", body: markers.draft, attachments: [] },
      w.random,
    );
    void encodeDraft;
    const put = await w.request("PUT", `/api/drafts/${encodeURIComponent(`reply:${t.threadId}`)}`, {
      cookie: s.cookie,
      headers,
      body: { draft: w.b64(draft) },
    });
    expect(put.status).toBe(200);

    const file = readFileSync(w.db.file);
    let wal = Buffer.alloc(0);
    try {
      wal = readFileSync(`${w.db.file}-wal`);
    } catch {
      // checkpointed
    }
    const logs = w.logger.lines.join("\n");
    for (const needle of [...Object.values(markers), ip, ua, "UA-MARKER"]) {
      expect(file.includes(Buffer.from(needle)), needle).toBe(false);
      expect(wal.includes(Buffer.from(needle)), needle).toBe(false);
      expect(logs.includes(needle), needle).toBe(false);
    }
    expect(wal.length + file.length).toBeGreaterThan(0);
  });
});
