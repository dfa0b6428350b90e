import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWorld, type World } from "../../testing/harness.js";
import { ROUTES } from "../openapi/list.js";

let w: World;
beforeEach(async () => {
  w = await createWorld();
});
afterEach(async () => {
  await w.cleanup();
});

describe("health and OpenAPI", () => {
  it("GET /api/health", async () => {
    const res = await w.request("GET", "/api/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, version: "1" });
  });

  it("serves an OpenAPI 3.1 document that lists every route", async () => {
    const res = await w.request("GET", "/api/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    const listed = Object.entries(res.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(listed).toHaveLength(ROUTES.length);
    expect(listed).toContain("POST /api/threads/{threadId}/envelopes");
  });

  it("every route in the document exists (no 404 from the router)", async () => {
    for (const r of ROUTES) {
      const path = r.path
        .replace("{threadId}", "A".repeat(22))
        .replace("{helplineId}", "A".repeat(22))
        .replace("{memberId}", "A".repeat(22))
        .replace("{token}", "A".repeat(43))
        .replace("{context}", `new:${"A".repeat(22)}`);
      const res = await w.request(r.method.toUpperCase(), path, r.body ? { body: {} } : {});
      expect(res.body?.error?.message, `${r.method} ${r.path}`).not.toBe("no such route");
      expect(res.status, `${r.method} ${r.path}`).toBeLessThan(500);
    }
  });

  it("an unknown route is a typed 404", async () => {
    const res = await w.request("GET", "/api/nothing");
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("NOT_FOUND");
  });
});
