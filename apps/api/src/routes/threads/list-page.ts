import type { ThreadView } from "@briefgeheim/protocol";
import { and, asc, eq, gt, ne, or, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { threadReaders, threads } from "../../db/schema.js";
import type { Auth, StaffAuth } from "../../deps.js";
import { AppError } from "../../errors.js";
import { decodeThreadCursor, type ThreadRow } from "../../services/threads.js";

/**
 * One page of an inbox view, in waiting order (sort key, then id), with one row more than `limit` so the
 * caller knows whether another page follows. A help-seeker lists their own threads; staff list a view
 * of their helpline (default: "all" for supervisors, "mine" for counsellors). `intake` is for intake
 * readers and supervisors, `all` for supervisors; "flagged" is every flagged thread for a supervisor
 * and the flagged threads a counsellor reads for anyone else.
 */
export async function threadListPage(
  db: Db,
  auth: Auth,
  view: ThreadView | undefined,
  cursor: string | undefined,
  limit: number,
): Promise<ThreadRow[]> {
  const after = decodeThreadCursor(cursor);
  const page: SQL | undefined = after
    ? or(
        gt(threads.sortKey, after.sortKey),
        and(eq(threads.sortKey, after.sortKey), gt(threads.id, after.id)),
      )
    : undefined;
  let rows: ThreadRow[];
  if (auth.kind === "seeker") {
    rows = await db
      .select()
      .from(threads)
      // A help-seeker without a row yet (signed in, nothing sent) has no threads.
      .where(and(eq(threads.seekerId, auth.seekerId ?? ""), page))
      .orderBy(asc(threads.sortKey), asc(threads.id))
      .limit(limit + 1);
  } else {
    const v = staffView(auth, view);
    const inHelpline = eq(threads.helplineId, auth.helplineId);
    if (v === "mine" || (v === "flagged" && auth.role !== "supervisor")) {
      rows = (
        await db
          .select({ t: threads })
          .from(threadReaders)
          .innerJoin(threads, eq(threads.id, threadReaders.threadId))
          .where(
            and(
              eq(threadReaders.memberId, auth.memberId),
              inHelpline,
              eq(threads.intake, false),
              v === "flagged" ? eq(threads.flagged, true) : undefined,
              page,
            ),
          )
          .orderBy(asc(threads.sortKey), asc(threads.id))
          .limit(limit + 1)
      ).map((r) => r.t);
    } else {
      const filter =
        v === "intake"
          ? and(eq(threads.intake, true), ne(threads.status, "closed"))
          : v === "flagged"
            ? eq(threads.flagged, true)
            : undefined;
      rows = await db
        .select()
        .from(threads)
        .where(and(inHelpline, filter, page))
        .orderBy(asc(threads.sortKey), asc(threads.id))
        .limit(limit + 1);
    }
  }
  return rows;
}

/** The view a staff member asked for, or their default; `403 FORBIDDEN` for one they may not list. */
export function staffView(auth: StaffAuth, view: ThreadView | undefined): ThreadView {
  const v = view ?? (auth.role === "supervisor" ? "all" : "mine");
  if (v === "intake" && auth.role !== "supervisor" && !auth.intakeReader) {
    throw new AppError("FORBIDDEN", "the intake queue is for intake readers and supervisors");
  }
  if (v === "all" && auth.role !== "supervisor")
    throw new AppError("FORBIDDEN", "only supervisors see all threads");
  return v;
}
