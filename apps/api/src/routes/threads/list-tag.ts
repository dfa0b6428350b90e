import { createHash } from "node:crypto";
import { LIMITS, type ThreadView, type threadsQuerySchema } from "@briefgeheim/protocol";
import type { MiddlewareHandler } from "hono";
import type { z } from "zod";
import type { AppEnv, Deps, StaffAuth } from "../../deps.js";
import { decodeThreadCursor, getHelpline, type HelplineRow } from "../../services/threads.js";
import { staffView } from "./list-page.js";

/** Changes whenever what goes into the tag changes, so a tag of another format never matches. */
const FORMAT = "staff-list-v1";

/**
 * The ETag of one page of a staff inbox view, made without reading the page (issue 14: the refresh
 * with nothing new). `listVersion` is renewed by triggers on every write to the helpline's threads,
 * their readers and the helpline row (migration 0011); everything else the answer depends on is the
 * caller and the query: who (member id, helpline), their role and intake flag (which views they may
 * list and what the default is), and the normalised view, cursor and page size. Nothing in a staff
 * page depends on the clock (summaries carry stored times; expired threads stay listed until the
 * retention run deletes them, which renews the value).
 *
 * The value is random and 53 bits wide, and only its hash leaves the server: a tag says that something
 * in the helpline's lists changed, never what or how often.
 *
 * @example
 * const tag = staffListTag(helpline, auth, { view: "mine", cursor: undefined, limit: 200 });
 */
export function staffListTag(
  helpline: { readonly id: string; readonly listVersion: number },
  auth: StaffAuth,
  query: { readonly view: ThreadView; readonly cursor: string | undefined; readonly limit: number },
): string {
  const input = JSON.stringify([
    FORMAT,
    helpline.listVersion,
    helpline.id,
    auth.memberId,
    auth.role,
    auth.intakeReader,
    query.view,
    query.cursor ?? null,
    query.limit,
  ]);
  return `"${createHash("sha256").update(input).digest("base64url")}"`;
}

/**
 * Whether `If-None-Match` names `tag`, read as hono/etag reads it (which the help-seekers' list still
 * uses): `*`, or any quoted tag in the list, a `W/` prefix ignored. Anything else, malformed or not,
 * is simply no match: the full page follows.
 */
export function ifNoneMatchNames(header: string | undefined, tag: string): boolean {
  if (header === undefined) return false;
  if (header === "*") return true;
  return header.match(/"[^"]*"/g)?.includes(tag) ?? false;
}

/** What `listValidator` leaves for the list's handler: the helpline row it read (its reply time). */
type ListEnv = AppEnv & { Variables: { listHelpline: HelplineRow | undefined } };

/**
 * GET /api/threads before its page is read: refusals first (a view the caller may not list, a bad
 * cursor: never a 304 for those), then the helpline row (one point read), then, for staff, `304` with
 * the tag if `If-None-Match` names it; otherwise the tag is set on the page the handler builds.
 * A middleware rather than a branch of the handler, so the typed client (hc) still sees only the JSON.
 */
export function listValidator(
  deps: Deps,
): MiddlewareHandler<ListEnv, string, { out: { query: z.infer<typeof threadsQuerySchema> } }> {
  return async (c, next) => {
    const auth = c.var.auth;
    const { view, cursor, limit = LIMITS.pageDefault } = c.req.valid("query");
    const staff = auth.kind === "staff" ? { auth, view: staffView(auth, view) } : undefined;
    decodeThreadCursor(cursor);
    // Read BEFORE the page: a write landing in between can only make the tag older than the page it
    // is sent with, so the next refresh gets the page again; never a new tag on an old page.
    const helpline = await getHelpline(deps.db.read, auth.helplineId);
    c.set("listHelpline", helpline);
    if (staff !== undefined && helpline !== undefined) {
      const tag = staffListTag(helpline, staff.auth, { view: staff.view, cursor, limit });
      if (ifNoneMatchNames(c.req.header("If-None-Match"), tag)) return c.body(null, 304, { ETag: tag });
      c.header("ETag", tag);
    }
    await next();
  };
}
