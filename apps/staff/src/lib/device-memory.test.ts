import { describe, expect, it } from "vitest";
import { localStorageMemory } from "./device-memory.js";

/** A Storage of this test (Node has no localStorage); `broken` makes every call throw. */
function fakeStorage(broken = false): Storage & { readonly items: Map<string, string> } {
  const items = new Map<string, string>();
  const guard = () => {
    if (broken) throw new DOMException("blocked", "SecurityError");
  };
  return {
    items,
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    key: (i) => [...items.keys()][i] ?? null,
    getItem: (k) => {
      guard();
      return items.get(k) ?? null;
    },
    setItem: (k, v) => {
      guard();
      items.set(k, v);
    },
    removeItem: (k) => {
      guard();
      items.delete(k);
    },
  };
}

describe("the staff app's DeviceMemory (localStorage)", () => {
  it("keeps values under its own prefix, so they survive the tab and touch nothing else", () => {
    const storage = fakeStorage();
    storage.setItem("other-app", "x");
    const memory = localStorageMemory(storage);
    memory.set("roster-head:abc", '{"version":3,"hash":"h"}');
    expect(storage.items.get("briefgeheim:roster-head:abc")).toBe('{"version":3,"hash":"h"}');
    // A later visit (a new memory over the same storage) reads what the last one remembered.
    expect(localStorageMemory(storage).get("roster-head:abc")).toBe('{"version":3,"hash":"h"}');
    memory.delete("roster-head:abc");
    expect(localStorageMemory(storage).get("roster-head:abc")).toBeUndefined();
    expect(storage.items.get("other-app")).toBe("x");
  });

  it("falls back to memory for the tab when storage is blocked", () => {
    const memory = localStorageMemory(fakeStorage(true));
    memory.set("k", "v");
    expect(memory.get("k")).toBe("v");
    memory.delete("k");
    expect(memory.get("k")).toBeUndefined();
    expect(localStorageMemory(undefined).get("k")).toBeUndefined();
  });
});
