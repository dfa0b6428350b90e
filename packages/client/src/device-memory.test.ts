import { describe, expect, it } from "vitest";
import { type DeviceMemory, memoryDeviceMemory, recallJson, rememberJson } from "./device-memory.js";

/** A memory that counts its writes. */
function counting(): DeviceMemory & { writes: number } {
  const inner = memoryDeviceMemory();
  const memory = {
    writes: 0,
    get: (key: string) => inner.get(key),
    set: (key: string, value: string) => {
      memory.writes++;
      inner.set(key, value);
    },
    delete: (key: string) => inner.delete(key),
  };
  return memory;
}

const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === "number");

describe("rememberJson", () => {
  it("writes a new or changed value, and not a value stored already", () => {
    const memory = counting();
    rememberJson(memory, "k", [1, 2]);
    rememberJson(memory, "k", [1, 2]);
    expect(memory.writes).toBe(1);
    rememberJson(memory, "k", [1, 3]);
    expect(memory.writes).toBe(2);
    expect(recallJson(memory, "k", isNumbers)).toEqual([1, 3]);
  });

  it("writes over an entry that is not the same text (a damaged one is replaced)", () => {
    const memory = counting();
    memory.set("k", "{not json");
    rememberJson(memory, "k", [7]);
    expect(memory.writes).toBe(2);
    expect(recallJson(memory, "k", isNumbers)).toEqual([7]);
  });
});
