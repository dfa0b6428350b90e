/**
 * Saved replies (issue 10, staff item 6; PROTOCOL.md §14) through the SDK and the real API: the own set
 * opens only for its member, the team set for every member a supervisor wrapped it to. A server that
 * serves an older genuine set, another set under a revision the session saw, a set of a supervisor
 * removed since, a set with a flipped byte, or a set without the reader's wrap, or that answers a save
 * it dropped, is refused with the named reason.
 */
import type { StaffSession } from "@briefgeheim/client";
import { describe, expect, it } from "vitest";
import { flipByte } from "./mutations.js";
import { failure, useWorld, type World } from "./world.js";

let w: World;
useWorld((world) => {
  w = world;
});

type TeamBody = { set: string | null; revision: number; updatedAt: number | null };

async function teamBody(s: StaffSession): Promise<TeamBody> {
  const res = await s.client.api["saved-replies"].team.$get();
  return (await res.json()) as TeamBody;
}

describe("saved replies", () => {
  it("honest: Anna's own replies and signature, Vera's team replies read by Anna", async () => {
    const replies = w.anna.savedReplies();
    const empty = await replies.own();
    expect(empty).toEqual({ revision: 0, replies: [], signature: { text: "", auto: false } });
    const mine = { id: replies.newId(), title: "Welkom", body: "Fijn dat je schrijft." };
    await replies.saveOwn({ replies: [mine], signature: { text: "Groet, Anna", auto: true } }, 0);
    expect(await replies.own()).toEqual({
      revision: 1,
      replies: [mine],
      signature: { text: "Groet, Anna", auto: true },
    });
    // Another device of Anna: the same set.
    expect((await (await w.staff("anna")).savedReplies().own()).replies).toEqual([mine]);

    const crisis = { id: replies.newId(), title: "Crisis", body: "Bel 113 als het nu niet gaat." };
    await w.vera.savedReplies().saveTeam([crisis], 0);
    expect(await replies.team()).toEqual({
      revision: 1,
      replies: [crisis],
      signer: w.vera.memberId,
      needsSharing: false,
    });
    // A counsellor cannot save the team set (the SDK refuses before the server does).
    expect((await failure(replies.saveTeam([], 1))).code).toBe("NOT_A_SUPERVISOR");
    // Two saves on one revision: the second is a conflict, nothing lost silently.
    expect((await failure(w.vera.savedReplies().saveTeam([], 0))).code).toBe("REVISION_CONFLICT");
  });

  it("the server serves an older genuine set after a newer one: TEAM_REPLIES_ROLLBACK, SAVED_REPLIES_ROLLBACK", async () => {
    const anna = await w.staff("anna");
    const team = await anna.savedReplies().team();
    const older = await teamBody(anna);
    await w.vera
      .savedReplies()
      .saveTeam(
        [...team.replies, { id: anna.savedReplies().newId(), title: "Nieuw", body: "x" }],
        team.revision,
      );
    expect((await anna.savedReplies().team()).revision).toBe(team.revision + 1);
    w.server.onResponse("GET /api/saved-replies/team", () => older);
    const rolled = await failure(anna.savedReplies().team());
    expect(rolled.code).toBe("TEAM_REPLIES_ROLLBACK");
    // Withheld altogether (as if never saved) is a rollback too.
    w.server.reset();
    w.server.onResponse("GET /api/saved-replies/team", () => ({ set: null, revision: 0, updatedAt: null }));
    expect((await failure(anna.savedReplies().team())).code).toBe("TEAM_REPLIES_ROLLBACK");
    w.server.reset();

    const own = await anna.savedReplies().own();
    const ownOlder = await (await anna.client.api["saved-replies"].own.$get()).json();
    await anna
      .savedReplies()
      .saveOwn({ replies: own.replies, signature: { text: "Groet", auto: false } }, own.revision);
    w.server.onResponse("GET /api/saved-replies/own", () => ownOlder);
    expect((await failure(anna.savedReplies().own())).code).toBe("SAVED_REPLIES_ROLLBACK");
  });

  it("another set under a revision the session saw: TEAM_REPLIES_ROLLBACK, SAVED_REPLIES_ROLLBACK", async () => {
    // Two of Vera's sessions save on the same revision; the server keeps the first and acknowledges the
    // second (an honest one answers 409), then serves the second to the first session.
    const vera2 = await w.staff("vera");
    const team = await w.vera.savedReplies().team();
    await vera2.savedReplies().team();
    const reply = { id: w.vera.savedReplies().newId(), title: "Zelfde", body: "eerste versie" };
    await w.vera.savedReplies().saveTeam([reply], team.revision);
    let competing: string | undefined;
    w.server.intercept("PUT /api/saved-replies/team", (json) => {
      competing = (json as { set: string }).set;
      return { status: 200, json: { revision: team.revision + 1, updatedAt: Date.now() } };
    });
    await vera2.savedReplies().saveTeam([{ ...reply, body: "andere versie" }], team.revision);
    w.server.reset();
    w.server.onResponse("GET /api/saved-replies/team", () => ({
      set: competing!,
      revision: team.revision + 1,
      updatedAt: 1,
    }));
    const refused = await failure(w.vera.savedReplies().team());
    expect([refused.code, refused.details]).toEqual([
      "TEAM_REPLIES_ROLLBACK",
      { revision: team.revision + 1, seen: team.revision + 1 },
    ]);
    // The same bytes as the session saved are accepted: the check is on the set, not on the request.
    w.server.reset();
    expect((await w.vera.savedReplies().team()).replies).toEqual([reply]);

    // The own set: Anna's two devices save on the same revision.
    const anna2 = await w.staff("anna");
    const own = await w.anna.savedReplies().own();
    await anna2.savedReplies().own();
    await w.anna
      .savedReplies()
      .saveOwn({ replies: own.replies, signature: { text: "A", auto: false } }, own.revision);
    let other: string | undefined;
    w.server.intercept("PUT /api/saved-replies/own", (json) => {
      other = (json as { set: string }).set;
      return { status: 200, json: { revision: own.revision + 1, updatedAt: Date.now() } };
    });
    await anna2
      .savedReplies()
      .saveOwn({ replies: own.replies, signature: { text: "B", auto: false } }, own.revision);
    w.server.reset();
    w.server.onResponse("GET /api/saved-replies/own", () => ({
      set: other!,
      revision: own.revision + 1,
      updatedAt: 1,
    }));
    expect((await failure(w.anna.savedReplies().own())).code).toBe("SAVED_REPLIES_ROLLBACK");
  });

  it("an older set shared again from a fresh supervisor session, served to a session that saw the newer one: TEAM_REPLIES_ROLLBACK", async () => {
    const vr = w.vera.savedReplies();
    const start = await vr.team();
    const oldReply = { id: vr.newId(), title: "Nummer", body: "Bel 0800-OUD" };
    await vr.saveTeam([oldReply], start.revision);
    const older = await teamBody(w.vera);
    await vr.saveTeam([{ ...oldReply, body: "Bel 0800-NIEUW" }], start.revision + 1);
    // Anna's long-lived session sees the newest revision (the corrected number).
    const seen = await w.anna.savedReplies().team();
    expect([seen.revision, seen.replies[0]!.body]).toEqual([start.revision + 2, "Bel 0800-NIEUW"]);

    // The team changes; a fresh session of Vera is served the older revision. Nothing is re-sealed by
    // loading it: the screen only says the list needs sharing.
    const carlaId = await w.join("counsellor", "carla");
    await w.vera.admitPending({ only: [carlaId] });
    let captured: string | undefined;
    w.server.onResponse("GET /api/saved-replies/team", () => older);
    w.server.intercept("PUT /api/saved-replies/team", (json) => {
      captured = (json as { set: string }).set;
      return { status: 200, json: { revision: start.revision + 2, updatedAt: Date.now() } };
    });
    const vera2 = await w.staff("vera");
    const served = await vera2.savedReplies().team();
    expect([served.revision, served.needsSharing, captured]).toEqual([start.revision + 1, true, undefined]);
    // Vera shares what she sees (she cannot know it is old); the server keeps it aside.
    await vera2.savedReplies().saveTeam(served.replies, served.revision);
    expect(captured).toBeDefined();
    w.server.reset();
    w.server.onResponse("GET /api/saved-replies/team", () => ({
      set: captured!,
      revision: start.revision + 2,
      updatedAt: 1,
    }));
    expect((await failure(w.anna.savedReplies().team())).code).toBe("TEAM_REPLIES_ROLLBACK");
  });

  it("a dropped save: an answer with another revision is UNEXPECTED_RESPONSE; the older set served later is SAVED_REPLIES_ROLLBACK", async () => {
    const anna = await w.staff("anna");
    const r = anna.savedReplies();
    const mine = { id: r.newId(), title: "A", body: "eerste" };
    const first = await r.own();
    await r.saveOwn({ replies: [mine], signature: { text: "", auto: false } }, first.revision);
    const own1 = await r.own();
    const body1 = await (await anna.client.api["saved-replies"].own.$get()).json();
    // The server drops the save and answers with the revision the client already had.
    w.server.intercept("PUT /api/saved-replies/own", () => ({
      status: 200,
      json: { revision: own1.revision, updatedAt: Date.now() },
    }));
    const second = { replies: [{ ...mine, body: "tweede" }], signature: { text: "", auto: false } };
    const answered = await failure(r.saveOwn(second, own1.revision));
    expect([answered.code, answered.details]).toEqual([
      "UNEXPECTED_RESPONSE",
      { revision: own1.revision, sealed: own1.revision + 1 },
    ]);
    // It drops the save and answers with the right revision: the session remembers what it sealed.
    w.server.reset();
    w.server.intercept("PUT /api/saved-replies/own", () => ({
      status: 200,
      json: { revision: own1.revision + 1, updatedAt: Date.now() },
    }));
    expect(await r.saveOwn(second, own1.revision)).toEqual({ revision: own1.revision + 1 });
    w.server.reset();
    w.server.onResponse("GET /api/saved-replies/own", () => body1);
    expect((await failure(r.own())).code).toBe("SAVED_REPLIES_ROLLBACK");

    // The team set, the same way.
    w.server.reset();
    const team = await w.vera.savedReplies().team();
    w.server.intercept("PUT /api/saved-replies/team", () => ({
      status: 200,
      json: { revision: team.revision + 5, updatedAt: Date.now() },
    }));
    const teamAnswered = await failure(w.vera.savedReplies().saveTeam(team.replies, team.revision));
    expect(teamAnswered.code).toBe("UNEXPECTED_RESPONSE");
  });

  it("a flipped byte in the sealed list: BAD_SIGNATURE; Vera's own set served to Anna: DECRYPT_FAILED", async () => {
    const honest = await teamBody(w.anna);
    w.server.onResponse("GET /api/saved-replies/team", () => ({
      ...honest,
      set: flipByte(honest.set!, -100),
    }));
    const flipped = await failure(w.anna.savedReplies().team());
    expect([flipped.code, flipped.details]).toEqual(["BAD_SIGNATURE", { revision: honest.revision }]);
    w.server.reset();
    await w.vera.savedReplies().saveOwn({ replies: [], signature: { text: "Vera", auto: false } }, 0);
    const veras = await (await w.vera.client.api["saved-replies"].own.$get()).json();
    w.server.onResponse("GET /api/saved-replies/own", () => veras);
    expect((await failure(w.anna.savedReplies().own())).code).toBe("DECRYPT_FAILED");
  });

  it("a member admitted after the last save: TEAM_REPLIES_NOT_SHARED until a supervisor shares the list again", async () => {
    const bramId = await w.join("counsellor", "bram");
    await w.vera.admitPending({ only: [bramId] });
    const bram = await w.staff("bram");
    const refused = await failure(bram.savedReplies().team());
    expect(refused.code).toBe("TEAM_REPLIES_NOT_SHARED");
    const before = await w.vera.savedReplies().team();
    expect(before.needsSharing).toBe(true);
    // Loading saves nothing; the supervisor's action does.
    expect((await w.vera.savedReplies().team()).revision).toBe(before.revision);
    await w.vera.savedReplies().saveTeam(before.replies, before.revision);
    expect((await bram.savedReplies().team()).replies).toEqual(before.replies);
    expect(await w.vera.savedReplies().team()).toMatchObject({
      revision: before.revision + 1,
      needsSharing: false,
    });
  });

  it("a set of a supervisor removed since, still served: TEAM_REPLIES_SIGNER; a current supervisor saves over it", async () => {
    const victorId = await w.join("supervisor", "victor");
    await w.vera.admitPending({ only: [victorId] });
    const victor = await w.staff("victor");
    // Victor joined after the last save: Vera shares the list again for him first.
    expect((await failure(victor.savedReplies().team())).code).toBe("TEAM_REPLIES_NOT_SHARED");
    const shared = await w.vera.savedReplies().team();
    await w.vera.savedReplies().saveTeam(shared.replies, shared.revision);
    const current = await victor.savedReplies().team();
    await victor
      .savedReplies()
      .saveTeam([{ id: victor.savedReplies().newId(), title: "Van Victor", body: "v" }], current.revision);
    // Anna's long-lived session keeps Victor's set (the reply form's picker does).
    const kept = await w.anna.savedReplies().team();
    expect(kept.signer).toBe(victorId);
    await w.vera.removeMember(victorId);
    // Until Anna's session verifies the roster without him, the kept set passes; after, it is refused.
    w.anna.savedReplies().recheckTeam(kept);
    await w.anna.client.helplines.latestRoster(w.helplineId);
    let rechecked: unknown;
    try {
      w.anna.savedReplies().recheckTeam(kept);
    } catch (e) {
      rechecked = e;
    }
    expect((rechecked as { code?: string; details?: unknown } | undefined)?.code).toBe("TEAM_REPLIES_SIGNER");
    expect((rechecked as { details?: unknown }).details).toEqual({ revision: kept.revision });
    // The stored set is Victor's: once his removal is on the roster, nobody trusts it.
    const anna = await w.staff("anna");
    const refused = await failure(anna.savedReplies().team());
    expect(refused.code).toBe("TEAM_REPLIES_SIGNER");
    const vera = await w.staff("vera");
    const onVera = await failure(vera.savedReplies().team());
    expect(onVera.code).toBe("TEAM_REPLIES_SIGNER");
    const revision = (onVera.details as { revision: number }).revision;
    await vera.savedReplies().saveTeam([], revision);
    expect(await anna.savedReplies().team()).toEqual({
      revision: revision + 1,
      replies: [],
      signer: vera.memberId,
      needsSharing: false,
    });
    // His own set went with him.
    expect(
      await w.h.query("SELECT owner FROM saved_replies WHERE owner = ?", [`member:${victorId}`]),
    ).toEqual([]);
  });
});
