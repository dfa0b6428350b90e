import { LIMITS, type StaffMember, staffQuerySchema } from "@briefgeheim/protocol";
import { and, asc, count, eq, gt, inArray, ne } from "drizzle-orm";
import { Hono } from "hono";
import { invites, members, threadReaders, threads } from "../../db/schema.js";
import { type AppEnv, type Deps, toB64 } from "../../deps.js";
import { requireRole, sessionAuth } from "../../middleware/session/index.js";
import { validate } from "../../validate.js";

/**
 * /api/staff: the team (supervisors). Protocol 2 keeps no root key on the server: the root-key
 * endpoints of protocol 1 are gone (PROTOCOL.md §2).
 */
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
    });
}
