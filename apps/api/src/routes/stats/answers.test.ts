// Survey answers (issue 13 part 2): sealed by the help-seeker under the epoch-0 key, stored once per
// conversation, handed to supervisors with their grant, deleted with the conversation, never readable
// by the server (marker scan of the database file, its WAL and the logs).
import { readFileSync } from "node:fs";
import {
  type GrantBytes,
  type HelplineId,
  openGrantKeyForCounting,
  openSurveyRecord,
  sealSurveyRecord,
  type ThreadId,
} from "@briefgeheim/crypto";
import { SURVEY_ANSWERS_NEXT_HEADER, SURVEY_QUESTION_IDS } from "@briefgeheim/protocol";
import { count, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { surveyAnswers } from "../../db/schema.js";
import { createWorld, type HelplineFixture, type Seeker, type World } from "../../testing/harness.js";

let w: World;
let h: HelplineFixture;
let seeker: Seeker;

beforeEach(async () => {
  w = await createWorld();
  h = await w.setupHelpline("alpha", 1);
  seeker = await w.newSeeker(h.id);
});
afterEach(async () => {
  await w.cleanup();
});

const ANSWERS = { age: "over-65", gender: "rather-not", reason: "prefer-writing", found: "social-media" };
const today = () => new Date(w.clock.now()).toISOString().slice(0, 10);

async function sealFor(
  t: Awaited<ReturnType<World["openNewThread"]>>,
  answers: Record<string, string>,
  epoch = 0,
) {
  const ctx = { helplineId: h.id as HelplineId, threadId: t.threadId as ThreadId, epoch };
  return w.b64(sealSurveyRecord(w.sodium, ctx, t.keys.key, answers, w.random));
}

function put(threadId: string, record: string, cookie = seeker.cookie) {
  return w.request("PUT", `/api/stats/answers/${threadId}`, { cookie, body: { record } });
}

describe("survey answers", () => {
  it("stored once per conversation; a supervisor opens them with the grant handed along", async () => {
    const t = await w.openNewThread(h, seeker);
    const record = await sealFor(t, ANSWERS);
    expect((await put(t.threadId, record)).status).toBe(200);
    expect((await put(t.threadId, record)).status).toBe(200); // a retry
    const other = await put(t.threadId, await sealFor(t, { age: "12-15" }));
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe("IDEMPOTENCY_CONFLICT");

    const res = await w.request("GET", `/api/stats/answers?from=${today()}&to=${today()}`, {
      cookie: h.supervisor.cookie,
    });
    expect(res.status).toBe(200);
    expect(res.body.next).toBeNull();
    expect(res.body.items).toHaveLength(1);
    const item = res.body.items[0];
    expect(item.threadId).toBe(t.threadId);
    const ctx = { helplineId: h.id as HelplineId, threadId: t.threadId as ThreadId, epoch: 0 };
    const key = openGrantKeyForCounting(
      w.sodium,
      w.crypto.bytes(item.grant) as GrantBytes,
      ctx,
      h.supervisor.box,
    );
    expect(openSurveyRecord(w.sodium, w.crypto.bytes(item.record), ctx, key)).toEqual(ANSWERS);

    // Outside the range: nothing.
    const next = new Date(w.clock.now() + 86_400_000).toISOString().slice(0, 10);
    const empty = await w.request("GET", `/api/stats/answers?from=${next}&to=${next}`, {
      cookie: h.supervisor.cookie,
    });
    expect(empty.body.items).toEqual([]);
    expect(res.headers.get(SURVEY_ANSWERS_NEXT_HEADER)).toBeNull();
  });

  it("pages of 2,000 in order; the Briefgeheim-Next header repeats each page's next cursor", async () => {
    const t = await w.openNewThread(h, seeker);
    expect((await put(t.threadId, await sealFor(t, ANSWERS))).status).toBe(200);
    // 2,000 more conversations copied from this one in SQL (ids that sort after it, later times).
    for (const [table, key] of [
      ["threads", "id"],
      ["epoch_records", "thread_id"],
      ["survey_answers", "thread_id"],
    ] as const) {
      const columns = (await w.db.write.all<{ name: string }>(sql.raw(`PRAGMA table_info(${table})`))).map(
        (c) => c.name,
      );
      const exprs = columns.map((c) =>
        c === key ? "printf('zz%020d', i)" : c === "created_at" ? "created_at + i" : c,
      );
      await w.db.write.run(
        sql.raw(
          `INSERT INTO ${table} (${columns.join(", ")}) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) SELECT ${exprs.join(", ")} FROM ${table}, n WHERE ${key} = '${t.threadId}'`,
        ),
      );
    }
    const q = `/api/stats/answers?from=${today()}&to=${today()}`;
    const first = await w.request("GET", q, { cookie: h.supervisor.cookie });
    expect(first.body.items).toHaveLength(2000);
    const last = first.body.items[1999];
    expect(first.body.next).toBe(`${last.createdAt}.${last.threadId}`);
    expect(first.headers.get(SURVEY_ANSWERS_NEXT_HEADER)).toBe(first.body.next);
    const second = await w.request("GET", `${q}&after=${first.body.next}`, { cookie: h.supervisor.cookie });
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].threadId).toBe("zz00000000000000002000");
    expect(second.body.next).toBeNull();
    expect(second.headers.get(SURVEY_ANSWERS_NEXT_HEADER)).toBeNull();
  });

  it("refuses answers for another conversation, epoch or help-seeker, and malformed records; nothing stored", async () => {
    const t = await w.openNewThread(h, seeker);
    const t2 = await w.openNewThread(h, seeker);
    const moved = await put(t2.threadId, await sealFor(t, ANSWERS));
    expect([moved.status, moved.body.error.code]).toEqual([422, "WRONG_CONTEXT"]);
    const epoch1 = await put(t.threadId, await sealFor(t, ANSWERS, 1));
    expect([epoch1.status, epoch1.body.error.code]).toEqual([422, "WRONG_CONTEXT"]);
    const stranger = await w.newSeeker(h.id);
    const theirs = await put(t.threadId, await sealFor(t, ANSWERS), stranger.cookie);
    expect([theirs.status, theirs.body.error.code]).toEqual([404, "NOT_FOUND"]);
    const bytes = w.crypto.bytes(await sealFor(t, ANSWERS));
    bytes[0] = 0x01;
    const v1 = await put(t.threadId, w.b64(bytes));
    expect([v1.status, v1.body.error.code]).toEqual([400, "MALFORMED_STRUCTURE"]);
    const cut = await put(t.threadId, w.b64(bytes.subarray(0, 30)));
    expect([cut.status, cut.body.error.code]).toEqual([400, "MALFORMED_STRUCTURE"]);
    const staff = await put(t.threadId, await sealFor(t, ANSWERS), h.supervisor.cookie);
    expect(staff.status).toBe(403);
    expect((await w.db.read.select({ n: count() }).from(surveyAnswers))[0]!.n).toBe(0);
  });

  it("go with the conversation; supervisors only; the server never holds them in plaintext", async () => {
    const ines = await w.addStaff(h, "Ines", "counsellor", true);
    const t = await w.openNewThread(h, seeker);
    expect((await put(t.threadId, await sealFor(t, ANSWERS))).status).toBe(200);
    const q = `/api/stats/answers?from=${today()}&to=${today()}`;
    expect((await w.request("GET", q, { cookie: ines.cookie })).status).toBe(403);
    const beta = await w.setupHelpline("beta", 2);
    expect((await w.request("GET", q, { cookie: beta.supervisor.cookie })).body.items).toEqual([]);

    // Marker scan: none of the answer ids (which appear nowhere else) in the file, WAL or logs.
    const files = [w.db.file, `${w.db.file}-wal`].map((f) => {
      try {
        return readFileSync(f);
      } catch {
        return Buffer.alloc(0);
      }
    });
    const logs = w.logger.lines.join("\n");
    for (const marker of Object.values(ANSWERS)) {
      for (const f of files) expect(f.includes(Buffer.from(marker)), marker).toBe(false);
      expect(logs.includes(marker), marker).toBe(false);
    }

    expect((await w.request("DELETE", `/api/threads/${t.threadId}`, { cookie: seeker.cookie })).status).toBe(
      200,
    );
    expect((await w.db.read.select({ n: count() }).from(surveyAnswers))[0]!.n).toBe(0);
  });
});

describe("survey questions per helpline", () => {
  it("every question until a supervisor chooses; the choice is the helpline's own", async () => {
    const get = (cookie?: string) => w.request("GET", "/api/stats/questions", { cookie });
    expect((await get(seeker.cookie)).body.questions).toEqual(SURVEY_QUESTION_IDS);
    const set = await w.request("PUT", "/api/stats/questions", {
      cookie: h.supervisor.cookie,
      body: { questions: ["reason", "age"] },
    });
    expect(set.status).toBe(200);
    expect((await get(seeker.cookie)).body.questions).toEqual(["reason", "age"]);
    const beta = await w.setupHelpline("beta", 2);
    expect((await get(beta.supervisor.cookie)).body.questions).toEqual(SURVEY_QUESTION_IDS);
    for (const questions of [["age", "age"], ["shoe-size"], "age"]) {
      const bad = await w.request("PUT", "/api/stats/questions", {
        cookie: h.supervisor.cookie,
        body: { questions },
      });
      expect([bad.status, bad.body.error.code]).toEqual([400, "VALIDATION_FAILED"]);
    }
    expect((await get(seeker.cookie)).body.questions).toEqual(["reason", "age"]);
  });
});
