/**
 * Statistics (issue 13; docs/STAFF.md "Statistieken", docs/PROTOCOL.md §13):
 * - `GET /api/stats?from&to`: a helpline's daily figures and workload (supervisors; metadata only).
 * - `GET|PUT /api/stats/questions`: which survey questions the helpline asks (read: anyone signed in to
 *   the helpline; change: supervisors).
 * - `PUT /api/stats/answers/:threadId`: the help-seeker's sealed answers (type 0x09), once per conversation.
 * - `GET /api/stats/answers?from&to&after`: the sealed answers with what the caller needs to open them
 *   (supervisors); aggregated in the browser.
 * - `PUT /api/stats/reports/:year`, `GET /api/stats/reports`: the helpline's signed annual reports
 *   (type 0x0a, supervisors), read by the operator's `npm run admin -- report --year`.
 */

import { type HelplineId, parseSurveyRecord, type Roster, verifyAnnualReport } from "@briefgeheim/crypto";
import {
  annualReportContentSchema,
  annualReportYearParamSchema,
  idSchema,
  LIMITS,
  putAnnualReportRequestSchema,
  putSurveyRequestSchema,
  SURVEY_ANSWERS_NEXT_HEADER,
  SURVEY_ANSWERS_PAGE,
  SURVEY_QUESTION_IDS,
  statsQuerySchema,
  surveyAnswersQuerySchema,
  surveySettingsSchema,
} from "@briefgeheim/protocol";
import { and, asc, eq, gt, lte, or, sql } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { annualReports, grants, rosters, surveyAnswers, surveySettings } from "../../db/schema.js";
import type { AppEnv, Deps } from "../../deps.js";
import { AppError } from "../../errors.js";
import { bodyLimit } from "../../middleware/body-limit/index.js";
import { requireRole, sessionAuth } from "../../middleware/session/index.js";
import { DAY_MS } from "../../services/stats.js";
import { dayNumber, readStats } from "../../services/stats-read.js";
import { getHelpline, loadVisibleThread } from "../../services/threads.js";
import { validate } from "../../validate.js";

export function statsRoutes(deps: Deps) {
  const supervisor = requireRole("supervisor");
  const anyone = requireRole("seeker", "counsellor", "supervisor");
  return new Hono<AppEnv>()
    .use(sessionAuth(deps))
    .get("/", supervisor, validate("query", statsQuerySchema), async (c) => {
      const helpline = await getHelpline(deps.db.read, c.var.auth.helplineId);
      if (helpline === undefined) throw new AppError("NOT_FOUND", "no such helpline");
      return c.json(
        await readStats(deps.db.read, helpline.id, helpline.replyTimeHours, c.req.valid("query")),
        200,
      );
    })
    .get("/questions", anyone, async (c) => {
      const row = (
        await deps.db.read
          .select({ questions: surveySettings.questions })
          .from(surveySettings)
          .where(eq(surveySettings.helplineId, c.var.auth.helplineId))
      )[0];
      // Until a supervisor chooses, every question is asked (each can be skipped).
      const questions =
        row === undefined
          ? SURVEY_QUESTION_IDS
          : surveySettingsSchema.parse({ questions: JSON.parse(row.questions) }).questions;
      return c.json({ questions }, 200);
    })
    .put(
      "/questions",
      bodyLimit(LIMITS.body.small),
      supervisor,
      validate("json", surveySettingsSchema),
      async (c) => {
        const { questions } = c.req.valid("json");
        const now = deps.clock.now();
        const helplineId = c.var.auth.helplineId;
        await deps.writer.run((tx) =>
          tx
            .insert(surveySettings)
            .values({ helplineId, questions: JSON.stringify(questions), updatedAt: now })
            .onConflictDoUpdate({
              target: surveySettings.helplineId,
              set: { questions: JSON.stringify(questions), updatedAt: now },
            }),
        );
        return c.json({ questions }, 200);
      },
    )
    .put(
      "/answers/:threadId",
      bodyLimit(LIMITS.body.small),
      requireRole("seeker"),
      validate("param", z.object({ threadId: idSchema })),
      validate("json", putSurveyRequestSchema),
      async (c) => {
        const auth = c.var.auth;
        const { thread } = await loadVisibleThread(deps.db.read, auth, c.req.valid("param").threadId);
        const crypto = await deps.crypto();
        const bytes = Buffer.from(crypto.bytes(c.req.valid("json").record));
        const rec = parseSurveyRecord(crypto.sodium, bytes);
        if (rec.helplineId !== thread.helplineId || rec.threadId !== thread.id || rec.epoch !== 0) {
          throw new AppError("WRONG_CONTEXT", "the answers belong to epoch 0 of this conversation");
        }
        const now = deps.clock.now();
        await deps.writer.run(async (tx) => {
          const stored = await tx
            .select({ bytes: surveyAnswers.bytes })
            .from(surveyAnswers)
            .where(eq(surveyAnswers.threadId, thread.id));
          if (stored[0] !== undefined) {
            // A retry of the same answers is fine; other answers for the same conversation are not.
            if (Buffer.from(stored[0].bytes).equals(bytes)) return;
            throw new AppError("IDEMPOTENCY_CONFLICT", "this conversation's answers are stored already");
          }
          await tx
            .insert(surveyAnswers)
            .values({ threadId: thread.id, helplineId: thread.helplineId, bytes, createdAt: now });
        });
        return c.json({ stored: true as const }, 200);
      },
    )
    .put(
      "/reports/:year",
      bodyLimit(LIMITS.body.small),
      supervisor,
      validate("param", annualReportYearParamSchema),
      validate("json", putAnnualReportRequestSchema),
      async (c) => {
        const auth = c.var.auth;
        if (auth.kind !== "staff") throw new AppError("FORBIDDEN", "staff only");
        const year = c.req.valid("param").year;
        const crypto = await deps.crypto();
        const bytes = Buffer.from(crypto.bytes(c.req.valid("json").report));
        // The caller's own signature, on a roster this helpline has, as a supervisor on it and on the newest.
        const stored = await deps.db.read
          .select({ version: rosters.version, bytes: rosters.bytes })
          .from(rosters)
          .where(eq(rosters.helplineId, auth.helplineId));
        const byVersion = new Map<number, Roster>(
          stored.map((r) => [r.version, crypto.parseRoster(new Uint8Array(r.bytes))]),
        );
        // The signer must still be a supervisor on the newest roster, whichever version the report names.
        const newest = byVersion.get(Math.max(0, ...byVersion.keys()));
        if (newest === undefined) throw new AppError("SIGNER_NOT_ALLOWED", "the helpline has no roster");
        const report = verifyAnnualReport(crypto.sodium, bytes, {
          helplineId: auth.helplineId as HelplineId,
          year,
          rosters: (v) => byVersion.get(v),
          newest,
        });
        if (crypto.b64(report.signerPk) !== auth.signPk) {
          throw new AppError("SIGNER_NOT_ALLOWED", "publish a report signed with your own key");
        }
        let content: unknown;
        try {
          content = JSON.parse(report.content);
        } catch {
          throw new AppError("VALIDATION_FAILED", "report: content is not JSON");
        }
        const parsed = annualReportContentSchema.safeParse(content);
        if (!parsed.success || parsed.data.year !== year) {
          throw new AppError(
            "VALIDATION_FAILED",
            "report: content breaks the suppression rules or names another year",
          );
        }
        const now = deps.clock.now();
        await deps.writer.run((tx) =>
          tx
            .insert(annualReports)
            .values({ helplineId: auth.helplineId, year, bytes, signerPk: auth.signPk, createdAt: now })
            .onConflictDoUpdate({
              target: [annualReports.helplineId, annualReports.year],
              set: { bytes, signerPk: auth.signPk, createdAt: now },
            }),
        );
        return c.json({ year, stored: true as const }, 200);
      },
    )
    .get("/reports", supervisor, async (c) => {
      const rows = await deps.db.read
        .select()
        .from(annualReports)
        .where(eq(annualReports.helplineId, c.var.auth.helplineId))
        .orderBy(asc(annualReports.year));
      return c.json(
        {
          reports: rows.map((r) => ({
            year: r.year,
            report: Buffer.from(r.bytes).toString("base64url"),
            createdAt: r.createdAt,
          })),
        },
        200,
      );
    })
    .get("/answers", supervisor, validate("query", surveyAnswersQuerySchema), async (c) => {
      const auth = c.var.auth;
      if (auth.kind !== "staff") throw new AppError("FORBIDDEN", "staff only");
      const q = c.req.valid("query");
      const from = dayNumber(q.from) * DAY_MS;
      const to = (dayNumber(q.to) + 1) * DAY_MS - 1;
      let cursor = { at: from, id: "" };
      if (q.after !== undefined) {
        const [at, id] = q.after.split(".");
        cursor = { at: Number(at), id: id! };
      }
      const rows = await deps.db.read
        .select({
          threadId: surveyAnswers.threadId,
          createdAt: surveyAnswers.createdAt,
          record: surveyAnswers.bytes,
          grant: grants.bytes,
        })
        .from(surveyAnswers)
        .leftJoin(
          grants,
          and(
            eq(grants.threadId, surveyAnswers.threadId),
            eq(grants.epoch, 0),
            eq(grants.recipientBoxPk, auth.boxPk),
          ),
        )
        .where(
          and(
            eq(surveyAnswers.helplineId, auth.helplineId),
            lte(surveyAnswers.createdAt, to),
            or(
              gt(surveyAnswers.createdAt, cursor.at),
              and(eq(surveyAnswers.createdAt, cursor.at), gt(surveyAnswers.threadId, cursor.id)),
            ),
            sql`${surveyAnswers.createdAt} >= ${from}`,
          ),
        )
        .orderBy(asc(surveyAnswers.createdAt), asc(surveyAnswers.threadId))
        .limit(SURVEY_ANSWERS_PAGE + 1);
      const page = rows.slice(0, SURVEY_ANSWERS_PAGE);
      const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64url");
      const last = page.at(-1);
      const next = rows.length > SURVEY_ANSWERS_PAGE && last ? `${last.createdAt}.${last.threadId}` : null;
      // The cursor also in a header: the staff app reads only the header and hands the body, unparsed,
      // to a worker that checks it equals the body's `next` (PROTOCOL.md §13).
      if (next !== null) c.header(SURVEY_ANSWERS_NEXT_HEADER, next);
      return c.json(
        {
          items: page.map((r) => ({
            threadId: r.threadId,
            createdAt: r.createdAt,
            record: b64(r.record),
            grant: r.grant === null ? null : b64(r.grant),
          })),
          next,
        },
        200,
      );
    });
}
