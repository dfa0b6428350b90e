import { createHash } from "node:crypto";
import { LIMITS, type ThreadView, type threadsQuerySchema } from "@briefgeheim/protocol";
import type { MiddlewareHandler } from "hono";
import type { z } from "zod";
import type { AppEnv, Deps, StaffAuth } from "../../deps.js";
import { decodeThreadCursor, getHelpline, type HelplineRow } from "../../services/threads.js";
import { staffView } from "./list-page.js";

/** Changes whenever what goes into the version part changes, so no tag of another format matches it. */
const FORMAT = "staff-list-v1";

/** A staff tag: `"<version part>.<body part>"`, each 128 bits of SHA-256 in base64url. */
const STAFF_TAG = /^"([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})"$/;

const half = (data: string | Uint8Array) =>
  createHash("sha256").update(data).digest("base64url").slice(0, 22);

/**
 * The version part of a staff inbox page's ETag, made without reading the page (issue 14: the refresh
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
 * const part = versionPart(helpline, auth, { view: "mine", cursor: undefined, limit: 200 });
 */
export function versionPart(
  helpline: { readonly id: string; readonly listVersion: number },
  auth: StaffAuth,
  query: { readonly view: ThreadView; readonly cursor: string | undefined; readonly limit: number },
): string {
  return half(
    JSON.stringify([
      FORMAT,
      helpline.listVersion,
      helpline.id,
      auth.memberId,
      auth.role,
      auth.intakeReader,
      query.view,
      query.cursor ?? null,
      query.limit,
    ]),
  );
}

/**
 * The staff tags `If-None-Match` names, read as hono/etag reads the header (which the help-seekers'
 * list still uses): every quoted tag, a `W/` prefix ignored. Anything else, malformed or foreign, is
 * left out: it matches nothing and the full page follows.
 */
function staffTagsIn(header: string | undefined): { tag: string; version: string; body: string }[] {
  return (header?.match(/"[^"]*"/g) ?? []).flatMap((tag) => {
    const m = STAFF_TAG.exec(tag);
    return m === null ? [] : [{ tag, version: m[1]!, body: m[2]! }];
  });
}

/** What `listValidator` leaves for the list's handler: the helpline row it read (its reply time). */
type ListEnv = AppEnv & { Variables: { listHelpline: HelplineRow | undefined } };

/**
 * GET /api/threads around its handler. Refusals first (a view the caller may not list, a bad cursor:
 * never a 304 for those), then the helpline row (one point read). Staff then get `304` at once, the
 * page unread, when `If-None-Match` names a tag with the current version part: no write to any list of
 * the helpline since, so its body part is the page's too. Otherwise the page is built, and a tag whose
 * body part is the page's hash still gets `304` (with the new tag): a write elsewhere in the helpline
 * costs the old price (build and hash), not a page the client already holds.
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
    // Read BEFORE the page: a write landing in between can only make the version part older than the
    // page it is sent with, so the next refresh builds the page again; never a new version on an old page.
    const helpline = await getHelpline(deps.db.read, auth.helplineId);
    c.set("listHelpline", helpline);
    if (staff === undefined || helpline === undefined) return next();
    const version = versionPart(helpline, staff.auth, { view: staff.view, cursor, limit });
    const header = c.req.header("If-None-Match");
    const sent = staffTagsIn(header);
    const current = sent.find((t) => t.version === version);
    if (current !== undefined) return c.body(null, 304, { ETag: current.tag });
    await next();
    if (!c.res.ok) return;
    const tag = `"${version}.${half(new Uint8Array(await c.res.clone().arrayBuffer()))}"`;
    if (header === "*" || sent.some((t) => `"${version}.${t.body}"` === tag)) {
      await c.res.body?.cancel();
      c.res = new Response(null, { status: 304, headers: { ETag: tag } });
      return;
    }
    c.res.headers.set("ETag", tag);
  };
}
