import { CryptoError } from "@briefgeheim/crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createWorld } from "../testing/harness.js";
import { VerifierPool } from "./pool.js";

const world = await createWorld();
const pool = VerifierPool.start(1);
afterAll(async () => {
  await pool.close();
  await world.cleanup();
});

describe("VerifierPool", () => {
  it("verifies envelopes and new threads on a worker exactly as the main thread does", async () => {
    const h = await world.setupHelpline("pool", 3);
    const seeker = await world.newSeeker(h.id);
    const t = world.buildThread(h, seeker);
    const crypto = world.crypto;
    const envelope = crypto.bytes(t.request.envelope);
    const off = await pool.envelope(envelope);
    const main = crypto.verifyEnvelope(envelope);
    expect(off.seq).toBe(main.seq);
    expect(Buffer.from(off.hash).equals(Buffer.from(main.hash))).toBe(true);
    expect(Buffer.from(off.senderSignPk).equals(Buffer.from(main.senderSignPk))).toBe(true);

    const opened = await pool.open({
      helplineId: h.id,
      threadId: t.threadId,
      roster: h.roster,
      record: crypto.bytes(t.request.record),
      grants: t.request.grants.map((g) => crypto.bytes(g)),
      envelope,
    });
    expect(opened.record.get().epoch).toBe(0);
    expect(opened.grants).toHaveLength(t.request.grants.length);
    for (const g of opened.grants) expect(g.get().epoch).toBe(0);
    expect(opened.envelope.get().seq).toBe(1);
  });

  it("rethrows the crypto package's error with its code", async () => {
    const h = await world.setupHelpline("pool2", 4);
    const seeker = await world.newSeeker(h.id);
    const t = world.buildThread(h, seeker);
    const tampered = world.crypto.bytes(t.request.envelope).slice();
    tampered[tampered.length - 1]! ^= 1;
    let mainCode: string | undefined;
    try {
      world.crypto.verifyEnvelope(tampered);
    } catch (e) {
      mainCode = (e as CryptoError).code;
    }
    const off = await pool.envelope(tampered).catch((e: unknown) => e);
    expect(off).toBeInstanceOf(CryptoError);
    expect((off as CryptoError).code).toBe(mainCode);
    // Many at once travel in shared messages and each gets its own answer.
    const all = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        pool.envelope(i % 2 ? tampered : world.crypto.bytes(t.request.envelope)),
      ),
    );
    expect(all.filter((r) => r.status === "fulfilled")).toHaveLength(50);
  });
});
