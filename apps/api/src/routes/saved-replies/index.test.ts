import {
  type AccountKey,
  deriveSavedRepliesKey,
  type HelplineId,
  type MemberId,
  newId,
  SAVED_REPLIES,
  type SignSecretKey,
  sealSavedReplies,
  sealTeamReplies,
} from "@briefgeheim/crypto";
import { LIMITS } from "@briefgeheim/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWorld, type HelplineFixture, type Staff, type World } from "../../testing/harness.js";

let w: World;
let h: HelplineFixture;
let anna: Staff;

beforeEach(async () => {
  w = await createWorld();
  h = await w.setupHelpline("alpha", 1);
  anna = await w.addStaff(h, "Anna", "counsellor");
});
afterEach(async () => {
  await w.cleanup();
});

const content = { replies: [], signature: { text: "Groet, Anna", auto: true } };
const own = (
  revision: number,
  helplineId = h.id,
  key = deriveSavedRepliesKey(w.sodium, w.random(32) as AccountKey),
) => w.b64(sealSavedReplies(w.sodium, key, helplineId as HelplineId, revision, content, w.random));
const team = (revision: number, by: Staff = h.supervisor) =>
  w.b64(
    sealTeamReplies(
      w.sodium,
      { helplineId: h.id as HelplineId, revision, roster: h.roster, replies: [] },
      { memberId: by.memberId as MemberId, secretKey: by.signing.secretKey as SignSecretKey },
      w.random,
    ),
  );

describe("own saved replies", () => {
  it("empty before the first save; stores revision by revision; only the member sees theirs", async () => {
    const empty = await w.request("GET", "/api/saved-replies/own", { cookie: anna.cookie });
    expect([empty.status, empty.body]).toEqual([200, { set: null, revision: 0, updatedAt: null }]);
    const first = own(1);
    const put = await w.request("PUT", "/api/saved-replies/own", {
      cookie: anna.cookie,
      body: { set: first },
    });
    expect([put.status, put.body]).toEqual([200, { revision: 1, updatedAt: w.clock.now() }]);
    expect((await w.request("GET", "/api/saved-replies/own", { cookie: anna.cookie })).body).toMatchObject({
      set: first,
      revision: 1,
    });
    // The supervisor has their own (empty) set: nobody reads another's.
    expect(
      (await w.request("GET", "/api/saved-replies/own", { cookie: h.supervisor.cookie })).body.set,
    ).toBeNull();
    const second = own(2);
    expect(
      (await w.request("PUT", "/api/saved-replies/own", { cookie: anna.cookie, body: { set: second } }))
        .status,
    ).toBe(200);
    expect((await w.request("GET", "/api/saved-replies/own", { cookie: anna.cookie })).body.revision).toBe(2);
  });

  it("compare-and-set: a stale or skipped revision is 409 REVISION_CONFLICT and changes nothing", async () => {
    const first = own(1);
    await w.request("PUT", "/api/saved-replies/own", { cookie: anna.cookie, body: { set: first } });
    for (const revision of [1, 3]) {
      const res = await w.request("PUT", "/api/saved-replies/own", {
        cookie: anna.cookie,
        body: { set: own(revision) },
      });
      expect([res.status, res.body.error.code]).toEqual([409, "REVISION_CONFLICT"]);
    }
    expect((await w.request("GET", "/api/saved-replies/own", { cookie: anna.cookie })).body).toMatchObject({
      set: first,
      revision: 1,
    });
  });

  it("refuses another helpline's set (422), another structure (400), a too large body (413), help-seekers (403)", async () => {
    const other = await w.request("PUT", "/api/saved-replies/own", {
      cookie: anna.cookie,
      body: { set: own(1, newId(w.sodium, w.random)) },
    });
    expect([other.status, other.body.error.code]).toEqual([422, "WRONG_CONTEXT"]);
    const teamAsOwn = await w.request("PUT", "/api/saved-replies/own", {
      cookie: h.supervisor.cookie,
      body: { set: team(1) },
    });
    expect([teamAsOwn.status, teamAsOwn.body.error.code]).toEqual([400, "MALFORMED_STRUCTURE"]);
    const junk = await w.request("PUT", "/api/saved-replies/own", {
      cookie: anna.cookie,
      body: { set: w.b64(w.random(40)) },
    });
    expect([junk.status, junk.body.error.code]).toEqual([400, "MALFORMED_STRUCTURE"]);
    const huge = await w.request("PUT", "/api/saved-replies/own", {
      cookie: anna.cookie,
      body: { set: w.b64(new Uint8Array(LIMITS.savedRepliesMaxBytes + 1024)) },
    });
    expect([huge.status, huge.body.error.code]).toEqual([413, "PAYLOAD_TOO_LARGE"]);
    const seeker = await w.newSeeker(h.id);
    expect((await w.request("GET", "/api/saved-replies/own", { cookie: seeker.cookie })).status).toBe(403);
    expect((await w.request("GET", "/api/saved-replies/own")).status).toBe(401);
    expect((await w.request("GET", "/api/saved-replies/own", { cookie: anna.cookie })).body.revision).toBe(0);
  });

  it("a member's own set is deleted when a roster removes them", async () => {
    await w.request("PUT", "/api/saved-replies/own", { cookie: anna.cookie, body: { set: own(1) } });
    await w.request("PUT", "/api/saved-replies/own", { cookie: h.supervisor.cookie, body: { set: own(1) } });
    await w.publishRoster(h, { remove: [anna.memberId as MemberId] });
    const { savedReplies } = await import("../../db/schema.js");
    const rows = await w.db.read.select({ owner: savedReplies.owner }).from(savedReplies);
    expect(rows.map((r) => r.owner)).toEqual([`member:${h.supervisor.memberId}`]);
    expect(SAVED_REPLIES.type).toBe(0x0c);
  });
});

describe("team saved replies", () => {
  it("a supervisor saves; every member reads; counsellors may not save (403)", async () => {
    const set = team(1);
    const put = await w.request("PUT", "/api/saved-replies/team", {
      cookie: h.supervisor.cookie,
      body: { set },
    });
    expect(put.status).toBe(200);
    const read = await w.request("GET", "/api/saved-replies/team", { cookie: anna.cookie });
    expect(read.body).toMatchObject({ set, revision: 1 });
    const byCounsellor = await w.request("PUT", "/api/saved-replies/team", {
      cookie: anna.cookie,
      body: { set: team(2) },
    });
    expect([byCounsellor.status, byCounsellor.body.error.code]).toEqual([403, "FORBIDDEN"]);
    const stale = await w.request("PUT", "/api/saved-replies/team", {
      cookie: h.supervisor.cookie,
      body: { set: team(1) },
    });
    expect([stale.status, stale.body.error.code]).toEqual([409, "REVISION_CONFLICT"]);
  });

  it("refuses a set signed by someone else than the caller (422) and a broken signature (422)", async () => {
    const sup2 = await w.addStaff(h, "Sara", "supervisor");
    const bySara = await w.request("PUT", "/api/saved-replies/team", {
      cookie: h.supervisor.cookie,
      body: { set: team(1, sup2) },
    });
    expect([bySara.status, bySara.body.error.code]).toEqual([422, "SIGNER_NOT_ALLOWED"]);
    const bytes = w.crypto.bytes(team(1));
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    const flipped = await w.request("PUT", "/api/saved-replies/team", {
      cookie: h.supervisor.cookie,
      body: { set: w.b64(bytes) },
    });
    expect([flipped.status, flipped.body.error.code]).toEqual([422, "BAD_SIGNATURE"]);
    expect((await w.request("GET", "/api/saved-replies/team", { cookie: anna.cookie })).body.set).toBeNull();
  });
});
