/** The session cache's size accounting: the prefix's bytes and the listing's text (issue 14). */
import type { VerifiedPrefix } from "@briefgeheim/crypto";
import type { StoredEnvelope } from "@briefgeheim/protocol";
import { describe, expect, it } from "vitest";
import { ThreadCache } from "./thread-cache.js";

const prefix = (bytes: number): VerifiedPrefix => ({
  helplineId: "h",
  threadId: "t",
  known: [{ bytes: new Uint8Array(bytes), epochTag: "", epoch: 0, problems: [] }],
});

const listing = (envelope: unknown) => ({
  stored: [{ id: "i", position: 1, envelope, receivedAt: 0 } as unknown as StoredEnvelope],
  problems: new Set<string>(),
  incremental: 0,
  history: new Map<string, string>(),
  damaged: new Set<number>(),
});

describe("ThreadCache", () => {
  it("counts the prefix's bytes and the listing's text, and drops the least recently used", () => {
    const cache = new ThreadCache(100);
    cache.set("a", prefix(30), listing("x".repeat(20)));
    expect(cache.size).toBe(50);
    cache.set("b", prefix(30), listing("y".repeat(20)));
    expect(cache.listing("a")?.stored).toHaveLength(1);
    cache.set("c", prefix(30), listing("z".repeat(20))); // over 100: "b", least recently used, goes
    expect(cache.get("b")).toBeUndefined();
    expect(cache.size).toBe(100);
  });

  it("keeps each thread's ledger when its listing is dropped or too large; clear() empties it and counts", () => {
    const cache = new ThreadCache(100);
    const ledger = (key: string) => ({
      seen: [key],
      ordered: [key],
      damaged: [],
      history: new Map([[key, "why"]]),
    });
    cache.set("big", prefix(200), listing("x"), ledger("big"));
    expect(cache.get("big")).toBeUndefined(); // over the limit: not held
    cache.set("a", prefix(60), listing("x"), ledger("a"));
    cache.set("b", prefix(60), listing("y"), ledger("b")); // "a" is dropped
    expect(cache.get("a")).toBeUndefined();
    expect(cache.ledger("big")?.history.get("big")).toBe("why");
    expect(cache.ledger("a")?.seen).toEqual(["a"]);
    const before = cache.generation;
    cache.clear();
    expect(cache.ledger("big")).toBeUndefined();
    expect(cache.ledger("b")).toBeUndefined();
    expect(cache.generation).toBe(before + 1);
  });
});
