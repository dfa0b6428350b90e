import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { readConfig } from "../../config.js";
import { AddressKeys, addressGroup, canonical, socketAddress } from "./index.js";

function resolveWith(trusted: string[], peer: string | undefined, forwarded?: string) {
  const app = new Hono();
  let seen: string | undefined = "unset";
  const resolve = socketAddress(trusted);
  app.get("/", (c) => {
    seen = resolve(c);
    return c.text("ok");
  });
  const headers: Record<string, string> = forwarded === undefined ? {} : { "X-Forwarded-For": forwarded };
  const env = peer === undefined ? undefined : { incoming: { socket: { remoteAddress: peer } } };
  return Promise.resolve(app.request("/", { headers }, env)).then(() => seen);
}

describe("client address", () => {
  it("is the TCP peer; X-Forwarded-For counts only from a proxy the operator named", async () => {
    expect(await resolveWith([], "192.0.2.1", "203.0.113.9")).toBe("192.0.2.1");
    expect(await resolveWith([], "::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(await resolveWith([], undefined)).toBeUndefined();
    // Behind a named proxy: the right-most entry that is not a trusted proxy.
    expect(await resolveWith(["10.0.0.5"], "10.0.0.5", "203.0.113.9")).toBe("203.0.113.9");
    expect(await resolveWith(["10.0.0.5", "10.0.0.6"], "10.0.0.5", "1.1.1.1, 203.0.113.9, 10.0.0.6")).toBe(
      "203.0.113.9",
    );
    // A client cannot choose its address by writing the header itself (left of the proxy's entry).
    expect(await resolveWith(["10.0.0.5"], "10.0.0.5", "6.6.6.6, 203.0.113.9")).toBe("203.0.113.9");
    // A request straight to the server, not through the proxy: the header is ignored.
    expect(await resolveWith(["10.0.0.5"], "198.51.100.3", "203.0.113.9")).toBe("198.51.100.3");
    // Garbage or nothing from the proxy: the proxy itself is counted.
    expect(await resolveWith(["10.0.0.5"], "10.0.0.5", "not-an-address")).toBe("10.0.0.5");
    expect(await resolveWith(["10.0.0.5"], "10.0.0.5")).toBe("10.0.0.5");
  });

  it("one IPv4 address or one IPv6 /64 is one client", () => {
    expect(canonical("::FFFF:10.1.2.3")).toBe("10.1.2.3");
    expect(canonical("nonsense")).toBeUndefined();
    expect(addressGroup("192.0.2.1")).toBe("192.0.2.1");
    expect(addressGroup("2001:db8:0:1::7")).toBe(addressGroup("2001:0db8:0000:0001:ffff:1:2:3"));
    expect(addressGroup("2001:db8:0:1::7")).not.toBe(addressGroup("2001:db8:0:2::7"));
    expect(addressGroup("::1")).toBe("0:0:0:0");
  });

  it("keys are keyed hashes that change with the rotation, never the address", () => {
    let t = 0;
    const keys = new AddressKeys(1000, () => t);
    const a = keys.key("192.0.2.1");
    expect(a).toBe(keys.key("192.0.2.1"));
    expect(a).not.toContain("192");
    expect(a).not.toBe(keys.key("192.0.2.2"));
    t = 1000;
    expect(keys.key("192.0.2.1")).not.toBe(a);
    expect(new AddressKeys().key("192.0.2.1")).not.toBe(a);
  });

  it("TRUSTED_PROXIES is read from the environment and must list addresses", () => {
    expect(readConfig({ TRUSTED_PROXIES: "10.0.0.5, ::1" }).trustedProxies).toEqual(["10.0.0.5", "::1"]);
    expect(readConfig({}).trustedProxies).toEqual([]);
    expect(() => readConfig({ TRUSTED_PROXIES: "proxy.internal" })).toThrow(/TRUSTED_PROXIES/);
  });
});
