/**
 * Attacks of protocol 2 that no test plays yet, each with the attack and the reason the person must
 * see. Whoever can play one turns its entry into a test on the world of ./world.ts.
 */
import { describe, it } from "vitest";

describe("not yet played against the real clients", () => {
  it.todo(
    "a partition: the server never shows the counsellor's answer to the help-seeker and never shows the help-seeker's later messages to the counsellor; each side's view is closed under heads -> nothing to detect (documented as undetectable, THREAT-MODEL §3.4)",
  );
  it.todo(
    "the same attacks through the apps in Chromium (admission, fork, truncation), pointing the apps at startHostileProxy: the screens show the reason",
  );
});
