/** The typed client (`hc<AppType>`) works against the app in-process: request and response types flow. */
import { hc, type InferResponseType } from "hono/client";
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import type { AppType } from "./app.js";
import { createWorld, type World } from "./testing/harness.js";

let w: World;
beforeEach(async () => {
  w = await createWorld();
});
afterEach(async () => {
  await w.cleanup();
});

describe("hc<AppType>", () => {
  it("calls routes with typed inputs and outputs", async () => {
    const h = await w.setupHelpline("alpha", 1);
    const client = hc<AppType>("http://in-process", {
      fetch: (input: RequestInfo | URL, init?: RequestInit) => w.app.request(input, init),
      headers: { Cookie: `__Host-bg_session=${h.supervisor.cookie}` },
    });
    const health = await client.api.health.$get();
    expect(await health.json()).toEqual({ ok: true, version: "1" });

    const res = await client.api.threads.$get({ query: { view: "all", limit: "10" } });
    expect(res.status).toBe(200);
    if (res.status === 200) {
      const body = await res.json();
      expectTypeOf(body.threads).toBeArray();
      expect(body.threads).toEqual([]);
    }
    type Ack = InferResponseType<(typeof client.api.threads)[":threadId"]["envelopes"]["$post"], 200>;
    expectTypeOf<Ack["position"]>().toEqualTypeOf<number>();
    const challenge = await client.api.auth.challenge.$post({ json: { helplineId: h.id } });
    expect(challenge.status).toBe(200);
  });
});
