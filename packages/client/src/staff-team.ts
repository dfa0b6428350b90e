import { generateInviteSecret, type MemberId, newId, sealInviteSecret, toBase64 } from "@briefgeheim/crypto";
import type { StaffRole } from "@briefgeheim/protocol";
import { withRetry } from "./retry.js";
import { requireSupervisor, type StaffContext } from "./staff-context.js";
import { readJson } from "./transport.js";

export { publishRosterWithRootSheet, type SucceededRoot, succeedRoot } from "./staff-root.js";
export {
  type Admission,
  type AdmitOptions,
  type Admitted,
  admitPending,
  rekeyForRoster,
} from "./staff-team-admit.js";
export { listTeam, publishRoster, setIntakeReader, type TeamMember } from "./staff-team-roster.js";

/** Bytes of a random invite token (base64url: 43 characters). */
const INVITE_TOKEN_BYTES = 32;

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
 * Creates a one-time invite (supervisors). This browser makes the invite's id, its random token (the
 * server stores only the token's hash, so a stolen database holds no usable invite) and a fresh
 * invite secret: the secret goes into the link's fragment, and to the server only sealed under this
 * supervisor's invite key (so this supervisor can check the new member's key proof at admission; any
 * other supervisor compares the safety code). Retried safely: id, token and sealed secret are made
 * once, here.
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
  const token = toBase64(sodium, client.random(INVITE_TOKEN_BYTES));
  const secret = generateInviteSecret(sodium, client.random);
  const sealed = sealInviteSecret(
    sodium,
    ctx.accountKey,
    secret,
    { helplineId, memberId: id, role, inviterSignPk: ctx.keys.signing.publicKey },
    client.random,
  );
  const json = {
    id,
    role,
    token,
    expiresInHours: options.expiresInHours ?? 72,
    sealedSecret: toBase64(sodium, sealed),
  };
  const res = await withRetry(async () => readJson(await client.api.invites.$post({ json })));
  const secretText = toBase64(sodium, secret);
  secret.fill(0);
  return { memberId: id, role, token, secret: secretText, expiresAt: res.expiresAt };
}
