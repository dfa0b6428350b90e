import { describe, expect, it } from "vitest";
import { helplineBySlug, slugOf } from "./pinned-slug.js";

const a = { id: "aaaaaaaaaaaaaaaaaaaaaa", slug: "luisterlijn" };
const b = { id: "bbbbbbbbbbbbbbbbbbbbbb", slug: "tweede" };
const c = { id: "cccccccccccccccccccccc", slug: "derde" };
const pins = {
  [a.id]: { root: "7K2M", roster: { version: 2, hash: "h" }, slug: "luisterlijn" },
  [b.id]: { root: "8K2M", roster: { version: 1, hash: "h" }, slug: "tweede" },
  [c.id]: "9K2M",
};

describe("a helpline's link (#/h/<slug>) against the build pins", () => {
  it("without an attack each link opens its own helpline; a plain pin is found by the server's slug", () => {
    expect(helplineBySlug([a, b, c], "luisterlijn", pins)).toBe(a);
    expect(helplineBySlug([a, b, c], "tweede", pins)).toBe(b);
    expect(helplineBySlug([a, b, c], "derde", pins)).toBe(c);
  });

  it("the server lists helpline A's slug for helpline B: the link still opens A, never B", () => {
    const swapped = [
      { ...a, slug: "tweede" },
      { ...b, slug: "luisterlijn" },
    ];
    expect(helplineBySlug(swapped, "luisterlijn", pins)?.id).toBe(a.id);
    expect(helplineBySlug(swapped, "tweede", pins)?.id).toBe(b.id);
    // A pinned helpline under a slug its pin does not give it, or A's link with A not listed: nothing.
    expect(helplineBySlug([{ ...b, slug: "andere" }], "andere", pins)).toBeUndefined();
    expect(helplineBySlug([b], "luisterlijn", pins)).toBeUndefined();
    expect(helplineBySlug(undefined, "luisterlijn", pins)).toBeUndefined();
    // The start page links each helpline by its pinned slug.
    expect(swapped.map((h) => slugOf(h, pins))).toEqual(["luisterlijn", "tweede"]);
    expect(slugOf(c, pins)).toBe("derde");
  });
});
