import type { Sodium } from "@briefgeheim/crypto";
import { describe, expect, it } from "vitest";
import type { BriefgeheimClient } from "./client.js";
import { beforeKeyDerivation, warmUpKeyDerivation } from "./kdf-warm-up.js";

/** A libsodium stand-in that records what the warm-up does to its heap. */
function fakeSodium() {
  const calls: string[] = [];
  const heap = new Uint8Array(70 * 1024 * 1024).fill(0xee);
  const libsodium = {
    _malloc: (n: number) => {
      calls.push(`malloc ${n}`);
      return 64;
    },
    _free: (p: number) => void calls.push(`free ${p}`),
    HEAPU8: heap,
  };
  return { sodium: { libsodium } as unknown as Sodium, calls, heap };
}

const settle = () => new Promise((r) => setTimeout(r, 300));

/** Waits (at most 10 s) until `done()`; the slices run one per timer task. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe("warmUpKeyDerivation", () => {
  it("touches the reservation in the background and frees it right before the derivation", async () => {
    const { sodium, calls, heap } = fakeSodium();
    warmUpKeyDerivation({ sodium } as BriefgeheimClient);
    warmUpKeyDerivation({ sodium } as BriefgeheimClient); // again: nothing more
    expect(calls).toEqual(["malloc 67371008"]);
    expect(heap[64]).toBe(0xee); // nothing touched yet: the slices run in later tasks
    await until(() => heap[64 + 67_371_007] === 0);
    expect(heap.subarray(64, 64 + 67_371_008).every((b) => b === 0)).toBe(true);
    expect(heap[64 + 67_371_008]).toBe(0xee); // and nothing beyond it
    beforeKeyDerivation(sodium);
    expect(calls).toEqual(["malloc 67371008", "free 64"]);
    beforeKeyDerivation(sodium);
    warmUpKeyDerivation({ sodium } as BriefgeheimClient); // after a derivation: no new reservation
    expect(calls).toEqual(["malloc 67371008", "free 64"]);
  });

  it("stops touching once the derivation has taken the memory", async () => {
    const { sodium, calls, heap } = fakeSodium();
    warmUpKeyDerivation({ sodium } as BriefgeheimClient);
    beforeKeyDerivation(sodium); // the click came before the first slice
    await settle();
    expect(calls).toEqual(["malloc 67371008", "free 64"]);
    expect(heap[64]).toBe(0xee);
  });

  it("a derivation with no warm-up before it just marks the instance", () => {
    const { sodium, calls } = fakeSodium();
    beforeKeyDerivation(sodium);
    warmUpKeyDerivation({ sodium } as BriefgeheimClient);
    expect(calls).toEqual([]);
  });
});
