import { describe, expect, it } from "vitest";
import { en } from "../i18n/en.js";
import { retryAfterSeconds, signInErrorText } from "./rate-limit.js";

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
