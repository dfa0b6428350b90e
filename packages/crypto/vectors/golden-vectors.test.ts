import { describe, expect, it } from "vitest";
import { loadSodium } from "../src/core/sodium.js";
import vectors from "../vectors/golden.json" with { type: "json" };
import { buildGoldenVectors, checkGoldenVectors, type GoldenCheck } from "./golden-vectors.js";

const sodium = await loadSodium();

/** A deep copy of the committed file with `edit` applied. */
function tampered(edit: (v: typeof vectors) => void): unknown {
  const copy = structuredClone(vectors);
  edit(copy);
  return copy;
}

/** Replace the hex digit at `at` with another one. */
function flipHexDigit(text: string, at: number): string {
  const digit = text[at]!;
  return text.slice(0, at) + (digit === "0" ? "1" : "0") + text.slice(at + 1);
}

const failedNames = (checks: readonly GoldenCheck[]) =>
  checks
    .filter((c) => !c.ok)
    .map((c) => c.name)
    .sort();

describe("golden vectors (vectors/golden.json)", () => {
  it("passes every rebuild and every independent check", () => {
    const checks = checkGoldenVectors(sodium, vectors);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    // Every entry is rebuilt and every kind of structure is verified on its own.
    const names = checks.map((c) => c.name);
    for (const entry of ["padme", "seekerCode", "passphraseWrap", "recoveryWrap", "rootKey", "rosters"]) {
      expect(names).toContain(`${entry}: rebuild`);
      expect(names).toContain(`${entry}: verify`);
    }
    for (const entry of [
      "codeSalt",
      "staffAccount",
      "epoch0",
      "epoch1Claim",
      "draft",
      "signIn",
      "envelopes",
    ]) {
      expect(names).toContain(`${entry}: rebuild`);
    }
    expect(names).toContain("envelopes: verify (staff view)");
    expect(names).toContain("envelopes: verify (help-seeker view)");
    expect(checks.length).toBeGreaterThanOrEqual(30);
  });

  it("is exactly what the builder makes from the fixed inputs", () => {
    expect(JSON.parse(JSON.stringify(buildGoldenVectors(sodium)))).toEqual(vectors);
  });

  it("reports a flipped hex digit in an envelope, in the rebuild and in the independent check", () => {
    const bytes = vectors.envelopes.message.expected.bytes;
    // One digit inside the sealed payload: the signature no longer verifies.
    const bad = tampered((v) => {
      v.envelopes.message.expected.bytes = flipHexDigit(bytes, bytes.length - 300);
    });
    const checks = checkGoldenVectors(sodium, bad);
    expect(failedNames(checks)).toEqual([
      "envelopes: rebuild",
      "envelopes: verify (help-seeker view)",
      "envelopes: verify (staff view)",
    ]);
    const view = checks.find((c) => c.name === "envelopes: verify (staff view)")!;
    expect(view.detail).toMatch(/BAD_SIGNATURE/);
    expect(checks.find((c) => c.name === "envelopes: rebuild")!.detail).toMatch(
      /envelopes\.message\.expected\.bytes/,
    );
  });

  it("reports a tampered roster, and everything that depends on trusting it", () => {
    const bad = tampered((v) => {
      v.rosters.expected.v2.bytes = flipHexDigit(v.rosters.expected.v2.bytes, 200);
    });
    const failed = failedNames(checkGoldenVectors(sodium, bad));
    expect(failed).toContain("rosters: rebuild");
    expect(failed).toContain("rosters: verify");
    expect(failed).toContain("epoch0: verify");
    expect(failed).not.toContain("seekerCode: verify");
    expect(failed).not.toContain("passphraseWrap: verify");
  });

  it("reports a wrong expected key even when the bytes are intact", () => {
    const bad = tampered((v) => {
      v.seekerCode.expected.boxPk = flipHexDigit(v.seekerCode.expected.boxPk, 10);
    });
    expect(failedNames(checkGoldenVectors(sodium, bad))).toEqual([
      "seekerCode: rebuild",
      "seekerCode: verify",
    ]);
  });

  it("never throws for a file of the wrong shape: every check fails instead", () => {
    for (const file of [null, 42, [], { format: "something else" }]) {
      const checks = checkGoldenVectors(sodium, file);
      expect(checks.find((c) => c.name === "rebuild")?.ok).toBe(true);
      // Only the builder itself and (for an object with known keys) the entry list can pass.
      const entries = checks.filter((c) => c.name.includes(": "));
      expect(entries.length).toBeGreaterThanOrEqual(30);
      for (const c of entries) {
        expect(c.ok).toBe(
          c.name === "file: entries" && typeof file === "object" && !Array.isArray(file) && file !== null,
        );
        if (!c.ok) expect(c.detail).toBeTruthy();
      }
    }
  });
});
