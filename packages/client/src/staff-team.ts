import { generateInviteSecret, type MemberId, newId, sealInviteSecret, toBase64 } from "@briefgeheim/crypto";
import type { StaffRole } from "@briefgeheim/protocol";
import { withRetry } from "./retry.js";
import { requireSupervisor, type StaffContext } from "./staff-context.js";
import { loadRootKey, wipeRootKey } from "./staff-root.js";
import { readJson } from "./transport.js";

export { type AdmitOptions, type Admitted, admitPending, rekeyForRoster } from "./staff-team-admit.js";
export {
  listTeam,
  publishRoster,
  setIntakeReader,
  shareRoot,
  type TeamMember,
} from "./staff-team-roster.js";

/** A one-time invite to hand over (as a link) to the new member. */
export interface CreatedInvite {
  /** The id the new member will have (it is listed on the roster once admitted). */
  readonly memberId: MemberId;
  readonly role: StaffRole;
  readonly token: string;
  /**
   * The invite secret (base64url) for the link's fragment, next to the token (`inviteLink`). Never
   * sent to the server in clear; it binds the new member's keys to this invite.
   */
  readonly secret: string;
  readonly expiresAt: number;
}

/**
 * Creates a one-time invite (supervisors) with a fresh invite secret: the secret goes into the link's
 * fragment, and to the server only sealed under the helpline root (so any supervisor can check the new
 * member's key proof at admission). Needs the supervisor's copy of the root key (`NO_ROOT_KEY`).
 * Retried safely: the id and the sealed secret are made once, here.
 *
 * @example
 * const invite = await createInvite(ctx, "counsellor", { expiresInHours: 72 });
 * show(inviteLink(location.origin, invite.token, invite.secret));
 */
export async function createInvite(
  ctx: StaffContext,
  role: StaffRole,
  options: { readonly expiresInHours?: number } = {},
): Promise<CreatedInvite> {
  requireSupervisor(ctx);
  const { client, helplineId } = ctx;
  const { sodium } = client;
  const id = newId<MemberId>(sodium, client.random);
  const secret = generateInviteSecret(sodium, client.random);
  const root = await loadRootKey(ctx);
  let sealed: Uint8Array;
  try {
    sealed = sealInviteSecret(sodium, root.seed, secret, { helplineId, memberId: id, role }, client.random);
  } finally {
    wipeRootKey(root);
  }
  const json = {
    id,
    role,
    expiresInHours: options.expiresInHours ?? 72,
    sealedSecret: toBase64(sodium, sealed),
  };
  const res = await withRetry(async () => readJson(await client.api.invites.$post({ json })));
  const secretText = toBase64(sodium, secret);
  secret.fill(0);
  return { memberId: id, role, token: res.token, secret: secretText, expiresAt: res.expiresAt };
}
