/** Bad input (see tests/bad-input/support.ts): wrong content types, oversized bodies, and bad path and query parameters. */
import { LIMITS } from "@briefgeheim/protocol";
import fc from "fast-check";
import { describe, it } from "vitest";
import { expectTyped, route, routes, send, setupBadInput, unchanged, w } from "./support.js";
import { b64, CONTENT_TYPES } from "./support-generators.js";

setupBadInput();

describe("bad input: typed 4xx, never 5xx, and nothing changes", () => {
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
      "/api/stats?from=2026-02-30&to=2026-03-01",
      "/api/stats?from=2026-03-02&to=2026-03-01",
      "/api/stats?from=2020-01-01&to=2026-01-01",
      "/api/stats?from=1e400&to=2026-01-01",
      "/api/stats/answers?from=2026-01-01&to=2026-01-02&after=x",
      "/api/staff?limit=9999",
    ];
    for (const q of queries)
      expectTyped(await send("query", "GET", q, { cookie: A.supervisor.cookie }), ["VALIDATION_FAILED"]);
    await unchanged();
  });
});
