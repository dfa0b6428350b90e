import {
  bytesEqual,
  deriveSavedRepliesKey,
  fromBase64,
  isCryptoError,
  type MemberId,
  newId,
  openSavedReplies,
  openTeamReplies,
  type ReplySignature,
  type SavedReply,
  type Sodium,
  savedRepliesHash,
  sealSavedReplies,
  sealTeamReplies,
  toBase64,
} from "@briefgeheim/crypto";
import { ClientError } from "./errors.js";
import { requireSupervisor, type StaffContext } from "./staff-context.js";
import { readJson } from "./transport.js";

export type { ReplySignature, SavedReply } from "@briefgeheim/crypto";

/** The member's own saved replies and signature (type 0x0c); revision 0: never saved. */
export interface OwnSavedReplies {
  readonly revision: number;
  readonly replies: readonly SavedReply[];
  readonly signature: ReplySignature;
}

/** The helpline's team saved replies (type 0x0d), verified; revision 0: never saved. */
export interface TeamSavedReplies {
  readonly revision: number;
  readonly replies: readonly SavedReply[];
  /** The supervisor who saved this revision (undefined before the first save). */
  readonly signer: MemberId | undefined;
  /**
   * The wraps do not name exactly the members of the newest verified roster (someone joined or left
   * since the last save). Only a supervisor's action shares it again (`saveTeam` of the list shown):
   * never automatically, since no session can know that the set it was served is the newest.
   */
  readonly needsSharing: boolean;
}

/** One set as this session last saw or saved it: its revision and the hash of its bytes. */
export interface SeenSet {
  readonly revision: number;
  readonly hash: Uint8Array | undefined;
}

/**
 * Each set as this session last saw or saved it, in memory: a server that later serves an older
 * (genuine, signed) set, none, or another set under the same revision is caught (`*_ROLLBACK`). A
 * fresh session has nothing to compare with; see THREAT-MODEL.md §3.19.
 */
export interface RepliesSeen {
  own: SeenSet;
  team: SeenSet;
}

/** A session's starting point: nothing seen (revision 0, no set). */
export function nothingSeen(): RepliesSeen {
  return { own: { revision: 0, hash: undefined }, team: { revision: 0, hash: undefined } };
}

/** The signer's key from the roster a team set was verified against (for `recheckTeamReplies`). */
const signerKeys = new WeakMap<TeamSavedReplies, Uint8Array>();

/**
 * A fresh id for a new saved reply (16 random bytes, base64url).
 *
 * @example
 * const reply = { id: newSavedReplyId(ctx), title, body };
 */
export function newSavedReplyId(ctx: Pick<StaffContext, "client">): string {
  return newId(ctx.client.sodium, ctx.client.random);
}

const EMPTY_SIGNATURE: ReplySignature = { text: "", auto: false };

/**
 * Records the set served or saved (`bytes` undefined: none). Refused: an older revision than the one
 * seen, or other bytes under the same revision (an honest server never replaces a revision: its save
 * is compare-and-set, so two sets at one revision mean it accepted a save it should have refused).
 */
function checkSeen(
  sodium: Sodium,
  seen: RepliesSeen,
  scope: keyof RepliesSeen,
  revision: number,
  bytes: Uint8Array | undefined,
): void {
  const before = seen[scope];
  const hash = bytes === undefined ? undefined : savedRepliesHash(sodium, bytes);
  const same =
    hash === undefined || before.hash === undefined
      ? hash === before.hash
      : bytesEqual(sodium, hash, before.hash);
  if (revision < before.revision || (revision === before.revision && !same)) {
    throw new ClientError(
      scope === "own" ? "SAVED_REPLIES_ROLLBACK" : "TEAM_REPLIES_ROLLBACK",
      revision < before.revision
        ? `the server served revision ${revision} after this session saw ${before.revision}`
        : `the server served another set as revision ${revision} than the one this session saw`,
      { details: { revision, seen: before.revision } },
    );
  }
  seen[scope] = { revision, hash };
}

/** A save's answer names the revision this client sealed, or the save is not taken as done. */
function checkAck(ack: { readonly revision: number }, sealed: number): void {
  if (ack.revision !== sealed) {
    throw new ClientError(
      "UNEXPECTED_RESPONSE",
      `the server answered revision ${ack.revision} to a save of revision ${sealed}`,
      { details: { revision: ack.revision, sealed } },
    );
  }
}

/**
 * Loads and opens the member's own set. `SAVED_REPLIES_ROLLBACK` when older than one this session saw;
 * `DECRYPT_FAILED` / `WRONG_CONTEXT` / `MALFORMED` for anything the member did not seal.
 *
 * @example
 * const { revision, replies, signature } = await loadOwnReplies(ctx, seen);
 */
export async function loadOwnReplies(ctx: StaffContext, seen: RepliesSeen): Promise<OwnSavedReplies> {
  const found = await readJson(await ctx.client.api["saved-replies"].own.$get());
  const { sodium } = ctx.client;
  if (found.set === null) {
    checkSeen(sodium, seen, "own", 0, undefined);
    return { revision: 0, replies: [], signature: EMPTY_SIGNATURE };
  }
  const key = deriveSavedRepliesKey(sodium, ctx.accountKey);
  try {
    const bytes = fromBase64(sodium, found.set);
    const opened = openSavedReplies(sodium, key, bytes, ctx.helplineId);
    // The revision that counts is the one bound in the AD, not the server's column.
    checkSeen(sodium, seen, "own", opened.revision, bytes);
    return opened;
  } finally {
    sodium.memzero(key);
  }
}

/**
 * Seals and stores the member's own set as the revision after `basedOn` (the revision it was loaded
 * at). `REVISION_CONFLICT` (409) when another device saved meanwhile: load again and redo the change.
 * `UNEXPECTED_RESPONSE` when the server's answer names another revision than the one sealed (a save it
 * did not store); the session remembers what it sealed, so a server that drops the save and serves the
 * older set later is `SAVED_REPLIES_ROLLBACK`.
 *
 * @example
 * const { revision } = await saveOwnReplies(ctx, seen, { replies, signature }, loaded.revision);
 */
export async function saveOwnReplies(
  ctx: StaffContext,
  seen: RepliesSeen,
  content: { readonly replies: readonly SavedReply[]; readonly signature: ReplySignature },
  basedOn: number,
): Promise<{ revision: number }> {
  const { sodium, random } = ctx.client;
  const revision = basedOn + 1;
  const key = deriveSavedRepliesKey(sodium, ctx.accountKey);
  let bytes: Uint8Array;
  try {
    bytes = sealSavedReplies(sodium, key, ctx.helplineId, revision, content, random);
  } finally {
    sodium.memzero(key);
  }
  const ack = await readJson(
    await ctx.client.api["saved-replies"].own.$put({ json: { set: toBase64(sodium, bytes) } }),
  );
  checkAck(ack, revision);
  checkSeen(sodium, seen, "own", revision, bytes);
  return { revision };
}

/**
 * Loads and verifies the team set against the newest roster this client verified (PROTOCOL.md §14).
 * Refusals: `TEAM_REPLIES_SIGNER` (not a supervisor on that roster, e.g. removed since),
 * `TEAM_REPLIES_NOT_SHARED` (this member joined after the last save), `TEAM_REPLIES_ROLLBACK` (older
 * than, or another set at the revision of, the one this session saw or saved), `BAD_SIGNATURE`,
 * `WRONG_CONTEXT`, `ROSTER_ROLLBACK`, `DECRYPT_FAILED`; each carries `details.revision` (the
 * server's), so a supervisor can save a new set over a refused one.
 *
 * `needsSharing` says the wraps do not match the newest roster's members; it is never re-sealed here.
 *
 * @example
 * const team = await loadTeamReplies(ctx, seen);
 */
export async function loadTeamReplies(ctx: StaffContext, seen: RepliesSeen): Promise<TeamSavedReplies> {
  const found = await readJson(await ctx.client.api["saved-replies"].team.$get());
  const { sodium } = ctx.client;
  if (found.set === null) {
    checkSeen(sodium, seen, "team", 0, undefined);
    return { revision: 0, replies: [], signer: undefined, needsSharing: false };
  }
  const newest = await ctx.client.helplines.latestRoster(ctx.helplineId);
  const bytes = fromBase64(sodium, found.set);
  let opened: ReturnType<typeof openTeamReplies>;
  try {
    opened = openTeamReplies(sodium, bytes, {
      helplineId: ctx.helplineId,
      newest,
      me: { memberId: ctx.memberId, box: ctx.keys.box },
    });
  } catch (e) {
    if (!isCryptoError(e)) throw e;
    throw new ClientError(e.code, e.message, {
      source: "crypto",
      cause: e,
      details: { revision: found.revision },
    });
  }
  checkSeen(sodium, seen, "team", opened.revision, bytes);
  const wrapped = new Set<string>(opened.wrappedFor);
  const needsSharing =
    wrapped.size !== newest.members.length || newest.members.some((m) => !wrapped.has(m.memberId));
  const team = { revision: opened.revision, replies: opened.replies, signer: opened.signer, needsSharing };
  const signer = newest.members.find((m) => m.memberId === opened.signer);
  if (signer !== undefined) signerKeys.set(team, signer.signPk);
  return team;
}

/**
 * Checks a team set loaded earlier in this session against the newest roster this session has
 * verified since (no request): `TEAM_REPLIES_SIGNER` when its signer has been removed or demoted
 * meanwhile, or is listed with another signing key (`details.revision` as for a load). For a set kept
 * in memory (the reply form's picker) before offering it again.
 *
 * @example
 * recheckTeamReplies(ctx, team); // throws once the roster no longer lists the signer as a supervisor
 */
export function recheckTeamReplies(ctx: StaffContext, team: TeamSavedReplies): void {
  if (team.signer === undefined) return;
  const newest = ctx.client.helplines.cachedRoster(ctx.helplineId);
  const now = newest?.members.find((m) => m.memberId === team.signer);
  const key = signerKeys.get(team);
  if (now?.role !== "supervisor" || key === undefined || !bytesEqual(ctx.client.sodium, key, now.signPk)) {
    throw new ClientError(
      "TEAM_REPLIES_SIGNER",
      "the signer is no longer a supervisor on the newest roster",
      {
        source: "crypto",
        details: { revision: team.revision },
      },
    );
  }
}

/**
 * Seals the team set for every member of the newest verified roster (a fresh key), signs it and
 * stores it as the revision after `basedOn`. Supervisors only (`NOT_A_SUPERVISOR`);
 * `REVISION_CONFLICT` when another supervisor saved meanwhile; `UNEXPECTED_RESPONSE` when the answer
 * names another revision than the one sealed. Also how a supervisor shares the list shown again with
 * the current team (`needsSharing`).
 *
 * @example
 * await saveTeamReplies(ctx, seen, [...team.replies, added], team.revision);
 */
export async function saveTeamReplies(
  ctx: StaffContext,
  seen: RepliesSeen,
  replies: readonly SavedReply[],
  basedOn: number,
): Promise<{ revision: number }> {
  requireSupervisor(ctx);
  const { sodium, random } = ctx.client;
  const roster = await ctx.client.helplines.latestRoster(ctx.helplineId);
  const revision = basedOn + 1;
  const bytes = sealTeamReplies(
    sodium,
    { helplineId: ctx.helplineId, revision, roster, replies },
    { memberId: ctx.memberId, secretKey: ctx.keys.signing.secretKey },
    random,
  );
  const ack = await readJson(
    await ctx.client.api["saved-replies"].team.$put({ json: { set: toBase64(sodium, bytes) } }),
  );
  checkAck(ack, revision);
  checkSeen(sodium, seen, "team", revision, bytes);
  return { revision };
}
