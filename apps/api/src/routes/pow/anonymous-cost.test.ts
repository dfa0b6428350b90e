// Issue 9, section 2: anonymous work costs something. A proof of work before a help-seeker's sign-in
// and before a new conversation (refusals typed, nothing changed), difficulty that rises with load,
// daily quotas per session and address, no seekers row before the first conversation, and the
// helplines' storage quota with its warning.
import { type HelplineId, signChallenge } from "@briefgeheim/crypto";
import { count, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main as adminMain } from "../../admin.js";
import { challenges, seekers, sessions, threads } from "../../db/schema.js";
import { type PowChallenge, ProofOfWork, solvePow } from "../../middleware/pow/index.js";
import { DEFAULT_QUOTAS } from "../../services/quotas.js";
import { createWorld, ORIGIN, type Seeker, type World } from "../../testing/harness.js";

let w: World | undefined;

/** Signs in once more with the keys of `seeker` (another tab); returns the new session's cookie. */
async function signInSeekerAgain(world: World, seeker: Seeker): Promise<string> {
  const ch = await world.request("POST", "/api/auth/challenge", { body: { helplineId: seeker.helplineId } });
  const signature = signChallenge(
    world.sodium,
    {
      origin: ORIGIN,
      helplineId: seeker.helplineId as HelplineId,
      role: "seeker",
      nonce: world.crypto.bytes(ch.body.nonce),
    },
    seeker.signIn.secretKey,
  );
  const res = await world.request("POST", "/api/auth/seeker", {
    body: {
      helplineId: seeker.helplineId,
      signInPk: world.b64(seeker.signIn.publicKey),
      nonce: ch.body.nonce,
      signature: world.b64(signature),
    },
  });
  expect(res.status).toBe(200);
  return res.cookie!;
}
afterEach(async () => {
  await w?.cleanup();
  w = undefined;
});

async function counts(world: World) {
  const one = async (q: Promise<{ n: number }[]>) => (await q)[0]?.n ?? 0;
  const db = world.db.read;
  return {
    seekers: await one(db.select({ n: count() }).from(seekers)),
    sessions: await one(db.select({ n: count() }).from(sessions)),
    threads: await one(db.select({ n: count() }).from(threads)),
    challenges: await one(db.select({ n: count() }).from(challenges)),
  };
}

async function challengeOf(world: World, purpose: string): Promise<PowChallenge> {
  const res = await world.request("GET", `/api/pow/challenge?purpose=${purpose}`);
  expect(res.status).toBe(200);
  return res.body as PowChallenge;
}

/** A solution with one field changed (the header value). */
function altered(header: string, change: Record<string, unknown>): string {
  const v = JSON.parse(Buffer.from(header, "base64").toString("utf8"));
  return Buffer.from(JSON.stringify({ ...v, ...change })).toString("base64");
}

describe("proof of work", () => {
  it("issues a signed challenge at the production difficulty; Node solves it in milliseconds", async () => {
    w = await createWorld();
    const c = await challengeOf(w, "open-thread");
    expect(c).toMatchObject({ algorithm: "SHA-256", maxnumber: 20_000 });
    expect(c.salt).toMatch(/^[0-9a-f]{24}\?expires=\d+&purpose=open-thread$/);
    expect(c.challenge).toMatch(/^[0-9a-f]{64}$/);
    expect(c.signature).toMatch(/^[0-9a-f]{64}$/);
    expect((await w.request("GET", "/api/pow/challenge?purpose=other")).status).toBe(400);
    const started = performance.now();
    solvePow(c);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("a missing, malformed, forged, wrong, other-purpose, expired or replayed solution is a typed 4xx and changes nothing", async () => {
    w = await createWorld();
    const h = await w.setupHelpline("alpha", 1);
    const seeker = await w.newSeeker(h.id);
    const thread = w.buildThread(h, seeker);
    const open = (headers: Record<string, string>, pow = true) =>
      w!.request("POST", "/api/threads", { cookie: seeker.cookie, body: thread.request, headers, pow });
    const before = await counts(w);

    const missing = await open({}, false);
    expect([missing.status, missing.body.error.code]).toEqual([428, "POW_REQUIRED"]);
    const good = solvePow(await challengeOf(w, "open-thread"));
    const refusals: [string, string][] = [
      ["not base64 json", "POW_INVALID"],
      [altered(good, { signature: "0".repeat(64) }), "POW_INVALID"],
      [
        altered(good, { number: (JSON.parse(Buffer.from(good, "base64").toString()).number + 1) % 20_001 }),
        "POW_INVALID",
      ],
      [altered(good, { salt: "00?expires=9999999999&purpose=open-thread" }), "POW_INVALID"],
      [solvePow(await challengeOf(w, "seeker-sign-in")), "POW_INVALID"],
    ];
    for (const [header, code] of refusals) {
      const res = await open({ "Briefgeheim-Pow": header });
      expect([res.status, res.body.error.code], header.slice(0, 40)).toEqual([403, code]);
    }
    // Expired: solved, then the challenge's two minutes pass.
    const late = solvePow(await challengeOf(w, "open-thread"));
    w.clock.advance(120_001);
    const expired = await open({ "Briefgeheim-Pow": late });
    expect([expired.status, expired.body.error.code]).toEqual([403, "POW_EXPIRED"]);
    expect(await counts(w)).toEqual(before);

    // Each refusal came before the session was even looked up: a request without a session says so too.
    const anonymous = await w.request("POST", "/api/threads", { body: thread.request, pow: false });
    expect(anonymous.body.error.code).toBe("POW_REQUIRED");

    // A good solution opens the thread; the same solution again is refused (single use).
    const fresh = await w.newSeeker(h.id);
    const t2 = w.buildThread(h, fresh);
    const once = solvePow(await challengeOf(w, "open-thread"));
    const first = await w.request("POST", "/api/threads", {
      cookie: fresh.cookie,
      body: t2.request,
      headers: { "Briefgeheim-Pow": once },
    });
    expect(first.status).toBe(200);
    const afterFirst = await counts(w);
    const replay = await w.request("POST", "/api/threads", {
      cookie: fresh.cookie,
      body: w.buildThread(h, fresh).request,
      headers: { "Briefgeheim-Pow": once },
    });
    expect([replay.status, replay.body.error.code]).toEqual([403, "POW_INVALID"]);
    expect(await counts(w)).toEqual(afterFirst);
  });

  it("help-seeker sign-in needs one too, checked before the nonce is touched", async () => {
    w = await createWorld();
    const h = await w.setupHelpline("alpha", 1);
    const ch = await w.request("POST", "/api/auth/challenge", { body: { helplineId: h.id } });
    const before = await counts(w);
    const body = {
      helplineId: h.id,
      signInPk: "A".repeat(43),
      nonce: ch.body.nonce,
      signature: "A".repeat(86),
    };
    const res = await w.request("POST", "/api/auth/seeker", { body, pow: false });
    expect([res.status, res.body.error.code]).toEqual([428, "POW_REQUIRED"]);
    const open = solvePow(await challengeOf(w, "open-thread"));
    const other = await w.request("POST", "/api/auth/seeker", { body, headers: { "Briefgeheim-Pow": open } });
    expect([other.status, other.body.error.code]).toEqual([403, "POW_INVALID"]);
    expect(await counts(w)).toEqual(before); // the nonce is still there, unused
  });

  it("difficulty rises with the load signal and is capped", async () => {
    let load = 0;
    const pow = new ProofOfWork(async () => Buffer.alloc(32, 7), { load: () => load });
    expect(pow.difficulty()).toBe(20_000);
    load = 300;
    expect(pow.difficulty()).toBe(40_000);
    load = 900;
    expect(pow.difficulty()).toBe(160_000);
    load = 1_000_000;
    expect(pow.difficulty()).toBe(5_000_000);
    expect((await pow.issue("open-thread")).maxnumber).toBe(5_000_000);

    // Driven through the app: a higher load gives harder challenges that still verify.
    w = await createWorld({ pow: { load: () => load } });
    load = 0;
    expect((await challengeOf(w, "open-thread")).maxnumber).toBe(20_000);
    load = 600;
    const hard = await challengeOf(w, "open-thread");
    expect(hard.maxnumber).toBe(80_000);
  });

  it("the default load signal counts accepted solutions in the last minute", async () => {
    let now = 1_000_000;
    const pow = new ProofOfWork(
      async () => Buffer.alloc(32, 1),
      { loadPerDoubling: 2 },
      () => now,
    );
    for (let i = 0; i < 4; i++)
      await pow.verify(solvePow(await pow.issue("seeker-sign-in")), "seeker-sign-in");
    expect(pow.acceptedLastMinute()).toBe(4);
    expect(pow.difficulty()).toBe(80_000);
    now += 61_000;
    expect(pow.acceptedLastMinute()).toBe(0);
    expect(pow.difficulty()).toBe(20_000);
    // Used solutions are forgotten once their challenge expired.
    await pow.verify(solvePow(await pow.issue("seeker-sign-in")), "seeker-sign-in");
    now += 121_000;
    await pow.verify(solvePow(await pow.issue("seeker-sign-in")), "seeker-sign-in");
    expect(pow.remembered).toBe(1);
  });
});

describe("quotas", () => {
  it("one session cannot open 2,000 conversations: QUOTA_EXCEEDED long before, with Retry-After, nothing stored", async () => {
    w = await createWorld({ quotas: DEFAULT_QUOTAS });
    const h = await w.setupHelpline("alpha", 1);
    const seeker = await w.newSeeker(h.id);
    let opened = 0;
    let refusal: { status: number; body: { error: { code: string } }; headers: Headers } | undefined;
    for (let i = 0; i < 2_000 && refusal === undefined; i++) {
      const res = await w.request("POST", "/api/threads", {
        cookie: seeker.cookie,
        body: w.buildThread(h, seeker).request,
      });
      if (res.status === 200) opened++;
      else refusal = res;
    }
    expect(opened).toBe(DEFAULT_QUOTAS.sessionConversations);
    expect(refusal?.status).toBe(429);
    expect(refusal?.body.error.code).toBe("QUOTA_EXCEEDED");
    expect(Number(refusal?.headers.get("retry-after"))).toBeGreaterThan(23 * 3600);
    expect((await counts(w)).threads).toBe(opened);
    // A day later the session... has long expired; a new day's session writes again.
    w.clock.advance(24 * 3_600_000 + 1);
    const next = await w.newSeeker(h.id);
    expect(
      (await w.request("POST", "/api/threads", { cookie: next.cookie, body: w.buildThread(h, next).request }))
        .status,
    ).toBe(200);
  });

  it("bytes per session, and conversations per address, are limited too", async () => {
    w = await createWorld({
      quotas: {
        ...DEFAULT_QUOTAS,
        sessionBytes: 20_000,
        addressConversations: 3,
        addressOf: (c) => c.req.header("X-Test-Address"),
      },
    });
    const h = await w.setupHelpline("alpha", 1);
    const a = await w.newSeeker(h.id);
    const big = w.buildThread(h, a, "Lang", "x".repeat(9_000));
    const open = (s: typeof a, body: unknown, address: string) =>
      w!.request("POST", "/api/threads", { cookie: s.cookie, body, headers: { "X-Test-Address": address } });
    expect((await open(a, big.request, "10.0.0.1")).status).toBe(200);
    const tooMuch = await open(a, w.buildThread(h, a, "Nog", "y".repeat(12_000)).request, "10.0.0.1");
    expect([tooMuch.status, tooMuch.body.error.code]).toEqual([429, "QUOTA_EXCEEDED"]);
    // A message in the open conversation counts too: a short one fits, a long one does not.
    const post = (text: string, seq: number) =>
      w!.request("POST", `/api/threads/${big.threadId}/envelopes`, {
        cookie: a.cookie,
        body: {
          id: w!.b64(w!.random(16)),
          envelope: w!.envelope({
            h,
            threadId: big.threadId,
            keys: big.e0.keys,
            sender: a.messageSign,
            seq,
            body: text,
          }),
        },
      });
    expect((await post("Nog iets.", 2)).status).toBe(200);
    const longReply = await post("z".repeat(12_000), 3);
    expect([longReply.status, longReply.body.error.code]).toEqual([429, "QUOTA_EXCEEDED"]);
    // Three conversations from one address, whatever the session; another address is not affected.
    for (let i = 0; i < 2; i++) {
      const s = await w.newSeeker(h.id);
      expect((await open(s, w.buildThread(h, s).request, "10.0.0.1")).status).toBe(200);
    }
    const s4 = await w.newSeeker(h.id);
    const fourth = await open(s4, w.buildThread(h, s4).request, "10.0.0.1");
    expect([fourth.status, fourth.body.error.code]).toEqual([429, "QUOTA_EXCEEDED"]);
    expect((await open(s4, w.buildThread(h, s4).request, "10.0.0.2")).status).toBe(200);
  });

  it("a refused request costs no quota (a failed open is refunded)", async () => {
    w = await createWorld({ quotas: { ...DEFAULT_QUOTAS, sessionConversations: 1 } });
    const h = await w.setupHelpline("alpha", 1);
    const s = await w.newSeeker(h.id);
    // The first message of another thread: refused after the charge (422 WRONG_CONTEXT), so refunded.
    const broken = { ...w.buildThread(h, s).request, envelope: w.buildThread(h, s).request.envelope };
    const refused = await w.request("POST", "/api/threads", { cookie: s.cookie, body: broken });
    expect(refused.status).toBe(422);
    expect(
      (await w.request("POST", "/api/threads", { cookie: s.cookie, body: w.buildThread(h, s).request }))
        .status,
    ).toBe(200);
  });

  it("a full helpline refuses new conversations (507 STORAGE_FULL) and warns the operator once", async () => {
    w = await createWorld({ quotas: { helplineStorageBytes: 4_000, warnAt: 0.5 } });
    const h = await w.setupHelpline("alpha", 1);
    const s = await w.newSeeker(h.id);
    await w.openNewThread(h, s, "Een", "a".repeat(1_200));
    w.clock.advance(61_000); // measured again
    const res = await w.request("POST", "/api/threads", {
      cookie: s.cookie,
      body: w.buildThread(h, s, "Twee", "b".repeat(3_000)).request,
    });
    expect([res.status, res.body.error.code]).toEqual([507, "STORAGE_FULL"]);
    const events = w.logger.lines
      .map((l) => JSON.parse(l) as { event?: string })
      .filter((l) => l.event?.startsWith("storage-"));
    expect(events).toEqual([
      expect.objectContaining({
        level: "warn",
        event: "storage-warning",
        helplineId: h.id,
        quotaBytes: 4_000,
      }),
    ]);
  });
});

describe("a help-seeker row only with the first conversation", () => {
  it("a sign-in with a new key leaves no row; the first conversation makes one, shared by every session of the key", async () => {
    w = await createWorld();
    const h = await w.setupHelpline("alpha", 1);
    const before = await counts(w);
    const seeker = await w.newSeeker(h.id);
    expect(await counts(w)).toMatchObject({ seekers: before.seekers, sessions: before.sessions + 1 });
    expect((await w.request("GET", "/api/threads", { cookie: seeker.cookie })).body.threads).toEqual([]);
    // The same key signs in a second time (another tab) before writing: still no row.
    const again = await signInSeekerAgain(w, seeker);
    expect((await counts(w)).seekers).toBe(before.seekers);
    await w.openNewThread(h, seeker);
    const rows = await w.db.read.select().from(seekers);
    expect(rows).toHaveLength(before.seekers + 1);
    // Both sessions now point at the row and no longer carry the key.
    const mine = await w.db.read
      .select()
      .from(sessions)
      .where(eq(sessions.seekerId, rows.at(-1)!.id));
    expect(mine).toHaveLength(2);
    expect(mine.every((s) => s.seekerSignInPk === null)).toBe(true);
    expect((await w.request("GET", "/api/threads", { cookie: again })).body.threads).toHaveLength(1);
    // Signing in again with the key finds the row.
    await signInSeekerAgain(w, seeker);
    expect((await counts(w)).seekers).toBe(before.seekers + 1);
  });
});

describe("the operator's storage status", () => {
  it("`admin -- status` prints each helpline's storage and warns at 80 % (exit code 3)", async () => {
    w = await createWorld();
    const h = await w.setupHelpline("alpha", 1);
    const s = await w.newSeeker(h.id);
    // About 0.85 MiB stored: bodies of at most 256 KiB each.
    for (const n of [255_000, 255_000, 255_000, 90_000]) await w.openNewThread(h, s, "Lang", "x".repeat(n));
    const lines: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => {
      lines.push(a.map(String).join(" "));
    });
    const env = {
      DATABASE_URL: process.env.DATABASE_URL,
      HELPLINE_STORAGE_MB: process.env.HELPLINE_STORAGE_MB,
    };
    const exitCode = process.exitCode;
    process.env.DATABASE_URL = `file:${w.db.file}`;
    try {
      process.env.HELPLINE_STORAGE_MB = "1";
      await adminMain(["status"]);
      expect(lines.at(-1)).toMatch(
        /^WARNING {2}alpha {2}storage=0\.\d MiB of 1\.0 MiB \(8\d\.\d %\) {2}over 80 %: raise HELPLINE_STORAGE_MB/,
      );
      expect(process.exitCode).toBe(3);
      process.env.HELPLINE_STORAGE_MB = "100";
      process.exitCode = undefined;
      await adminMain(["status"]);
      expect(lines.at(-1)).toMatch(/^OK {2}alpha {2}storage=0\.\d MiB of 100\.0 MiB \(0\.\d %\)$/);
      expect(process.exitCode).toBeUndefined();
    } finally {
      log.mockRestore();
      process.exitCode = exitCode;
      for (const [k, v] of Object.entries(env)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
