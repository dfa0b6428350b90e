import type { DeviceMemory } from "@briefgeheim/client";

/** Every key this app keeps in localStorage starts with this, so nothing else is touched. */
const PREFIX = "briefgeheim:";

/**
 * The staff app's DeviceMemory: `localStorage` of this origin. It holds only non-secret facts the SDK
 * uses to notice a lying server on the next visit (the newest verified roster per helpline, own
 * sequence numbers, envelopes seen): versions, counters and hashes, never a key or a message
 * (docs/STAFF.md, "What the browser keeps"). Staff work on work devices, so this may outlive the tab.
 * When storage is unavailable (private mode, a blocked origin) it falls back to memory for the tab,
 * which only weakens detection to what a fresh device has.
 *
 * @example
 * createClient({ ..., memory: localStorageMemory() });
 */
export function localStorageMemory(storage: Storage | undefined = safeStorage()): DeviceMemory {
  const fallback = new Map<string, string>();
  return {
    get: (key) => {
      try {
        return storage?.getItem(PREFIX + key) ?? fallback.get(key);
      } catch {
        return fallback.get(key);
      }
    },
    set: (key, value) => {
      fallback.set(key, value);
      try {
        storage?.setItem(PREFIX + key, value);
      } catch {
        // Quota or a blocked storage: the in-memory copy still serves this tab.
      }
    },
    delete: (key) => {
      fallback.delete(key);
      try {
        storage?.removeItem(PREFIX + key);
      } catch {
        // As above.
      }
    },
  };
}

function safeStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}
