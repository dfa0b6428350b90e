import { describe, expect, it } from "vitest";
import { matchAnswers } from "./batch-answer.js";

const sent = [{ threadId: "a" }, { threadId: "b" }, { threadId: "c" }];

describe("matchAnswers", () => {
  it("pairs each sent item with the first result for its thread, in the order sent; others are never read", () => {
    const results = [
      { threadId: "x", n: 0 }, // not sent
      { threadId: "b", n: 1 },
      { threadId: "a", n: 2 },
      { threadId: "b", n: 3 }, // a repeat
    ];
    const matched = matchAnswers(sent, results);
    expect(matched.map((m) => [m.sent.threadId, m.result?.n, m.error?.code])).toEqual([
      ["a", 2, undefined],
      ["b", 1, undefined],
      ["c", undefined, "UNEXPECTED_RESPONSE"],
    ]);
    expect(matched[2]!.error?.message).toBe("left out of the server's answer");
  });

  it("a malformed answer (no results): every item UNEXPECTED_RESPONSE, saying so", () => {
    const matched = matchAnswers(sent, undefined);
    expect(matched.map((m) => [m.error?.code, m.error?.message, m.error?.source])).toEqual(
      sent.map(() => ["UNEXPECTED_RESPONSE", "the answer is not a batch result", "server"]),
    );
  });
});
