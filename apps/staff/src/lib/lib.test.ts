import { describe, expect, it } from "vitest";
import { byWaitingTime, dueState } from "./due.js";
import { inviteLink, parseInviteFragment } from "./fragment.js";
import { fold, matches, queryWords } from "./search.js";
import { acceptable, estimate, MIN_LENGTH } from "./strength.js";

const H = 3_600_000;

describe("dueState: the promised reply time", () => {
  const now = 1_000 * H;
  const waiting = (since: number) => ({ waitingSince: since, replyDueAt: since + 72 * H });
  it("answered when nobody waits", () => {
    expect(dueState({ waitingSince: null, replyDueAt: null }, now, 72)).toBe("answered");
  });
  it("on time, due soon in the last quarter, late after the promise", () => {
    expect(dueState(waiting(now - 10 * H), now, 72)).toBe("on-time");
    expect(dueState(waiting(now - 54 * H), now, 72)).toBe("due-soon");
    expect(dueState(waiting(now - 53 * H), now, 72)).toBe("on-time");
    expect(dueState(waiting(now - 72 * H), now, 72)).toBe("late");
  });
  it("sorts waiting threads first, longest wait first, then by latest activity", () => {
    const t = (id: string, waitingSince: number | null, last: number) =>
      ({
        id,
        waitingSince,
        createdAt: 0,
        lastSeekerMessageAt: last,
        lastStaffMessageAt: null,
      }) as never;
    const sorted = [
      t("quiet-old", null, 5),
      t("wait-short", 90, 90),
      t("quiet-new", null, 50),
      t("wait-long", 10, 10),
    ]
      .sort(byWaitingTime)
      .map((x: { id: string }) => x.id);
    expect(sorted).toEqual(["wait-long", "wait-short", "quiet-new", "quiet-old"]);
  });
});

describe("invite fragments", () => {
  const token = "A".repeat(43);
  const secret = "b".repeat(43);
  it("reads a token with or without the key-binding secret", () => {
    expect(parseInviteFragment(`#/invite/${token}`)).toEqual({ token, secret: undefined });
    expect(parseInviteFragment(`#/invite/${token}/${secret}`)).toEqual({ token, secret });
  });
  it("refuses anything else", () => {
    expect(parseInviteFragment("#/inbox")).toBeUndefined();
    expect(parseInviteFragment("#/invite/short")).toBeUndefined();
    expect(parseInviteFragment(`#/invite/${token}/<script>`)).toBeUndefined();
  });
  it("writes the link the SDK reads", () => {
    expect(inviteLink("https://hulp.example", token, secret)).toBe(
      `https://hulp.example/staff/#/invite/${token}/${secret}`,
    );
  });
});

describe("search over decrypted text", () => {
  it("ignores case and diacritics, needs every word", () => {
    expect(fold("Één Café")).toBe("een cafe");
    expect(matches(queryWords("cafe WAKKER"), "Ik lig wakker in het café")).toBe(true);
    expect(matches(queryWords("cafe slapen"), "Ik lig wakker in het café")).toBe(false);
    expect(matches(queryWords("   "), "anything")).toBe(false);
  });
});

describe("passphrase strength fallback", () => {
  it("rates short or repetitive passphrases low and long varied ones high", () => {
    expect(estimate("aaaaaaaaaaaaaaaa").score).toBeLessThan(3);
    expect(estimate("abc").score).toBe(1);
    expect(estimate("zeven vrolijke zeilboten op de Waal").score).toBe(4);
    expect(acceptable("kort", estimate("kort"))).toBe(false);
    expect(acceptable("x".repeat(MIN_LENGTH), undefined)).toBe(false);
  });
});
