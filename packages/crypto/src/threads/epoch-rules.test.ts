import { beforeAll, describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import {
  boxKeys,
  grantFor,
  NOW,
  person,
  signKeys,
  testId,
  threadStory,
} from "../../test-support/thread-fixtures.js";
import type { EpochRecordBytes, HelplineId, MemberId, SignKeyPair, ThreadId } from "../core/brand.js";
import type { Sodium } from "../core/sodium.js";
import { loadSodium } from "../core/sodium.js";
import type { EpochRecord, Reader, Roster } from "../core/types.js";
import { nextRoster, parseRoster } from "../roster/roster.js";
import { parseEpochRecord, signEpochRecord } from "./epoch-record.js";
import { checkWhoMaySign } from "./epoch-rules.js";
import { verifyEpochRecord } from "./epoch-verify.js";
import { assignThread, claimThread, removeReader } from "./thread-ops.js";
import { memberAsReader } from "./thread-readers.js";

let sodium: Sodium;
let s: ReturnType<typeof threadStory>;
let ctx: { helplineId: HelplineId; threadId: ThreadId; rosters: (v: number) => Roster | undefined };
beforeAll(async () => {
  sodium = await loadSodium();
  s = threadStory(sodium);
  ctx = { helplineId: s.h.helplineId, threadId: s.threadId, rosters: s.rosters };
});

/** A record like `base` with some fields changed, signed by `signer` (a forger or a confused client). */
function forge(base: EpochRecord, patch: Partial<EpochRecord>, signer: SignKeyPair): EpochRecordBytes {
  return signEpochRecord(sodium, { ...base, ...patch }, signer);
}

function verifyAfter(prev: EpochRecord | undefined, bytes: EpochRecordBytes, rosters = ctx.rosters) {
  return codeOf(() => verifyEpochRecord(sodium, bytes, { ...ctx, rosters, prev }));
}

const staffOf = (names: (keyof ReturnType<typeof threadStory>["h"]["people"])[]): Reader[] =>
  names.map((n) => memberAsReader(s.h.people[n].member));
const seekerOf = (r: EpochRecord) => r.readers.filter((x) => x.kind === "seeker");

describe("who may sign epoch 0", () => {
  const e0 = () => s.e0.parsed;
  it("accepts the help-seeker's open", () => {
    expect(verifyAfter(undefined, s.e0.record)).toBeUndefined();
  });

  it("refuses another signer, another reason, zero or two help-seekers", () => {
    expect(verifyAfter(undefined, forge(e0(), {}, s.h.people.vera.signing))).toBe("SIGNER_NOT_ALLOWED");
    expect(verifyAfter(undefined, forge(e0(), { reason: "claim" }, s.h.seeker.signing))).toBe(
      "SIGNER_NOT_ALLOWED",
    );
    const staffOnly = e0().readers.filter((r) => r.kind === "staff");
    expect(verifyAfter(undefined, forge(e0(), { readers: staffOnly }, s.h.seeker.signing))).toBe(
      "SIGNER_NOT_ALLOWED",
    );
    const second: Reader = {
      ...seekerOf(e0())[0]!,
      signPk: signKeys(sodium, 101).publicKey,
      boxPk: boxKeys(sodium, 101).publicKey,
    };
    expect(
      verifyAfter(undefined, forge(e0(), { readers: [...e0().readers, second] }, s.h.seeker.signing)),
    ).toBe("SIGNER_NOT_ALLOWED");
  });

  it("refuses a staff reader who is neither supervisor nor intake reader, or not on the roster", () => {
    const withAnna = [...e0().readers, ...staffOf(["anna"])];
    expect(verifyAfter(undefined, forge(e0(), { readers: withAnna }, s.h.seeker.signing))).toBe(
      "NOT_ON_ROSTER",
    );
    const stranger = memberAsReader(person(sodium, 70, "supervisor", true, "Eve").member);
    expect(
      verifyAfter(undefined, forge(e0(), { readers: [...e0().readers, stranger] }, s.h.seeker.signing)),
    ).toBe("NOT_ON_ROSTER");
  });

  it("refuses a roster member's keys listed under another member id", () => {
    // Wim's keys under Anna's id: the list would show Anna while Wim receives the key.
    const readers = e0().readers.map((r) =>
      r.memberId === s.h.people.wim.member.memberId ? { ...r, memberId: s.h.people.anna.member.memberId } : r,
    );
    expect(verifyAfter(undefined, forge(e0(), { readers }, s.h.seeker.signing))).toBe("NOT_ON_ROSTER");
    const unknownId = e0().readers.map((r) =>
      r.memberId === s.h.people.wim.member.memberId
        ? { ...r, memberId: testId<MemberId>(sodium, 79, "member") }
        : r,
    );
    expect(verifyAfter(undefined, forge(e0(), { readers: unknownId }, s.h.seeker.signing))).toBe(
      "NOT_ON_ROSTER",
    );
  });

  it("refuses a roster member listed with a substituted box key", () => {
    const readers = e0().readers.map((r) =>
      r.memberId === s.h.people.wim.member.memberId ? { ...r, boxPk: boxKeys(sodium, 666).publicKey } : r,
    );
    expect(verifyAfter(undefined, forge(e0(), { readers }, s.h.seeker.signing))).toBe("NOT_ON_ROSTER");
  });
});

describe("who may sign later epochs", () => {
  const claimBy = (name: "ines" | "anna", readers?: Reader[]) =>
    forge(
      s.e1.parsed,
      { readers: readers ?? [...seekerOf(s.e1.parsed), ...staffOf([name, "vera", "wim"])] },
      s.h.people[name].signing,
    );

  it("lets a counsellor who read the thread claim it for themselves and the supervisors", () => {
    expect(verifyAfter(s.e0.parsed, s.e1.record)).toBeUndefined();
    expect(verifyAfter(s.e0.parsed, claimBy("ines"))).toBeUndefined();
  });

  it("refuses a claim by a counsellor who did not read the previous epoch", () => {
    expect(verifyAfter(s.e0.parsed, claimBy("anna"))).toBe("SIGNER_NOT_ALLOWED");
    const inesKeys = grantFor(sodium, s.e0, s.h.people.ines.box)!;
    const attempt = () =>
      claimThread(sodium, {
        prev: s.e0.parsed,
        prevKeys: inesKeys,
        roster: s.h.roster,
        signer: s.h.people.anna.signing,
        random: s.random,
        now: NOW,
        heads: [],
      });
    expect(codeOf(attempt)).toBe("SIGNER_NOT_ALLOWED");
  });

  it("refuses a claim that adds someone or leaves out a supervisor", () => {
    const seeker = seekerOf(s.e1.parsed);
    expect(
      verifyAfter(s.e0.parsed, claimBy("ines", [...seeker, ...staffOf(["ines", "bram", "vera", "wim"])])),
    ).toBe("SIGNER_NOT_ALLOWED");
    expect(verifyAfter(s.e0.parsed, claimBy("ines", [...seeker, ...staffOf(["ines", "vera"])]))).toBe(
      "SIGNER_NOT_ALLOWED",
    );
  });

  it("refuses a claim read by someone else instead of the claimer", () => {
    // As many readers as a claim should have, every supervisor among them, but Bram instead of Ines.
    const seeker = seekerOf(s.e1.parsed);
    expect(verifyAfter(s.e0.parsed, claimBy("ines", [...seeker, ...staffOf(["bram", "vera", "wim"])]))).toBe(
      "SIGNER_NOT_ALLOWED",
    );
  });

  it("refuses a later epoch whose predecessor has no help-seeker reader", () => {
    // A predecessor that was never verified (no help-seeker at all), and a claim linked to it.
    const staffOnly = s.e0.parsed.readers.filter((r) => r.kind === "staff");
    const prev = parseEpochRecord(sodium, forge(s.e0.parsed, { readers: staffOnly }, s.h.seeker.signing));
    const claim = forge(s.e1.parsed, { prevRecordHash: prev.hash }, s.h.people.ines.signing);
    expect(verifyAfter(prev, claim)).toBe("SIGNER_NOT_ALLOWED");
  });

  it("needs the predecessor of a later epoch when called on its own", () => {
    expect(codeOf(() => checkWhoMaySign(s.e1.parsed, undefined, s.h.roster))).toBe("EPOCH_CHAIN_BROKEN");
    expect(codeOf(() => checkWhoMaySign(s.e1.parsed, s.e0.parsed, s.h.roster))).toBeUndefined();
  });

  it("refuses a counsellor assigning (to someone else or with another reason)", () => {
    const inesKeys = grantFor(sodium, s.e0, s.h.people.ines.box)!;
    const attempt = () =>
      assignThread(sodium, {
        prev: s.e0.parsed,
        prevKeys: inesKeys,
        roster: s.h.roster,
        signer: s.h.people.ines.signing,
        to: s.h.people.bram.member,
        random: s.random,
        now: NOW,
        heads: [],
      });
    expect(codeOf(attempt)).toBe("SIGNER_NOT_ALLOWED");
    expect(verifyAfter(s.e0.parsed, forge(s.e1.parsed, { reason: "assign" }, s.h.people.ines.signing))).toBe(
      "SIGNER_NOT_ALLOWED",
    );
  });

  it("refuses a supervisor's record that leaves out another supervisor of its roster (review finding 2)", () => {
    // Vera (supervisor) keeps the thread for the help-seeker and herself only: Wim loses the key.
    const vera = s.h.people.vera.signing;
    const seeker = seekerOf(s.e2.parsed);
    expect(
      verifyAfter(s.e1.parsed, forge(s.e2.parsed, { readers: [...seeker, ...staffOf(["vera"])] }, vera)),
    ).toBe("SIGNER_NOT_ALLOWED");
    expect(
      verifyAfter(
        s.e1.parsed,
        forge(s.e2.parsed, { readers: [...seeker, ...staffOf(["anna", "vera"])] }, vera),
      ),
    ).toBe("SIGNER_NOT_ALLOWED");
    // ...and a removal cannot be used to the same end.
    const attempt = () =>
      removeReader(sodium, {
        prev: s.e2.parsed,
        prevKeys: grantFor(sodium, s.e2, s.h.people.vera.box)!,
        roster: s.h.roster,
        signer: vera,
        member: s.h.people.wim.member.memberId,
        random: s.random,
        now: NOW,
        heads: [],
      });
    expect(codeOf(attempt)).toBe("SIGNER_NOT_ALLOWED");
  });

  it("refuses a signer who is not on the roster", () => {
    const eve = signKeys(sodium, 71);
    expect(verifyAfter(s.e0.parsed, forge(s.e1.parsed, { reason: "assign" }, eve))).toBe(
      "SIGNER_NOT_ALLOWED",
    );
  });

  it("refuses an open after epoch 0 and a changed help-seeker", () => {
    const vera = s.h.people.vera.signing;
    expect(verifyAfter(s.e1.parsed, forge(s.e2.parsed, { reason: "open" }, vera))).toBe("SIGNER_NOT_ALLOWED");
    const readers = s.e2.parsed.readers.map((r) =>
      r.kind === "seeker"
        ? { ...r, signPk: signKeys(sodium, 102).publicKey, boxPk: boxKeys(sodium, 102).publicKey }
        : r,
    );
    expect(verifyAfter(s.e1.parsed, forge(s.e2.parsed, { readers }, vera))).toBe("SIGNER_NOT_ALLOWED");
  });

  it("refuses a help-seeker whose box key alone changed (grants would go to the server's key)", () => {
    // Issue 8, item 10: the same signing key with another box key must fail on its own, so that
    // dropping the box-key half of the continuity check turns this test red.
    const vera = s.h.people.vera.signing;
    const boxOnly = s.e2.parsed.readers.map((r) =>
      r.kind === "seeker" ? { ...r, boxPk: boxKeys(sodium, 103).publicKey } : r,
    );
    expect(verifyAfter(s.e1.parsed, forge(s.e2.parsed, { readers: boxOnly }, vera))).toBe(
      "SIGNER_NOT_ALLOWED",
    );
    const signOnly = s.e2.parsed.readers.map((r) =>
      r.kind === "seeker" ? { ...r, signPk: signKeys(sodium, 103).publicKey } : r,
    );
    expect(verifyAfter(s.e1.parsed, forge(s.e2.parsed, { readers: signOnly }, vera))).toBe(
      "SIGNER_NOT_ALLOWED",
    );
  });

  it("refuses a staff reader missing from the record's roster and an older roster", () => {
    const v2: Roster = parseRoster(
      sodium,
      nextRoster(sodium, s.h.roster, { remove: [s.h.people.anna.member.memberId] }, s.h.root, NOW + 5),
    );
    const both = (v: number) => (v === 1 ? s.h.roster : v === 2 ? v2 : undefined);
    const vera = s.h.people.vera.signing;
    // Anna was removed from the roster in version 2: a record relying on version 2 cannot list her.
    expect(
      verifyAfter(s.e1.parsed, forge(s.e2.parsed, { rosterVersion: 2, rosterHash: v2.hash }, vera), both),
    ).toBe("NOT_ON_ROSTER");
    const onV2 = forge(
      s.e2.parsed,
      { rosterVersion: 2, rosterHash: v2.hash, readers: s.e1.parsed.readers },
      vera,
    );
    expect(verifyAfter(s.e1.parsed, onV2, both)).toBeUndefined();
    const e2v2 = verifyEpochRecord(sodium, onV2, { ...ctx, rosters: both, prev: s.e1.parsed });
    const back = forge(
      s.e2.parsed,
      { epoch: 3, prevRecordHash: e2v2.hash, staffHistory: s.e2.parsed.staffHistory },
      vera,
    );
    expect(verifyAfter(e2v2, back, both)).toBe("ROSTER_ROLLBACK");
  });
});
