/**
 * Saved replies (issue 10, staff item 6; PROTOCOL.md §14) through the SDK and the real API: the own set
 * opens only for its member, the team set for every member a supervisor wrapped it to. A server that
 * serves an older genuine set, a set of a supervisor removed since, a set with a flipped byte, or a set
 * without the reader's wrap is refused with the named reason.
 */
import type { StaffSession } from "@briefgeheim/client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { flipByte } from "./mutations.js";
import { createWorld, endAttack, failure, type World } from "./world.js";

let w: World;

beforeAll(async () => {
  w = await createWorld();
});
afterEach(() => endAttack(w));
afterAll(async () => {
  await w?.close();
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
    expect(await replies.team()).toEqual({ revision: 1, replies: [crisis], signer: w.vera.memberId });
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

  it("a member admitted after the last save: TEAM_REPLIES_NOT_SHARED until a supervisor opens the screen and re-seals", async () => {
    const bramId = await w.join("counsellor", "bram");
    await w.vera.admitPending({ only: [bramId] });
    const bram = await w.staff("bram");
    const refused = await failure(bram.savedReplies().team());
    expect(refused.code).toBe("TEAM_REPLIES_NOT_SHARED");
    const before = await w.vera.savedReplies().team();
    const resealed = await w.vera.savedReplies().team({ reseal: true });
    expect(resealed.revision).toBe(before.revision + 1);
    expect((await bram.savedReplies().team()).replies).toEqual(before.replies);
    // Nothing left to re-seal: opening the screen again saves nothing.
    expect((await w.vera.savedReplies().team({ reseal: true })).revision).toBe(resealed.revision);
  });

  it("a set of a supervisor removed since, still served: TEAM_REPLIES_SIGNER; a current supervisor saves over it", async () => {
    const victorId = await w.join("supervisor", "victor");
    await w.vera.admitPending({ only: [victorId] });
    const victor = await w.staff("victor");
    // Victor joined after the last save: Vera's screen re-seals for him first.
    expect((await failure(victor.savedReplies().team())).code).toBe("TEAM_REPLIES_NOT_SHARED");
    await w.vera.savedReplies().team({ reseal: true });
    const current = await victor.savedReplies().team();
    await victor
      .savedReplies()
      .saveTeam([{ id: victor.savedReplies().newId(), title: "Van Victor", body: "v" }], current.revision);
    expect((await w.anna.savedReplies().team()).signer).toBe(victorId);
    await w.vera.removeMember(victorId);
    // The stored set is Victor's: once his removal is on the roster, nobody trusts it.
    const anna = await w.staff("anna");
    const refused = await failure(anna.savedReplies().team());
    expect(refused.code).toBe("TEAM_REPLIES_SIGNER");
    const vera = await w.staff("vera");
    const onVera = await failure(vera.savedReplies().team({ reseal: true }));
    expect(onVera.code).toBe("TEAM_REPLIES_SIGNER");
    const revision = (onVera.details as { revision: number }).revision;
    await vera.savedReplies().saveTeam([], revision);
    expect(await anna.savedReplies().team()).toEqual({
      revision: revision + 1,
      replies: [],
      signer: vera.memberId,
    });
    // His own set went with him.
    expect(
      await w.h.query("SELECT owner FROM saved_replies WHERE owner = ?", [`member:${victorId}`]),
    ).toEqual([]);
  });
});
