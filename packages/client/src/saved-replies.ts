import {
  deriveSavedRepliesKey,
  fromBase64,
  isCryptoError,
  type MemberId,
  newId,
  openSavedReplies,
  openTeamReplies,
  type ReplySignature,
  type SavedReply,
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
}

/**
 * The highest revision of each set this session has seen or saved, in memory: a server that later
 * serves an older (genuine, signed) set, or none, is caught (`*_ROLLBACK`). A fresh session cannot
 * tell; see THREAT-MODEL.md §3.19.
 */
export interface RepliesSeen {
  own: number;
  team: number;
}

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

function checkNotOlder(seen: RepliesSeen, scope: keyof RepliesSeen, revision: number): void {
  if (revision < seen[scope]) {
    throw new ClientError(
      scope === "own" ? "SAVED_REPLIES_ROLLBACK" : "TEAM_REPLIES_ROLLBACK",
      `the server served revision ${revision} after this session saw ${seen[scope]}`,
      { details: { revision, seen: seen[scope] } },
    );
  }
  seen[scope] = revision;
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
  if (found.set === null) {
    checkNotOlder(seen, "own", 0);
    return { revision: 0, replies: [], signature: EMPTY_SIGNATURE };
  }
  const { sodium } = ctx.client;
  const key = deriveSavedRepliesKey(sodium, ctx.accountKey);
  try {
    const opened = openSavedReplies(sodium, key, fromBase64(sodium, found.set), ctx.helplineId);
    // The revision that counts is the one bound in the AD, not the server's column.
    checkNotOlder(seen, "own", opened.revision);
    return opened;
  } finally {
    sodium.memzero(key);
  }
}

/**
 * Seals and stores the member's own set as the revision after `basedOn` (the revision it was loaded
 * at). `REVISION_CONFLICT` (409) when another device saved meanwhile: load again and redo the change.
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
  const key = deriveSavedRepliesKey(sodium, ctx.accountKey);
  let bytes: Uint8Array;
  try {
    bytes = sealSavedReplies(sodium, key, ctx.helplineId, basedOn + 1, content, random);
  } finally {
    sodium.memzero(key);
  }
  const ack = await readJson(
    await ctx.client.api["saved-replies"].own.$put({ json: { set: toBase64(sodium, bytes) } }),
  );
  checkNotOlder(seen, "own", ack.revision);
  return { revision: ack.revision };
}

/**
 * Loads and verifies the team set against the newest roster this client verified (PROTOCOL.md §14).
 * Refusals: `TEAM_REPLIES_SIGNER` (not a supervisor on that roster, e.g. removed since),
 * `TEAM_REPLIES_NOT_SHARED` (this member joined after the last save), `TEAM_REPLIES_ROLLBACK`,
 * `BAD_SIGNATURE`, `WRONG_CONTEXT`, `ROSTER_ROLLBACK`, `DECRYPT_FAILED`; each carries
 * `details.revision` (the server's), so a supervisor can save a new set over a refused one.
 *
 * With `reseal` (a supervisor's screen), a set whose wraps do not match the newest roster's members
 * (someone joined, someone left) is sealed again under a fresh key as the next revision, so removed
 * members' wraps disappear and new members can read it.
 *
 * @example
 * const team = await loadTeamReplies(ctx, seen, { reseal: staff.role === "supervisor" });
 */
export async function loadTeamReplies(
  ctx: StaffContext,
  seen: RepliesSeen,
  options: { readonly reseal?: boolean } = {},
): Promise<TeamSavedReplies> {
  const found = await readJson(await ctx.client.api["saved-replies"].team.$get());
  if (found.set === null) {
    checkNotOlder(seen, "team", 0);
    return { revision: 0, replies: [], signer: undefined };
  }
  const { sodium } = ctx.client;
  const newest = await ctx.client.helplines.latestRoster(ctx.helplineId);
  let opened: ReturnType<typeof openTeamReplies>;
  try {
    opened = openTeamReplies(sodium, fromBase64(sodium, found.set), {
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
  checkNotOlder(seen, "team", opened.revision);
  const wrapped = new Set<string>(opened.wrappedFor);
  const stale =
    wrapped.size !== newest.members.length || newest.members.some((m) => !wrapped.has(m.memberId));
  if (options.reseal === true && stale && ctx.role === "supervisor") {
    const saved = await saveTeamReplies(ctx, seen, opened.replies, opened.revision);
    return { revision: saved.revision, replies: opened.replies, signer: ctx.memberId };
  }
  return { revision: opened.revision, replies: opened.replies, signer: opened.signer };
}

/**
 * Seals the team set for every member of the newest verified roster (a fresh key), signs it and
 * stores it as the revision after `basedOn`. Supervisors only (`NOT_A_SUPERVISOR`);
 * `REVISION_CONFLICT` when another supervisor saved meanwhile.
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
  const bytes = sealTeamReplies(
    sodium,
    { helplineId: ctx.helplineId, revision: basedOn + 1, roster, replies },
    { memberId: ctx.memberId, secretKey: ctx.keys.signing.secretKey },
    random,
  );
  const ack = await readJson(
    await ctx.client.api["saved-replies"].team.$put({ json: { set: toBase64(sodium, bytes) } }),
  );
  checkNotOlder(seen, "team", ack.revision);
  return { revision: ack.revision };
}
