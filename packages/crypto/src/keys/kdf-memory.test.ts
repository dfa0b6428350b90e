import { describe, expect, it } from "vitest";
import { loadSodium, type Sodium } from "../core/sodium.js";
import { reserveKdfMemory } from "./kdf-memory.js";
import { ARGON2_FLOOR, derivePassphraseKeys } from "./passphrase-wrap.js";

const sodium = await loadSodium();
const heap = (sodium as unknown as { libsodium: { HEAPU8: Uint8Array } }).libsodium;

describe("reserveKdfMemory", () => {
  // First in this file: the module's heap has not held an Argon2id yet.
  it("touches memory that the next Argon2id then uses, so the heap does not grow again", () => {
    const before = heap.HEAPU8.length;
    const memory = reserveKdfMemory(sodium);
    let slices = 1;
    while (memory.touch()) slices++;
    expect(slices).toBe(33); // 64 MiB and 256 KiB in 2 MiB slices
    const touched = heap.HEAPU8.length;
    expect(before).toBeLessThan(ARGON2_FLOOR.memLimitKiB * 1024);
    expect(touched).toBeGreaterThan(ARGON2_FLOOR.memLimitKiB * 1024); // the heap grew to hold it
    memory.release();
    const keys = derivePassphraseKeys(sodium, "correct horse battery staple", {
      salt: new Uint8Array(16),
      ...ARGON2_FLOOR,
    });
    expect(keys.proof.length).toBe(32);
    // Had the reservation not been freed, Argon2id would have needed 64 MiB more.
    expect(heap.HEAPU8.length).toBe(touched);
  });

  it("writes zeros, slice by slice, and stops after release", () => {
    const memory = reserveKdfMemory(sodium, 5 * 1024 * 1024, 2 * 1024 * 1024);
    expect([memory.touch(), memory.touch(), memory.touch(), memory.touch()]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    memory.release();
    memory.release(); // again: no double free
    expect(memory.touch()).toBe(false);
    const other = reserveKdfMemory(sodium, 4096, 1024);
    expect(other.touch()).toBe(true);
    other.release();
    expect(other.touch()).toBe(false);
  });

  it("does nothing where libsodium's heap is not reachable or the allocation fails", () => {
    const none = reserveKdfMemory({} as Sodium);
    expect(none.touch()).toBe(false);
    none.release();
    const failing = { libsodium: { _malloc: () => 0, _free: () => {}, HEAPU8: new Uint8Array(0) } };
    expect(reserveKdfMemory(failing as unknown as Sodium).touch()).toBe(false);
  });
});
