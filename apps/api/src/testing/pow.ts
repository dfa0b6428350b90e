/**
 * Proof of work in the test harnesses: which requests need one, and quotas that tests of other things
 * never meet. The work itself is solved at the production difficulty (solvePow, node:crypto).
 */
import type { PowPurpose } from "../middleware/pow/index.js";
import type { QuotaConfig } from "../services/quotas.js";

export { POW_HEADER, type PowChallenge, type PowConfig, solvePow } from "../middleware/pow/index.js";

/** The proof of work a POST to `path` needs, if any. */
export function powPurposeOf(path: string): PowPurpose | undefined {
  const p = path.split("?")[0]!.replace(/\/+$/, "");
  if (p === "/api/auth/seeker") return "seeker-sign-in";
  if (p === "/api/threads") return "open-thread";
  return undefined;
}

export function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((h) => h.toLowerCase() === name.toLowerCase());
}

/** Quotas for tests that are not about quotas (tests of the quotas pass their own). */
export const TEST_QUOTAS: Partial<QuotaConfig> = {
  sessionConversations: 100_000,
  sessionBytes: 2 ** 40,
  addressConversations: 100_000,
  addressBytes: 2 ** 40,
};
