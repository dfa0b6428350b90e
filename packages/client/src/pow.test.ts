import { ProofOfWork } from "@briefgeheim/api";
import { loadSodium } from "@briefgeheim/crypto";
import { describe, expect, it } from "vitest";
import { solvePowChallenge } from "./pow.js";

describe("proof of work in the SDK", () => {
  it("solves what the server issues, and the server accepts it once (production difficulty)", async () => {
    const sodium = await loadSodium();
    const pow = new ProofOfWork(async () => Buffer.alloc(32, 3));
    const challenge = await pow.issue("open-thread");
    expect(challenge.maxnumber).toBe(20_000);
    const progress: number[] = [];
    const started = performance.now();
    const header = await solvePowChallenge({ sodium }, challenge, (n) => progress.push(n));
    const ms = performance.now() - started;
    await expect(pow.verify(header, "open-thread")).resolves.toBeUndefined();
    await expect(pow.verify(header, "open-thread")).rejects.toMatchObject({ code: "POW_INVALID" });
    expect(ms).toBeLessThan(3_000);
    // Progress counts upwards and never past maxnumber.
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    for (const n of progress) expect(n).toBeLessThanOrEqual(challenge.maxnumber);
  });

  it("reports progress under load (a harder challenge) and still finds the number", async () => {
    const sodium = await loadSodium();
    const pow = new ProofOfWork(async () => Buffer.alloc(32, 4), { load: () => 1_200 });
    const challenge = await pow.issue("seeker-sign-in");
    expect(challenge.maxnumber).toBe(320_000);
    const progress: number[] = [];
    const header = await solvePowChallenge({ sodium }, challenge, (n) => progress.push(n));
    await expect(pow.verify(header, "seeker-sign-in")).resolves.toBeUndefined();
    const number = JSON.parse(atob(header)).number as number;
    if (number > 70_000) expect(progress.length).toBeGreaterThan(0);
  });
});
