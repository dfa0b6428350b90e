/**
 * Bad input (PRODUCT.md section 2, invariant 6, and section 4 "Reliability"): thousands of generated
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
 */
import { createHash } from "node:crypto";
import { scaleRateLimits } from "@briefgeheim/api";
import {
  createGrant,
  type EpochKey,
  type EpochRecordBytes,
  encodeGrant,
  fromBase64,
  type GrantBytes,
  keyCommit,
  LABEL,
  nextRoster,
  parseEpochRecord,
  parseGrant,
  parseRoster,
  type Reader,
  type RosterBytes,
  readerSet,
  rootKeyFromSeed,
  type SignKeyPair,
  type StaffEpochKey,
  signEpochRecord,
  signRoster,
  signWithLabel,
  staffCommit,
  type ThreadId,
} from "@briefgeheim/crypto";
import * as P from "@briefgeheim/protocol";
import { ERROR_CODES, ERROR_STATUS, type ErrorCode, isErrorBody, LIMITS } from "@briefgeheim/protocol";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  acceptBody,
  buildWorld,
  draftBody,
  envelopeBody,
  epochBody,
  latestRoster,
  newInviteToken,
  openThreadBody,
  rosterBody,
  seekerSignIn,
  staffSignIn,
  threadState,
  type World,
} from "./authz-world.js";
import { type Harness, type RawResponse, startHarness } from "./journeys-harness.js";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

// -------------------------------------------------------------------------------- the assertions

let sent = 0;
const perKind = new Map<string, number>();

/** A typed 4xx with the status its code maps to (and, if given, one of `codes`). */
function expectTyped(res: RawResponse, codes?: readonly ErrorCode[]): ErrorCode {
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
function expectBatchRefused(res: RawResponse): void {
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

let h: Harness;
let w: World;
const clock = { offset: 0, now: () => Date.now() + clock.offset };

async function send(
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
async function snapshot(): Promise<Record<string, string>> {
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

// --------------------------------------------------------------------------------- body routes

/** A binary field of a body: fixed length (random bytes of that length still refused?), a structure, or opaque. */
type Binary =
  | { readonly path: Path; readonly fixed: number; readonly anyBytesRefused: boolean }
  | { readonly path: Path; readonly struct: "signed" | number }
  | { readonly path: Path; readonly opaque: number };

interface BodyRoute {
  readonly key: string;
  readonly method: "POST" | "PUT" | "PATCH";
  path: string;
  cookie: string | undefined;
  template: { [k: string]: Json };
  readonly schema: z.ZodType;
  readonly limit: number;
  readonly binary: readonly Binary[];
  readonly numbers?: readonly Path[];
  readonly texts?: readonly { readonly path: Path; readonly schema: z.ZodType }[];
  /** The batch answers per item. */
  readonly batch?: boolean;
}

let routes: BodyRoute[] = [];

function route(key: string): BodyRoute {
  const found = routes.find((r) => r.key === key);
  if (found === undefined) throw new Error(`no body route ${key}`);
  return found;
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

function getAt(obj: Json, path: Path): Json | undefined {
  let cur: Json | undefined = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, Json>)[p];
  }
  return cur;
}

function setAt(obj: Json, path: Path, value: Json | undefined): Json {
  if (path.length === 0) return value ?? null;
  const root = clone(obj);
  let cur = root as Record<string | number, Json>;
  for (const p of path.slice(0, -1)) cur = cur[p] as Record<string | number, Json>;
  const last = path.at(-1)!;
  if (value === undefined) {
    if (Array.isArray(cur) && typeof last === "number") cur.splice(last, 1);
    else delete cur[last];
  } else cur[last] = value;
  return root;
}

/** Every path in a JSON value (objects' keys and arrays' elements), the root first. */
function pathsOf(v: Json, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) out.push(...pathsOf(x, [...prefix, i]));
  } else if (v !== null && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) out.push(...pathsOf(x, [...prefix, k]));
  }
  return out;
}

function objectPaths(v: Json): Path[] {
  return pathsOf(v).filter((p) => {
    const x = getAt(v, p);
    return x !== null && typeof x === "object" && !Array.isArray(x);
  });
}

const refusedBy = (schema: z.ZodType, body: unknown) => !schema.safeParse(body).success;

/** Percent-encoding of the UTF-8 bytes (lone surrogates become U+FFFD, as a browser would send them). */
function percentEncode(text: string): string {
  return [...Buffer.from(text)].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
}

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64url");
}

/** Sends a body route's request with `body` (JSON value or raw text). */
function sendBody(
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

// ------------------------------------------------------------------------------------ generators

const anyJson: fc.Arbitrary<Json> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 40 }),
  fc.array(fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<Json>, {
    maxKeys: 3,
  }),
);

const NOT_JSON = [
  "",
  "{",
  "}",
  "[",
  "nul",
  "tru",
  "{'a':1}",
  '{"a":1,}',
  "NaN",
  "Infinity",
  "\uFEFF{}",
  '{"a":"\\x00"}',
  '{"a":"\\ud800',
  "{a:1}",
  "[1,2",
  '{"a" 1}',
  "\u0000",
  "<xml/>",
  "a=1&b=2",
];

/** Not JSON as the server reads it (a body's leading UTF-8 byte order mark is dropped when decoding). */
const notJson = (s: string) => {
  try {
    JSON.parse(s.replace(/^\uFEFF/, ""));
    return false;
  } catch {
    return true;
  }
};

const HUGE = [
  "1e400",
  "-1e400",
  "1e308",
  "9007199254740993",
  "123456789012345678901234567890",
  "-0",
  "0.5",
  "1e-400",
  "-1",
  "0",
  "4294967296",
  "18446744073709551616",
];

/** Unicode that looks like (or normalises towards) something valid: confusables, controls, bidi, marks. */
const ODD_TEXT = [
  "\u212Aarin", // Kelvin sign: lower-cases to "k"
  "ＳＰＡＲＥ", // fullwidth
  "spa\u200Bre", // zero-width space
  "spare\u202E", // right-to-left override
  "\u00A0spare\u00A0", // no-break spaces around
  "İnes", // dotted capital I: lower-cases to two code points
  "spa\u0301re", // combining accent
  "sp\u0000are", // NUL
  "spare\n",
  "😀😀😀",
  "\uD800spare", // lone surrogate
  "\u3000spare",
  "spar\u0435", // Cyrillic e
  "a".repeat(65),
  "",
  " ",
];

const CONTENT_TYPES = [
  "text/plain",
  "text/plain; charset=utf-8",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/xml",
  "application/json5",
  "application/jsonp",
  "text/json",
  "application/octet-stream",
  "application/vnd.api+json",
  "json",
  "application/ json",
  "",
  "*/*",
];

/** Random bytes as base64url, or text that is not base64url at all. */
function badBase64(b: Binary): fc.Arbitrary<string> {
  const invalidText = fc.oneof(
    fc
      .string({ minLength: 1, maxLength: 60 })
      .filter((s) => !/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1),
    fc.constantFrom("AAAA====", "AA==", "+/+/", "A", "Zm9v\n", " AAAA", "AAAA ", "%41%41"),
  );
  let bytes: fc.Arbitrary<string>;
  if ("fixed" in b) {
    bytes = fc
      .uint8Array({ minLength: 0, maxLength: 120 })
      .filter((x) => x.length !== b.fixed || b.anyBytesRefused)
      .map(b64);
  } else if ("struct" in b) {
    bytes = fc.uint8Array({ minLength: 0, maxLength: 600 }).map(b64);
  } else {
    bytes = fc.integer({ min: b.opaque + 1, max: b.opaque + 64 }).map((n) => b64(new Uint8Array(n).fill(7)));
  }
  return fc.oneof(invalidText, bytes);
}

/** Flips 1-4 bits of a structure (anywhere if signed; in the header only if the rest is opaque AEAD). */
function tamper(b: Extract<Binary, { struct: unknown }>, original: string): fc.Arbitrary<string> {
  const bytes = Buffer.from(original, "base64url");
  const region = b.struct === "signed" ? bytes.length : Math.min(b.struct, bytes.length);
  return fc
    .array(fc.tuple(fc.integer({ min: 0, max: region - 1 }), fc.integer({ min: 0, max: 7 })), {
      minLength: 1,
      maxLength: 4,
    })
    .map((flips) => {
      const out = Buffer.from(bytes);
      for (const [at, bit] of flips) out[at]! ^= 1 << bit;
      return out.toString("base64url");
    })
    .filter((t) => t !== original);
}

// ---------------------------------------------------------------------------------------- setup

interface Pools {
  usedSeeker: Awaited<ReturnType<typeof seekerSignIn>>[];
  usedStaff: Awaited<ReturnType<typeof staffSignIn>>[];
  expiredSeeker: Awaited<ReturnType<typeof seekerSignIn>>[];
  expiredStaff: Awaited<ReturnType<typeof staffSignIn>>[];
  otherHelpline: Awaited<ReturnType<typeof seekerSignIn>>[];
}
let pools: Pools;
let before: Record<string, string>;

async function buildRoutes(): Promise<BodyRoute[]> {
  const A = w.actors;
  const id = () => w.b64(w.random(16));
  const openInvite = await newInviteToken(w);
  const epoch = await epochBody(w, w.threads.ta, A.counsellorAssigned);
  const batch = await epochBody(w, w.threads.ta, A.supervisor);
  const rootCopy = (await h.request("GET", "/api/staff/root-key", { cookie: A.supervisor.cookie })).body
    .rootSealed;
  const wrappedHeader = 2 + 1 + 16 + 4 + 4 + 4; // up to and including the sealed part's length
  const ctx = `new:${w.h1}`;
  const r = (x: Omit<BodyRoute, "template"> & { template: unknown }) => x as BodyRoute;
  return [
    r({
      key: "POST /api/helplines/:helplineId/rosters",
      method: "POST",
      path: `/api/helplines/${w.h1}/rosters`,
      cookie: A.supervisor.cookie,
      template: await rosterBody(w),
      schema: P.publishRosterRequestSchema,
      limit: LIMITS.body.roster,
      binary: [{ path: ["roster"], struct: "signed" }],
    }),
    r({
      key: "POST /api/auth/challenge",
      method: "POST",
      path: "/api/auth/challenge",
      cookie: undefined,
      template: { helplineId: id() }, // a helpline that does not exist: 404, nothing written
      schema: P.challengeRequestSchema,
      limit: LIMITS.body.small,
      binary: [{ path: ["helplineId"], fixed: 16, anyBytesRefused: true }],
    }),
    r({
      key: "POST /api/auth/seeker",
      method: "POST",
      path: "/api/auth/seeker",
      cookie: undefined,
      template: pools.usedSeeker[0],
      schema: P.seekerSignInRequestSchema,
      limit: LIMITS.body.small,
      binary: [
        { path: ["helplineId"], fixed: 16, anyBytesRefused: true },
        { path: ["signInPk"], fixed: 32, anyBytesRefused: true },
        { path: ["nonce"], fixed: 32, anyBytesRefused: true },
        { path: ["signature"], fixed: 64, anyBytesRefused: true },
      ],
    }),
    r({
      key: "POST /api/auth/staff/params",
      method: "POST",
      path: "/api/auth/staff/params",
      cookie: undefined,
      template: { username: "spare" },
      schema: P.staffParamsRequestSchema,
      limit: LIMITS.body.small,
      binary: [],
      texts: [{ path: ["username"], schema: P.usernameSchema }],
    }),
    r({
      key: "POST /api/auth/staff/unlock",
      method: "POST",
      path: "/api/auth/staff/unlock",
      cookie: undefined,
      template: { username: "spare", proof: w.b64(w.random(32)) },
      schema: P.staffUnlockRequestSchema,
      limit: LIMITS.body.small,
      binary: [{ path: ["proof"], fixed: 32, anyBytesRefused: true }],
      texts: [{ path: ["username"], schema: P.usernameSchema }],
    }),
    r({
      key: "POST /api/auth/staff",
      method: "POST",
      path: "/api/auth/staff",
      cookie: undefined,
      template: pools.usedStaff[0],
      schema: P.staffSignInRequestSchema,
      limit: LIMITS.body.small,
      binary: [
        { path: ["proof"], fixed: 32, anyBytesRefused: true },
        { path: ["nonce"], fixed: 32, anyBytesRefused: true },
        { path: ["signature"], fixed: 64, anyBytesRefused: true },
      ],
      texts: [{ path: ["username"], schema: P.usernameSchema }],
    }),
    r({
      key: "POST /api/auth/staff/recover",
      method: "POST",
      path: "/api/auth/staff/recover",
      cookie: undefined,
      template: { username: "spare", recoveryProof: w.b64(w.random(32)) },
      schema: P.staffRecoverRequestSchema,
      limit: LIMITS.body.small,
      binary: [{ path: ["recoveryProof"], fixed: 32, anyBytesRefused: true }],
      texts: [{ path: ["username"], schema: P.usernameSchema }],
    }),
    r({
      // A wrong recovery proof: whatever else is changed, nothing can be reset.
      key: "POST /api/auth/staff/reset",
      method: "POST",
      path: "/api/auth/staff/reset",
      cookie: undefined,
      template: { username: "spare", recoveryProof: w.b64(w.random(32)), passphrase: w.spareBundle },
      schema: P.staffResetRequestSchema,
      limit: LIMITS.body.small,
      binary: [
        { path: ["recoveryProof"], fixed: 32, anyBytesRefused: true },
        { path: ["passphrase", "salt"], fixed: 16, anyBytesRefused: true },
        { path: ["passphrase", "proof"], fixed: 32, anyBytesRefused: true },
        { path: ["passphrase", "wrappedKey"], struct: "signed" },
      ],
      numbers: [
        ["passphrase", "opsLimit"],
        ["passphrase", "memLimitKiB"],
      ],
      texts: [{ path: ["username"], schema: P.usernameSchema }],
    }),
    r({
      key: "POST /api/invites",
      method: "POST",
      path: "/api/invites",
      cookie: A.supervisor.cookie,
      template: { id: id(), role: "counsellor", expiresInHours: 24, sealedSecret: w.b64(w.random(72)) },
      schema: P.createInviteRequestSchema,
      limit: LIMITS.body.small,
      binary: [
        { path: ["id"], fixed: 16, anyBytesRefused: false },
        { path: ["sealedSecret"], fixed: 72, anyBytesRefused: false },
      ],
      numbers: [["expiresInHours"]],
    }),
    r({
      key: "POST /api/invites/:token/accept",
      method: "POST",
      path: `/api/invites/${openInvite}/accept`,
      cookie: undefined,
      template: { ...acceptBody(w, "nieuwkomer"), keyProof: w.b64(w.random(32)) },
      schema: P.acceptInviteRequestSchema,
      limit: LIMITS.body.invite,
      binary: [
        { path: ["signInPk"], fixed: 32, anyBytesRefused: false },
        { path: ["signPk"], fixed: 32, anyBytesRefused: false },
        { path: ["boxPk"], fixed: 32, anyBytesRefused: false },
        { path: ["keyProof"], fixed: 32, anyBytesRefused: false },
        { path: ["passphrase", "salt"], fixed: 16, anyBytesRefused: true },
        { path: ["passphrase", "proof"], fixed: 32, anyBytesRefused: false },
        { path: ["passphrase", "wrappedKey"], struct: wrappedHeader },
        { path: ["recovery", "proof"], fixed: 32, anyBytesRefused: false },
        { path: ["recovery", "wrappedKey"], struct: wrappedHeader },
      ],
      numbers: [
        ["passphrase", "opsLimit"],
        ["passphrase", "memLimitKiB"],
      ],
      texts: [
        { path: ["username"], schema: P.usernameSchema },
        { path: ["displayName"], schema: P.displayNameSchema },
      ],
    }),
    r({
      key: "PUT /api/staff/:memberId/root-key",
      method: "PUT",
      path: `/api/staff/${w.staff.vera.memberId}/root-key`,
      cookie: A.supervisor.cookie,
      template: { rootSealed: rootCopy },
      schema: P.rootKeySchema,
      limit: LIMITS.body.small,
      binary: [{ path: ["rootSealed"], opaque: LIMITS.wrappedKeyMaxBytes }],
    }),
    r({
      key: "POST /api/threads",
      method: "POST",
      path: "/api/threads",
      cookie: A.seekerA.cookie,
      template: await openThreadBody(w, w.seekers.a),
      schema: P.createThreadRequestSchema,
      limit: LIMITS.body.thread,
      binary: [
        { path: ["threadId"], fixed: 16, anyBytesRefused: true },
        { path: ["record"], struct: "signed" },
        { path: ["grants", 0], struct: "signed" },
        { path: ["grants", 1], struct: "signed" },
        { path: ["envelope"], struct: "signed" },
      ],
    }),
    r({
      key: "POST /api/threads/epochs/batch",
      method: "POST",
      path: "/api/threads/epochs/batch",
      cookie: A.supervisor.cookie,
      template: { items: [{ threadId: w.threads.ta, record: batch.record, grants: batch.grants }] },
      schema: P.epochBatchRequestSchema,
      limit: LIMITS.body.batch,
      batch: true,
      binary: [
        { path: ["items", 0, "threadId"], fixed: 16, anyBytesRefused: true },
        { path: ["items", 0, "record"], struct: "signed" },
        { path: ["items", 0, "grants", 0], struct: "signed" },
        { path: ["items", 0, "grants", 2], struct: "signed" },
      ],
    }),
    r({
      key: "POST /api/threads/:threadId/envelopes",
      method: "POST",
      path: `/api/threads/${w.threads.ta}/envelopes`,
      cookie: A.counsellorAssigned.cookie,
      template: await envelopeBody(w, w.threads.ta, A.counsellorAssigned),
      schema: P.postEnvelopeRequestSchema,
      limit: LIMITS.body.envelope,
      binary: [
        { path: ["id"], fixed: 16, anyBytesRefused: false },
        { path: ["envelope"], struct: "signed" },
      ],
    }),
    r({
      key: "POST /api/threads/:threadId/epochs",
      method: "POST",
      path: `/api/threads/${w.threads.ta}/epochs`,
      cookie: A.counsellorAssigned.cookie,
      template: { record: epoch.record, grants: epoch.grants },
      schema: P.postEpochRequestSchema,
      limit: LIMITS.body.epoch,
      binary: [
        { path: ["record"], struct: "signed" },
        { path: ["grants", 0], struct: "signed" },
        { path: ["grants", 1], struct: "signed" },
      ],
    }),
    r({
      key: "PATCH /api/threads/:threadId",
      method: "PATCH",
      path: `/api/threads/${w.threads.ta}`,
      cookie: A.counsellorAssigned.cookie,
      template: { flagged: true },
      schema: P.patchThreadRequestSchema,
      limit: LIMITS.body.small,
      binary: [],
    }),
    r({
      key: "PUT /api/drafts/:context",
      method: "PUT",
      path: `/api/drafts/${ctx}`,
      cookie: A.seekerA.cookie,
      template: draftBody(w, ctx),
      schema: P.putDraftRequestSchema,
      limit: LIMITS.body.draft,
      binary: [{ path: ["draft"], struct: 2 + 4 + ctx.length }],
    }),
  ];
}

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
  routes = await buildRoutes();
  // Refresh every session's last-seen time once after the clock moved (bookkeeping, not content).
  for (const actor of Object.values(w.actors))
    await h.request("GET", "/api/auth/session", { cookie: actor.cookie });
  before = await snapshot();
}, 120_000);

afterAll(async () => {
  console.log(
    `bad-input: ${sent} generated bad requests: ${[...perKind.entries()].map(([k, n]) => `${k} ${n}`).join(", ")}`,
  );
  await h?.close();
});

async function unchanged(): Promise<void> {
  expect(await snapshot()).toEqual(before);
}

// ----------------------------------------------------------------------------------------- tests

describe("bad input: typed 4xx, never 5xx, and nothing changes", () => {
  it("malformed JSON: 400 BAD_REQUEST", async () => {
    for (const route of routes) {
      const text = JSON.stringify(route.template);
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.constantFrom(...NOT_JSON),
            fc.integer({ min: 0, max: text.length - 1 }).map((i) => text.slice(0, i)),
            fc
              .tuple(
                fc.integer({ min: 0, max: text.length }),
                fc.constantFrom("{", "}", '"', ",", ":", "]", "\\"),
              )
              .map(([i, c]) => text.slice(0, i) + c + text.slice(i)),
          ),
          async (raw) => {
            fc.pre(notJson(raw));
            expectTyped(await sendBody("malformed JSON", route, { raw }), ["BAD_REQUEST"]);
          },
        ),
        { numRuns: 40 },
      );
    }
    await unchanged();
  });

  it("wrong types, missing and extra fields, huge numbers: 400 VALIDATION_FAILED", async () => {
    for (const route of routes) {
      const t = route.template;
      const paths = pathsOf(t);
      const wrongType = fc.tuple(fc.constantFrom(...paths), anyJson).map(([p, v]) => setAt(t, p, v));
      const missing = fc
        .constantFrom(...paths.filter((p) => p.length > 0))
        .map((p) => setAt(t, p, undefined));
      const extra = fc
        .tuple(
          fc.constantFrom(...objectPaths(t)),
          fc.oneof(
            fc.string({ minLength: 1, maxLength: 12 }),
            fc.constantFrom("__proto__", "constructor", "role", "id"),
          ),
          anyJson,
        )
        .map(([p, k, v]) => {
          const copy = clone(t);
          const target = (p.length === 0 ? copy : getAt(copy, p)) as Record<string, Json>;
          Object.defineProperty(target, k, {
            value: v,
            enumerable: true,
            writable: true,
            configurable: true,
          });
          return copy as Json;
        });
      const gens: fc.Arbitrary<Json | { raw: string }>[] = [wrongType, missing, extra];
      if (route.numbers !== undefined && route.numbers.length > 0) {
        gens.push(
          fc.tuple(fc.constantFrom(...route.numbers), fc.constantFrom(...HUGE)).map(([p, literal]) => {
            const marked = JSON.stringify(setAt(t, p, "\u0001NUMBER\u0001"));
            return { raw: marked.replace('"\\u0001NUMBER\\u0001"', literal) };
          }),
        );
      }
      await fc.assert(
        fc.asyncProperty(fc.oneof(...gens), async (body) => {
          const value =
            body !== null && typeof body === "object" && "raw" in body
              ? JSON.parse(body.raw as string)
              : body;
          fc.pre(refusedBy(route.schema, value));
          expectTyped(await sendBody("schema", route, body as Json), ["VALIDATION_FAILED"]);
        }),
        { numRuns: 80 },
      );
    }
    await unchanged();
  });

  it("Unicode oddities in usernames, display names and draft contexts: 400 VALIDATION_FAILED", async () => {
    const odd = fc.oneof(
      fc.constantFrom(...ODD_TEXT),
      fc.string({ unit: "grapheme", maxLength: 20 }),
      fc.string({ unit: "binary", maxLength: 20 }),
      fc.tuple(fc.constantFrom(...ODD_TEXT), fc.constantFrom("spare", "vera", "Anna")).map(([a, b]) => b + a),
    );
    for (const route of routes.filter((r) => r.texts !== undefined)) {
      for (const field of route.texts!) {
        await fc.assert(
          fc.asyncProperty(odd, async (text) => {
            fc.pre(refusedBy(field.schema, text));
            const body = setAt(route.template, field.path, text);
            expectTyped(await sendBody("unicode", route, body), ["VALIDATION_FAILED"]);
          }),
          { numRuns: 60 },
        );
      }
    }
    // The Kelvin sign and other confusables are refused outright, not mapped onto an ASCII name.
    for (const name of ["\u212Aarin", "ＳＰＡＲＥ", "\u00A0spare"]) {
      const res = await send("unicode", "POST", "/api/auth/staff/params", { json: { username: name } });
      expectTyped(res, ["VALIDATION_FAILED"]);
    }
    await fc.assert(
      fc.asyncProperty(odd, fc.constantFrom("GET", "PUT", "DELETE"), async (text, method) => {
        const context = `new:${text}`;
        fc.pre(refusedBy(P.draftContextSchema, context));
        const res = await send("unicode", method, `/api/drafts/${percentEncode(context)}`, {
          cookie: w.actors.seekerA.cookie,
          ...(method === "PUT" ? { json: draftBody(w, `new:${w.h1}`) } : {}),
        });
        expectTyped(res, ["VALIDATION_FAILED", "NOT_FOUND"]);
      }),
      { numRuns: 80 },
    );
    await unchanged();
  });

  it("random bytes and bad base64 in binary fields", async () => {
    for (const route of routes) {
      for (const field of route.binary) {
        await fc.assert(
          fc.asyncProperty(badBase64(field), async (text) => {
            const body = setAt(route.template, field.path, text);
            const res = await sendBody("random bytes", route, body);
            if (refusedBy(route.schema, body)) expectTyped(res, ["VALIDATION_FAILED"]);
            else if (route.batch) expectBatchRefused(res);
            else expectTyped(res);
          }),
          { numRuns: 30 },
        );
      }
    }
    await unchanged();
  });

  it("tampered envelopes, records, grants, rosters, wrapped keys and drafts (flipped bits)", async () => {
    for (const route of routes) {
      for (const field of route.binary) {
        if (!("struct" in field)) continue;
        const original = getAt(route.template, field.path) as string;
        await fc.assert(
          fc.asyncProperty(tamper(field, original), async (text) => {
            const res = await sendBody("tampered", route, setAt(route.template, field.path, text));
            if (route.batch) expectBatchRefused(res);
            else expectTyped(res);
          }),
          { numRuns: 40 },
        );
      }
    }
    await unchanged();
  });

  it("wrong content types: 415; oversized bodies: 413", async () => {
    const bodyless = [
      { method: "POST", path: "/api/auth/sign-out", cookie: w.actors.seekerB.cookie },
      { method: "DELETE", path: `/api/threads/${w.threads.td}`, cookie: w.actors.seekerA.cookie },
      { method: "DELETE", path: `/api/drafts/new:${w.h1}`, cookie: w.actors.seekerA.cookie },
    ];
    const targets = [
      ...routes.map((r) => ({
        method: r.method,
        path: r.path,
        cookie: r.cookie,
        text: JSON.stringify(r.template),
      })),
      ...bodyless.map((b) => ({ ...b, text: "{}" })),
    ];
    for (const target of targets) {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.constantFrom(...CONTENT_TYPES),
            fc.string({ maxLength: 30 }).filter((s) => !/[\r\n\0]/.test(s)),
          ),
          async (type) => {
            fc.pre(type.split(";")[0]!.trim().toLowerCase() !== "application/json");
            let headers: Record<string, string>;
            try {
              headers = Object.fromEntries(new Headers({ "content-type": type }).entries());
            } catch {
              fc.pre(false);
              return;
            }
            const res = await send("content type", target.method, target.path, {
              cookie: target.cookie,
              raw: target.text,
              headers: { "content-type": headers["content-type"] ?? "" },
            });
            expectTyped(res, ["UNSUPPORTED_MEDIA_TYPE"]);
          },
        ),
        { numRuns: 20 },
      );
      // No content type at all (a byte body).
      const res = await send("content type", target.method, target.path, {
        cookie: target.cookie,
        raw: new Uint8Array(Buffer.from(target.text)),
        noContentType: true,
      });
      expectTyped(res, ["UNSUPPORTED_MEDIA_TYPE"]);
    }
    for (const target of [
      ...routes.map((r) => ({ method: r.method, path: r.path, cookie: r.cookie, limit: r.limit })),
      ...bodyless.map((b) => ({ ...b, limit: LIMITS.body.batch })),
    ]) {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 64 * 1024 }), async (over) => {
          const raw = JSON.stringify({ pad: "x".repeat(target.limit + over) });
          const res = await send("oversized", target.method, target.path, { cookie: target.cookie, raw });
          expectTyped(res, ["PAYLOAD_TOO_LARGE"]);
        }),
        { numRuns: target.limit > 1024 * 1024 ? 2 : 6 },
      );
    }
    await unchanged();
  });

  it("path parameters that are not ids, tokens or contexts (and ids of nothing)", async () => {
    const A = w.actors;
    const notAnId = fc.oneof(
      // "", "." and ".." are not parameters: the URL resolves them to other routes.
      fc.string({ maxLength: 30 }).filter((x) => !["", ".", ".."].includes(x)),
      fc.constantFrom(
        "%00",
        "null",
        "undefined",
        "epochs",
        "batch",
        "-1",
        "AAAA",
        "A".repeat(23),
        `${"A".repeat(21)}B`,
      ),
      fc.uint8Array({ minLength: 0, maxLength: 40 }).map(b64),
    );
    const param = fc.oneof(notAnId, fc.uint8Array({ minLength: 16, maxLength: 16 }).map(b64));
    const token = fc.oneof(notAnId, fc.uint8Array({ minLength: 32, maxLength: 32 }).map(b64));
    const withParam: [
      string,
      string,
      (x: string) => string,
      fc.Arbitrary<string>,
      string | undefined,
      (() => unknown)?,
    ][] = [
      [
        "POST",
        "rosters",
        (x) => `/api/helplines/${x}/rosters`,
        param,
        A.supervisor.cookie,
        () => route("POST /api/helplines/:helplineId/rosters").template,
      ],
      ["GET", "rosters", (x) => `/api/helplines/${x}/rosters`, param, undefined],
      ["GET", "invite", (x) => `/api/invites/${x}`, token, undefined],
      [
        "POST",
        "accept",
        (x) => `/api/invites/${x}/accept`,
        token,
        undefined,
        () => route("POST /api/invites/:token/accept").template,
      ],
      [
        "PUT",
        "root key",
        (x) => `/api/staff/${x}/root-key`,
        param,
        A.supervisor.cookie,
        () => route("PUT /api/staff/:memberId/root-key").template,
      ],
      ["GET", "thread", (x) => `/api/threads/${x}`, param, A.supervisor.cookie],
      ["GET", "envelopes", (x) => `/api/threads/${x}/envelopes`, param, A.supervisor.cookie],
      [
        "POST",
        "envelopes",
        (x) => `/api/threads/${x}/envelopes`,
        param,
        A.counsellorAssigned.cookie,
        () => route("POST /api/threads/:threadId/envelopes").template,
      ],
      [
        "POST",
        "epochs",
        (x) => `/api/threads/${x}/epochs`,
        param,
        A.counsellorAssigned.cookie,
        () => route("POST /api/threads/:threadId/epochs").template,
      ],
      [
        "PATCH",
        "thread",
        (x) => `/api/threads/${x}`,
        param,
        A.counsellorAssigned.cookie,
        () => ({ flagged: true }),
      ],
      ["DELETE", "thread", (x) => `/api/threads/${x}`, param, A.seekerA.cookie],
      [
        "GET",
        "draft",
        (x) => `/api/drafts/${x}`,
        fc.oneof(
          notAnId,
          param.map((p) => `reply:${p}`),
        ),
        A.seekerA.cookie,
      ],
    ];
    for (const [method, , path, arb, cookie, body] of withParam) {
      await fc.assert(
        fc.asyncProperty(arb, async (x) => {
          const res = await send("path params", method, path(encodeURIComponent(x)), {
            cookie,
            ...(body === undefined ? {} : { json: body() }),
          });
          expectTyped(res);
        }),
        { numRuns: 40 },
      );
    }
    // Other helplines' and other people's ids, in valid form: 404 or 403, nothing else.
    const cases: [string, string, string | undefined, unknown?][] = [
      ["DELETE", `/api/threads/${w.threads.tb}`, A.seekerA.cookie],
      [
        "PUT",
        `/api/staff/${w.staff.wim.memberId}/root-key`,
        A.supervisor.cookie,
        route("PUT /api/staff/:memberId/root-key").template,
      ],
      [
        "PUT",
        `/api/staff/${w.staff.cas.memberId}/root-key`,
        A.supervisor.cookie,
        route("PUT /api/staff/:memberId/root-key").template,
      ],
      [
        "POST",
        `/api/helplines/${w.h2}/rosters`,
        A.supervisor.cookie,
        route("POST /api/helplines/:helplineId/rosters").template,
      ],
      [
        "POST",
        `/api/threads/${w.threads.tb}/envelopes`,
        A.counsellorAssigned.cookie,
        route("POST /api/threads/:threadId/envelopes").template,
      ],
      ["PUT", `/api/drafts/new:${w.h2}`, A.seekerA.cookie, route("PUT /api/drafts/:context").template],
    ];
    for (const [method, path, cookie, json] of cases) {
      const res = await send("path params", method, path, {
        cookie,
        ...(json === undefined ? {} : { json }),
      });
      expectTyped(res, ["NOT_FOUND", "FORBIDDEN", "WRONG_CONTEXT"]);
    }
    // Query parameters of the read routes.
    const queries = [
      "/api/threads?view=everything",
      "/api/threads?limit=0",
      "/api/threads?limit=201",
      "/api/threads?limit=1e400",
      "/api/threads?limit=abc",
      "/api/threads?cursor=not-a-cursor",
      `/api/threads?cursor=${"9".repeat(200)}`,
      `/api/threads/${w.threads.ta}/envelopes?after=-1`,
      `/api/threads/${w.threads.ta}/envelopes?after=99999999999999999999`,
      "/api/helplines?limit=-5",
      `/api/helplines?cursor=${"x".repeat(65)}`,
      `/api/helplines/${w.h1}/rosters?after=0.5`,
      "/api/audit?after=-1",
      "/api/staff?limit=9999",
    ];
    for (const q of queries)
      expectTyped(await send("query", "GET", q, { cookie: A.supervisor.cookie }), ["VALIDATION_FAILED"]);
    await unchanged();
  });

  it("forged, unsigned, moved, duplicated and missing grants", async () => {
    const sodium = w.sodium;
    const epochRoute = routes.find((r) => r.key === "POST /api/threads/:threadId/epochs")!;
    const openRoute = routes.find((r) => r.key === "POST /api/threads")!;
    const batchRoute = routes.find((r) => r.key === "POST /api/threads/epochs/batch")!;
    const foreign = await epochBody(w, w.threads.td, w.actors.supervisor); // grants of another thread's record
    const mallory = w.staff.ole.keys.signing;
    const forge = (
      grant: string,
      how: "other-signer" | "unsigned" | "claims-other-signer" | "random-recipient",
    ) => {
      const g = parseGrant(sodium, fromBase64(sodium, grant) as GrantBytes);
      const body = Buffer.from(fromBase64(sodium, grant)).subarray(0, -64);
      const resign = (bytes: Uint8Array, key: SignKeyPair) =>
        b64(Buffer.concat([bytes, signWithLabel(sodium, LABEL.grant, bytes, key.secretKey)]));
      if (how === "unsigned") return b64(encodeGrant(sodium, { ...g, signature: new Uint8Array(64) }));
      if (how === "other-signer") return resign(body, mallory);
      if (how === "claims-other-signer") {
        const claimed = encodeGrant(sodium, {
          ...g,
          signerPk: mallory.publicKey,
          signature: new Uint8Array(64),
        });
        return resign(claimed.subarray(0, -64), mallory);
      }
      const moved = encodeGrant(sodium, {
        ...g,
        recipientBoxPk: w.random(32) as never,
        signature: new Uint8Array(64),
      });
      return resign(moved.subarray(0, -64), w.actors.counsellorAssigned.signing!);
    };
    const variants = fc.constantFrom(
      "other-signer",
      "unsigned",
      "claims-other-signer",
      "random-recipient",
      "foreign",
      "duplicate",
      "missing",
      "extra",
    );
    const apply = (grants: string[], i: number, v: string): string[] => {
      const at = i % grants.length;
      if (v === "foreign") return grants.map((g, j) => (j === at ? foreign.grants[0]! : g));
      if (v === "duplicate") return grants.map((g, j) => (j === at ? grants[(at + 1) % grants.length]! : g));
      if (v === "missing") return grants.filter((_, j) => j !== at);
      if (v === "extra") return [...grants, forge(grants[at]!, "random-recipient")];
      return grants.map((g, j) => (j === at ? forge(g, v as never) : g));
    };
    for (const route of [epochRoute, openRoute, batchRoute]) {
      await fc.assert(
        fc.asyncProperty(variants, fc.nat(), async (v, i) => {
          let body: Json;
          if (route === batchRoute) {
            const item = (route.template.items as { [k: string]: Json }[])[0]!;
            body = { items: [{ ...item, grants: apply(item.grants as string[], i, v) }] };
          } else {
            // A missing grant would leave the open request's grants empty: still refused.
            body = { ...route.template, grants: apply(route.template.grants as string[], i, v) };
          }
          const res = await sendBody("forged grants", route, body);
          if (route.batch) expectBatchRefused(res);
          else
            expectTyped(res, [
              "BAD_SIGNATURE",
              "SIGNER_NOT_ALLOWED",
              "WRONG_CONTEXT",
              "NOT_A_READER",
              "MALFORMED_STRUCTURE",
              "VALIDATION_FAILED",
            ]);
        }),
        { numRuns: 40 },
      );
    }
    await unchanged();
  });

  it("epoch records by signers the rules do not allow, on stale rosters, out of order or off the chain", async () => {
    const sodium = w.sodium;
    const A = w.actors;
    const ta = w.threads.ta;
    const state = await threadState(w, ta, A.supervisor);
    const roster = await latestRoster(w);
    const reader = (m: { memberId: string; signPk: Uint8Array; boxPk: Uint8Array }): Reader => ({
      kind: "staff",
      memberId: m.memberId as never,
      signPk: m.signPk as never,
      boxPk: m.boxPk as never,
    });
    const seekerReader = state.current.readers.find((x) => x.kind === "seeker")!;
    const member = (c: (typeof w.staff)["cas"]) =>
      reader({ memberId: c.memberId, signPk: c.keys.signing.publicKey, boxPk: c.keys.box.publicKey });
    const sup = member(w.staff.vera);
    type Variant = {
      readonly name: string;
      readonly signer: SignKeyPair;
      readonly cookie: string | undefined;
      readonly reason: "claim" | "assign" | "reassign" | "remove" | "roster-change";
      readonly readers: Reader[];
      readonly codes: ErrorCode[];
      readonly epochDelta?: number;
      readonly rosterVersion?: number;
      readonly prevHash?: Uint8Array;
    };
    const variants: Variant[] = [
      {
        name: "counsellor assigns",
        signer: w.staff.cas.keys.signing,
        cookie: A.counsellorAssigned.cookie,
        reason: "assign",
        readers: [seekerReader, member(w.staff.cas), member(w.staff.cor), sup],
        codes: ["SIGNER_NOT_ALLOWED"],
      },
      {
        name: "counsellor claims with a colleague",
        signer: w.staff.cas.keys.signing,
        cookie: A.counsellorAssigned.cookie,
        reason: "claim",
        readers: [seekerReader, member(w.staff.cas), member(w.staff.cor), sup],
        codes: ["SIGNER_NOT_ALLOWED"],
      },
      {
        name: "claim dropping the supervisors",
        signer: w.staff.cas.keys.signing,
        cookie: A.counsellorAssigned.cookie,
        reason: "claim",
        readers: [seekerReader, member(w.staff.cas)],
        codes: ["SIGNER_NOT_ALLOWED"],
      },
      {
        name: "help-seeker signs",
        signer: w.seekers.a.keys.messageSign,
        cookie: A.counsellorAssigned.cookie,
        reason: "claim",
        readers: [seekerReader, member(w.staff.cas), sup],
        codes: ["SIGNER_NOT_ALLOWED"],
      },
      {
        name: "signed by the supervisor, posted by the counsellor",
        signer: w.staff.vera.keys.signing,
        cookie: A.counsellorAssigned.cookie,
        reason: "roster-change",
        readers: [seekerReader, member(w.staff.cas), sup],
        codes: ["SIGNER_NOT_ALLOWED"],
      },
      {
        name: "removed member signs",
        signer: w.staff.rem.keys.signing,
        cookie: A.supervisor.cookie,
        reason: "roster-change",
        readers: [seekerReader, member(w.staff.cas), sup],
        codes: ["SIGNER_NOT_ALLOWED", "NOT_ON_ROSTER"],
      },
      {
        name: "other helpline's supervisor signs",
        signer: w.staff.wim.keys.signing,
        cookie: A.supervisor.cookie,
        reason: "roster-change",
        readers: [seekerReader, member(w.staff.cas), sup],
        codes: ["SIGNER_NOT_ALLOWED", "NOT_ON_ROSTER"],
      },
      {
        name: "reader not on the roster",
        signer: w.staff.vera.keys.signing,
        cookie: A.supervisor.cookie,
        reason: "reassign",
        readers: [seekerReader, member(w.staff.rem), sup],
        codes: ["NOT_ON_ROSTER"],
      },
      {
        name: "reader of another helpline",
        signer: w.staff.vera.keys.signing,
        cookie: A.supervisor.cookie,
        reason: "reassign",
        readers: [seekerReader, member(w.staff.ole), sup],
        codes: ["NOT_ON_ROSTER"],
      },
      {
        name: "stale roster",
        signer: w.staff.vera.keys.signing,
        cookie: A.supervisor.cookie,
        reason: "roster-change",
        readers: [seekerReader, member(w.staff.cas), sup],
        codes: ["ROSTER_CONFLICT"],
        rosterVersion: roster.version - 1,
      },
      {
        name: "skips an epoch",
        signer: w.staff.vera.keys.signing,
        cookie: A.supervisor.cookie,
        reason: "roster-change",
        readers: [seekerReader, member(w.staff.cas), sup],
        codes: ["EPOCH_CONFLICT"],
        epochDelta: 2,
      },
      {
        name: "repeats the current epoch",
        signer: w.staff.vera.keys.signing,
        cookie: A.supervisor.cookie,
        reason: "roster-change",
        readers: [seekerReader, member(w.staff.cas), sup],
        codes: ["EPOCH_CONFLICT"],
        epochDelta: 0,
      },
      {
        name: "off the chain",
        signer: w.staff.vera.keys.signing,
        cookie: A.supervisor.cookie,
        reason: "roster-change",
        readers: [seekerReader, member(w.staff.cas), sup],
        codes: ["EPOCH_CHAIN_BROKEN"],
        prevHash: w.random(32),
      },
      {
        name: "help-seeker swapped out",
        signer: w.staff.vera.keys.signing,
        cookie: A.supervisor.cookie,
        reason: "roster-change",
        readers: [
          {
            ...seekerReader,
            signPk: w.seekers.b.keys.messageSign.publicKey,
            boxPk: w.seekers.b.keys.box.publicKey,
          },
          member(w.staff.cas),
          sup,
        ],
        codes: ["SIGNER_NOT_ALLOWED", "EPOCH_CHAIN_BROKEN", "NOT_A_READER"],
      },
    ];
    const build = (v: Variant, createdAt: number) => {
      const epoch = state.current.epoch + (v.epochDelta ?? 1);
      const key = w.random(32) as EpochKey;
      const staffKey = w.random(32) as StaffEpochKey;
      const bytes = signEpochRecord(
        sodium,
        {
          helplineId: state.current.helplineId,
          threadId: ta as ThreadId,
          epoch,
          prevRecordHash:
            v.prevHash ?? (v.epochDelta === 0 ? state.records.at(-2)!.hash : state.current.hash),
          rosterVersion: v.rosterVersion ?? roster.version,
          reason: v.reason,
          createdAt,
          keyCommit: keyCommit(sodium, ta as ThreadId, epoch, key),
          staffCommit: staffCommit(sodium, ta as ThreadId, epoch, staffKey),
          readers: readerSet(v.readers),
          history: w.random(72),
          staffHistory: epoch > 1 ? w.random(72) : new Uint8Array(0),
        },
        v.signer,
      );
      const record = parseEpochRecord(sodium, bytes as EpochRecordBytes);
      const grants = record.readers.map((recipient) =>
        createGrant(sodium, {
          record,
          recipient,
          keys: { epoch, key, staffKey },
          signer: v.signer,
          random: w.random,
        }),
      );
      return { record: b64(bytes), grants: grants.map(b64) };
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...variants),
        fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }),
        async (v, at) => {
          const res = await send("disallowed signers", "POST", `/api/threads/${ta}/epochs`, {
            cookie: v.cookie,
            json: build(v, at),
          });
          try {
            expectTyped(res, v.codes);
          } catch (e) {
            throw new Error(`${v.name}: ${(e as Error).message}`);
          }
        },
      ),
      { numRuns: 100 },
    );
    await unchanged();
  });

  it("rosters not signed by the root, out of order, or listing accounts the helpline does not have", async () => {
    const sodium = w.sodium;
    const roster = await latestRoster(w);
    const root = w.root1.keyPair;
    const other = rootKeyFromSeed(sodium, w.random(32)).keyPair;
    const stranger = {
      memberId: w.b64(w.random(16)) as never,
      role: "counsellor" as const,
      intakeReader: false,
      signPk: w.random(32) as never,
      boxPk: w.random(32) as never,
      displayName: "Vreemde",
    };
    const rem = w.staff.rem;
    const cas = roster.members.find((m) => m.memberId === w.staff.cas.memberId)!;
    const v1 = parseRoster(
      sodium,
      fromBase64(
        sodium,
        (await h.request("GET", `/api/helplines/${w.h1}/rosters`)).body.rosters[0],
      ) as RosterBytes,
    );
    const make: Record<string, () => Uint8Array> = {
      "signed by another root": () => nextRoster(sodium, roster, {}, other, Date.now()),
      "skips a version": () =>
        signRoster(
          sodium,
          {
            helplineId: roster.helplineId,
            version: roster.version + 2,
            prevHash: roster.hash,
            issuedAt: Date.now(),
            members: roster.members,
          },
          root,
        ),
      "wrong previous hash": () =>
        signRoster(
          sodium,
          {
            helplineId: roster.helplineId,
            version: roster.version + 1,
            prevHash: w.random(32),
            issuedAt: Date.now(),
            members: roster.members,
          },
          root,
        ),
      "an old version again": () => nextRoster(sodium, v1, {}, root, Date.now()),
      "a stranger without an account": () =>
        nextRoster(sodium, roster, { add: [stranger] }, root, Date.now()),
      "the removed member again": () =>
        nextRoster(
          sodium,
          roster,
          {
            add: [
              {
                ...stranger,
                memberId: rem.memberId,
                signPk: rem.keys.signing.publicKey,
                boxPk: rem.keys.box.publicKey,
              },
            ],
          },
          root,
          Date.now(),
        ),
      "a member's keys swapped": () =>
        nextRoster(sodium, roster, { replace: [{ ...cas, boxPk: w.random(32) as never }] }, root, Date.now()),
      "no supervisor": () =>
        signRoster(
          sodium,
          {
            helplineId: roster.helplineId,
            version: roster.version + 1,
            prevHash: roster.hash,
            issuedAt: Date.now(),
            members: roster.members.filter((m) => m.role !== "supervisor"),
          },
          root,
        ),
      "another helpline's": () =>
        signRoster(
          sodium,
          {
            helplineId: w.h2,
            version: roster.version + 1,
            prevHash: roster.hash,
            issuedAt: Date.now(),
            members: roster.members,
          },
          root,
        ),
      unsigned: () => {
        const bytes = nextRoster(sodium, roster, {}, root, Date.now());
        return Buffer.concat([bytes.subarray(0, -64), Buffer.alloc(64)]);
      },
    };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(make)), async (name) => {
        let bytes: Uint8Array;
        try {
          bytes = make[name]!();
        } catch {
          fc.pre(false); // the crypto package refuses to even build it
          return;
        }
        const res = await send("rosters", "POST", `/api/helplines/${w.h1}/rosters`, {
          cookie: w.actors.supervisor.cookie,
          json: { roster: b64(bytes) },
        });
        try {
          expectTyped(res, [
            "ROSTER_INVALID",
            "ROSTER_CONFLICT",
            "BAD_SIGNATURE",
            "MALFORMED_STRUCTURE",
            "WRONG_CONTEXT",
          ]);
        } catch (e) {
          throw new Error(`${name}: ${(e as Error).message}`);
        }
      }),
      { numRuns: 40 },
    );
    await unchanged();
  });

  it("replayed, expired, foreign and made-up challenges: 401, and nothing is consumed or created", async () => {
    const cases: [string, string, unknown, ErrorCode][] = [
      ...pools.usedSeeker.map((b): [string, string, unknown, ErrorCode] => [
        "replayed",
        "/api/auth/seeker",
        b,
        "CHALLENGE_INVALID",
      ]),
      ...pools.usedStaff.map((b): [string, string, unknown, ErrorCode] => [
        "replayed",
        "/api/auth/staff",
        b,
        "CHALLENGE_INVALID",
      ]),
      ...pools.expiredSeeker.map((b): [string, string, unknown, ErrorCode] => [
        "expired",
        "/api/auth/seeker",
        b,
        "CHALLENGE_EXPIRED",
      ]),
      ...pools.expiredStaff.map((b): [string, string, unknown, ErrorCode] => [
        "expired",
        "/api/auth/staff",
        b,
        "CHALLENGE_EXPIRED",
      ]),
      ...pools.otherHelpline.map((b): [string, string, unknown, ErrorCode] => [
        "other helpline",
        "/api/auth/seeker",
        b,
        "CHALLENGE_INVALID",
      ]),
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...cases), fc.boolean(), async ([, path, body, code], again) => {
        const res = await send("challenges", "POST", path, { json: body });
        expectTyped(res, [code]);
        if (again) expectTyped(await send("challenges", "POST", path, { json: body }), [code]);
      }),
      { numRuns: 60 },
    );
    // A made-up nonce with a valid signature over it.
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), async (nonce) => {
        const body = { ...pools.usedSeeker[0]!, nonce: b64(nonce) };
        expectTyped(await send("challenges", "POST", "/api/auth/seeker", { json: body }), [
          "CHALLENGE_INVALID",
        ]);
      }),
      { numRuns: 30 },
    );
    await unchanged();
  });

  it(`sent thousands of bad requests, none answered with a 500`, () => {
    expect(sent).toBeGreaterThanOrEqual(3000);
    expect(h.logLines.filter((l) => l.includes('"level":"error"'))).toEqual([]);
  });
});

describe("the one write a refused request makes", () => {
  it("a bad signature on a fresh challenge consumes that nonce (one try per nonce), and nothing else", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 64, maxLength: 64 }), async (signature) => {
        const body = { ...(await seekerSignIn(w)), signature: b64(signature) };
        const start = await snapshot();
        const res = await send("consumed nonce", "POST", "/api/auth/seeker", { json: body });
        expectTyped(res, ["CHALLENGE_INVALID"]);
        const after = await snapshot();
        const changed = Object.keys(after).filter((t) => after[t] !== start[t]);
        expect(changed).toEqual(["challenges"]);
        expect(Number(after.challenges!.split(" ")[0])).toBe(Number(start.challenges!.split(" ")[0]) - 1);
        // The nonce is gone: the same request again is refused as unknown.
        expectTyped(await send("consumed nonce", "POST", "/api/auth/seeker", { json: body }), [
          "CHALLENGE_INVALID",
        ]);
      }),
      { numRuns: 10 },
    );
  });
});
