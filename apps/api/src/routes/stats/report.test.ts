// The annual report (issue 13 part 4): a supervisor signs the year's suppressed aggregates, the server
// checks signer and suppression, and the operator's network table reads only verified reports (exact
// rows and CSV for a scripted year); a changed or wrongly signed report is refused, never counted.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type GrantBytes,
  generateRootKey,
  type HelplineId,
  type MemberId,
  openGrantKeyForCounting,
  openSurveyRecord,
  parseRoster,
  type RosterMember,
  sealSurveyRecord,
  signAnnualReport,
  signRoster,
  type ThreadId,
} from "@briefgeheim/crypto";
import {
  ANNUAL_FIGURES,
  type AnnualReportInput,
  canonicalJson,
  SURVEY_QUESTION_IDS,
  SURVEY_QUESTIONS,
  suppressAnnualReport,
} from "@briefgeheim/protocol";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main as adminMain } from "../../admin.js";
import { readHelplinePin, writePin } from "../../admin-pin.js";
import { networkCsv, networkReport, networkTable, type Pins } from "../../admin-report.js";
import { annualReports, helplines, rosters } from "../../db/schema.js";
import { countDay } from "../../services/stats.js";
import { createWorld, type HelplineFixture, type Staff, type World } from "../../testing/harness.js";

let w: World;
let h: HelplineFixture;

beforeEach(async () => {
  w = await createWorld();
  w.clock.t = Date.UTC(2026, 5, 1, 8);
  h = await w.setupHelpline("alpha", 1);
});
afterEach(async () => {
  await w.cleanup();
});

const REASONS = [
  "anonymity",
  "anonymity",
  "anonymity",
  "anonymity",
  "anonymity",
  "anonymity",
  "anonymity",
].concat(["prefer-writing", "prefer-writing", "prefer-writing", "own-time", "own-time"]);

/** 12 conversations in June 2026, each with answers (reason always, age for 5), plus a busy March day. */
async function scriptedYear() {
  for (let i = 0; i < 12; i++) {
    const s = await w.newSeeker(h.id);
    const t = await w.openNewThread(h, s);
    const answers: Record<string, string> = { reason: REASONS[i]! };
    if (i < 5) answers.age = "16-18";
    const record = sealSurveyRecord(
      w.sodium,
      { helplineId: h.id as HelplineId, threadId: t.threadId as ThreadId, epoch: 0 },
      t.keys.key,
      answers,
      w.random,
    );
    const res = await w.request("PUT", `/api/stats/answers/${t.threadId}`, {
      cookie: s.cookie,
      body: { record: w.b64(record) },
    });
    expect(res.status).toBe(200);
  }
  await w.writer.run((tx) =>
    countDay(tx, h.id, Date.UTC(2026, 2, 10, 12), {
      conversations: 100,
      seekerMessages: 250,
      staffMessages: 240,
      firstReplies: 90,
      firstInTime: 81,
      closed: 5,
    }),
  );
}

/** What the staff app computes: the year's figures from the API and the answers opened with the grants. */
async function reportInput(who: Staff): Promise<AnnualReportInput> {
  const stats = await w.request("GET", "/api/stats?from=2026-01-01&to=2026-12-31", { cookie: who.cookie });
  const figures = Object.fromEntries(ANNUAL_FIGURES.map((f) => [f, 0])) as Record<string, number>;
  for (const d of stats.body.days) for (const f of ANNUAL_FIGURES) figures[f]! += d[f];
  const answers = await w.request("GET", "/api/stats/answers?from=2026-01-01&to=2026-12-31", {
    cookie: who.cookie,
  });
  const questions = Object.fromEntries(
    SURVEY_QUESTION_IDS.map((q) => [
      q,
      { answered: 0, counts: Object.fromEntries(SURVEY_QUESTIONS[q].map((a) => [a, 0])) },
    ]),
  ) as Record<string, { answered: number; counts: Record<string, number> }>;
  for (const item of answers.body.items) {
    const ctx = { helplineId: h.id as HelplineId, threadId: item.threadId as ThreadId, epoch: 0 };
    const key = openGrantKeyForCounting(w.sodium, w.crypto.bytes(item.grant) as GrantBytes, ctx, who.box);
    for (const [q, a] of Object.entries(openSurveyRecord(w.sodium, w.crypto.bytes(item.record), ctx, key))) {
      questions[q]!.answered++;
      questions[q]!.counts[a]!++;
    }
  }
  return {
    helplineName: "Hulplijn Alpha",
    year: 2026,
    replyTimeHours: stats.body.replyTimeHours,
    figures: figures as AnnualReportInput["figures"],
    survey: {
      records: answers.body.items.length,
      questions: questions as AnnualReportInput["survey"]["questions"],
    },
  };
}

/** The operator's pins as `npm run admin -- helpline pin` writes them now (the fingerprint compared). */
async function pinsNow(...slugs: string[]): Promise<Pins> {
  const pins: Record<string, unknown> = {};
  for (const slug of slugs) {
    const pin = await readHelplinePin(w.db, slug);
    pins[pin.helplineId] = pin.entry;
  }
  return pins;
}

function sign(content: unknown, who: Staff, year = 2026, rosterVersion = h.roster.version) {
  return w.b64(
    signAnnualReport(
      w.sodium,
      {
        helplineId: h.id as HelplineId,
        year,
        rosterVersion,
        issuedAt: w.clock.now(),
        content: canonicalJson(content),
      },
      who.signing,
    ),
  );
}

function publish(report: string, who: Staff, year = 2026) {
  return w.request("PUT", `/api/stats/reports/${year}`, { cookie: who.cookie, body: { report } });
}

describe("annual report", () => {
  it("published by a supervisor, read by the operator as an exact network table and CSV", async () => {
    await scriptedYear();
    const content = suppressAnnualReport(await reportInput(h.supervisor));
    expect(content.figures).toMatchObject({
      conversations: 112,
      seekerMessages: 262,
      firstReplies: 90,
      closed: "<10",
    });
    expect(content.firstInTimePercent).toBe(90);
    expect(content.survey.questions.reason.percent).toEqual({
      anonymity: 58.3,
      "prefer-writing": 25,
      "own-time": 16.7,
      other: 0,
    });
    expect(content.survey.questions.age).toEqual({ answered: "<10", percent: null });
    expect((await publish(sign(content, h.supervisor), h.supervisor)).status).toBe(200);
    const listed = await w.request("GET", "/api/stats/reports", { cookie: h.supervisor.cookie });
    expect(listed.body.reports.map((r: { year: number }) => r.year)).toEqual([2026]);

    const beta = await w.setupHelpline("beta", 2);
    const report = await networkReport(w.db, 2026, await pinsNow(h.slug, beta.slug));
    expect(report.refused).toEqual([]);
    expect(report.missing).toEqual([beta.slug]);
    expect(networkTable(report)).toEqual([
      [
        "helpline",
        "conversations",
        "server count",
        "messages from help-seekers",
        "first reply in time %",
        "survey answers",
        "anonymity %",
        "prefers writing %",
        "own time %",
        "girl/woman %",
      ],
      ["Hulplijn Alpha", "112", "112", "262", "90", "12", "58.3", "25", "16.7", ""],
      ["network", "112", "112", "262", "", "", "58.3", "25", "16.7", ""],
    ]);
    const csv = networkCsv(report);
    expect(csv.startsWith("\uFEFFhelpline;conversations;server count;")).toBe(true);
    expect(csv.split("\r\n")[1]).toBe("Hulplijn Alpha;112;112;262;90;12;58,3;25;16,7;");
  });

  it("the server refuses other signers and unsuppressed content; the operator refuses altered reports", async () => {
    await scriptedYear();
    const content = suppressAnnualReport(await reportInput(h.supervisor));
    const ines = await w.addStaff(h, "Ines", "counsellor", true);
    expect((await publish(sign(content, ines), ines)).status).toBe(403);
    const wendy = await w.addStaff(h, "Wendy", "supervisor");
    const other = await publish(sign(content, wendy), h.supervisor);
    expect([other.status, other.body.error.code]).toEqual([422, "SIGNER_NOT_ALLOWED"]);
    const leaky = await publish(
      sign({ ...content, figures: { ...content.figures, closed: 5 } }, h.supervisor),
      h.supervisor,
    );
    expect([leaky.status, leaky.body.error.code]).toEqual([400, "VALIDATION_FAILED"]);
    const wrongYear = await publish(sign(content, h.supervisor, 2025), h.supervisor);
    expect([wrongYear.status, wrongYear.body.error.code]).toEqual([422, "WRONG_CONTEXT"]);
    expect(
      (await w.request("GET", "/api/stats/reports", { cookie: h.supervisor.cookie })).body.reports,
    ).toEqual([]);

    // A report that the database changes after publishing, or one a counsellor signed, is refused.
    expect((await publish(sign(content, h.supervisor), h.supervisor)).status).toBe(200);
    await w.writer.run(async (tx) => {
      const [row] = await tx.select().from(annualReports);
      const bytes = Buffer.from(row!.bytes);
      const at = bytes.indexOf(Buffer.from('"conversations":112'));
      bytes.write('"conversations":912', at);
      await tx.update(annualReports).set({ bytes });
    });
    const pins = await pinsNow(h.slug);
    expect((await networkReport(w.db, 2026, pins)).refused).toEqual([
      { slug: h.slug, reason: "BAD_SIGNATURE" },
    ]);
    const forged = Buffer.from(w.crypto.bytes(sign(content, ines)));
    await w.writer.run((tx) => tx.update(annualReports).set({ bytes: forged }));
    const r = await networkReport(w.db, 2026, pins);
    expect(r.refused).toEqual([{ slug: h.slug, reason: "SIGNER_NOT_ALLOWED" }]);
    expect(r.rows).toEqual([]);
  });

  it("npm run admin -- report --year prints the table and writes the CSV; a refused report sets exit 3", async () => {
    await scriptedYear();
    const content = suppressAnnualReport(await reportInput(h.supervisor));
    expect((await publish(sign(content, h.supervisor), h.supervisor)).status).toBe(200);
    const lines: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => {
      lines.push(a.map(String).join(" "));
    });
    const saved = {
      url: process.env.DATABASE_URL,
      code: process.exitCode,
      pins: process.env.BRIEFGEHEIM_PINS_FILE,
    };
    process.env.DATABASE_URL = `file:${w.db.file}`;
    const csv = join(w.db.dir, "network.csv");
    const pinsFile = join(w.db.dir, "pins.json");
    writePin(pinsFile, await readHelplinePin(w.db, h.slug));
    process.env.BRIEFGEHEIM_PINS_FILE = pinsFile;
    try {
      await adminMain(["report", "--year", "2026", "--csv", csv]);
      expect(process.exitCode ?? 0).toBe(0);
      expect(lines[0]).toBe("annual table 2026: 1 published and verified report(s)");
      expect(
        lines.some((l) => /^Hulplijn Alpha\s+112\s+112\s+262\s+90\s+12\s+58\.3\s+25\s+16\.7/.test(l)),
      ).toBe(true);
      expect(readFileSync(csv, "utf8").split("\r\n")[1]).toBe(
        "Hulplijn Alpha;112;112;262;90;12;58,3;25;16,7;",
      );
      await w.writer.run(async (tx) => {
        const [row] = await tx.select().from(annualReports);
        const bytes = Buffer.from(row!.bytes);
        bytes[bytes.length - 1]! ^= 1;
        await tx.update(annualReports).set({ bytes });
      });
      await adminMain(["report", "--year", "2026", "--csv", csv]);
      expect(process.exitCode).toBe(3);
      expect(lines).toContain(`REFUSED ${h.slug}: BAD_SIGNATURE`);
      // With no pins file, nothing can be verified: the helpline is listed as refused, not counted.
      process.env.BRIEFGEHEIM_PINS_FILE = join(w.db.dir, "no-pins.json");
      process.exitCode = 0;
      lines.length = 0;
      await adminMain(["report", "--year", "2026", "--csv", csv]);
      expect(process.exitCode).toBe(3);
      expect(lines[0]).toBe("annual table 2026: 0 published and verified report(s)");
      expect(lines).toContain(
        `REFUSED ${h.slug}: NOT_PINNED: no root of ${h.slug} is pinned in the pins file, so its report cannot be verified (npm run admin -- helpline pin ${h.slug})`,
      );
    } finally {
      log.mockRestore();
      if (saved.pins === undefined) delete process.env.BRIEFGEHEIM_PINS_FILE;
      else process.env.BRIEFGEHEIM_PINS_FILE = saved.pins;
      process.env.DATABASE_URL = saved.url;
      process.exitCode = saved.code;
    }
  });

  it("a supervisor removed since cannot have a report counted, even one naming the roster they were on", async () => {
    await scriptedYear();
    const content = suppressAnnualReport(await reportInput(h.supervisor));
    const wendy = await w.addStaff(h, "Wendy", "supervisor");
    const onV2 = h.roster.version;
    // Wendy publishes while a supervisor: accepted by the server and counted by the operator.
    expect((await publish(sign(content, wendy), wendy)).status).toBe(200);
    expect((await networkReport(w.db, 2026, await pinsNow(h.slug))).rows).toHaveLength(1);
    await w.publishRoster(h, { remove: [wendy.memberId as MemberId] });
    // The server keeps (or stores anew) a report Wendy signs after her removal, naming roster 2.
    const inflated = { ...content, figures: { ...content.figures, conversations: 912 } };
    const late = Buffer.from(w.crypto.bytes(sign(inflated, wendy, 2026, onV2)));
    await w.writer.run((tx) => tx.update(annualReports).set({ bytes: late }));
    const pins = await pinsNow(h.slug);
    const r = await networkReport(w.db, 2026, pins);
    expect(r.refused).toEqual([{ slug: h.slug, reason: "SIGNER_NOT_ALLOWED" }]);
    expect(r.rows).toEqual([]);
    // A current supervisor's report naming the first roster still counts.
    expect((await publish(sign(content, h.supervisor, 2026, 1), h.supervisor)).status).toBe(200);
    const ok = await networkReport(w.db, 2026, pins);
    expect([ok.refused, ok.rows.map((row) => row.conversations)]).toEqual([[], [112]]);
  });

  it("a chain from another root, listed by the database, is refused against the pinned root; an unpinned helpline too", async () => {
    await scriptedYear();
    const content = suppressAnnualReport(await reportInput(h.supervisor));
    expect((await publish(sign(content, h.supervisor), h.supervisor)).status).toBe(200);
    const pins = await pinsNow(h.slug);
    expect((await networkReport(w.db, 2026, pins)).rows).toHaveLength(1);
    expect((await networkReport(w.db, 2026, {})).refused).toEqual([
      {
        slug: h.slug,
        reason: `NOT_PINNED: no root of ${h.slug} is pinned in the pins file, so its report cannot be verified (npm run admin -- helpline pin ${h.slug})`,
      },
    ]);
    // The server's own root, roster and supervisor, with the database's root entry changed to match.
    const root = generateRootKey(w.sodium, w.random);
    const sign2 = w.sodium.crypto_sign_keypair();
    const box = w.sodium.crypto_box_keypair();
    const fake = {
      memberId: h.supervisor.memberId as MemberId,
      role: "supervisor",
      intakeReader: false,
      signPk: sign2.publicKey,
      boxPk: box.publicKey,
      displayName: "Vera",
    } as RosterMember;
    const bytes = signRoster(
      w.sodium,
      {
        helplineId: h.id as HelplineId,
        version: 1,
        prevHash: new Uint8Array(32),
        issuedAt: w.clock.now(),
        members: [fake],
      },
      root.keyPair,
    );
    const inflated = { ...content, figures: { ...content.figures, conversations: 912 } };
    const report = signAnnualReport(
      w.sodium,
      {
        helplineId: h.id as HelplineId,
        year: 2026,
        rosterVersion: 1,
        issuedAt: w.clock.now(),
        content: canonicalJson(inflated),
      },
      { publicKey: sign2.publicKey, secretKey: sign2.privateKey } as Staff["signing"],
    );
    await w.writer.run(async (tx) => {
      await tx.delete(rosters).where(eq(rosters.helplineId, h.id));
      await tx.insert(rosters).values({
        helplineId: h.id,
        version: 1,
        bytes: Buffer.from(bytes),
        hash: Buffer.from(parseRoster(w.sodium, bytes).hash),
        createdAt: w.clock.now(),
      });
      await tx
        .update(helplines)
        .set({ rootPk: w.b64(root.keyPair.publicKey) })
        .where(eq(helplines.id, h.id));
      await tx.update(annualReports).set({ bytes: Buffer.from(report) });
    });
    const r = await networkReport(w.db, 2026, pins);
    expect(r.refused).toEqual([
      { slug: h.slug, reason: "ROSTER_WRONG_ROOT: the first roster is not signed by the pinned root" },
    ]);
    expect(r.rows).toEqual([]);
  });
});
