/**
 * The idle lock's minutes come from the server's listing, unsigned (PROTOCOL.md §10: retention and
 * lock are server settings). Only what the API itself accepts (1-240) is used; anything else a
 * hostile or broken server sends falls back to the default, so it cannot stretch the lock to days.
 */
export const DEFAULT_LOCK_MINUTES = 15;
export const MAX_LOCK_MINUTES = 240;

export function safeLockMinutes(value: unknown): number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= MAX_LOCK_MINUTES
    ? value
    : DEFAULT_LOCK_MINUTES;
}
