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
});
