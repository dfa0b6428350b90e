/** Bad input (see tests/bad-input/support.ts): malformed JSON, wrong types, Unicode oddities, random bytes and tampered binary fields. */
import * as P from "@briefgeheim/protocol";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { draftBody } from "../authz-world.js";
import {
  expectBatchRefused,
  expectTyped,
  h,
  routes,
  send,
  sendBody,
  sent,
  setupBadInput,
  unchanged,
  w,
} from "./support.js";
import {
  anyJson,
  badBase64,
  clone,
  getAt,
  HUGE,
  type Json,
  NOT_JSON,
  notJson,
  ODD_TEXT,
  objectPaths,
  pathsOf,
  percentEncode,
  refusedBy,
  setAt,
  tamper,
} from "./support-generators.js";

setupBadInput();

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

  it(`sent thousands of bad requests, none answered with a 500`, () => {
    expect(sent).toBeGreaterThanOrEqual(3000);
    expect(h.logLines.filter((l) => l.includes('"level":"error"'))).toEqual([]);
  });
});
