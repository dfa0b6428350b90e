import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import type { HelplineId, SignPublicKey } from "../core/brand.js";
import { concat, labelBytes } from "../core/codec.js";
import { idToBytes, newId } from "../core/ids.js";
import { LABEL } from "../core/labels.js";
import { seededRandom } from "../core/random.js";
import { signWithLabel } from "../core/sign.js";
import { loadSodium } from "../core/sodium.js";
import { deriveAccountKeys, generateAccountKey } from "./account-keys.js";
import { type SignInChallenge, signChallenge, signInMessage, verifyChallenge } from "./sign-in.js";

const sodium = await loadSodium();
const random = seededRandom(sodium, new Uint8Array(32).fill(71));
const keys = deriveAccountKeys(sodium, generateAccountKey(sodium, random)).signIn;
const other = deriveAccountKeys(sodium, generateAccountKey(sodium, random)).signIn;
const challenge: SignInChallenge = {
  origin: "https://hulp.example.nl",
  helplineId: newId<HelplineId>(sodium, random),
  role: "staff",
  nonce: random(32),
};

describe("sign-in challenge", () => {
  const signature = signChallenge(sodium, challenge, keys.secretKey);

  it("signs L(sign-in) || str origin || fixed16 helplineId || u8 role || fixed32 nonce", () => {
    const origin = new TextEncoder().encode(challenge.origin);
    const expected = concat(
      Uint8Array.of(0, 0, 0, origin.length),
      origin,
      idToBytes(sodium, challenge.helplineId),
      Uint8Array.of(2),
      challenge.nonce,
    );
    expect(signInMessage(sodium, challenge)).toEqual(expected);
    expect(signInMessage(sodium, { ...challenge, role: "seeker" }).at(-33)).toBe(1);
    expect(
      sodium.crypto_sign_verify_detached(
        signature,
        concat(labelBytes(LABEL.signIn), expected),
        keys.publicKey,
      ),
    ).toBe(true);
  });

  it("verifies its own signature", () => {
    expect(() => verifyChallenge(sodium, challenge, signature, keys.publicKey)).not.toThrow();
  });

  it("is bound to origin, helpline, role and nonce: changing any one fails", () => {
    const variants: SignInChallenge[] = [
      { ...challenge, origin: "https://evil.example" },
      { ...challenge, origin: "https://hulp.example.nl:8443" },
      { ...challenge, helplineId: newId<HelplineId>(sodium, random) },
      { ...challenge, role: "seeker" },
    ];
    for (let at = 0; at < 32; at++) {
      const nonce = challenge.nonce.slice();
      nonce[at]! ^= 1;
      variants.push({ ...challenge, nonce });
    }
    for (const v of variants)
      expect(codeOf(() => verifyChallenge(sodium, v, signature, keys.publicKey))).toBe("CHALLENGE_INVALID");
  });

  it("fails for another key, a changed signature, or a signature made for another purpose", () => {
    expect(codeOf(() => verifyChallenge(sodium, challenge, signature, other.publicKey))).toBe(
      "CHALLENGE_INVALID",
    );
    for (let at = 0; at < 64; at += 7) {
      const s = signature.slice();
      s[at]! ^= 1;
      expect(codeOf(() => verifyChallenge(sodium, challenge, s, keys.publicKey))).toBe("CHALLENGE_INVALID");
    }
    const roster = signWithLabel(sodium, LABEL.roster, signInMessage(sodium, challenge), keys.secretKey);
    expect(codeOf(() => verifyChallenge(sodium, challenge, roster, keys.publicKey))).toBe(
      "CHALLENGE_INVALID",
    );
  });

  it("holds for arbitrary nonces and origins", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.domain(),
        fc.constantFrom<"seeker" | "staff">("seeker", "staff"),
        (nonce, host, role) => {
          const c = { ...challenge, origin: `https://${host}`, role, nonce };
          const sig = signChallenge(sodium, c, keys.secretKey);
          verifyChallenge(sodium, c, sig, keys.publicKey);
          const flipped = { ...c, role: role === "seeker" ? ("staff" as const) : ("seeker" as const) };
          expect(codeOf(() => verifyChallenge(sodium, flipped, sig, keys.publicKey))).toBe(
            "CHALLENGE_INVALID",
          );
        },
      ),
      { numRuns: 50 },
    );
  });

  it("rejects malformed challenges and inputs with CHALLENGE_INVALID", () => {
    const bad: SignInChallenge[] = [
      { ...challenge, nonce: challenge.nonce.subarray(1) },
      { ...challenge, nonce: new Uint8Array(33) },
      { ...challenge, origin: "" },
      { ...challenge, origin: "null" },
      { ...challenge, origin: "https://hulp.example.nl/" },
      { ...challenge, origin: "https://hulp.example.nl/login" },
      { ...challenge, origin: `https://${"a".repeat(300)}` },
      { ...challenge, role: "admin" as never },
      { ...challenge, helplineId: "short" as HelplineId },
    ];
    for (const c of bad) {
      expect(codeOf(() => signChallenge(sodium, c, keys.secretKey))).toBe("CHALLENGE_INVALID");
      expect(codeOf(() => verifyChallenge(sodium, c, signature, keys.publicKey))).toBe("CHALLENGE_INVALID");
    }
    expect(codeOf(() => verifyChallenge(sodium, challenge, signature.subarray(1), keys.publicKey))).toBe(
      "CHALLENGE_INVALID",
    );
    expect(
      codeOf(() => verifyChallenge(sodium, challenge, signature, new Uint8Array(31) as SignPublicKey)),
    ).toBe("CHALLENGE_INVALID");
    expect(codeOf(() => verifyChallenge(sodium, challenge, undefined as never, keys.publicKey))).toBe(
      "CHALLENGE_INVALID",
    );
  });
});
