import type { AccountKey, AccountKeys, MemberId, Role } from "@briefgeheim/crypto";
import { ClientError } from "./errors.js";
import type { ThreadContext } from "./thread-loader.js";

/** What staff operations need: the thread context plus the member's identity and account key. */
export interface StaffContext extends ThreadContext {
  readonly memberId: MemberId;
  /** The role on the verified roster at sign-in. */
  readonly role: Role;
  readonly accountKey: AccountKey;
  readonly keys: AccountKeys;
}

/** Throws `NOT_A_SUPERVISOR` for a counsellor (before any request; the server refuses too). */
export function requireSupervisor(ctx: StaffContext): void {
  if (ctx.role !== "supervisor") {
    throw new ClientError("NOT_A_SUPERVISOR", "only supervisors can do this");
  }
}

/** Overwrites a staff member's secret keys. */
export function wipeAccountKeys(accountKey: AccountKey, keys: AccountKeys): void {
  accountKey.fill(0);
  keys.signIn.secretKey.fill(0);
  keys.signing.secretKey.fill(0);
  keys.box.secretKey.fill(0);
  keys.draftKey.fill(0);
}
