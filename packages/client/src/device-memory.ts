/**
 * What a device remembers between visits, so that it notices a server that rolls back or forks what
 * it shows: the newest verified roster head per helpline, the sequence numbers this device used, the
 * newest envelopes it has seen. Every value is public or non-secret (versions, counters, hashes);
 * nothing here is a key or plaintext.
 *
 * Staff apps keep it in `localStorage` (a work device, see docs/STAFF.md); the help-seeker app keeps
 * it in memory only, for the life of the tab, because nothing may stay behind on a shared device.
 * Node tests use {@link memoryDeviceMemory}.
 *
 * @example
 * const client = await createClient({ baseUrl, origin, pins, memory: memoryDeviceMemory() });
 */
export interface DeviceMemory {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): void;
}

/** A memory that lives as long as the object (a tab's session, a test). */
export function memoryDeviceMemory(): DeviceMemory {
  const values = new Map<string, string>();
  return {
    get: (key) => values.get(key),
    set: (key, value) => {
      values.set(key, value);
    },
    delete: (key) => {
      values.delete(key);
    },
  };
}

/**
 * A JSON value under `key`, or `undefined` when absent or unreadable (a corrupted entry is treated as
 * "nothing remembered", which only weakens detection back to what a fresh device has).
 */
export function recallJson<T>(
  memory: DeviceMemory,
  key: string,
  check: (value: unknown) => value is T,
): T | undefined {
  const text = memory.get(key);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return check(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Stores a JSON value under `key`, unless that exact text is stored already: a staff app re-verifying
 * an inbox of 1,000 unchanged threads would otherwise write `localStorage` 1,000 times (0.14 s of the
 * page's thread in bench:inbox) to store what it holds.
 */
export function rememberJson(memory: DeviceMemory, key: string, value: unknown): void {
  const text = JSON.stringify(value);
  if (memory.get(key) === text) return;
  memory.set(key, text);
}
