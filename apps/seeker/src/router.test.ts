import { describe, expect, it } from "vitest";
import { hashOf, parseHash } from "./router.js";

describe("hash routes", () => {
  it("maps addresses to screens and back, and never carries anything but a helpline's slug", () => {
    expect(parseHash("")).toEqual({ name: "start" });
    expect(parseHash("#/")).toEqual({ name: "start" });
    expect(parseHash("#/h/luisterlijn")).toEqual({ name: "helpline", slug: "luisterlijn" });
    expect(parseHash("#/h/luisterlijn/")).toEqual({ name: "helpline", slug: "luisterlijn" });
    expect(parseHash("#/return")).toEqual({ name: "return" });
    expect(parseHash("#/safety")).toEqual({ name: "safety" });
    expect(parseHash("#/h/Not_A_Slug!")).toEqual({ name: "start" });
    expect(parseHash("#/h/07K2-MQX9")).toEqual({ name: "start" });
    expect(hashOf({ name: "helpline", slug: "luisterlijn" })).toBe("#/h/luisterlijn");
    // Screens that hold secrets or plaintext have no address of their own.
    for (const name of ["write", "ceremony", "threads"] as const) expect(hashOf({ name })).toBe("#/");
    expect(hashOf({ name: "conversation", threadId: "abc" })).toBe("#/");
  });
});
