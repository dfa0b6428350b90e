/**
 * GET /api/openapi.json, generated from the app itself: every route the app registers under /api,
 * with its path parameters, query and JSON body taken from the route's own `validate(...)` middleware
 * (validate.ts, `VALIDATED`), and its summary, audience and answer from docs.ts. No second list of
 * routes to keep in step: a route added to the app is in the document; the test fails until docs.ts
 * says what it is for.
 */
import { API_VERSION, ERROR_STATUS, errorBodySchema } from "@briefgeheim/protocol";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../deps.js";
import { VALIDATED } from "../../validate.js";
import { ROUTE_DOCS, type Who } from "./docs.js";

type Method = "get" | "post" | "put" | "patch" | "delete";

/** One route of the API as the document describes it. */
export interface ApiRoute {
  readonly method: Method;
  /** OpenAPI style: `/api/threads/{threadId}`. */
  readonly path: string;
  /** As registered in Hono: `/api/threads/:threadId` (the key of docs.ts). */
  readonly honoPath: string;
  readonly summary: string | undefined;
  readonly who: Who | undefined;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  readonly response?: z.ZodType;
}

/** What Hono keeps of each registered handler or middleware (`app.routes`). */
interface RegisteredRoute {
  readonly method: string;
  readonly path: string;
  readonly handler: unknown;
}

const METHODS = new Set<string>(["GET", "POST", "PUT", "PATCH", "DELETE"]);

/** `/api/a/:id{[0-9]+}/b` -> `/api/a/{id}/b`. */
function openApiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, "{$1}");
}

/**
 * Every API route of `app`, in registration order, with what its validators check. Middleware
 * (`use`, method ALL) and the browser apps outside /api are left out.
 */
export function apiRoutes(app: { readonly routes: readonly RegisteredRoute[] }): ApiRoute[] {
  const byKey = new Map<string, { method: Method; honoPath: string; parts: Partial<ApiRoute> }>();
  for (const r of app.routes) {
    if (!METHODS.has(r.method) || !r.path.startsWith("/api/")) continue;
    const key = `${r.method} ${r.path}`;
    let entry = byKey.get(key);
    if (entry === undefined) {
      entry = { method: r.method.toLowerCase() as Method, honoPath: r.path, parts: {} };
      byKey.set(key, entry);
    }
    const checked = typeof r.handler === "function" ? VALIDATED.get(r.handler) : undefined;
    if (checked?.target === "param") entry.parts = { ...entry.parts, params: checked.schema };
    if (checked?.target === "query") entry.parts = { ...entry.parts, query: checked.schema };
    if (checked?.target === "json") entry.parts = { ...entry.parts, body: checked.schema };
  }
  return [...byKey.entries()].map(([key, { method, honoPath, parts }]) => {
    const doc = ROUTE_DOCS[key];
    return {
      ...parts,
      method,
      honoPath,
      path: openApiPath(honoPath),
      summary: doc?.summary,
      who: doc?.who,
      ...(doc?.response === undefined ? {} : { response: doc.response }),
    };
  });
}

function schemaOf(s: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const json = z.toJSONSchema(s, { io, unrepresentable: "any" }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

function parametersOf(route: ApiRoute): unknown[] {
  const out: unknown[] = [];
  const fromSchema = (s: z.ZodType | undefined) =>
    s === undefined
      ? { properties: {}, required: [] }
      : (schemaOf(s, "input") as { properties?: Record<string, unknown>; required?: string[] });
  const path = fromSchema(route.params);
  // Every `{name}` of the path, typed by the route's param validator where it has one.
  for (const [, name] of route.path.matchAll(/\{([^}]+)\}/g)) {
    out.push({ name, in: "path", required: true, schema: path.properties?.[name!] ?? { type: "string" } });
  }
  const query = fromSchema(route.query);
  for (const [name, schema] of Object.entries(query.properties ?? {})) {
    out.push({ name, in: "query", required: (query.required ?? []).includes(name), schema });
  }
  return out;
}

/** The OpenAPI 3.1 document of these routes. */
export function openApiDocument(routes: readonly ApiRoute[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const errorCodes = Object.entries(ERROR_STATUS)
    .map(([code, status]) => `${code} (${status})`)
    .join(", ");
  for (const r of routes) {
    const op: Record<string, unknown> = {
      summary: r.summary ?? "(not described yet: add it to apps/api/src/routes/openapi/docs.ts)",
      description: `Who: ${r.who ?? "see docs/API.md"}.`,
      security: r.who === "anyone" ? [] : [{ session: [] }],
      parameters: parametersOf(r),
      responses: {
        "200": {
          description: "OK",
          content: { "application/json": { schema: r.response ? schemaOf(r.response, "output") : {} } },
        },
        default: {
          description: `Error: ${errorCodes}`,
          content: { "application/json": { schema: schemaOf(errorBodySchema, "output") } },
        },
      },
    };
    if (r.body) {
      op.requestBody = {
        required: true,
        content: { "application/json": { schema: schemaOf(r.body, "input") } },
      };
    }
    paths[r.path] ??= {};
    paths[r.path]![r.method] = op;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Briefgeheim API",
      version: API_VERSION,
      description:
        "End-to-end encrypted e-mail counselling. The server stores ciphertext only. See docs/API.md.",
    },
    components: {
      securitySchemes: { session: { type: "apiKey", in: "cookie", name: "__Host-bg_session" } },
    },
    paths,
  };
}

/** GET /api/openapi.json for `app` (read when first asked for, once every route is registered). */
export function openApiRoutes(app: () => { readonly routes: readonly RegisteredRoute[] }) {
  let cached: Record<string, unknown> | undefined;
  return new Hono<AppEnv>().get("/", (c) => {
    cached ??= openApiDocument(apiRoutes(app()));
    return c.json(cached, 200);
  });
}
