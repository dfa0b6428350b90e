/**
 * One-time invite links carry their token (and, once the SDK binds keys to invites, a secret) in the
 * URL fragment, which browsers never send to a server: `/staff/#/invite/<token>` or
 * `/staff/#/invite/<token>/<secret>`. The app reads them once at start and removes the fragment from the
 * address bar and the history entry at once, so nothing sensitive stays in a URL.
 */
export interface InviteFragment {
  readonly token: string;
  /** The invite's key-binding secret, when the link carries one. */
  readonly secret: string | undefined;
}

const PART = /^[A-Za-z0-9_-]{16,128}$/;

/** Parses `#/invite/<token>[/<secret>]`; undefined for anything else. */
export function parseInviteFragment(hash: string): InviteFragment | undefined {
  const m = /^#\/?invite\/([^/?#]+)(?:[/.]([^/?#]+))?\/?$/.exec(hash);
  if (m === null) return undefined;
  const token = m[1]!;
  const secret = m[2];
  if (!PART.test(token) || (secret !== undefined && !PART.test(secret))) return undefined;
  return { token, secret };
}

/** Reads the invite (if any) and clears the fragment without adding a history entry. */
export function takeInviteFromLocation(): InviteFragment | undefined {
  const hash = window.location.hash;
  if (hash === "" || hash === "#") return undefined;
  const invite = parseInviteFragment(hash);
  // Whatever the fragment held, it does not stay in the address bar or the history.
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
  return invite;
}

/** The link a new member opens (shown once to the inviting supervisor). */
export function inviteLink(origin: string, token: string, secret?: string): string {
  return `${origin}/staff/#/invite/${token}${secret === undefined ? "" : `/${secret}`}`;
}
