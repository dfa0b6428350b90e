/**
 * Nobody can lock the helpline (issue 9): a real server on loopback with the default rate limits; an
 * attacker on 127.0.0.2 floods the challenge route, `staff/params` with invented usernames and
 * `staff/unlock` with wrong passphrases for a known username, while legitimate staff on 127.0.0.3..7
 * sign in and write. At least 99% of the legitimate requests succeed, the attacker is answered 429
 * (with Retry-After and the wait in the body), and the owner of the attacked username still signs in
 * from another address, during the flood and after it. Bounded: a few thousand requests, a few seconds.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createWorld,
  type HelplineFixture,
  ORIGIN,
  type Staff,
  type World,
} from "../../apps/api/src/testing/harness.js";
import { type Account, Client, flood, legitimateWork, successRate } from "./scenario.js";

/** Rounds of work per legitimate client (each: a draft saved, two reads, a challenge). */
const ROUNDS = 8;

const samplesOf = (clients: Client[]) => clients.flatMap((c) => c.samples);

let w: World;
let h: HelplineFixture;
let staff: Staff[];
let close: () => Promise<void>;
let base: string;

const account = (s: Staff): Account => ({
  username: s.username,
  proof: s.proof,
  signInSecretKey: s.signIn.secretKey,
});

beforeAll(async () => {
  w = await createWorld(); // the default rate limits
  h = await w.setupHelpline("alpha", 1);
  staff = [];
  for (let i = 0; i < 5; i++) staff.push(await w.addStaff(h, `legit-${i}`, "counsellor", true));
  const server = serve({ fetch: w.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});
afterAll(async () => {
  await close?.();
  await w?.cleanup();
});

describe("abuse from one address", () => {
  it("legitimate clients keep working, the attacker gets 429, the attacked owner still signs in", async () => {
    const target = { base, origin: ORIGIN, helplineId: h.id, sodium: w.sodium };
    const attacker = new Client(target, "127.0.0.2", 16);
    const legit = staff.map((_, i) => new Client(target, `127.0.0.${3 + i}`));
    const ownerClient = new Client(target, "127.0.0.8");
    const owner = h.supervisor;
    let done = false;
    const started = Date.now();
    try {
      const attack = flood(attacker, owner.username, { concurrency: 4, max: 2000, stop: () => done });
      // Let the flood use up the attacker's shares first.
      await new Promise((r) => setTimeout(r, 300));
      const work = Promise.all(legit.map((c, i) => legitimateWork(c, account(staff[i]!), ROUNDS)));
      const ownerDuring = ownerClient.signIn(account(owner));
      const [signedIn, ownerCookie] = await Promise.all([work, ownerDuring]);
      done = true;
      const attacked = await attack;

      expect(signedIn.every(Boolean)).toBe(true);
      const samples = samplesOf(legit);
      expect(samples.length).toBeGreaterThanOrEqual(5 * (4 + ROUNDS * 4));
      expect(successRate(samples)).toBeGreaterThanOrEqual(0.99);
      // The owner signed in from another address during the flood.
      expect(ownerCookie).toBeTypeOf("string");
      // The attacker: mostly 429, never a server error, never a wrong passphrase accepted.
      expect(attacked.sent).toBeGreaterThan(120); // at least twice its share of the anonymous routes
      // Everything beyond its address's share of the anonymous routes (60 a minute) is refused.
      expect(attacked.sent - (attacked.byStatus[429] ?? 0)).toBeLessThanOrEqual(60);
      expect(Object.keys(attacked.byStatus).filter((s) => Number(s) >= 500 || s === "0")).toEqual([]);
      expect(attacked.unlockOk).toBe(0);
      expect(attacked.unlockNot429).toBeLessThanOrEqual(60);
      // What the attacker reads: the wait, in the header and in the body.
      const refused = await attacker.call("POST", "/api/auth/staff/unlock", {
        username: owner.username,
        proof: Buffer.alloc(32).toString("base64url"),
      });
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe("RATE_LIMITED");
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
      expect(refused.body.error.message).toContain(`retry in ${refused.retryAfter} s`);
      // After the flood the owner signs in again from their address.
      expect(await ownerClient.signIn(account(owner))).toBeTypeOf("string");
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      done = true;
      await Promise.all([attacker.close(), ownerClient.close(), ...legit.map((c) => c.close())]);
    }
  });
});
