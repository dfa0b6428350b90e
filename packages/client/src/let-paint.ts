/**
 * Argon2id blocks the thread it runs on for a few hundred milliseconds. Before starting it, give a
 * browser one frame (about 16 ms, so 20 ms) to paint the progress step just reported; otherwise
 * the "deriving keys" message would never appear. Costs nothing noticeable in Node.
 */
export function letPaint(ms = 20): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
