/**
 * A server that lists a pending member it wants admitted (docs/THREAT-MODEL.md §3.4, issue 8 item 1):
 * without a key proof, with an invented proof, or a member it invented outright with its own keys.
 * The admitting supervisor's client refuses before publishing anything (`INVITE_KEY_MISMATCH`, the
 * refused member ids in `details`), and the roster version does not move. A member another supervisor
 * invited is admitted only with the safety code compared with their own screen
 * (`SAFETY_CODE_MISMATCH` when the keys the server lists are not the ones that code was made from).
 */
import { randomBytes } from "node:crypto";
import type { MemberId } from "@briefgeheim/crypto";
import type { StaffMember } from "@briefgeheim/protocol";
import { describe, expect, it } from "vitest";
import { encode } from "./mutations.js";
import { failure, useWorld, type World } from "./world.js";

let w: World;
useWorld((world) => {
  w = world;
});

/** Serves the staff listing through `change` (the attack). */
function listing(change: (members: StaffMember[]) => StaffMember[]) {
  w.server.onResponse("GET /api/staff", (page) => ({ ...page, members: change(page.members) }));
}

const rosterVersion = async () => (await w.vera.client.helplines.latestRoster(w.helplineId)).version;

/** A pending member the server made up: its own keys, an invented proof, another invite's sealed secret. */
function invented(template: StaffMember): StaffMember {
  return {
    ...template,
    id: encode(randomBytes(16)),
    username: "mallory",
    displayName: "Mallory",
    status: "pending",
    signInPk: encode(randomBytes(32)),
    signPk: encode(randomBytes(32)),
    boxPk: encode(randomBytes(32)),
    keyProof: encode(randomBytes(32)),
  };
}

describe("admission: a pending member without a valid proof is never admitted", () => {
  it("without an attack the invited member's binding verifies and they are admitted", async () => {
    const cora = await w.join("counsellor", "cora");
    const admitted = await w.vera.admitPending();
    expect(admitted.added).toEqual([cora]);
    const roster = await w.vera.client.helplines.latestRoster(w.helplineId);
    expect(roster.members.map((m) => m.memberId)).toContain(cora);
  });

  it("a pending member listed with no key proof: INVITE_KEY_MISMATCH, nothing published", async () => {
    const dirk = await w.join("counsellor", "dirk");
    const before = await rosterVersion();
    listing((members) => members.map((m) => (m.id === dirk ? { ...m, keyProof: null } : m)));
    const refused = await failure(w.vera.admitPending());
    expect([refused.code, refused.source, refused.details]).toEqual([
      "INVITE_KEY_MISMATCH",
      "crypto",
      { memberIds: [dirk] },
    ]);
    expect(await rosterVersion()).toBe(before);
  });

  it("a pending member listed with an invented key proof: INVITE_KEY_MISMATCH, nothing published", async () => {
    const before = await rosterVersion();
    const pending = (await w.vera.listStaff()).filter((m) => m.status === "pending").map((m) => m.id);
    expect(pending).toHaveLength(1); // Dirk, from the test before
    listing((members) =>
      members.map((m) => (m.id === pending[0] ? { ...m, keyProof: encode(randomBytes(32)) } : m)),
    );
    const refused = await failure(w.vera.admitPending());
    expect([refused.code, refused.details]).toEqual(["INVITE_KEY_MISMATCH", { memberIds: pending }]);
    expect(await rosterVersion()).toBe(before);
  });

  it("a pending member the server invented (its own keys, an invented proof): INVITE_KEY_MISMATCH", async () => {
    const before = await rosterVersion();
    let mallory: StaffMember | undefined;
    listing((members) => {
      const dirk = members.find((m) => m.status === "pending")!;
      mallory ??= invented(dirk); // the same invented member on every listing
      return [...members, mallory];
    });
    const refused = await failure(w.vera.admitPending());
    // Dirk's own binding verifies; only the invented member is refused, and so the whole admission.
    expect([refused.code, refused.details]).toEqual(["INVITE_KEY_MISMATCH", { memberIds: [mallory!.id] }]);
    expect(await rosterVersion()).toBe(before);
  });

  it("once the server lists honestly again, the invited member is admitted with their own keys", async () => {
    const admitted = await w.vera.admitPending();
    expect(admitted.added).toHaveLength(1);
    const team = await w.vera.listStaff();
    expect(team.filter((m) => m.status !== "pending").every((m) => m.keysMatchRoster)).toBe(true);
  });
});

describe("admission by a compared safety code (a member another supervisor invited)", () => {
  let eva: MemberId;
  let evaCode: string;

  it("without the inviter's binding and without a code: INVITE_KEY_MISMATCH, nothing published", async () => {
    const sam = await w.join("supervisor", "sam");
    await w.vera.admitPending({ only: [sam] });
    eva = await w.join("counsellor", "eva", await w.staff("sam"));
    evaCode = w.safetyCodes.get(eva)!;
    const before = await rosterVersion();
    const refused = await failure(w.vera.admitPending({ only: [eva] }));
    expect([refused.code, refused.details]).toEqual(["INVITE_KEY_MISMATCH", { memberIds: [eva] }]);
    expect(await rosterVersion()).toBe(before);
  });

  it("the server swaps Eva's keys in the listing; the code Eva's screen shows no longer matches: SAFETY_CODE_MISMATCH", async () => {
    const before = await rosterVersion();
    const swaps = [{ boxPk: encode(randomBytes(32)) }, { signPk: encode(randomBytes(32)) }];
    for (const swap of swaps) {
      w.server.reset();
      listing((members) => members.map((m) => (m.id === eva ? { ...m, ...swap } : m)));
      const refused = await failure(
        w.vera.admitPending({ admit: [{ memberId: eva, intakeReader: false, comparedSafetyCode: evaCode }] }),
      );
      expect([refused.code, refused.details]).toEqual(["SAFETY_CODE_MISMATCH", { memberIds: [eva] }]);
    }
    w.server.reset();
    expect(await rosterVersion()).toBe(before);
  });

  it("the server lists counsellor Eva as supervisor; the code Eva's screen shows covers her role: SAFETY_CODE_MISMATCH", async () => {
    const before = await rosterVersion();
    listing((members) => members.map((m) => (m.id === eva ? { ...m, role: "supervisor" } : m)));
    const listed = (await w.vera.listStaff()).find((m) => m.id === eva)!;
    // What Vera's screen shows beside the listed code: the role the server claims, and another code.
    expect(listed.role).toBe("supervisor");
    expect(listed.safetyCode).not.toBe(evaCode);
    const refused = await failure(
      w.vera.admitPending({ admit: [{ memberId: eva, intakeReader: false, comparedSafetyCode: evaCode }] }),
    );
    expect([refused.code, refused.details]).toEqual(["SAFETY_CODE_MISMATCH", { memberIds: [eva] }]);
    w.server.reset();
    expect(await rosterVersion()).toBe(before);
  });

  it("a code typed back wrong (honest listing): SAFETY_CODE_MISMATCH; the right code admits Eva with her keys", async () => {
    const wrong = evaCode.replace(/^\d/, (d) => String((Number(d) + 1) % 10));
    const refused = await failure(
      w.vera.admitPending({ admit: [{ memberId: eva, intakeReader: false, comparedSafetyCode: wrong }] }),
    );
    expect(refused.code).toBe("SAFETY_CODE_MISMATCH");
    const admitted = await w.vera.admitPending({
      admit: [{ memberId: eva, intakeReader: false, comparedSafetyCode: evaCode }],
    });
    expect(admitted.added).toEqual([eva]);
    const member = (await w.vera.listStaff()).find((m) => m.id === eva)!;
    expect([member.keysMatchRoster, member.safetyCode]).toEqual([true, evaCode]);
  });
});

describe("the team screen: a roster member the server leaves out", () => {
  it("is shown from the signed roster and flagged missingFromServer (also when listed as removed)", async () => {
    const honest = await w.vera.listStaff();
    expect(honest.some((m) => m.missingFromServer)).toBe(false);
    listing((members) => members.filter((m) => m.id !== w.annaId));
    const team = await w.vera.listStaff();
    const anna = team.find((m) => m.id === w.annaId);
    expect(anna).toMatchObject({
      status: "active",
      onRoster: true,
      missingFromServer: true,
      role: "counsellor",
      intakeReader: true,
      displayName: "Anna",
      safetyCode: w.safetyCodes.get(w.annaId),
    });
    w.server.reset();
    listing((members) => members.map((m) => (m.id === w.annaId ? { ...m, status: "removed" } : m)));
    const relisted = (await w.vera.listStaff()).find((m) => m.id === w.annaId);
    expect([relisted?.status, relisted?.missingFromServer]).toEqual(["active", true]);
  });
});
