import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { memoryLogger } from "../../logger.js";
import { onError } from "../errors/index.js";
import { bodyLimit } from "./index.js";

function app() {
  const a = new Hono();
  a.post("/small", bodyLimit(100), async (c) => c.json({ got: (await c.req.text()).length }));
  a.post("/empty", bodyLimit(100), (c) => c.json({ ok: true }));
  a.delete("/thing", bodyLimit(100), (c) => c.json({ deleted: true }));
  a.onError(onError(memoryLogger()));
  return a;
}

describe("bodyLimit", () => {
  it("passes a JSON body within the limit", async () => {
    const res = await app().request("/small", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ a: "x".repeat(50) }),
    });
    expect(res.status).toBe(200);
  });

  it("413 PAYLOAD_TOO_LARGE over the limit, by Content-Length or by streaming", async () => {
    const body = JSON.stringify({ a: "x".repeat(500) });
    const declared = await app().request("/small", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Content-Length": String(body.length) },
      body,
    });
    expect(declared.status).toBe(413);
    expect((await declared.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
    const streamed = await app().request("/small", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
    });
    expect(streamed.status).toBe(413);
  });

  it("415 UNSUPPORTED_MEDIA_TYPE for a body that is not JSON (e.g. a cross-site form post)", async () => {
    const res = await app().request("/small", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "a=1",
    });
    expect(res.status).toBe(415);
    expect((await res.json()).error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("lets bodiless requests through", async () => {
    expect((await app().request("/empty", { method: "POST" })).status).toBe(200);
    expect(
      (await app().request("/empty", { method: "POST", headers: { "Content-Length": "0" } })).status,
    ).toBe(200);
  });

  it("over real HTTP, a DELETE without a body is not refused as a non-JSON body", async () => {
    // @hono/node-server gives every DELETE an empty body stream; browsers send no Content-Type.
    const server = serve({ fetch: app().fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/thing`, { method: "DELETE" });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ deleted: true });
      const form = await fetch(`http://127.0.0.1:${port}/thing`, {
        method: "DELETE",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: "a=1",
      });
      expect(form.status).toBe(415);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
