/**
 * Invite links carry the one-time token and, for invites made by a supervisor, the key-binding secret
 * in the URL fragment, which browsers never send to a server:
 *
 *   <origin>/staff/#/invite/<token>            (operator invites: no secret)
 *   <origin>/staff/#/invite/<token>/<secret>   (supervisor invites; PROTOCOL.md section 3, "Invites")
 */

/** The parts of an invite link. */
export interface InviteLinkParts {
  readonly token: string;
  /** Base64url invite secret; absent in operator invites. */
  readonly secret?: string;
}

const PART = /^[A-Za-z0-9_-]{16,128}$/;

/**
 * The link a new member opens.
 *
 * @example
 * const link = inviteLink(location.origin, created.token, created.secret);
 */
export function inviteLink(origin: string, token: string, secret?: string): string {
  return `${origin}/staff/#/invite/${token}${secret === undefined ? "" : `/${secret}`}`;
}

/**
 * Reads a whole invite link, its fragment (`#/invite/<token>[/<secret>]`), `<token>/<secret>` or a
 * bare token. Undefined for anything else.
 *
 * @example
 * const parts = parseInviteLink(location.hash); // { token, secret }
 */
export function parseInviteLink(text: string): InviteLinkParts | undefined {
  const hash = text.indexOf("#");
  const fragment = hash >= 0 ? text.slice(hash + 1) : text;
  const m = /^(?:\/?invite\/)?([^/?#]+)(?:\/([^/?#]+))?\/?$/.exec(fragment.trim());
  if (m === null) return undefined;
  const token = m[1]!;
  const secret = m[2];
  if (!PART.test(token) || (secret !== undefined && !PART.test(secret))) return undefined;
  return secret === undefined ? { token } : { token, secret };
}
