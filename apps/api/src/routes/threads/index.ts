import {
  createThreadRequestSchema,
  type EpochBatchResponse,
  envelopeBatchRequestSchema,
  envelopesQuerySchema,
  epochBatchRequestSchema,
  idSchema,
  LIMITS,
  patchThreadRequestSchema,
  postEnvelopeRequestSchema,
  postEpochRequestSchema,
  readBatchRequestSchema,
  threadsQuerySchema,
} from "@briefgeheim/protocol";
import { and, asc, eq } from "drizzle-orm";
import { Hono, type MiddlewareHandler } from "hono";
import { etag } from "hono/etag";
import { z } from "zod";
import { drafts, epochRecords, grants, threads } from "../../db/schema.js";
import { type AppEnv, type Deps, toB64 } from "../../deps.js";
import { AppError } from "../../errors.js";
import { bodyLimit } from "../../middleware/body-limit/index.js";
import { clearSessionCookie, requireRole, sessionAuth } from "../../middleware/session/index.js";
import { bindAttachments, ownerOf } from "../../services/attachments.js";
import { appendAudit } from "../../services/audit.js";
import type { RosterCache } from "../../services/rosters.js";
import { forgetSeekersWithoutThreads } from "../../services/seeker-cleanup.js";
import { countDay } from "../../services/stats.js";
import { encodeThreadCursor, getHelpline, loadVisibleThread, summaryOf } from "../../services/threads.js";
import { validate } from "../../validate.js";
import { batchItem } from "./batch-item.js";
import { postEnvelopeBatch } from "./envelope-batch.js";
import { envelopePage } from "./envelope-page.js";
import { auditFlag, checkFlagNote } from "./flag.js";
import { headsForCaller } from "./heads.js";
import {
  commitEnvelope,
  commitEpoch,
  commitThread,
  type PreparedEpoch,
  prepareEnvelope,
  prepareEpoch,
  prepareThread,
} from "./ingest.js";
import { threadListPage } from "./list-page.js";
import { listValidator } from "./list-tag.js";
import { chargedOpen, chargedSeekerPost, powBeforeOpening } from "./open-limits.js";
import { readBatch } from "./read-batch.js";

const threadParam = z.object({ threadId: idSchema });

/**
 * The inbox refresh (every 30 s per counsellor) asks for each page again with its ETag and gets `304`
 * without a body when nothing changed. Staff pages: the tag comes from the helpline's list version
 * (list-tag.ts), checked before the page is read. Help-seekers' pages keep a SHA-256 of the answer
 * (built, then compared): a tag from the version would tell them when anything in the helpline changed.
 */
const pageTag = etag({ generateDigest: (body) => crypto.subtle.digest("SHA-256", body) });
const seekerPageTag: MiddlewareHandler<AppEnv> = (c, next) =>
  c.var.auth.kind === "seeker" ? pageTag(c, next) : next();

/** /api/threads: inbox views, opening threads, envelopes, epochs (claim/assign/reassign/remove), status. */
export function threadRoutes(deps: Deps, rosterCache: RosterCache) {
  const staffOnly = requireRole("counsellor", "supervisor");
  const anyone = requireRole("seeker", "counsellor", "supervisor");

  async function replyHours(helplineId: string): Promise<{ replyTimeHours: number }> {
    const h = await getHelpline(deps.db.read, helplineId);
    return { replyTimeHours: h?.replyTimeHours ?? 0 };
  }

  return new Hono<AppEnv>()
    .use(powBeforeOpening(deps))
    .use(sessionAuth(deps))
    .get(
      "/",
      anyone,
      seekerPageTag,
      validate("query", threadsQuerySchema),
      listValidator(deps),
      async (c) => {
        const auth = c.var.auth;
        const { view, cursor, limit = LIMITS.pageDefault } = c.req.valid("query");
        const rows = await threadListPage(deps.db.read, auth, view, cursor, limit);
        const list = rows.slice(0, limit);
        const hours = { replyTimeHours: c.var.listHelpline?.replyTimeHours ?? 0 };
        return c.json(
          {
            threads: list.map((t) => summaryOf(t, hours, auth)),
            nextCursor: rows.length > limit ? encodeThreadCursor(list.at(-1)!) : null,
          },
          200,
        );
      },
    )
    .post(
      "/",
      bodyLimit(LIMITS.body.thread),
      requireRole("seeker"),
      validate("json", createThreadRequestSchema),
      async (c) => {
        const auth = c.var.auth;
        if (auth.kind !== "seeker") throw new AppError("FORBIDDEN", "help-seekers open threads");
        const body = c.req.valid("json");
        const { thread, ack, helpline } = await chargedOpen(deps, c, auth, body, async () => {
          const prepared = await prepareThread(deps, rosterCache, auth, body);
          const now = deps.clock.now();
          const done = await deps.writer.run(async (tx) => {
            const opened = await commitThread(tx, prepared, auth, now);
            // The first message's files (uploaded as "new conversation") join the thread in this commit.
            await bindAttachments(tx, {
              ids: body.attachments ?? [],
              helplineId: auth.helplineId,
              threadId: prepared.threadId,
              newConversation: true,
              owner: ownerOf(auth),
              envelopeId: opened.ack.id,
            });
            return opened;
          });
          return { ...done, helpline: prepared.helpline };
        });
        return c.json({ thread: summaryOf(thread, helpline, auth), envelope: ack }, 200);
      },
    )
    .post(
      "/epochs/batch",
      bodyLimit(LIMITS.body.batch),
      requireRole("supervisor"),
      validate("json", epochBatchRequestSchema),
      async (c) => {
        const auth = c.var.auth;
        if (auth.kind !== "staff") throw new AppError("FORBIDDEN", "supervisors only");
        const now = deps.clock.now();
        // Verify each item outside the writer; enqueue all; they share group commits, each in its own savepoint.
        const results: EpochBatchResponse["results"] = await Promise.all(
          c.req.valid("json").items.map((item) =>
            batchItem(item.threadId, async () => {
              const prepared = await prepareEpoch(deps, rosterCache, auth, item.threadId, item);
              const ack =
                "duplicate" in prepared
                  ? prepared.duplicate
                  : await deps.writer.run((tx) => commitEpoch(tx, prepared as PreparedEpoch, auth, now));
              return { epoch: ack.epoch, recordHash: ack.recordHash };
            }),
          ),
        );
        return c.json({ results }, 200);
      },
    )
    .post(
      "/envelopes/batch",
      bodyLimit(LIMITS.body.batch),
      staffOnly,
      validate("json", envelopeBatchRequestSchema),
      async (c) => {
        const results = await postEnvelopeBatch(deps, c.var.auth, c.req.valid("json").items);
        return c.json({ results }, 200);
      },
    )
    .post(
      "/read",
      bodyLimit(LIMITS.body.small),
      anyone,
      validate("json", readBatchRequestSchema),
      async (c) => {
        const { items, heads } = c.req.valid("json");
        return c.json({ results: await readBatch(deps, c.var.auth, items, heads === true) }, 200);
      },
    )
    .get("/:threadId", anyone, validate("param", threadParam), async (c) => {
      const auth = c.var.auth;
      const { thread } = await loadVisibleThread(deps.db.read, auth, c.req.valid("param").threadId);
      const records = await deps.db.read
        .select({ bytes: epochRecords.bytes })
        .from(epochRecords)
        .where(eq(epochRecords.threadId, thread.id))
        .orderBy(asc(epochRecords.epoch));
      const boxPk = auth.kind === "seeker" ? thread.seekerBoxPk : auth.boxPk;
      const mine = await deps.db.read
        .select({ bytes: grants.bytes })
        .from(grants)
        .where(and(eq(grants.threadId, thread.id), eq(grants.recipientBoxPk, boxPk)))
        .orderBy(asc(grants.epoch));
      return c.json(
        {
          thread: summaryOf(thread, await replyHours(thread.helplineId), auth),
          records: records.map((r) => toB64(new Uint8Array(r.bytes))),
          grants: mine.map((g) => toB64(new Uint8Array(g.bytes))),
        },
        200,
      );
    })
    .get(
      "/:threadId/envelopes",
      anyone,
      validate("param", threadParam),
      validate("query", envelopesQuerySchema),
      async (c) => {
        const auth = c.var.auth;
        const { thread } = await loadVisibleThread(deps.db.read, auth, c.req.valid("param").threadId);
        const { after = 0, limit = LIMITS.pageDefault } = c.req.valid("query");
        const seeker = auth.kind === "seeker";
        const { page, nextAfter } = await envelopePage(deps.db.read, thread.id, seeker, after, limit);
        return c.json(
          {
            envelopes: page.map((r) => ({
              id: r.id,
              position: r.position,
              envelope: toB64(new Uint8Array(r.bytes)),
              receivedAt: r.receivedAt,
            })),
            nextAfter,
          },
          200,
        );
      },
    )
    .get("/:threadId/heads", anyone, validate("param", threadParam), async (c) => {
      // The newest envelope per (stream, sender), for bulk re-keying: the client verifies them and
      // computes the heads its epoch records name. Help-seekers see the main stream only.
      const auth = c.var.auth;
      const { thread } = await loadVisibleThread(deps.db.read, auth, c.req.valid("param").threadId);
      const envelopes = await headsForCaller(deps.db.read, thread.id, auth.kind === "seeker");
      return c.json({ envelopes }, 200);
    })
    .post(
      "/:threadId/envelopes",
      bodyLimit(LIMITS.body.envelope),
      anyone,
      validate("param", threadParam),
      validate("json", postEnvelopeRequestSchema),
      async (c) => {
        const auth = c.var.auth;
        const body = c.req.valid("json");
        // A help-seeker's messages count against the daily bytes of their session and address.
        const ack = await chargedSeekerPost(deps, c, auth, body.envelope, async () => {
          const prepared = await prepareEnvelope(deps, auth, c.req.valid("param").threadId, body);
          const now = deps.clock.now();
          const files = body.attachments ?? [];
          if (files.length > 0 && prepared.kind !== "message") {
            throw new AppError("VALIDATION_FAILED", "attachments: only a message carries files");
          }
          return deps.writer.run(async (tx) => {
            const ack = await commitEnvelope(tx, prepared, auth, now);
            // Bound in the same commit: the message and its files are stored together or not at all.
            await bindAttachments(tx, {
              ids: files,
              helplineId: auth.helplineId,
              threadId: prepared.threadId,
              newConversation: false,
              owner: ownerOf(auth),
              envelopeId: ack.id,
            });
            return ack;
          });
        });
        return c.json(ack, 200);
      },
    )
    .post(
      "/:threadId/epochs",
      bodyLimit(LIMITS.body.epoch),
      staffOnly,
      validate("param", threadParam),
      validate("json", postEpochRequestSchema),
      async (c) => {
        const auth = c.var.auth;
        if (auth.kind !== "staff") throw new AppError("FORBIDDEN", "staff only");
        const prepared = await prepareEpoch(
          deps,
          rosterCache,
          auth,
          c.req.valid("param").threadId,
          c.req.valid("json"),
        );
        if ("duplicate" in prepared) return c.json(prepared.duplicate, 200);
        const now = deps.clock.now();
        const ack = await deps.writer.run((tx) => commitEpoch(tx, prepared, auth, now));
        return c.json(ack, 200);
      },
    )
    .patch(
      "/:threadId",
      bodyLimit(LIMITS.body.small),
      staffOnly,
      validate("param", threadParam),
      validate("json", patchThreadRequestSchema),
      async (c) => {
        const auth = c.var.auth;
        const { thread, reader } = await loadVisibleThread(deps.db.read, auth, c.req.valid("param").threadId);
        if (!reader && auth.role !== "supervisor")
          throw new AppError("FORBIDDEN", "only the thread's readers change it");
        const { status, flagged, flagNoteId } = c.req.valid("json");
        if (flagNoteId !== undefined) await checkFlagNote(deps.db.read, auth, thread.id, flagNoteId);
        const updated = await deps.writer.run(async (tx) => {
          const rows = await tx
            .update(threads)
            .set({
              ...(status === undefined ? {} : { status }),
              ...(flagged === undefined
                ? {}
                : // Raising a raised flag again without a note keeps the note it has.
                  {
                    flagged,
                    flagNoteId: flagged ? (flagNoteId ?? (thread.flagged ? thread.flagNoteId : null)) : null,
                  }),
            })
            .where(eq(threads.id, thread.id))
            .returning();
          if (rows[0] === undefined) throw new AppError("NOT_FOUND", "no such thread");
          if (status === "closed" && thread.status !== "closed")
            await countDay(tx, thread.helplineId, deps.clock.now(), { closed: 1 });
          await auditFlag(tx, auth, thread, flagged, flagNoteId, deps.clock.now());
          return rows[0];
        });
        return c.json({ thread: summaryOf(updated, await replyHours(updated.helplineId), auth) }, 200);
      },
    )
    .delete("/:threadId", requireRole("seeker"), validate("param", threadParam), async (c) => {
      const auth = c.var.auth;
      const { thread } = await loadVisibleThread(deps.db.read, auth, c.req.valid("param").threadId);
      const now = deps.clock.now();
      const forgotten = await deps.writer.run(async (tx) => {
        const gone = await tx.delete(threads).where(eq(threads.id, thread.id)).returning({ id: threads.id });
        if (gone.length === 0) throw new AppError("NOT_FOUND", "no such thread");
        await tx.delete(drafts).where(eq(drafts.context, `reply:${thread.id}`));
        // Their last conversation gone: the help-seeker's row, sessions and drafts go too (issue 8, item 9).
        const n = await forgetSeekersWithoutThreads(tx, [thread.seekerId]);
        await appendAudit(tx, {
          helplineId: thread.helplineId,
          at: now,
          actorKind: "seeker",
          actorId: null,
          action: "thread-deleted",
          threadId: thread.id,
        });
        await countDay(tx, thread.helplineId, now, { deleted: 1 });
        return n;
      });
      // The session went with the help-seeker's row: the cookie goes too.
      if (forgotten > 0) clearSessionCookie(c);
      return c.json({ deleted: true as const, signedOut: forgotten > 0 }, 200);
    });
}
