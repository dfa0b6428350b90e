import { verifyAuditChain } from "@briefgeheim/protocol";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { helplines, threads } from "../../db/schema.js";
import { runMaintenance } from "../../maintenance.js";
import { setHelplineSettings } from "../../operator-settings.js";
import { createWorld, type HelplineFixture, type World } from "../../testing/harness.js";

let w: World;
let h: HelplineFixture;
beforeEach(async () => {
  w = await createWorld();
  h = await w.setupHelpline("alpha", 5);
});
afterEach(async () => {
  await w.cleanup();
});

const DAY = 86_400_000;
const post = (body: unknown, cookie: string | undefined = h.supervisor.cookie, id = h.id) =>
  w.request("POST", `/api/helplines/${id}/settings`, { cookie, body });
const row = async () => (await w.db.read.select().from(helplines).where(eq(helplines.id, h.id)))[0]!;
const auditOf = async () =>
  (await w.request("GET", "/api/audit?limit=200", { cookie: h.supervisor.cookie })).body.entries as {
    action: string;
    actorKind: string;
    actorId: string | null;
    details: Record<string, unknown>;
  }[];

describe("helpline settings (retention, idle lock)", () => {
  it("a supervisor changes them: in force at once, listed, audited with old and new values", async () => {
    const res = await post({ retentionDays: 90, lockAfterMinutes: 5 });
    expect([res.status, res.body]).toEqual([200, { retentionDays: 90, lockAfterMinutes: 5 }]);
    expect(await row()).toMatchObject({ retentionDays: 90, lockAfterMinutes: 5 });
    const listed = (await w.request("GET", "/api/helplines")).body.helplines[0];
    expect(listed).toMatchObject({ retentionDays: 90, lockAfterMinutes: 5 });
    // Only one of them; the same values again write no second entry.
    expect((await post({ lockAfterMinutes: 10 })).body).toEqual({ retentionDays: 90, lockAfterMinutes: 10 });
    expect((await post({ lockAfterMinutes: 10 })).status).toBe(200);
    const entries = await auditOf();
    const changes = entries.filter((e) => e.action === "settings-changed");
    expect(changes.map((e) => [e.actorKind, e.actorId, e.details])).toEqual([
      [
        "staff",
        h.supervisor.memberId,
        { retentionDays: 90, previousRetentionDays: 365, lockAfterMinutes: 5, previousLockAfterMinutes: 15 },
      ],
      [
        "staff",
        h.supervisor.memberId,
        { retentionDays: 90, previousRetentionDays: 90, lockAfterMinutes: 10, previousLockAfterMinutes: 5 },
      ],
    ]);
    expect((await verifyAuditChain(entries as never)).ok).toBe(true);
  });

  it("a shorter retention moves every conversation's expiry: maintenance removes the older ones", async () => {
    const seeker = await w.newSeeker(h.id);
    const t = await w.openNewThread(h, seeker);
    const before = (await w.db.read.select().from(threads).where(eq(threads.id, t.threadId)))[0]!;
    w.clock.advance(3 * DAY);
    expect((await runMaintenance(w.db, w.writer, w.clock)).threads).toBe(0);
    await w.signInStaff(h.supervisor); // three idle days ended the session
    expect((await post({ retentionDays: 2 })).status).toBe(200);
    const after = (await w.db.read.select().from(threads).where(eq(threads.id, t.threadId)))[0]!;
    expect(after.expiresAt - before.expiresAt).toBe((2 - 365) * DAY);
    expect((await runMaintenance(w.db, w.writer, w.clock)).threads).toBe(1);
  });

  it("refuses counsellors, other helplines and bad values, changing nothing (typed 4xx)", async () => {
    const ines = await w.addStaff(h, "Ines", "counsellor");
    expect((await post({ retentionDays: 1 }, ines.cookie)).body.error.code).toBe("FORBIDDEN");
    const anonymous = await w.request("POST", `/api/helplines/${h.id}/settings`, {
      body: { retentionDays: 1 },
    });
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, "UNAUTHENTICATED"]);
    const other = await w.setupHelpline("beta", 6);
    const cross = await post({ retentionDays: 1 }, other.supervisor.cookie);
    expect([cross.status, cross.body.error.code]).toEqual([403, "FORBIDDEN"]);
    for (const bad of [
      {},
      { retentionDays: 0 },
      { retentionDays: 3651 },
      { lockAfterMinutes: 241 },
      { lockAfterMinutes: 1.5 },
      { retentionDays: "30" },
      { retentionDays: 30, name: "Andere naam" },
    ]) {
      const res = await post(bad);
      expect([res.status, res.body.error.code], JSON.stringify(bad)).toEqual([400, "VALIDATION_FAILED"]);
    }
    expect(await row()).toMatchObject({ retentionDays: 365, lockAfterMinutes: 15 });
    expect((await auditOf()).filter((e) => e.action === "settings-changed")).toEqual([]);
  });
});

describe("operator: helpline set", () => {
  it("applies retention and lock at once and stores the profile fields only as a proposal", async () => {
    const crisis = [
      { kind: "phone" as const, labelNl: "Direct gevaar: 112", labelEn: "Danger: 112", target: "112" },
    ];
    const done = await setHelplineSettings(
      w.db,
      "alpha",
      {
        retentionDays: 30,
        replyTimeHours: 24,
        descriptionEn: "Write to us",
        crisisOptions: crisis,
        exitUrl: "https://nu.nl/",
      },
      { writer: w.writer, now: () => w.clock.now() },
    );
    expect(done).toEqual({
      applied: ["retentionDays"],
      proposed: ["replyTimeHours", "descriptionEn", "crisisOptions", "exitUrl"],
    });
    const listed = (await w.request("GET", "/api/helplines")).body.helplines[0];
    expect(listed).toMatchObject({
      retentionDays: 30,
      replyTimeHours: 24,
      descriptionEn: "Write to us",
      crisisOptions: crisis,
      exitUrl: "https://nu.nl/",
      profile: null, // nothing signed: help-seekers see none of it
    });
    const changes = (await auditOf()).filter((e) => e.action === "settings-changed");
    expect(changes.map((e) => [e.actorKind, e.details])).toEqual([
      [
        "operator",
        { retentionDays: 30, previousRetentionDays: 365, lockAfterMinutes: 15, previousLockAfterMinutes: 15 },
      ],
      ["operator", { proposed: ["crisisOptions", "descriptionEn", "exitUrl", "replyTimeHours"] }],
    ]);
  });

  it("refuses what a supervisor's client could not sign (unsafe links, out of range), changing nothing", async () => {
    const opts = { writer: w.writer, now: () => w.clock.now() };
    for (const input of [
      { exitUrl: "javascript:alert(1)" },
      { exitUrl: "http://example.nl/" },
      { crisisOptions: [{ kind: "phone" as const, labelNl: "Bel", labelEn: "Call", target: "tel:112" }] },
      { crisisOptions: [{ kind: "url" as const, labelNl: "Chat", labelEn: "", target: "https://113.nl/" }] },
      { retentionDays: 0 },
      { lockAfterMinutes: 500 },
      { name: " " },
    ]) {
      await expect(setHelplineSettings(w.db, "alpha", input, opts), JSON.stringify(input)).rejects.toThrow();
    }
    await expect(setHelplineSettings(w.db, "nope", { retentionDays: 3 }, opts)).rejects.toThrow(
      /no helpline/,
    );
    expect(await row()).toMatchObject({
      retentionDays: 365,
      lockAfterMinutes: 15,
      exitUrl: "",
      crisisOptions: "[]",
    });
  });
});
