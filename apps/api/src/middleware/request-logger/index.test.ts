import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { memoryLogger } from "../../logger.js";
import { requestLogger } from "./index.js";

describe("requestLogger", () => {
  it("logs method, route pattern, status and duration only", async () => {
    const logger = memoryLogger();
    const app = new Hono();
    app.use("*", requestLogger(logger));
    const sub = new Hono().post("/:threadId/envelopes", (c) => c.json({ ok: true }, 201));
    app.route("/api/threads", sub);
    // The browser apps' catch-all, mounted after the API as in app.ts, matches every GET.
    app.get("*", (c) => c.text("app", 200));
    app.get("/api/health", (c) => c.json({ ok: true }));
    await app.request("/api/threads/SECRET-ID/envelopes?q=QUERY-MARKER", {
      method: "POST",
      headers: { "User-Agent": "UA-MARKER", "X-Forwarded-For": "203.0.113.9", Cookie: "c=COOKIE-MARKER" },
      body: "BODY-MARKER",
    });
    await app.request("/unknown");
    await app.request("/api/health");
    expect(logger.lines).toHaveLength(3);
    const line = JSON.parse(logger.lines[0]!);
    expect(Object.keys(line).sort()).toEqual(["event", "level", "method", "ms", "route", "status", "time"]);
    expect(line).toMatchObject({ method: "POST", route: "/api/threads/:threadId/envelopes", status: 201 });
    const all = logger.lines.join("\n");
    for (const marker of [
      "SECRET-ID",
      "QUERY-MARKER",
      "UA-MARKER",
      "203.0.113.9",
      "COOKIE-MARKER",
      "BODY-MARKER",
    ]) {
      expect(all).not.toContain(marker);
    }
    expect(JSON.parse(logger.lines[1]!)).toMatchObject({ route: "(unmatched)", status: 200 });
    expect(JSON.parse(logger.lines[2]!)).toMatchObject({ route: "/api/health", status: 200 });
  });
});
