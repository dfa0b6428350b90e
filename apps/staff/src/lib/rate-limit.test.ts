import { describe, expect, it } from "vitest";
import { en } from "../i18n/en.js";
import { charCount } from "./limits.js";
import { refusalText, retryAfterSeconds, signInErrorText } from "./rate-limit.js";

const limited = (retryAfterSeconds?: number) => ({ code: "RATE_LIMITED", retryAfterSeconds });

describe("the sign-in form's sentence for a 429", () => {
  it("says how long to wait, in Dutch first and in English", () => {
    expect(signInErrorText(limited(42))).toBe(
      "Te veel aanmeldpogingen vanaf dit adres. Probeer het over 42 seconden opnieuw.",
    );
    expect(signInErrorText(limited(1))).toContain("over 1 seconde opnieuw");
    expect(signInErrorText(limited(900))).toContain("over 15 minuten opnieuw");
    expect(en.signInRateLimited(42)).toBe(
      "Too many sign-in attempts from this address. Try again in 42 seconds.",
    );
    expect(en.signInRateLimited(900)).toContain("in 15 minutes");
  });

  it("falls back to the usual text without a wait, and for other errors", () => {
    expect(signInErrorText(limited())).toBe("Te veel pogingen. Wacht even en probeer het opnieuw.");
    expect(retryAfterSeconds({ retryAfterSeconds: "7" })).toBeUndefined();
    expect(signInErrorText({ code: "INVALID_CREDENTIALS" })).not.toContain("aanmeldpogingen");
  });
});

describe("a refused reply or note says how long to wait", () => {
  it("adds the server's wait to the error's own sentence, and nothing without one", () => {
    expect(refusalText({ code: "QUOTA_EXCEEDED", retryAfterSeconds: 30 }, "Te veel vandaag.")).toBe(
      "Te veel vandaag. Probeer het over 30 seconden opnieuw.",
    );
    expect(refusalText({ code: "RATE_LIMITED", retryAfterSeconds: 600 }, "x")).toBe(
      "x Probeer het over 10 minuten opnieuw.",
    );
    expect(refusalText({ code: "PAYLOAD_TOO_LARGE" }, "Het bericht is te groot.")).toBe(
      "Het bericht is te groot.",
    );
    expect(en.retryInSeconds(1)).toBe("Try again in 1 second.");
  });
});

describe("the counter counts characters as a person does", () => {
  it("counts code points, not UTF-16 units", () => {
    expect(charCount("hallo")).toBe(5);
    expect(charCount("👋🏽")).toBe(2);
    expect(charCount("مرحبا")).toBe(5);
  });
});
