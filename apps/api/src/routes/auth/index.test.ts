import { type HelplineId, signChallenge } from "@briefgeheim/crypto";
import { count } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { challenges, type members, seekers, sessions } from "../../db/schema.js";
import { runMaintenance } from "../../maintenance.js";
import { createWorld, type HelplineFixture, ORIGIN, type World } from "../../testing/harness.js";

let w: World;
let h: HelplineFixture;

beforeEach(async () => {
  w = await createWorld();
  h = await w.setupHelpline("alpha", 1);
});
afterEach(async () => {
  await w.cleanup();
});

async function rows(
  table: typeof sessions | typeof challenges | typeof seekers | typeof members,
): Promise<number> {
  const [r] = await w.db.read.select({ n: count() }).from(table);
  return r!.n;
}

async function seekerAttempt(opts: { origin?: string; role?: "seeker" | "staff"; reuseNonce?: string } = {}) {
  const keys = w.sodium.crypto_sign_keypair();
  const nonce =
    opts.reuseNonce ??
    (await w.request("POST", "/api/auth/challenge", { body: { helplineId: h.id } })).body.nonce;
  const signature = signChallenge(
    w.sodium,
    {
      origin: opts.origin ?? ORIGIN,
      helplineId: h.id as HelplineId,
      role: opts.role ?? "seeker",
      nonce: w.crypto.bytes(nonce),
    },
    keys.privateKey as never,
  );
  const body = { helplineId: h.id, signInPk: w.b64(keys.publicKey), nonce, signature: w.b64(signature) };
  return { body, res: await w.request("POST", "/api/auth/seeker", { body }) };
}

describe("challenges", () => {
  it("issues a 32-byte nonce valid 60 s for a known helpline", async () => {
    const res = await w.request("POST", "/api/auth/challenge", { body: { helplineId: h.id } });
    expect(res.status).toBe(200);
    expect(w.crypto.bytes(res.body.nonce)).toHaveLength(32);
    expect(res.body.expiresAt).toBe(w.clock.now() + 60_000);
  });

  it("404 for an unknown helpline, 400 for a malformed id, nothing stored", async () => {
    const before = await rows(challenges);
    const unknown = await w.request("POST", "/api/auth/challenge", { body: { helplineId: "A".repeat(22) } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("NOT_FOUND");
    const bad = await w.request("POST", "/api/auth/challenge", { body: { helplineId: "nope" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("VALIDATION_FAILED");
    expect(await rows(challenges)).toBe(before);
  });
});

describe("help-seeker sign-in", () => {
  it("signs in an unseen key without a seekers row, and sets the __Host- cookie", async () => {
    const first = await seekerAttempt();
    expect(first.res.status).toBe(200);
    expect(first.res.body).toMatchObject({
      role: "seeker",
      helplineId: h.id,
      memberId: null,
      idleTimeoutMs: 900_000,
    });
    const setCookie = first.res.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^__Host-bg_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
    // No row until the first conversation (tests/seeker-row.test.ts): the session alone holds the key.
    expect(await rows(seekers)).toBe(0);
    const session = await w.request("GET", "/api/auth/session", { cookie: first.res.cookie });
    expect(session.status).toBe(200);
    expect(session.body.role).toBe("seeker");
  });

  it("stores only the token's hash", async () => {
    const { res } = await seekerAttempt();
    const stored = await w.db.read.select().from(sessions);
    const token = res.cookie!;
    for (const s of stored) expect(Buffer.from(s.tokenHash).toString("base64url")).not.toBe(token);
    const raw = await w.db.readClient.execute("SELECT * FROM sessions");
    expect(JSON.stringify(raw.rows)).not.toContain(token);
  });

  it("a nonce is single use: a replay is 401 CHALLENGE_INVALID", async () => {
    const first = await seekerAttempt();
    expect(first.res.status).toBe(200);
    const replay = await w.request("POST", "/api/auth/seeker", { body: first.body });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe("CHALLENGE_INVALID");
    expect(await rows(sessions)).toBe(2); // the supervisor's and the first seeker's
  });

  it("an expired nonce is 401 CHALLENGE_EXPIRED; the refusal writes nothing, maintenance deletes it", async () => {
    const nonce = (await w.request("POST", "/api/auth/challenge", { body: { helplineId: h.id } })).body.nonce;
    w.clock.advance(60_001);
    const { res } = await seekerAttempt({ reuseNonce: nonce });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("CHALLENGE_EXPIRED");
    expect(await rows(challenges)).toBe(1);
    expect((await runMaintenance(w.db, w.writer, w.clock)).challenges).toBe(1);
    expect(await rows(challenges)).toBe(0);
  });

  it("a signature over another origin or role is 401 CHALLENGE_INVALID and consumes the nonce", async () => {
    const sessionsBefore = await rows(sessions);
    for (const opts of [{ origin: "https://evil.test" }, { role: "staff" as const }]) {
      const { res } = await seekerAttempt(opts);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("CHALLENGE_INVALID");
    }
    expect(await rows(challenges)).toBe(0);
    expect(await rows(sessions)).toBe(sessionsBefore);
    expect(await rows(seekers)).toBe(0);
  });

  it("a nonce issued for another helpline does not sign in here", async () => {
    const other = await w.setupHelpline("beta", 2);
    const nonce = (await w.request("POST", "/api/auth/challenge", { body: { helplineId: other.id } })).body
      .nonce;
    const { res } = await seekerAttempt({ reuseNonce: nonce });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("CHALLENGE_INVALID");
  });
});

describe("staff sign-in", () => {
  it("params: real parameters for a member, stable decoys for unknown usernames", async () => {
    const real = await w.request("POST", "/api/auth/staff/params", {
      body: { username: h.supervisor.username },
    });
    expect(real.status).toBe(200);
    expect(real.body).toMatchObject({ opsLimit: 3, memLimitKiB: 65_536 });
    const a = await w.request("POST", "/api/auth/staff/params", { body: { username: "nobody-here" } });
    const b = await w.request("POST", "/api/auth/staff/params", { body: { username: "NOBODY-here" } });
    const c = await w.request("POST", "/api/auth/staff/params", { body: { username: "someone-else" } });
    expect(a.status).toBe(200);
    expect(a.body).toEqual(b.body);
    expect(a.body.salt).not.toBe(c.body.salt);
    expect(Object.keys(a.body).sort()).toEqual(Object.keys(real.body).sort());
  });

  it("unlock releases the wrapped key only for the right proof", async () => {
    const ok = await w.request("POST", "/api/auth/staff/unlock", {
      body: { username: h.supervisor.username, proof: w.b64(h.supervisor.proof) },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ memberId: h.supervisor.memberId, helplineId: h.id });
    const wrong = await w.request("POST", "/api/auth/staff/unlock", {
      body: { username: h.supervisor.username, proof: w.b64(w.random(32)) },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe("INVALID_CREDENTIALS");
    const unknown = await w.request("POST", "/api/auth/staff/unlock", {
      body: { username: "nobody-here", proof: w.b64(w.random(32)) },
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe("INVALID_CREDENTIALS");
  });

  it("sign-in needs both the proof and the signed challenge; it is audited", async () => {
    const s = h.supervisor;
    const nonce = (await w.request("POST", "/api/auth/challenge", { body: { helplineId: h.id } })).body.nonce;
    const sign = (key: Uint8Array) =>
      w.b64(
        signChallenge(
          w.sodium,
          { origin: ORIGIN, helplineId: h.id as HelplineId, role: "staff", nonce: w.crypto.bytes(nonce) },
          key as never,
        ),
      );
    const badProof = await w.request("POST", "/api/auth/staff", {
      body: { username: s.username, proof: w.b64(w.random(32)), nonce, signature: sign(s.signIn.secretKey) },
    });
    expect(badProof.status).toBe(401);
    expect(badProof.body.error.code).toBe("INVALID_CREDENTIALS");
    // the signing key is not the sign-in key
    const badSig = await w.request("POST", "/api/auth/staff", {
      body: { username: s.username, proof: w.b64(s.proof), nonce, signature: sign(s.signing.secretKey) },
    });
    expect(badSig.status).toBe(401);
    expect(badSig.body.error.code).toBe("CHALLENGE_INVALID");
    const cookie = await w.signInStaff(s);
    const session = await w.request("GET", "/api/auth/session", { cookie });
    expect(session.body).toMatchObject({ role: "supervisor", memberId: s.memberId, status: "active" });
    const audit = await w.request("GET", "/api/audit", { cookie });
    expect(audit.body.entries.filter((e: { action: string }) => e.action === "sign-in")).toHaveLength(2);
  });

  it("recovery: the recovery proof releases the recovery wrap and resets the passphrase, ending sessions", async () => {
    const s = h.supervisor;
    const rec = await w.request("POST", "/api/auth/staff/recover", {
      body: { username: s.username, recoveryProof: w.b64(s.recoveryProof) },
    });
    expect(rec.status).toBe(200);
    expect(rec.body.recoveryWrappedKey).toBeTypeOf("string");
    const salt = w.random(16);
    const newProof = w.random(32);
    const passphrase = {
      salt: w.b64(salt),
      opsLimit: 3,
      memLimitKiB: 65_536,
      proof: w.b64(newProof),
      wrappedKey: w.b64(w.wrapped("passphrase", salt)),
    };
    const mismatch = await w.request("POST", "/api/auth/staff/reset", {
      body: {
        username: s.username,
        recoveryProof: w.b64(s.recoveryProof),
        passphrase: { ...passphrase, opsLimit: 4 },
      },
    });
    expect(mismatch.status).toBe(400);
    const weak = await w.request("POST", "/api/auth/staff/reset", {
      body: {
        username: s.username,
        recoveryProof: w.b64(s.recoveryProof),
        passphrase: { ...passphrase, memLimitKiB: 1024 },
      },
    });
    expect(weak.status).toBe(400);
    const reset = await w.request("POST", "/api/auth/staff/reset", {
      body: { username: s.username, recoveryProof: w.b64(s.recoveryProof), passphrase },
    });
    expect(reset.status).toBe(200);
    expect((await w.request("GET", "/api/auth/session", { cookie: s.cookie })).status).toBe(401);
    const oldProof = await w.request("POST", "/api/auth/staff/unlock", {
      body: { username: s.username, proof: w.b64(s.proof) },
    });
    expect(oldProof.status).toBe(401);
    s.proof = newProof;
    await w.signInStaff(s);
  });
});

describe("sessions", () => {
  it("401 UNAUTHENTICATED without or with an unknown cookie", async () => {
    expect((await w.request("GET", "/api/auth/session")).body.error.code).toBe("UNAUTHENTICATED");
    const unknown = await w.request("GET", "/api/auth/session", { cookie: "A".repeat(43) });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe("UNAUTHENTICATED");
  });

  it("expires after idle time (seeker 15 min) and is deleted", async () => {
    const { res } = await seekerAttempt();
    w.clock.advance(14 * 60_000);
    expect((await w.request("GET", "/api/auth/session", { cookie: res.cookie })).status).toBe(200);
    w.clock.advance(14 * 60_000); // active 14 min ago: still fine
    expect((await w.request("GET", "/api/auth/session", { cookie: res.cookie })).status).toBe(200);
    w.clock.advance(15 * 60_000 + 1);
    const expired = await w.request("GET", "/api/auth/session", { cookie: res.cookie });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe("SESSION_EXPIRED");
    expect((await w.request("GET", "/api/auth/session", { cookie: res.cookie })).body.error.code).toBe(
      "UNAUTHENTICATED",
    );
  });

  it("expires absolutely (seeker 2 h) even when active", async () => {
    const { res } = await seekerAttempt();
    for (let i = 0; i < 8; i++) {
      w.clock.advance(14 * 60_000);
      expect((await w.request("GET", "/api/auth/session", { cookie: res.cookie })).status).toBe(200);
    }
    w.clock.advance(14 * 60_000);
    expect((await w.request("GET", "/api/auth/session", { cookie: res.cookie })).body.error.code).toBe(
      "SESSION_EXPIRED",
    );
  });

  it("sign-out ends the session and clears the cookie", async () => {
    const { res } = await seekerAttempt();
    const out = await w.request("POST", "/api/auth/sign-out", { cookie: res.cookie });
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(/__Host-bg_session=;/);
    expect((await w.request("GET", "/api/auth/session", { cookie: res.cookie })).status).toBe(401);
  });
});

describe("rate limits", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("429 with Retry-After per account, kept in memory only", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const limited = await createWorld({ rateLimits: { staffAuth: { max: 3, windowMs: 60_000 } } });
    try {
      const body = { username: "someone", proof: limited.b64(limited.random(32)) };
      const statuses = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await limited.request("POST", "/api/auth/staff/unlock", { body })).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const res = await limited.request("POST", "/api/auth/staff/unlock", { body });
      expect(res.body.error.code).toBe("RATE_LIMITED");
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(res.body.error.message).toMatch(/retry in \d+ s/);
      // another account is not affected
      const other = await limited.request("POST", "/api/auth/staff/unlock", {
        body: { username: "someone-else", proof: body.proof },
      });
      expect(other.status).toBe(401);
      vi.advanceTimersByTime(60_001);
      expect((await limited.request("POST", "/api/auth/staff/unlock", { body })).status).toBe(401);
    } finally {
      await limited.cleanup();
    }
  });

  it("a global limit caps challenges across helplines", async () => {
    const limited = await createWorld({ rateLimits: { global: { max: 2, windowMs: 60_000 } } });
    try {
      const hl = await limited.setupHelpline("gamma", 3).catch(() => undefined);
      expect(hl).toBeUndefined(); // set-up itself needs more than two sign-in requests
      const res = await limited.request("POST", "/api/auth/challenge", {
        body: { helplineId: "A".repeat(22) },
      });
      expect(res.status).toBe(429);
    } finally {
      await limited.cleanup();
    }
  });
});

describe("rate limits per client address (in memory, under a rotating key)", () => {
  /** A request as if from `address` (the TCP peer @hono/node-server reports). */
  async function from(address: string, path: string, body: unknown) {
    const res = await w.app.request(
      path,
      { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) },
      { incoming: { socket: { remoteAddress: address } } },
    );
    return { status: res.status, headers: res.headers, body: await res.json() };
  }

  it("one address flooding challenges and invented usernames is refused; another address is not", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 70; i++) {
      statuses.push((await from("192.0.2.1", "/api/auth/challenge", { helplineId: h.id })).status);
    }
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(60).every((s) => s === 429)).toBe(true);
    const params = await from("192.0.2.1", "/api/auth/staff/params", { username: "invented-1" });
    expect(params.status).toBe(429);
    expect(params.body.error.code).toBe("RATE_LIMITED");
    // IPv4-mapped IPv6 spelling of the same address is the same client
    expect((await from("::ffff:192.0.2.1", "/api/auth/challenge", { helplineId: h.id })).status).toBe(429);
    expect((await from("192.0.2.2", "/api/auth/challenge", { helplineId: h.id })).status).toBe(200);
    expect((await from("192.0.2.2", "/api/auth/staff/params", { username: "invented-2" })).status).toBe(200);
    // One IPv6 /64 is one client.
    for (let i = 0; i < 60; i++)
      await from(`2001:db8:1:2::${i.toString(16)}`, "/api/auth/staff/params", { username: "x-y" });
    expect((await from("2001:db8:1:2:ffff::1", "/api/auth/staff/params", { username: "x-y" })).status).toBe(
      429,
    );
    expect((await from("2001:db8:1:3::1", "/api/auth/staff/params", { username: "x-y" })).status).toBe(200);
  });

  it("wrong passphrases slow down the (username, address) pair; the owner signs in from another address", async () => {
    const s = h.supervisor;
    const wrong = { username: s.username, proof: w.b64(w.random(32)) };
    const answers: number[] = [];
    for (let i = 0; i < 7; i++)
      answers.push((await from("198.51.100.9", "/api/auth/staff/unlock", wrong)).status);
    // five free failures, the sixth starts a wait, the seventh is refused while waiting
    expect(answers).toEqual([401, 401, 401, 401, 401, 401, 429]);
    const waiting = await from("198.51.100.9", "/api/auth/staff/unlock", { ...wrong, proof: w.b64(s.proof) });
    expect(waiting.status).toBe(429);
    expect(waiting.headers.get("retry-after")).toBe("1");
    expect(waiting.body.error.message).toMatch(/retry in 1 s/);
    // The owner, elsewhere, is not affected.
    const owner = await from("203.0.113.4", "/api/auth/staff/unlock", {
      username: s.username,
      proof: w.b64(s.proof),
    });
    expect(owner.status).toBe(200);
    // Other usernames from the attacking address are not delayed by this pair.
    expect(
      (await from("198.51.100.9", "/api/auth/staff/unlock", { ...wrong, username: "other-name" })).status,
    ).toBe(401);
  });
});
