/**
 * Attacks of protocol 2 that no test plays yet go here as `it.todo`, each with the attack and the
 * reason the person must see; whoever can play one turns it into a test on the world of ./world.ts.
 * None is open now. The admission, fork/rollback and truncation cases also run through the apps in
 * Chromium: tests/browser/hostile-admission.test.ts, hostile-roster-heads.test.ts and
 * hostile-truncation.test.ts (the apps behind `startHostileProxy`). What stays undetectable by design
 * (a lasting partition) is in ./README.md, "Not covered here".
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT_DIR } from "../support/api-world.js";

describe("the Chromium runs of the malicious-server suite", () => {
  it("are in tests/browser/hostile-{admission,roster-heads,truncation}.test.ts", () => {
    for (const name of ["admission", "roster-heads", "truncation"]) {
      expect(existsSync(join(ROOT_DIR, "tests", "browser", `hostile-${name}.test.ts`)), name).toBe(true);
    }
  });
});
