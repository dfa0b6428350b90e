/** The memory of used proof-of-work solutions (index.ts): swept at most once a second, never too early. */
import { describe, expect, it } from "vitest";
import { ProofOfWork, solvePow } from "./index.js";

describe("used solutions", () => {
  it("forgets expired solutions at most once a second, and a solution used within it stays refused", async () => {
    let now = 2_000_000;
    const pow = new ProofOfWork(
      async () => Buffer.alloc(32, 1),
      {},
      () => now,
    );
    const reused = solvePow(await pow.issue("open-thread"));
    await pow.verify(reused, "open-thread");
    now += 119_500; // half a second before it expires: the next verification sweeps, it stays
    await pow.verify(solvePow(await pow.issue("open-thread")), "open-thread");
    await expect(pow.verify(reused, "open-thread")).rejects.toMatchObject({ code: "POW_INVALID" });
    now += 600; // expired now, but not swept within the second: refused as expired, never accepted
    await expect(pow.verify(reused, "open-thread")).rejects.toMatchObject({ code: "POW_EXPIRED" });
    await pow.verify(solvePow(await pow.issue("open-thread")), "open-thread");
    expect(pow.remembered).toBe(3);
    now += 500; // a second after the last sweep: the expired one is forgotten
    await pow.verify(solvePow(await pow.issue("open-thread")), "open-thread");
    expect(pow.remembered).toBe(3);
  });
});
