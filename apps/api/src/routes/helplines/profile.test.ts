import { type HelplineId, type HelplineProfileDraft, signHelplineProfile } from "@briefgeheim/crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
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

const draft = (version: number, extra: Partial<HelplineProfileDraft> = {}): HelplineProfileDraft => ({
  helplineId: h.id as HelplineId,
  tag: 5,
  profileVersion: version,
  issuedAt: 1000 + version,
  name: "De Luisterlijn",
  descriptionNl: "Schrijf ons.",
  descriptionEn: "Write to us.",
  replyWithinHours: 48,
  ...extra,
});

async function publish(bytes: Uint8Array, cookie = h.supervisor.cookie) {
  return w.request("POST", `/api/helplines/${h.id}/profile`, { cookie, body: { profile: w.b64(bytes) } });
}

describe("signed helpline profiles", () => {
  it("a helpline is listed without a profile ('not open yet') until a supervisor signs one", async () => {
    const before = await w.request("GET", "/api/helplines");
    expect(before.body.helplines[0]).toMatchObject({ slug: "alpha", profile: null });

    const v1 = signHelplineProfile(w.sodium, draft(1), h.supervisor.signing);
    const res = await publish(v1);
    expect([res.status, res.body]).toEqual([200, { version: 1 }]);
    // An exact retry is answered as the first time; the next version follows.
    expect((await publish(v1)).status).toBe(200);
    const v2 = signHelplineProfile(w.sodium, draft(2, { name: "De Nieuwe Lijn" }), h.supervisor.signing);
    expect((await publish(v2)).status).toBe(200);

    const after = await w.request("GET", "/api/helplines");
    expect(after.body.helplines[0]).toMatchObject({
      profile: w.b64(v2),
      name: "De Nieuwe Lijn",
      description: "Schrijf ons.",
      replyTimeHours: 48,
    });
    const audit = await w.request("GET", "/api/audit?limit=200", { cookie: h.supervisor.cookie });
    const published = audit.body.entries.filter((e: { action: string }) => e.action === "profile-published");
    expect(published.map((e: { details: { version: number } }) => e.details.version)).toEqual([1, 2]);
  });

  it("refuses what a client would refuse, with a typed 4xx", async () => {
    const v1 = signHelplineProfile(w.sodium, draft(1), h.supervisor.signing);
    // Not the next version (a skip, then an older one after v1).
    const skip = signHelplineProfile(w.sodium, draft(2), h.supervisor.signing);
    expect((await publish(skip)).body.error.code).toBe("PROFILE_CONFLICT");
    expect((await publish(v1)).status).toBe(200);
    const again = signHelplineProfile(w.sodium, draft(1, { name: "Anders" }), h.supervisor.signing);
    expect([(await publish(again)).status, (await publish(again)).body.error.code]).toEqual([
      409,
      "PROFILE_CONFLICT",
    ]);
    // Altered after signing.
    const altered = signHelplineProfile(w.sodium, draft(2), h.supervisor.signing);
    altered[40] = (altered[40] ?? 0) ^ 1;
    expect((await publish(altered)).body.error.code).toBe("BAD_SIGNATURE");
    // Signed by a key that is not a supervisor on the roster.
    const stranger = w.newStaffKeys("stranger", "Stranger");
    const foreign = signHelplineProfile(w.sodium, draft(2), stranger.keys.signing);
    expect((await publish(foreign)).body.error.code).toBe("SIGNER_NOT_ALLOWED");
    // Another tag than the helpline's, and another helpline's id.
    const wrongTag = signHelplineProfile(w.sodium, draft(2, { tag: 6 }), h.supervisor.signing);
    expect((await publish(wrongTag)).body.error.code).toBe("WRONG_CONTEXT");
    const other = await w.setupHelpline("beta", 6);
    const wrongId = signHelplineProfile(
      w.sodium,
      draft(2, { helplineId: other.id as HelplineId }),
      h.supervisor.signing,
    );
    expect((await publish(wrongId)).body.error.code).toBe("WRONG_CONTEXT");
    // Garbage, a counsellor, another helpline's supervisor.
    expect((await publish(w.random(100))).status).toBe(400);
    const ines = await w.addStaff(h, "Ines", "counsellor", true);
    const v2 = signHelplineProfile(w.sodium, draft(2), h.supervisor.signing);
    expect((await publish(v2, ines.cookie)).status).toBe(403);
    expect((await publish(v2, other.supervisor.cookie)).status).toBe(403);
    expect((await publish(v2)).status).toBe(200);
  });

  it("takes the largest 0x0b profile (crisis options and exit at their limits) and keeps its unsigned copy in step", async () => {
    const crisisOptions = Array.from({ length: 6 }, (_, i) => ({
      kind: "url" as const,
      labelNl: "n".repeat(120),
      labelEn: "e".repeat(120),
      target: `https://hulp${i}.nl/${"p".repeat(512 - 17)}`,
    }));
    const largest = signHelplineProfile(
      w.sodium,
      draft(1, {
        name: "€".repeat(120),
        descriptionNl: "ë".repeat(3000),
        descriptionEn: "漢".repeat(2000),
        crisisOptions,
        exitUrl: `https://weer.nl/${"x".repeat(512 - 16)}`,
      }),
      h.supervisor.signing,
    );
    expect(largest.length).toBe(17_611);
    expect([(await publish(largest)).status, largest[1]]).toEqual([200, 0x0b]);
    const listed = (await w.request("GET", "/api/helplines")).body.helplines[0];
    expect(listed).toMatchObject({
      profile: w.b64(largest),
      crisisOptions,
      descriptionEn: "漢".repeat(2000),
    });
  });
});
