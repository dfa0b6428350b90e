/**
 * The OpenAPI document is generated from the app: every route the app registers is in it, with its
 * parameters and body from the route's own validators, and every route is described in docs.ts.
 */
import * as P from "@briefgeheim/protocol";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createWorld, type World } from "../../testing/harness.js";
import { validate } from "../../validate.js";
import { apiRoutes, openApiDocument } from "./index.js";

let w: World;
// biome-ignore lint/suspicious/noExplicitAny: the document is arbitrary JSON
let doc: any;
beforeAll(async () => {
  w = await createWorld();
  doc = (await w.request("GET", "/api/openapi.json")).body;
});
afterAll(async () => {
  await w.cleanup();
});

const toOpenApi = (p: string) => p.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, "{$1}");

describe("the generated OpenAPI document", () => {
  it("has every route the app registers under /api, and nothing else", () => {
    const registered = new Set(
      w.app.routes
        .filter(
          (r) => ["GET", "POST", "PUT", "PATCH", "DELETE"].includes(r.method) && r.path.startsWith("/api/"),
        )
        .map((r) => `${r.method.toLowerCase()} ${toOpenApi(r.path)}`),
    );
    const documented = new Set(
      Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
        Object.keys(ops).map((m) => `${m} ${p}`),
      ),
    );
    expect(registered.size).toBeGreaterThan(30);
    expect([...documented].sort()).toEqual([...registered].sort());
  });

  it("every route says what it is for and who may call it (apps/api/src/routes/openapi/docs.ts)", () => {
    const undescribed = apiRoutes(w.app)
      .filter((r) => r.summary === undefined || r.who === undefined)
      .map((r) => `${r.method.toUpperCase()} ${r.honoPath}`);
    expect(undescribed, "add these routes to apps/api/src/routes/openapi/docs.ts").toEqual([]);
  });

  it("takes parameters, query and body from the routes' validators", () => {
    const post = doc.paths["/api/threads/{threadId}/envelopes"].post;
    expect(post.requestBody.content["application/json"].schema).toEqual(
      withoutDraft(z.toJSONSchema(P.postEnvelopeRequestSchema, { io: "input", unrepresentable: "any" })),
    );
    const threadId = post.parameters.find((p: { name: string }) => p.name === "threadId");
    expect(threadId).toMatchObject({ in: "path", required: true });
    expect(threadId.schema).toEqual(
      withoutDraft(z.toJSONSchema(P.idSchema, { io: "input", unrepresentable: "any" })),
    );
    const list = doc.paths["/api/threads"].get;
    expect(list.parameters.map((p: { name: string }) => p.name).sort()).toEqual(
      Object.keys(P.threadsQuerySchema.shape).sort(),
    );
    expect(doc.paths["/api/health"].get.security).toEqual([]);
    expect(doc.paths["/api/threads"].get.security).toEqual([{ session: [] }]);
  });

  it("describes a new route from its validators alone, with no list to update", () => {
    const app = new Hono().get(
      "/api/things/:thingId",
      validate("param", z.object({ thingId: z.string().length(4) })),
      validate("query", z.object({ limit: z.coerce.number().int().optional() })),
      (c) => c.json({}),
    );
    const [route] = apiRoutes(app);
    expect(route).toMatchObject({ method: "get", path: "/api/things/{thingId}", summary: undefined });
    const generated = openApiDocument([route!]) as {
      paths: Record<string, { get: { parameters: unknown[] } }>;
    };
    expect(generated.paths["/api/things/{thingId}"]!.get.parameters).toEqual([
      { name: "thingId", in: "path", required: true, schema: { type: "string", minLength: 4, maxLength: 4 } },
      {
        name: "limit",
        in: "query",
        required: false,
        schema: { type: "integer", minimum: expect.any(Number), maximum: expect.any(Number) },
      },
    ]);
  });
});

function withoutDraft(json: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _, ...rest } = json;
  return rest;
}
