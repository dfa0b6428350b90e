/**
 * Bad input (docs/REQUIREMENTS.md §2, invariant 6, and section 4 "Reliability"): thousands of generated
 * bad requests against every write route and the sign-in routes (and the read routes' parameters).
 * Every answer must be a typed 4xx `{ error: { code, message } }` whose code is one of the protocol's
 * `ErrorCode`s and whose HTTP status is the one that code maps to; never a 2xx, never a 5xx; and no
 * table changes (row counts, and the content of every row except a session's last-seen time) across
 * the whole run. Rate limits are raised (they are in memory and would otherwise answer first).
 *
 * The one deliberate write of a refused request (a bad sign-in signature consumes its fresh nonce,
 * so a nonce gets exactly one try) is tested on its own at the end, with its exact effect.
 *
 * Valid request bodies ("templates") are built with the crypto package from the world of
 * tests/authz-world.ts and never sent unchanged; the generators change them into bad ones. For the
 * schema-level kinds (wrong types, missing and extra fields, huge numbers, Unicode oddities, bad
 * base64) the protocol's own zod schema is the oracle: only bodies it refuses are sent, and the exact
 * answer `400 VALIDATION_FAILED` is asserted.
 *
 * The tests are split by category over tests/bad-input/*.test.ts; each file builds its own harness and
 * world with `setupBadInput()`. Shared: this file (assertions, world, snapshot, setup), the generators
 * (support-generators.ts) and the valid request bodies (support-routes.ts).
 */
import { createHash } from "node:crypto";
import { scaleRateLimits } from "@briefgeheim/api";
import { ERROR_CODES, ERROR_STATUS, type ErrorCode, isErrorBody, LIMITS } from "@briefgeheim/protocol";
import { afterAll, beforeAll, expect } from "vitest";
import { buildWorld, seekerSignIn, staffSignIn, type World } from "../authz-world.js";
import { type Harness, type RawResponse, startHarness } from "../journeys-harness.js";
import type { BodyRoute, Json } from "./support-generators.js";
import { buildRoutes } from "./support-routes.js";

// -------------------------------------------------------------------------------- the assertions

export let sent = 0;
export const perKind = new Map<string, number>();

/** A typed 4xx with the status its code maps to (and, if given, one of `codes`). */
export function expectTyped(res: RawResponse, codes?: readonly ErrorCode[]): ErrorCode {
  const where = `${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
  if (!(res.status >= 400 && res.status < 500)) throw new Error(`not a 4xx: ${where}`);
  if (!isErrorBody(res.body)) throw new Error(`not an error body: ${where}`);
  const code = res.body.error.code;
  if (!ERROR_CODES.includes(code)) throw new Error(`unknown code: ${where}`);
  if (ERROR_STATUS[code] !== res.status) throw new Error(`status does not match the code: ${where}`);
  if (code === "RATE_LIMITED") throw new Error(`rate limited (raise the limits): ${where}`);
  if (codes !== undefined && !codes.includes(code)) throw new Error(`expected ${codes.join("|")}: ${where}`);
  return code;
}

/** The batch answers 200 with a result per item: every item must be refused with a typed code. */
export function expectBatchRefused(res: RawResponse): void {
  if (res.status !== 200) {
    expectTyped(res);
    return;
  }
  const results = res.body.results as { ok: boolean; error?: { code: ErrorCode } }[];
  for (const r of results) {
    if (r.ok || r.error === undefined || !ERROR_CODES.includes(r.error.code) || r.error.code === "INTERNAL") {
      throw new Error(`a batch item was not refused: ${JSON.stringify(r)}`);
    }
  }
}

// ------------------------------------------------------------------------------------- the world

export let h: Harness;
export let w: World;
export const clock = { offset: 0, now: () => Date.now() + clock.offset };

export async function send(
  kind: string,
  method: string,
  path: string,
  init: Parameters<Harness["request"]>[2] = {},
): Promise<RawResponse> {
  sent++;
  perKind.set(kind, (perKind.get(kind) ?? 0) + 1);
  return h.request(method, path, init);
}

/** Row counts and a digest of every row of every table (a session's last-seen time aside). */
export async function snapshot(): Promise<Record<string, string>> {
  const tables = await h.query(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  );
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const rows = await h.query(`SELECT * FROM "${String(name)}"`);
    const lines = rows
      .map((row) => {
        const r = { ...row };
        if (name === "sessions") delete r.last_seen_at;
        return JSON.stringify(r, (_k, v) =>
          v instanceof ArrayBuffer ? Buffer.from(v).toString("hex") : typeof v === "bigint" ? String(v) : v,
        );
      })
      .sort();
    out[String(name)] = `${rows.length} rows ${createHash("sha256").update(lines.join("\n")).digest("hex")}`;
  }
  return out;
}

export let routes: BodyRoute[] = [];

export function route(key: string): BodyRoute {
  const found = routes.find((r) => r.key === key);
  if (found === undefined) throw new Error(`no body route ${key}`);
  return found;
}

/** Sends a body route's request with `body` (JSON value or raw text). */
export function sendBody(
  kind: string,
  r: BodyRoute,
  body: Json | { raw: string },
  headers?: Record<string, string>,
) {
  return send(kind, r.method, r.path, {
    cookie: r.cookie,
    ...(body !== null && typeof body === "object" && "raw" in body && typeof body.raw === "string"
      ? { raw: body.raw }
      : { json: body }),
    ...(headers === undefined ? {} : { headers }),
  });
}

// ---------------------------------------------------------------------------------------- setup

export interface Pools {
  usedSeeker: Awaited<ReturnType<typeof seekerSignIn>>[];
  usedStaff: Awaited<ReturnType<typeof staffSignIn>>[];
  expiredSeeker: Awaited<ReturnType<typeof seekerSignIn>>[];
  expiredStaff: Awaited<ReturnType<typeof staffSignIn>>[];
  otherHelpline: Awaited<ReturnType<typeof seekerSignIn>>[];
}
export let pools: Pools;
export let before: Record<string, string>;

/** Registers the shared setup (one harness and world per test file) and its checks on close. */
export function setupBadInput(): void {
  beforeAll(async () => {
    h = await startHarness({ rateLimits: scaleRateLimits(1000), clock });
    w = await buildWorld(h);
    // Challenges used once (replays), expired ones, and one of another helpline.
    const usedSeeker = [];
    const usedStaff = [];
    for (let i = 0; i < 3; i++) {
      const s = await seekerSignIn(w, w.seekers.b.keys);
      expect((await h.request("POST", "/api/auth/seeker", { json: s })).status).toBe(200);
      usedSeeker.push(s);
      const t = await staffSignIn(w, w.staff.spare);
      expect((await h.request("POST", "/api/auth/staff", { json: t })).status).toBe(200);
      usedStaff.push(t);
    }
    const expiredSeeker = [await seekerSignIn(w, w.seekers.b.keys), await seekerSignIn(w)];
    const expiredStaff = [await staffSignIn(w, w.staff.spare)];
    const otherHelpline = [await seekerSignIn(w, undefined, w.h2)].map((s) => ({ ...s, helplineId: w.h1 }));
    clock.offset += LIMITS.challengeTtlMs + 1_000;
    pools = { usedSeeker, usedStaff, expiredSeeker, expiredStaff, otherHelpline };
    routes = await buildRoutes(h, w, pools);
    // Refresh every session's last-seen time once after the clock moved (bookkeeping, not content).
    for (const actor of Object.values(w.actors))
      await h.request("GET", "/api/auth/session", { cookie: actor.cookie });
    before = await snapshot();
  }, 120_000);

  afterAll(async () => {
    console.log(
      `bad-input: ${sent} generated bad requests: ${[...perKind.entries()].map(([k, n]) => `${k} ${n}`).join(", ")}`,
    );
    // Every file's requests are checked: none was answered with a 500 (no error was logged).
    const errors = h?.logLines.filter((l) => l.includes('"level":"error"')) ?? [];
    await h?.close();
    expect(errors).toEqual([]);
  });
}

export async function unchanged(): Promise<void> {
  expect(await snapshot()).toEqual(before);
}
