import { type AuditChainResult, type AuditEntry, verifyAuditChain } from "@briefgeheim/protocol";
import { collectPages, PAGE_SIZE } from "./paging.js";
import { requireSupervisor, type StaffContext } from "./staff-context.js";
import { readJson } from "./transport.js";

/** The helpline's audit log and the result of verifying its hash chain. */
export interface AuditReport {
  readonly entries: readonly AuditEntry[];
  /** `verifyAuditChain` of `@briefgeheim/protocol` over the whole log, from the genesis hash. */
  readonly verification: AuditChainResult;
  /** True when the chain verifies and every entry belongs to this helpline. */
  readonly ok: boolean;
}

/**
 * Fetches the whole audit log (supervisors) and verifies its hash chain with the verifier the
 * protocol package exports: consecutive sequence numbers, each entry linked to the one before,
 * each hash recomputed.
 *
 * @example
 * const { ok, entries } = await fetchAudit(ctx);
 * if (!ok) warn("the audit log was altered");
 */
export async function fetchAudit(ctx: StaffContext): Promise<AuditReport> {
  requireSupervisor(ctx);
  const entries = await collectPages<AuditEntry, number>(async (after) => {
    const page = await readJson(
      await ctx.client.api.audit.$get({
        query: { limit: String(PAGE_SIZE), ...(after === undefined ? {} : { after: String(after) }) },
      }),
    );
    return { items: page.entries, next: page.nextAfter };
  });
  const verification = await verifyAuditChain(entries);
  const ours = entries.every((e) => e.helplineId === ctx.helplineId);
  return { entries, verification, ok: verification.ok && ours };
}
