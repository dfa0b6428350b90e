import type { EpochKeys } from "@briefgeheim/crypto";
import { describe, expect, it } from "vitest";
import { type OpenBulkInput, type OpenedBulkItem, wipeOpenBulk } from "./bulk-open-job.js";

const keys = (epoch: number, fill: number): EpochKeys =>
  ({ epoch, key: new Uint8Array(32).fill(fill), staffKey: new Uint8Array(32).fill(fill + 1) }) as never;

describe("wipeOpenBulk", () => {
  it("overwrites the worker's copies: the reader's box secret key and every opened epoch key", () => {
    const input = {
      reader: { box: { secretKey: new Uint8Array(32).fill(7), publicKey: new Uint8Array(32).fill(8) } },
    } as unknown as OpenBulkInput;
    const opened = new Map([
      [0, keys(0, 1)],
      [1, keys(1, 3)],
    ]);
    const output = [
      { ok: true, threadId: "t1", opened: { records: [], keys: opened }, heads: undefined },
      { ok: false, threadId: "t2", error: { message: "x" } },
    ] as unknown as OpenedBulkItem[];
    wipeOpenBulk(input, output);
    expect([...input.reader.box.secretKey].every((b) => b === 0)).toBe(true);
    for (const k of opened.values()) {
      expect([...k.key, ...(k.staffKey ?? [])].every((b) => b === 0)).toBe(true);
    }
    // The public key is not a secret and stays.
    expect(input.reader.box.publicKey[0]).toBe(8);
  });

  it("a failed job (no output): the box secret key is overwritten all the same", () => {
    const input = { reader: { box: { secretKey: new Uint8Array(32).fill(9) } } } as unknown as OpenBulkInput;
    wipeOpenBulk(input, undefined);
    expect([...input.reader.box.secretKey].every((b) => b === 0)).toBe(true);
  });
});
