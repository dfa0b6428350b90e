/**
 * /api/saved-replies (issue 10, staff item 6; docs/PROTOCOL.md §14): a staff member's own encrypted set
 * (`/own`, type 0x0c) and the helpline's team set (`/team`, type 0x0d). The server stores ciphertext,
 * compares the revision on save (`409 REVISION_CONFLICT` when someone saved first) and bounds the size
 * (`413`). The team PUT is for supervisors and must be signed by the caller: a courtesy check; readers
 * verify the signature against the roster their own client verified.
 */
import {
  type HelplineId,
  parseSavedReplies,
  parseTeamReplies,
  TEAM_REPLIES,
  verifyWithLabel,
} from "@briefgeheim/crypto";
import { LIMITS, putSavedRepliesRequestSchema } from "@briefgeheim/protocol";
import { and, eq, inArray } from "drizzle-orm";
import { Hono } from "hono";
import type { WriteTx } from "../../db/client.js";
import { savedReplies } from "../../db/schema.js";
import { type AppEnv, type Deps, type StaffAuth, toB64 } from "../../deps.js";
import { AppError } from "../../errors.js";
import { bodyLimit } from "../../middleware/body-limit/index.js";
import { requireRole, sessionAuth } from "../../middleware/session/index.js";
import { validate } from "../../validate.js";

const TEAM_OWNER = "team";
const ownOwner = (memberId: string) => `member:${memberId}`;

function staffOf(auth: AppEnv["Variables"]["auth"]): StaffAuth {
  if (auth.kind !== "staff") throw new AppError("FORBIDDEN", "staff only");
  return auth;
}

/**
 * Deletes the own sets of `memberIds` (a roster removed them); runs in the roster's write job.
 *
 * @example
 * await deleteOwnSavedReplies(tx, helplineId, diff.removed);
 */
export async function deleteOwnSavedReplies(
  tx: WriteTx,
  helplineId: string,
  memberIds: readonly string[],
): Promise<void> {
  if (memberIds.length === 0) return;
  await tx
    .delete(savedReplies)
    .where(
      and(eq(savedReplies.helplineId, helplineId), inArray(savedReplies.owner, memberIds.map(ownOwner))),
    );
}

export function savedRepliesRoutes(deps: Deps) {
  async function read(helplineId: string, owner: string) {
    const rows = await deps.db.read
      .select()
      .from(savedReplies)
      .where(and(eq(savedReplies.helplineId, helplineId), eq(savedReplies.owner, owner)));
    const row = rows[0];
    return row === undefined
      ? { set: null, revision: 0, updatedAt: null }
      : { set: toB64(new Uint8Array(row.bytes)), revision: row.revision, updatedAt: row.updatedAt };
  }

  /** Stores `bytes` as `owner`'s set when its revision is exactly one above the stored one. */
  async function store(helplineId: string, owner: string, bytes: Uint8Array, revision: number) {
    const updatedAt = deps.clock.now();
    await deps.writer.run(async (tx) => {
      const rows = await tx
        .select({ revision: savedReplies.revision })
        .from(savedReplies)
        .where(and(eq(savedReplies.helplineId, helplineId), eq(savedReplies.owner, owner)));
      const stored = rows[0]?.revision ?? 0;
      if (revision !== stored + 1) {
        throw new AppError(
          "REVISION_CONFLICT",
          `the stored revision is ${stored}; save revision ${stored + 1}`,
        );
      }
      await tx
        .insert(savedReplies)
        .values({ helplineId, owner, revision, bytes: Buffer.from(bytes), updatedAt })
        .onConflictDoUpdate({
          target: [savedReplies.helplineId, savedReplies.owner],
          set: { revision, bytes: Buffer.from(bytes), updatedAt },
        });
    });
    return { revision, updatedAt };
  }

  const body = bodyLimit(LIMITS.body.savedReplies);
  const json = validate("json", putSavedRepliesRequestSchema);
  return new Hono<AppEnv>()
    .use(sessionAuth(deps), requireRole("counsellor", "supervisor"))
    .get("/own", async (c) => {
      const auth = staffOf(c.var.auth);
      return c.json(await read(auth.helplineId, ownOwner(auth.memberId)), 200);
    })
    .put("/own", body, json, async (c) => {
      const auth = staffOf(c.var.auth);
      const crypto = await deps.crypto();
      const bytes = crypto.bytes(c.req.valid("json").set);
      const head = parseSavedReplies(crypto.sodium, bytes);
      if (head.helplineId !== auth.helplineId)
        throw new AppError("WRONG_CONTEXT", "the set is bound to another helpline");
      return c.json(await store(auth.helplineId, ownOwner(auth.memberId), bytes, head.revision), 200);
    })
    .get("/team", async (c) => {
      const auth = staffOf(c.var.auth);
      return c.json(await read(auth.helplineId, TEAM_OWNER), 200);
    })
    .put("/team", requireRole("supervisor"), body, json, async (c) => {
      const auth = staffOf(c.var.auth);
      const crypto = await deps.crypto();
      const bytes = crypto.bytes(c.req.valid("json").set);
      const set = parseTeamReplies(crypto.sodium, bytes);
      if (set.helplineId !== (auth.helplineId as HelplineId))
        throw new AppError("WRONG_CONTEXT", "the set is bound to another helpline");
      if (set.signer !== auth.memberId)
        throw new AppError("SIGNER_NOT_ALLOWED", "a supervisor saves the team set under their own signature");
      verifyWithLabel(
        crypto.sodium,
        TEAM_REPLIES.label,
        bytes.subarray(0, bytes.length - 64),
        set.signature,
        crypto.bytes(auth.signPk),
      );
      return c.json(await store(auth.helplineId, TEAM_OWNER, bytes, set.revision), 200);
    });
}
