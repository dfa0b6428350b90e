import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorld, type HelplineFixture, ORIGIN, type World } from "../../testing/harness.js";

let w: World;
let h: HelplineFixture;

beforeAll(async () => {
  w = await createWorld();
  h = await w.setupHelpline("alpha", 1);
});
afterAll(async () => {
  await w.cleanup();
});

describe("unknown routes and wrong methods (the whole app)", () => {
  it("404 NOT_FOUND for unknown routes, before sessions and body checks", async () => {
    for (const [method, path] of [
      ["GET", "/api/nowhere"],
      ["POST", "/api/nowhere"],
      ["POST", "/api/threads/x/y/z"],
      ["DELETE", "/api/auth"],
      ["PUT", "/api/helplines/abc/def/ghi"],
    ] as const) {
      const body = method === "GET" ? {} : { raw: "a=1", headers: { "Content-Type": "text/plain" } };
      const res = await w.request(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe("NOT_FOUND");
    }
  });

  it("405 METHOD_NOT_ALLOWED with Allow for a known route with another method", async () => {
    const cases: [string, string, string][] = [
      ["GET", "/api/auth/sign-out", "POST"],
      ["DELETE", "/api/auth/challenge", "POST"],
      ["POST", "/api/auth/session", "GET, HEAD"],
      ["PUT", "/api/threads", "GET, HEAD, POST"],
      ["OPTIONS", "/api/helplines", "GET, HEAD"],
    ];
    for (const [method, path, allow] of cases) {
      const res = await w.request(method, path, { cookie: h.supervisor.cookie });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.body.error.code).toBe("METHOD_NOT_ALLOWED");
      expect(res.headers.get("allow")).toBe(allow);
    }
    // HEAD is GET without a body.
    expect((await w.request("HEAD", "/api/health")).status).toBe(200);
  });
});

describe("state-changing requests from another origin", () => {
  it("a bodiless cross-origin POST /api/auth/sign-out signs no one out", async () => {
    const cookie = await w.signInStaff(h.supervisor);
    for (const headers of <Record<string, string>[]>[
      { Origin: "http://other.127.0.0.1:8787" },
      { Origin: "null" },
      { "Sec-Fetch-Site": "same-site" },
      { "Sec-Fetch-Site": "cross-site", Origin: ORIGIN },
    ]) {
      const res = await w.request("POST", "/api/auth/sign-out", { cookie, headers });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.body.error.code).toBe("CROSS_ORIGIN");
    }
    expect((await w.request("GET", "/api/auth/session", { cookie })).status).toBe(200);
    // Also with a body, and for DELETE.
    const post = await w.request("POST", "/api/auth/challenge", {
      body: { helplineId: h.id },
      headers: { Origin: "https://evil.test" },
    });
    expect(post.body.error.code).toBe("CROSS_ORIGIN");
    const del = await w.request("DELETE", "/api/threads/AAAAAAAAAAAAAAAAAAAAAA", {
      cookie,
      headers: { "Sec-Fetch-Site": "cross-site" },
    });
    expect(del.body.error.code).toBe("CROSS_ORIGIN");
    // Reads are not refused; the same origin (or a client that sends neither header) passes.
    expect(
      (await w.request("GET", "/api/auth/session", { cookie, headers: { "Sec-Fetch-Site": "cross-site" } }))
        .status,
    ).toBe(200);
    const same = await w.request("POST", "/api/auth/sign-out", {
      cookie,
      headers: { Origin: ORIGIN, "Sec-Fetch-Site": "same-origin" },
    });
    expect(same.status).toBe(200);
    expect((await w.request("GET", "/api/auth/session", { cookie })).status).toBe(401);
  });
});
