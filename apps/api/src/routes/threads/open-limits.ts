/**
 * What opening a conversation costs: a proof of work (checked before the session or anything else that
 * reads the database), the daily quotas of the session and the client address, and the helpline's
 * storage quota. A request that then fails is refunded.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv, Auth, Deps, SeekerAuth } from "../../deps.js";
import { toB64 } from "../../deps.js";
import { POW_HEADER } from "../../middleware/pow/index.js";

const OPEN_PATH = /\/threads\/?$/;

/** `POST /api/threads` needs a solved `open-thread` challenge before the session is looked up. */
export function powBeforeOpening(deps: Deps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === "POST" && OPEN_PATH.test(c.req.path)) {
      await deps.pow.verify(c.req.header(POW_HEADER), "open-thread");
    }
    await next();
  };
}

/** Bytes a base64url text stands for. */
function decodedLength(text: string): number {
  return Math.floor((text.length * 3) / 4);
}

/** The key of a session in the quotas (part of its token hash; the token itself is never kept). */
export function sessionQuotaKey(auth: { tokenHash: Buffer }): string {
  return toB64(auth.tokenHash.subarray(0, 16));
}

/**
 * Charges a help-seeker's message in an existing conversation (its bytes, no conversation) to the
 * session and address; staff posts are not charged. Refunded when the post fails.
 */
export async function chargedSeekerPost<T>(
  deps: Deps,
  c: Context<AppEnv>,
  auth: Auth,
  envelope: string,
  post: () => Promise<T>,
): Promise<T> {
  if (auth.kind !== "seeker") return post();
  const undo = deps.quotas.charge(sessionQuotaKey(auth), deps.quotas.config.addressOf(c), {
    conversations: 0,
    bytes: decodedLength(envelope),
  });
  try {
    return await post();
  } catch (e) {
    undo();
    throw e;
  }
}

/**
 * Charges a new conversation (one conversation and its bytes) to the session and address, checks the
 * helpline's storage, runs `open`, and refunds the quotas when it fails.
 */
export async function chargedOpen<T>(
  deps: Deps,
  c: Context<AppEnv>,
  auth: SeekerAuth,
  body: { record: string; grants: string[]; envelope: string },
  open: () => Promise<T>,
): Promise<T> {
  const bytes =
    decodedLength(body.record) +
    decodedLength(body.envelope) +
    body.grants.reduce((n, g) => n + decodedLength(g), 0);
  const undo = deps.quotas.charge(sessionQuotaKey(auth), deps.quotas.config.addressOf(c), {
    conversations: 1,
    bytes,
  });
  try {
    await deps.storage.check(auth.helplineId, bytes);
    const result = await open();
    deps.storage.added(auth.helplineId, bytes);
    return result;
  } catch (e) {
    undo();
    throw e;
  }
}
