import type { Sodium } from "../core/sodium.js";
import { ARGON2_FLOOR } from "./passphrase-wrap.js";

/**
 * Memory for Argon2id, touched before the derivation needs it. The first Argon2id of a page asks
 * libsodium's WebAssembly heap for 64 MiB the operating system has not handed out yet, and the first
 * write to each of its 16,384 pages is a page fault. On a virtual machine a fault can cost 12 µs (the
 * host backs the page only then): Chromium's first derivation took 0.71-0.82 s here, the next ones
 * 0.17-0.33 s, and the first after this warm-up 0.33-0.39 s (docs/PERFORMANCE.md). Touching the pages in
 * small slices while a person types keeps that cost out of the wait after the click.
 *
 *   reserve ──touch() × n──▶ all pages written (zeros) ──release()──▶ free; Argon2id's malloc reuses them
 *
 * Only zeros are written, and the memory is freed before the derivation, so nothing is held that a
 * derivation would not have allocated anyway.
 */
export interface KdfMemory {
  /** Writes the next slice; true while slices remain. */
  touch(): boolean;
  /** Frees the reservation (before the derivation runs; again is a no-op). */
  release(): void;
}

/** What libsodium.js exposes of its Emscripten module (not in its types). */
interface WasmHeap {
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  readonly HEAPU8: Uint8Array;
}

/** Argon2id's blocks at the floor's 64 MiB, and room for their alignment (with 64 KiB, the heap grew). */
const DEFAULT_BYTES = ARGON2_FLOOR.memLimitKiB * 1024 + 262_144;
/** About 12 ms of page faults at 12 µs a page: short enough not to hold up typing. */
const DEFAULT_SLICE = 2 * 1024 * 1024;

/**
 * Reserves `bytes` of libsodium's heap to be touched slice by slice. Where the heap is not reachable or
 * the allocation fails, the reservation does nothing (the derivation then pays the faults itself).
 *
 * @example
 * const memory = reserveKdfMemory(sodium);
 * const step = () => { if (memory.touch()) setTimeout(step, 0); };
 * step();
 * // ...on the click, before Argon2id:
 * memory.release();
 */
export function reserveKdfMemory(
  sodium: Sodium,
  bytes = DEFAULT_BYTES,
  sliceBytes = DEFAULT_SLICE,
): KdfMemory {
  const heap = (sodium as unknown as { libsodium?: Partial<WasmHeap> }).libsodium;
  if (typeof heap?._malloc !== "function" || typeof heap._free !== "function") return idle();
  const wasm = heap as WasmHeap;
  let pointer = wasm._malloc(bytes);
  if (pointer === 0) return idle();
  let done = 0;
  return {
    touch() {
      if (pointer === 0 || done >= bytes) return false;
      const end = Math.min(bytes, done + sliceBytes);
      // HEAPU8 is read each time: Emscripten replaces the view when the heap grows.
      wasm.HEAPU8.fill(0, pointer + done, pointer + end);
      done = end;
      return done < bytes;
    },
    release() {
      if (pointer === 0) return;
      wasm._free(pointer);
      pointer = 0;
    },
  };
}

function idle(): KdfMemory {
  return { touch: () => false, release: () => {} };
}
