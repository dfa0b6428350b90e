import { beforeAll, describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import { grantFor, NOW, testId, threadStory } from "../../test-support/thread-fixtures.js";
import type { HelplineId, ThreadId } from "../core/brand.js";
import type { Sodium } from "../core/sodium.js";
import { loadSodium } from "../core/sodium.js";
import { openThread } from "./open-thread.js";

let sodium: Sodium;
let s: ReturnType<typeof threadStory>;
beforeAll(async () => {
  sodium = await loadSodium();
  s = threadStory(sodium);
});

const names = (start: typeof s.e0) =>
  start.parsed.readers
    .map((r) =>
      r.kind === "seeker" ? "seeker" : s.h.roster.members.find((m) => m.memberId === r.memberId)!.displayName,
    )
    .sort();

describe("openThread", () => {
  it("grants K0 to the help-seeker, every supervisor and every intake reader, with no staff key", () => {
    expect(names(s.e0)).toEqual(["Ines", "Vera", "Wim", "seeker"]);
    expect(s.e0.keys.staffKey).toBeUndefined();
    for (const who of [s.h.seeker.box, s.h.people.vera.box, s.h.people.wim.box, s.h.people.ines.box]) {
      expect(grantFor(sodium, s.e0, who)).toEqual({ epoch: 0, key: s.e0.keys.key });
    }
    expect(grantFor(sodium, s.e0, s.h.people.anna.box)).toBeUndefined();
  });

  it("is deterministic under a seeded random source (no hidden randomness)", () => {
    const again = threadStory(sodium);
    expect(again.e2.record).toEqual(s.e2.record);
    expect(again.e2.grants).toEqual(s.e2.grants);
  });

  it("refuses a roster of another helpline", () => {
    const other = testId<HelplineId>(sodium, 5, "helpline");
    const open = () =>
      openThread(sodium, {
        helplineId: other,
        threadId: testId<ThreadId>(sodium, 5, "thread"),
        roster: s.h.roster,
        seeker: s.h.seeker,
        random: s.random,
        now: NOW,
      });
    expect(codeOf(open)).toBe("WRONG_CONTEXT");
  });
});
