/**
 * /api/attachments: resumable, chunked uploads of encrypted attachment streams and their download
 * (docs/API.md "Attachments", PROTOCOL.md §6). Limits are checked before any byte is stored; a chunk
 * is acknowledged only after its commit through the writer; a message binds its uploads (routes/threads).
 */
import {
  attachmentChunkCipherBytes,
  attachmentLayout,
  isCryptoError,
  parseAttachmentHeader,
} from "@briefgeheim/crypto";
import {
  type AttachmentStatus,
  attachmentChunkParamSchema,
  attachmentContentQuerySchema,
  attachmentIdParamSchema,
  createAttachmentRequestSchema,
  LIMITS,
} from "@briefgeheim/protocol";
import { and, asc, count, eq, gte } from "drizzle-orm";
import { Hono } from "hono";
import { attachmentChunks, attachments } from "../../db/schema.js";
import { type AppEnv, type Deps, toB64 } from "../../deps.js";
import { AppError } from "../../errors.js";
import { bodyLimit } from "../../middleware/body-limit/index.js";
import { requireRole, sessionAuth } from "../../middleware/session/index.js";
import {
  type AttachmentRow,
  dailyBytes,
  firstMissing,
  limitsOf,
  ownerOf,
  ownUpload,
  pendingUploads,
  storedChunks,
} from "../../services/attachments.js";
import { deleteUpload, unsentBytes } from "../../services/attachments-ledger.js";
import { loadVisibleThread } from "../../services/threads.js";
import { validate } from "../../validate.js";
import { sessionQuotaKey } from "../threads/open-limits.js";

/** The one route whose body is raw bytes (app.ts lets `application/octet-stream` through for it). */
export const ATTACHMENT_CHUNK_PATH = /^\/api\/attachments\/[^/]+\/chunks\/[^/]+$/;

/** Chunks read per query while streaming a download (1 MiB): memory stays flat whatever the size. */
const DOWNLOAD_BATCH = 16;

async function statusOf(deps: Deps, row: AttachmentRow): Promise<AttachmentStatus> {
  const stored = await storedChunks(deps.db.read, row.id);
  return {
    id: row.id,
    header: toB64(new Uint8Array(row.header)),
    paddedSize: row.paddedSize,
    chunkCount: row.chunkCount,
    received: stored.length,
    firstMissing: firstMissing(stored, row.chunkCount),
    complete: row.complete,
    expiresAt: row.expiresAt,
  };
}

/** The header must be a v2 stream header and the size one the layout can produce. */
function checkDeclared(header: Uint8Array, paddedSize: number): number {
  try {
    parseAttachmentHeader(header);
  } catch (e) {
    if (isCryptoError(e)) throw new AppError("MALFORMED_STRUCTURE", e.message);
    throw e;
  }
  const layout = attachmentLayout(paddedSize);
  if (layout.paddedSize !== paddedSize) {
    throw new AppError("VALIDATION_FAILED", "paddedSize: not a padded attachment size (PROTOCOL.md §6)");
  }
  return layout.chunkCount;
}

export function attachmentRoutes(deps: Deps) {
  const anyone = requireRole("seeker", "counsellor", "supervisor");

  /** A bound attachment the caller may read: the same rule as reading the thread's envelopes. */
  async function readable(c: { var: AppEnv["Variables"] }, id: string): Promise<AttachmentRow> {
    const row = (await deps.db.read.select().from(attachments).where(eq(attachments.id, id)))[0];
    if (row === undefined || row.helplineId !== c.var.auth.helplineId) {
      throw new AppError("NOT_FOUND", "no such attachment");
    }
    if (row.envelopeId === null || row.threadId === null) {
      if (row.uploader === ownerOf(c.var.auth)) return row;
      throw new AppError("NOT_FOUND", "no such attachment");
    }
    await loadVisibleThread(deps.db.read, c.var.auth, row.threadId);
    return row;
  }

  return new Hono<AppEnv>()
    .use(sessionAuth(deps))
    .get("/limits", anyone, async (c) => {
      const l = await limitsOf(deps.db.read, c.var.auth.helplineId);
      return c.json(
        {
          maxFileBytes: l.maxFileBytes,
          maxFilesPerMessage: l.maxFilesPerMessage,
          maxBytesPerConversationPerDay: l.dailyBytesPerConversation,
        },
        200,
      );
    })
    .post(
      "/",
      bodyLimit(LIMITS.body.small),
      anyone,
      validate("json", createAttachmentRequestSchema),
      async (c) => {
        const auth = c.var.auth;
        const body = c.req.valid("json");
        const owner = ownerOf(auth);
        const header = Buffer.from(body.header, "base64url");
        const chunkCount = checkDeclared(header, body.paddedSize);
        let threadId: string | null = null;
        if (body.threadId !== undefined) {
          const { reader } = await loadVisibleThread(deps.db.read, auth, body.threadId);
          if (!reader) throw new AppError("NOT_A_READER", "only readers of the current epoch can send files");
          threadId = body.threadId;
        } else if (auth.kind !== "seeker") {
          throw new AppError("FORBIDDEN", "only help-seekers start conversations");
        }
        const limits = await limitsOf(deps.db.read, auth.helplineId);
        if (body.paddedSize > attachmentLayout(limits.maxFileBytes).paddedSize) {
          throw new AppError("ATTACHMENT_TOO_LARGE", `a file may be at most ${limits.maxFileBytes} bytes`);
        }
        const stored = chunkCount * LIMITS.attachments.tagBytes + body.paddedSize;
        await deps.storage.check(auth.helplineId, stored);
        const now = deps.clock.now();
        // A help-seeker's upload costs its padded size against the session's and the address's daily
        // attachment bytes, charged before anything is stored and given back if the creation is refused
        // (or was a repeat): deleting the upload later gives nothing back.
        const undo =
          auth.kind === "seeker"
            ? deps.quotas.charge(sessionQuotaKey(auth), deps.quotas.config.addressOf(c), {
                conversations: 0,
                bytes: 0,
                attachmentBytes: body.paddedSize,
              })
            : () => {};
        let created = false;
        const row = await deps.writer
          .run(async (tx) => {
            const existing = (await tx.select().from(attachments).where(eq(attachments.id, body.id)))[0];
            if (existing !== undefined) {
              // Creating it again (a retry, or a resume after a reload) is idempotent.
              const same =
                existing.uploader === owner &&
                existing.helplineId === auth.helplineId &&
                existing.threadId === threadId &&
                existing.paddedSize === body.paddedSize &&
                header.equals(Buffer.from(existing.header));
              if (!same)
                throw new AppError("IDEMPOTENCY_CONFLICT", "this attachment id was used with other content");
              return existing;
            }
            if ((await pendingUploads(tx, owner, auth.helplineId, threadId)) >= limits.maxFilesPerMessage) {
              throw new AppError(
                "ATTACHMENT_TOO_MANY",
                `a message carries at most ${limits.maxFilesPerMessage} files; remove one first`,
              );
            }
            const day = await dailyBytes(
              tx,
              threadId === null ? { owner, helplineId: auth.helplineId } : { threadId },
              now,
            );
            if (day.bytes + body.paddedSize > limits.dailyBytesPerConversation) {
              const wait = Math.max(1, Math.ceil(((day.oldest ?? now) + 24 * 3_600_000 - now) / 1000));
              throw new AppError(
                "ATTACHMENT_QUOTA_EXCEEDED",
                "this conversation has used its attachment bytes for today",
                { "Retry-After": String(wait) },
              );
            }
            if (auth.kind === "seeker") {
              const cap = Math.floor(
                deps.quotas.config.helplineStorageBytes * deps.quotas.config.unsentAttachmentShare,
              );
              if ((await unsentBytes(tx, auth.helplineId)) + body.paddedSize > cap) {
                throw new AppError(
                  "ATTACHMENT_UNSENT_FULL",
                  "this helpline holds too many files not yet sent; try again later",
                  { "Retry-After": String(3600) },
                );
              }
            }
            const values = {
              id: body.id,
              helplineId: auth.helplineId,
              threadId,
              uploader: owner,
              envelopeId: null,
              header,
              paddedSize: body.paddedSize,
              chunkCount,
              complete: false,
              createdAt: now,
              expiresAt: now + LIMITS.attachments.unboundTtlMs,
            };
            await tx.insert(attachments).values(values);
            // Last, after the insert: a refusal here rolls the insert back. Reserves the declared bytes.
            deps.storage.reserve(auth.helplineId, stored);
            created = true;
            return values;
          })
          .catch((e: unknown) => {
            undo();
            throw e;
          });
        if (!created) undo();
        return c.json(await statusOf(deps, row), 200);
      },
    )
    .get("/:attachmentId", anyone, validate("param", attachmentIdParamSchema), async (c) => {
      const row = await readable(c, c.req.valid("param").attachmentId);
      return c.json(await statusOf(deps, row), 200);
    })
    .delete("/:attachmentId", anyone, validate("param", attachmentIdParamSchema), async (c) => {
      const row = await ownUpload(deps.db.read, c.var.auth, c.req.valid("param").attachmentId);
      // Only while unbound: a sent file goes with its conversation. Its chunks go; a ledger row stays
      // until it leaves the daily window, so the conversation's daily attachment bytes are not given back.
      const gone = await deps.writer.run((tx) => deleteUpload(tx, row.id, row.uploader ?? ""));
      if (gone)
        deps.storage.added(row.helplineId, -(row.paddedSize + row.chunkCount * LIMITS.attachments.tagBytes));
      return c.json({ deleted: true as const }, 200);
    })
    .put(
      "/:attachmentId/chunks/:index",
      bodyLimit(LIMITS.attachments.chunkBytes + LIMITS.attachments.tagBytes, { binary: true }),
      anyone,
      validate("param", attachmentChunkParamSchema),
      async (c) => {
        const { attachmentId, index } = c.req.valid("param");
        // Read first (at most one chunk, the body limit above): a refusal then keeps the connection,
        // and a client resuming after a refusal does not meet a closed socket.
        const bytes = Buffer.from(await c.req.arrayBuffer());
        const row = await ownUpload(deps.db.read, c.var.auth, attachmentId);
        if (row.complete) throw new AppError("CONFLICT", "the upload is complete");
        if (index >= row.chunkCount) {
          throw new AppError("VALIDATION_FAILED", `index: the upload has ${row.chunkCount} chunks`);
        }
        const expected = attachmentChunkCipherBytes(row.paddedSize, index);
        const declared = c.req.header("Content-Length");
        if (declared !== undefined && Number(declared) !== expected) {
          throw new AppError("VALIDATION_FAILED", `chunk ${index} is exactly ${expected} bytes`);
        }
        // At most one chunk (64 KiB + 16) is read per request: memory does not grow with the file.
        if (bytes.length !== expected) {
          throw new AppError("VALIDATION_FAILED", `chunk ${index} is exactly ${expected} bytes`);
        }
        const received = await deps.writer.run(async (tx) => {
          const live = (await tx.select().from(attachments).where(eq(attachments.id, row.id)))[0];
          if (live === undefined || live.uploader !== row.uploader) {
            throw new AppError("NOT_FOUND", "no such upload");
          }
          if (live.complete) throw new AppError("CONFLICT", "the upload is complete");
          // Idempotent: the same chunk again (a retry, or a resume re-sending it) replaces itself.
          await tx
            .insert(attachmentChunks)
            .values({ attachmentId: row.id, idx: index, bytes })
            .onConflictDoUpdate({
              target: [attachmentChunks.attachmentId, attachmentChunks.idx],
              set: { bytes },
            });
          const n = await tx
            .select({ n: count() })
            .from(attachmentChunks)
            .where(eq(attachmentChunks.attachmentId, row.id));
          return Number(n[0]?.n ?? 0);
        });
        // No storage figure to add: the upload's declared bytes were reserved when it was created, so a
        // chunk sent again (a retry, a resume) counts nothing twice.
        return c.json({ index, received }, 200);
      },
    )
    .post(
      "/:attachmentId/complete",
      bodyLimit(LIMITS.body.small),
      anyone,
      validate("param", attachmentIdParamSchema),
      async (c) => {
        const row = await ownUpload(deps.db.read, c.var.auth, c.req.valid("param").attachmentId);
        const done = await deps.writer.run(async (tx) => {
          const n = await tx
            .select({ n: count() })
            .from(attachmentChunks)
            .where(eq(attachmentChunks.attachmentId, row.id));
          const received = Number(n[0]?.n ?? 0);
          if (received !== row.chunkCount) {
            throw new AppError(
              "ATTACHMENT_INCOMPLETE",
              `${row.chunkCount - received} of ${row.chunkCount} chunks are missing`,
            );
          }
          const updated = await tx
            .update(attachments)
            .set({ complete: true })
            .where(eq(attachments.id, row.id))
            .returning();
          if (updated[0] === undefined) throw new AppError("NOT_FOUND", "no such upload");
          return updated[0];
        });
        return c.json(await statusOf(deps, done), 200);
      },
    )
    .get(
      "/:attachmentId/content",
      anyone,
      validate("param", attachmentIdParamSchema),
      validate("query", attachmentContentQuerySchema),
      async (c) => {
        const row = await readable(c, c.req.valid("param").attachmentId);
        // The reader names the thread of the message that carries it; a file of another thread is not there.
        if (row.threadId !== c.req.valid("query").thread)
          throw new AppError("NOT_FOUND", "no such attachment");
        if (!row.complete) throw new AppError("ATTACHMENT_INCOMPLETE", "the upload is not complete");
        let next = 0;
        let headerSent = false;
        // Pulled batch by batch from the database as the client reads: never the whole file in memory.
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            if (!headerSent) {
              headerSent = true;
              controller.enqueue(new Uint8Array(row.header));
              return;
            }
            const batch = await deps.db.read
              .select({ idx: attachmentChunks.idx, bytes: attachmentChunks.bytes })
              .from(attachmentChunks)
              .where(and(eq(attachmentChunks.attachmentId, row.id), gte(attachmentChunks.idx, next)))
              .orderBy(asc(attachmentChunks.idx))
              .limit(DOWNLOAD_BATCH);
            for (const chunk of batch) controller.enqueue(new Uint8Array(chunk.bytes));
            next += batch.length;
            // Deleted meanwhile (the conversation went): the stream ends short and the client sees TRUNCATED.
            if (batch.length < DOWNLOAD_BATCH || next >= row.chunkCount) controller.close();
          },
        });
        return c.body(body, 200, {
          "Content-Type": "application/octet-stream",
          "Cache-Control": "no-store",
        });
      },
    );
}
