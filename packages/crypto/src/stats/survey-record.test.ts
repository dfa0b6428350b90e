import { describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import type { EpochKey, HelplineId, ThreadId } from "../core/brand.js";
import { newId } from "../core/ids.js";
import { seededRandom } from "../core/random.js";
import { loadSodium } from "../core/sodium.js";
import { encodeSurveyAnswers } from "./survey-answers.js";
import {
  openSurveyRecord,
  parseSurveyRecord,
  SURVEY_PLAINTEXT_BYTES,
  sealSurveyRecord,
} from "./survey-record.js";

const sodium = await loadSodium();
const random = seededRandom(sodium, new Uint8Array(32).fill(9));
const key = random(32) as EpochKey;
const ctx = {
  helplineId: newId<HelplineId>(sodium, random),
  threadId: newId<ThreadId>(sodium, random),
  epoch: 0,
};
const answers = { age: "16-18", reason: "anonymity", found: "school" };

describe("survey record (type 0x09)", () => {
  it("opens with the epoch key and context it was sealed for", () => {
    const bytes = sealSurveyRecord(sodium, ctx, key, answers, random);
    expect(bytes[0]).toBe(0x02);
    expect(bytes[1]).toBe(0x09);
    expect(openSurveyRecord(sodium, bytes, ctx, key)).toEqual(answers);
    expect(parseSurveyRecord(sodium, bytes)).toMatchObject(ctx);
  });

  it("has one size whatever was answered (the server learns nothing from it)", () => {
    const none = sealSurveyRecord(sodium, ctx, key, {}, random);
    const all = sealSurveyRecord(
      sodium,
      ctx,
      key,
      {
        age: "over-65",
        gender: "rather-not",
        topic: "mental-health",
        reason: "prefer-writing",
        found: "social-media",
      },
      random,
    );
    expect(none.length).toBe(all.length);
    expect(openSurveyRecord(sodium, none, ctx, key)).toEqual({});
  });

  it("a flipped byte anywhere is refused: DECRYPT_FAILED, or MALFORMED/WRONG_CONTEXT in the header", () => {
    const bytes = sealSurveyRecord(sodium, ctx, key, answers, random);
    for (let i = 0; i < bytes.length; i++) {
      const bad = bytes.slice();
      bad[i]! ^= 0x01;
      const code = codeOf(() => openSurveyRecord(sodium, bad, ctx, key));
      expect(["DECRYPT_FAILED", "WRONG_CONTEXT", "MALFORMED", "UNSUPPORTED_VERSION", "WRONG_TYPE"]).toContain(
        code,
      );
    }
  });

  it("a record the server moves to another conversation is WRONG_CONTEXT", () => {
    const bytes = sealSurveyRecord(sodium, ctx, key, answers, random);
    const other = { ...ctx, threadId: newId<ThreadId>(sodium, random) };
    expect(codeOf(() => openSurveyRecord(sodium, bytes, other, key))).toBe("WRONG_CONTEXT");
    expect(codeOf(() => openSurveyRecord(sodium, bytes, { ...ctx, epoch: 1 }, key))).toBe("WRONG_CONTEXT");
  });

  it("a header rewritten to name another conversation no longer opens (the header is in the AD)", () => {
    const bytes = sealSurveyRecord(sodium, ctx, key, answers, random);
    const other = { ...ctx, threadId: newId<ThreadId>(sodium, random) };
    const moved = bytes.slice();
    moved.set(sodium.from_base64(other.threadId, sodium.base64_variants.URLSAFE_NO_PADDING), 18);
    expect(parseSurveyRecord(sodium, moved).threadId).toBe(other.threadId);
    expect(codeOf(() => openSurveyRecord(sodium, moved, other, key))).toBe("DECRYPT_FAILED");
  });

  it("another key (a server's guess, another epoch) is DECRYPT_FAILED", () => {
    const bytes = sealSurveyRecord(sodium, ctx, key, answers, random);
    expect(codeOf(() => openSurveyRecord(sodium, bytes, ctx, random(32) as EpochKey))).toBe("DECRYPT_FAILED");
  });

  it("refuses other versions and types, trailing bytes and answers that are not short ids", () => {
    const bytes = sealSurveyRecord(sodium, ctx, key, answers, random);
    const v1 = bytes.slice();
    v1[0] = 0x01;
    expect(codeOf(() => parseSurveyRecord(sodium, v1))).toBe("UNSUPPORTED_VERSION");
    const t = bytes.slice();
    t[1] = 0x05;
    expect(codeOf(() => parseSurveyRecord(sodium, t))).toBe("WRONG_TYPE");
    expect(codeOf(() => parseSurveyRecord(sodium, new Uint8Array([...bytes, 0])))).toBe("MALFORMED");
    expect(codeOf(() => sealSurveyRecord(sodium, ctx, key, { age: "<script>" }, random))).toBe("MALFORMED");
    expect(
      codeOf(() =>
        encodeSurveyAnswers(
          Object.fromEntries([1, 2, 3, 4, 5, 6].map((n) => [`q${n}`.padEnd(24, "x"), "a".repeat(24)])),
          SURVEY_PLAINTEXT_BYTES,
        ),
      ),
    ).toBe("TOO_LARGE");
  });

  it("openSurveyRecord refuses with the code parseSurveyRecord gives: version, type, length, trailing bytes, then context", () => {
    // openSurveyRecord compares the expected header as bytes first and parses only to name a refusal.
    const bytes = sealSurveyRecord(sodium, ctx, key, answers, random);
    const changed = (at: number, value: number) => {
      const b = bytes.slice();
      b[at] = value;
      return b;
    };
    const cases: [string, Uint8Array, string][] = [
      ["version 1", changed(0, 0x01), "UNSUPPORTED_VERSION"],
      ["type 5", changed(1, 0x05), "WRONG_TYPE"],
      ["a trailing byte", new Uint8Array([...bytes, 0]), "MALFORMED"],
      ["cut inside the header", bytes.subarray(0, 20), "MALFORMED"],
      ["cut after the header", bytes.subarray(0, 50), "MALFORMED"],
      ["a longer sealed field", changed(41, bytes[41]! + 1), "MALFORMED"],
      ["another epoch in the header", changed(37, 1), "WRONG_CONTEXT"],
      ["another thread in the header", changed(20, bytes[20]! ^ 1), "WRONG_CONTEXT"],
    ];
    for (const [what, bad, code] of cases) {
      expect(
        codeOf(() => openSurveyRecord(sodium, bad, ctx, key)),
        what,
      ).toBe(code);
      if (code !== "WRONG_CONTEXT")
        expect(
          codeOf(() => parseSurveyRecord(sodium, bad)),
          what,
        ).toBe(code);
    }
  });

  it("overwrites the record's subkey and padded plaintext once sealed, and the subkey once opened", () => {
    // Every output of the KDF and every plaintext handed to the AEAD is remembered, then checked for zeros.
    const outputs: Uint8Array[] = [];
    const spying = new Proxy(sodium, {
      get(target, prop, receiver) {
        if (prop === "crypto_kdf_derive_from_key") {
          return (...args: Parameters<typeof sodium.crypto_kdf_derive_from_key>) => {
            const out = target.crypto_kdf_derive_from_key(...args);
            outputs.push(out as unknown as Uint8Array);
            return out;
          };
        }
        if (prop === "crypto_aead_xchacha20poly1305_ietf_encrypt") {
          return (...args: Parameters<typeof sodium.crypto_aead_xchacha20poly1305_ietf_encrypt>) => {
            outputs.push(args[0] as Uint8Array);
            return target.crypto_aead_xchacha20poly1305_ietf_encrypt(...args);
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    }) as typeof sodium;
    const bytes = sealSurveyRecord(spying, ctx, key, answers, random);
    expect(outputs).toHaveLength(2);
    expect(openSurveyRecord(spying, bytes, ctx, key)).toEqual(answers);
    expect(outputs).toHaveLength(3);
    for (const out of outputs) expect(out.every((b) => b === 0)).toBe(true);
  });
});
