import { idSchema, LIMITS, rootKeySchema, type StaffMember, staffQuerySchema } from "@briefgeheim/protocol";
import { and, asc, count, eq, gt, inArray, ne } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { invites, members, threadReaders, threads } from "../../db/schema.js";
import { type AppEnv, type Deps, toB64 } from "../../deps.js";
import { AppError } from "../../errors.js";
import { bodyLimit } from "../../middleware/body-limit/index.js";
import { requireRole, sessionAuth } from "../../middleware/session/index.js";
import { validate } from "../../validate.js";

const memberParam = z.object({ memberId: idSchema });

/** /api/staff: the team (supervisors), and copies of the sealed root key for supervisors. */
export function staffRoutes(deps: Deps) {
  return new Hono<AppEnv>()
    .use(sessionAuth(deps), requireRole("supervisor"))
    .get("/", validate("query", staffQuerySchema), async (c) => {
      const { helplineId } = c.var.auth;
      const { limit = LIMITS.pageDefault, cursor } = c.req.valid("query");
      const rows = await deps.db.read
        .select({ m: members, sealedInviteSecret: invites.sealedSecret })
        .from(members)
        .leftJoin(invites, eq(invites.id, members.id))
        .where(
          and(eq(members.helplineId, helplineId), cursor === undefined ? undefined : gt(members.id, cursor)),
        )
        .orderBy(asc(members.id))
        .limit(limit + 1);
      const page = rows.slice(0, limit);
      const ids = page.map((r) => r.m.id);
      const loads =
        ids.length === 0
          ? []
          : await deps.db.read
              .select({ memberId: threadReaders.memberId, n: count() })
              .from(threadReaders)
              .innerJoin(threads, eq(threads.id, threadReaders.threadId))
              .where(
                and(
                  inArray(threadReaders.memberId, ids),
                  eq(threadReaders.role, "counsellor"),
                  eq(threads.intake, false),
                  ne(threads.status, "closed"),
                ),
              )
              .groupBy(threadReaders.memberId);
      const caseload = new Map(loads.map((l) => [l.memberId, l.n]));
      const list: StaffMember[] = page.map(({ m, sealedInviteSecret }) => ({
        id: m.id,
        username: m.username,
        role: m.role,
        status: m.status,
        displayName: m.displayName,
        intakeReader: m.intakeReader,
        signInPk: m.signInPk,
        signPk: m.signPk,
        boxPk: m.boxPk,
        caseload: caseload.get(m.id) ?? 0,
        createdAt: m.createdAt,
        keyProof: m.keyProof === null ? null : toB64(m.keyProof),
        sealedInviteSecret: sealedInviteSecret === null ? null : toB64(sealedInviteSecret),
      }));
      return c.json({ members: list, nextCursor: rows.length > limit ? page.at(-1)!.m.id : null }, 200);
    })
    .get("/root-key", async (c) => {
      const auth = c.var.auth;
      if (auth.kind !== "staff") throw new AppError("FORBIDDEN", "staff only");
      const rows = await deps.db.read
        .select({ rootSealed: members.rootSealed })
        .from(members)
        .where(eq(members.id, auth.memberId));
      const sealed = rows[0]?.rootSealed;
      if (sealed == null) throw new AppError("NOT_FOUND", "no root key copy for this account");
      return c.json({ rootSealed: toB64(sealed) }, 200);
    })
    .put(
      "/:memberId/root-key",
      bodyLimit(LIMITS.body.small),
      validate("param", memberParam),
      validate("json", rootKeySchema),
      async (c) => {
        const { helplineId } = c.var.auth;
        const { memberId } = c.req.valid("param");
        const crypto = await deps.crypto();
        const sealed = Buffer.from(crypto.bytes(c.req.valid("json").rootSealed));
        await deps.writer.run(async (tx) => {
          const rows = await tx
            .select()
            .from(members)
            .where(and(eq(members.id, memberId), eq(members.helplineId, helplineId)));
          const target = rows[0];
          if (target === undefined || target.status === "removed")
            throw new AppError("NOT_FOUND", "no such member");
          if (target.role !== "supervisor")
            throw new AppError("FORBIDDEN", "only supervisors hold the root key");
          await tx.update(members).set({ rootSealed: sealed }).where(eq(members.id, memberId));
        });
        return c.json({ ok: true as const }, 200);
      },
    );
}
