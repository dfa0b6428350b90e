import { LIMITS } from "@briefgeheim/protocol";
import { eq, sql } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Db } from "../../db/client.js";
import { prepared } from "../../db/prepared.js";
import { members, sessions } from "../../db/schema.js";
import type { AppEnv, Auth, Deps } from "../../deps.js";
import { random, sha256, toB64 } from "../../deps.js";
import { AppError } from "../../errors.js";

/** The cookie is `__Host-bg_session` (the `host` prefix adds `__Host-`). */
export const SESSION_COOKIE = "bg_session";
export const SESSION_COOKIE_FULL = "__Host-bg_session";

/** Only refresh `last_seen_at` when it is older than this (one write per minute per session, not per request). */
export const TOUCH_AFTER_MS = 60_000;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The hash under which a session token is stored (SHA-256 of its text). */
export function tokenHash(token: string): Buffer {
  return sha256(token);
}

/** A new random 32-byte session token (base64url). */
export function newSessionToken(): string {
  return toB64(random(32));
}

/** Sets the session cookie: HttpOnly, Secure, SameSite=Strict, Path=/, no Max-Age (ends with the browser session). */
export function setSessionCookie(c: Context, token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    prefix: "host",
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    path: "/",
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, {
    prefix: "host",
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    path: "/",
  });
}

export function idleMsFor(kind: "seeker" | "staff"): number {
  return kind === "seeker" ? LIMITS.session.seekerIdleMs : LIMITS.session.staffIdleMs;
}

export function absoluteMsFor(kind: "seeker" | "staff"): number {
  return kind === "seeker" ? LIMITS.session.seekerAbsoluteMs : LIMITS.session.staffAbsoluteMs;
}

/**
 * Requires a valid session: sets `c.var.auth`. `401 UNAUTHENTICATED` without a (known) cookie,
 * `401 SESSION_EXPIRED` after the idle or absolute expiry (the session row is deleted), `403
 * ACCOUNT_REMOVED` for a staff member no longer on the roster (the revoked session is kept until it
 * expires, so every request of it says so). Also counts the request against the per-session rate limit.
 *
 * @example
 * app.get("/api/auth/session", sessionAuth(deps), (c) => c.json(c.var.auth.role));
 */
export function sessionAuth(deps: Deps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE, "host");
    if (token === undefined || !TOKEN.test(token)) throw new AppError("UNAUTHENTICATED", "sign in first");
    const hash = tokenHash(token);
    const rows = await sessionLookup(deps.db.read).all({ hash });
    const row = rows[0];
    if (row === undefined) {
      clearSessionCookie(c);
      throw new AppError("UNAUTHENTICATED", "sign in first");
    }
    const s = row.session;
    const now = deps.clock.now();
    const idleMs = idleMsFor(s.kind);
    if (now >= s.expiresAt || now - s.lastSeenAt >= idleMs) {
      await deps.writer.run((tx) => tx.delete(sessions).where(eq(sessions.tokenHash, hash)));
      clearSessionCookie(c);
      throw new AppError("SESSION_EXPIRED", "the session expired; sign in again");
    }
    if (s.revokedReason === "account-removed") {
      // Kept (and the cookie left alone) until it expires, so every request of it says why it failed.
      throw new AppError("ACCOUNT_REMOVED", "this account was removed from the helpline");
    }
    let auth: Auth;
    if (s.kind === "seeker") {
      if (s.seekerId === null && s.seekerSignInPk === null) {
        throw new AppError("UNAUTHENTICATED", "sign in first");
      }
      auth = {
        kind: "seeker",
        role: "seeker",
        helplineId: s.helplineId,
        seekerId: s.seekerId,
        pendingSignInPk: s.seekerId === null ? s.seekerSignInPk : null,
        tokenHash: hash,
        expiresAt: s.expiresAt,
        idleMs,
      };
    } else {
      const m = row.member;
      if (m === null) throw new AppError("UNAUTHENTICATED", "sign in first");
      if (m.status === "removed") {
        throw new AppError("ACCOUNT_REMOVED", "this account was removed from the helpline");
      }
      auth = {
        kind: "staff",
        role: m.role,
        status: m.status,
        helplineId: m.helplineId,
        memberId: m.id,
        signPk: m.signPk,
        boxPk: m.boxPk,
        intakeReader: m.intakeReader,
        tokenHash: hash,
        expiresAt: s.expiresAt,
        idleMs,
      };
    }
    await deps.limits.session.take(toB64(hash.subarray(0, 12)));
    if (now - s.lastSeenAt >= TOUCH_AFTER_MS) {
      await deps.writer.run((tx) =>
        tx.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.tokenHash, hash)),
      );
    }
    c.set("auth", auth);
    await next();
  };
}

/** The session and, for staff, the member, by token hash (one prepared statement per request). */
function sessionLookup(db: Db) {
  return prepared(db, "session-lookup", (d) =>
    d
      .select({
        session: {
          kind: sessions.kind,
          helplineId: sessions.helplineId,
          seekerId: sessions.seekerId,
          seekerSignInPk: sessions.seekerSignInPk,
          lastSeenAt: sessions.lastSeenAt,
          expiresAt: sessions.expiresAt,
          revokedReason: sessions.revokedReason,
        },
        member: {
          id: members.id,
          helplineId: members.helplineId,
          role: members.role,
          status: members.status,
          signPk: members.signPk,
          boxPk: members.boxPk,
          intakeReader: members.intakeReader,
        },
      })
      .from(sessions)
      .leftJoin(members, eq(members.id, sessions.memberId))
      .where(eq(sessions.tokenHash, sql.placeholder("hash")))
      .prepare(),
  );
}

type RoleName = Auth["role"];

/**
 * Requires one of `roles` (after `sessionAuth`); staff must be `active` (on the roster). `403 FORBIDDEN`.
 *
 * @example
 * app.post("/api/invites", sessionAuth(deps), requireRole("supervisor"), handler);
 */
export function requireRole(...roles: RoleName[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = c.var.auth;
    if (!roles.includes(auth.role)) throw new AppError("FORBIDDEN", `only for: ${roles.join(", ")}`);
    if (auth.kind === "staff" && auth.status !== "active") {
      throw new AppError("FORBIDDEN", "the account is not on the helpline's roster yet");
    }
    await next();
  };
}
