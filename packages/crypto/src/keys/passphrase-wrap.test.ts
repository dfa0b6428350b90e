import { describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import type { WrappedKeyBytes } from "../core/brand.js";
import { labelledHash } from "../core/hash.js";
import { KDF_CONTEXT, LABEL } from "../core/labels.js";
import { seededRandom } from "../core/random.js";
import { loadSodium, type Sodium } from "../core/sodium.js";
import {
  ARGON2_CEILING,
  ARGON2_FLOOR,
  derivePassphraseKeys,
  derivePassphraseProof,
  proofHash,
  unwrapWithPassphrase,
  wrapWithPassphrase,
} from "./passphrase-wrap.js";
import { parseWrappedKey, sealWrappedKey, wrapUnderKey } from "./wrapped-key.js";

const sodium = await loadSodium();
const random = seededRandom(sodium, new Uint8Array(32).fill(31));
const secret = random(32);
const passphrase = "correct horse battery staple";

/** A sodium that counts Argon2 runs and remembers results, so tamper tests repeat no identical run. */
function countingSodium(): { sodium: Sodium; runs: () => number } {
  let runs = 0;
  const memo = new Map<string, Uint8Array>();
  const pwhash = (
    len: number,
    pw: Uint8Array | string,
    salt: Uint8Array,
    ops: number,
    mem: number,
    alg: number,
  ) => {
    const k = [
      len,
      sodium.to_hex(typeof pw === "string" ? sodium.from_string(pw) : pw),
      sodium.to_hex(salt),
      ops,
      mem,
      alg,
    ].join();
    let out = memo.get(k);
    if (out === undefined) {
      runs++;
      out = sodium.crypto_pwhash(len, pw, salt, ops, mem, alg);
      memo.set(k, out);
    }
    return out.slice();
  };
  return { sodium: { ...sodium, crypto_pwhash: pwhash } as unknown as Sodium, runs: () => runs };
}

/** A correctly sealed kind-1 bundle with any parameters (the encoder does not judge them). */
function bundleWith(opsLimit: number, memLimitKiB: number): WrappedKeyBytes {
  const w = { kind: "passphrase" as const, salt: random(16), opsLimit, memLimitKiB };
  return sealWrappedKey(sodium, w, secret, random(32), random);
}

const counted = countingSodium();
// The one real wrap of this file (floor parameters: ops 3, 64 MiB).
const wrapped = wrapWithPassphrase(counted.sodium, secret, passphrase, { random });

describe("wrapWithPassphrase / unwrapWithPassphrase", () => {
  it("wraps at the floor by default and unwraps with the passphrase", () => {
    const w = parseWrappedKey(wrapped.wrapped);
    expect(w).toMatchObject({ kind: "passphrase", opsLimit: 3, memLimitKiB: 65_536 });
    expect(w.salt).toEqual(wrapped.salt);
    expect(unwrapWithPassphrase(counted.sodium, wrapped.wrapped, passphrase)).toEqual(secret);
  });

  it("derives P = Argon2id(passphrase, salt), wrapKey = KDF(P, 1), proof = KDF(P, 2) with context bg-pass_", () => {
    const p = counted.sodium.crypto_pwhash(
      32,
      passphrase,
      wrapped.salt,
      3,
      64 * 1024 * 1024,
      sodium.crypto_pwhash_ALG_ARGON2ID13,
    );
    expect(wrapped.proof).toEqual(sodium.crypto_kdf_derive_from_key(32, 2, KDF_CONTEXT.passphrase, p));
    const keys = derivePassphraseKeys(counted.sodium, passphrase, parseWrappedKey(wrapped.wrapped));
    expect(keys.wrapKey).toEqual(sodium.crypto_kdf_derive_from_key(32, 1, KDF_CONTEXT.passphrase, p));
    expect(keys.proof).toEqual(wrapped.proof);
  });

  it("computes the proof from the salt and parameters alone, and reuses it to unwrap without a second Argon2 run", () => {
    const params = { salt: wrapped.salt, opsLimit: 3, memLimitKiB: 65_536 };
    expect(derivePassphraseProof(counted.sodium, passphrase, params)).toEqual(wrapped.proof);
    expect(derivePassphraseProof(counted.sodium, passphrase, wrapped.wrapped)).toEqual(wrapped.proof);
    const noArgon = { ...sodium, crypto_pwhash: () => new Uint8Array(32) } as unknown as Sodium;
    const keys = derivePassphraseKeys(counted.sodium, passphrase, params);
    expect(unwrapWithPassphrase(noArgon, wrapped.wrapped, keys)).toEqual(secret);
  });

  it("fails with UNWRAP_FAILED for a wrong passphrase", () => {
    expect(codeOf(() => unwrapWithPassphrase(counted.sodium, wrapped.wrapped, `${passphrase}!`))).toBe(
      "UNWRAP_FAILED",
    );
  });

  it("reads the passphrase in Unicode NFC, so composed and decomposed input agree", () => {
    const composed = "geheim caf\u00e9";
    const w = wrapWithPassphrase(counted.sodium, secret, composed, { random });
    expect(unwrapWithPassphrase(counted.sodium, w.wrapped, "geheim cafe\u0301")).toEqual(secret);
  });

  it("uses a fresh salt per wrap", () => {
    const params = parseWrappedKey(wrapped.wrapped);
    const again = parseWrappedKey(
      wrapWithPassphrase(counted.sodium, secret, "geheim caf\u00e9", { random }).wrapped,
    );
    expect(again.salt).not.toEqual(params.salt);
  });

  it("refuses a wrapped key of another kind", () => {
    const recovery = wrapUnderKey(sodium, "recovery", secret, random(32), random);
    expect(codeOf(() => unwrapWithPassphrase(counted.sodium, recovery, passphrase))).toBe("WRONG_TYPE");
    expect(codeOf(() => derivePassphraseProof(counted.sodium, passphrase, recovery))).toBe("WRONG_TYPE");
  });
});

describe("parameter floor and ceiling", () => {
  const noArgon = {
    ...sodium,
    crypto_pwhash: () => {
      throw new Error("Argon2 ran");
    },
  } as unknown as Sodium;

  it("is ops 3 and 64 MiB", () => {
    expect(ARGON2_FLOOR).toEqual({ opsLimit: 3, memLimitKiB: 65_536 });
  });

  it("rejects a bundle with ops 2 or 32 MiB with WEAK_KDF_PARAMS before running Argon2", () => {
    for (const [ops, mem] of [
      [2, 65_536],
      [3, 32_768],
      [1, 8],
      [0, 0],
    ] as const) {
      const bundle = bundleWith(ops, mem);
      expect(codeOf(() => unwrapWithPassphrase(noArgon, bundle, passphrase))).toBe("WEAK_KDF_PARAMS");
      expect(codeOf(() => derivePassphraseProof(noArgon, passphrase, bundle))).toBe("WEAK_KDF_PARAMS");
    }
  });

  it("refuses to compute a proof for weak parameters sent by a server", () => {
    const salt = random(16);
    expect(
      codeOf(() => derivePassphraseProof(noArgon, passphrase, { salt, opsLimit: 1, memLimitKiB: 65_536 })),
    ).toBe("WEAK_KDF_PARAMS");
    expect(
      codeOf(() => derivePassphraseProof(noArgon, passphrase, { salt, opsLimit: 3, memLimitKiB: 65_535 })),
    ).toBe("WEAK_KDF_PARAMS");
    expect(
      codeOf(() =>
        derivePassphraseProof(noArgon, passphrase, {
          salt: salt.subarray(1),
          opsLimit: 3,
          memLimitKiB: 65_536,
        }),
      ),
    ).toBe("MALFORMED");
  });

  it("refuses absurd parameters with TOO_LARGE", () => {
    expect(
      codeOf(() =>
        unwrapWithPassphrase(noArgon, bundleWith(ARGON2_CEILING.opsLimit + 1, 65_536), passphrase),
      ),
    ).toBe("TOO_LARGE");
    expect(
      codeOf(() => unwrapWithPassphrase(noArgon, bundleWith(3, ARGON2_CEILING.memLimitKiB + 1), passphrase)),
    ).toBe("TOO_LARGE");
  });

  it("does not create weak bundles", () => {
    expect(codeOf(() => wrapWithPassphrase(noArgon, secret, passphrase, { random, opsLimit: 2 }))).toBe(
      "WEAK_KDF_PARAMS",
    );
    expect(
      codeOf(() =>
        wrapWithPassphrase(noArgon, secret, passphrase, { random, memLimitBytes: 32 * 1024 * 1024 }),
      ),
    ).toBe("WEAK_KDF_PARAMS");
    expect(
      codeOf(() => wrapWithPassphrase(noArgon, secret, passphrase, { random, memLimitBytes: 1000 })),
    ).toBe("MALFORMED");
    expect(codeOf(() => wrapWithPassphrase(noArgon, secret, "", { random }))).toBe("MALFORMED");
  });
});

describe("tampering", () => {
  it("every flipped bit of a passphrase bundle gives a typed error, never a secret", () => {
    const allowed = new Set([
      "UNWRAP_FAILED",
      "MALFORMED",
      "UNSUPPORTED_VERSION",
      "WRONG_TYPE",
      "WEAK_KDF_PARAMS",
      "TOO_LARGE",
    ]);
    const before = counted.runs();
    for (let at = 0; at < wrapped.wrapped.length; at++) {
      const t = wrapped.wrapped.slice() as WrappedKeyBytes;
      t[at]! ^= 0x01;
      const code = codeOf(() => unwrapWithPassphrase(counted.sodium, t, passphrase));
      expect(allowed.has(code ?? "accepted"), `byte ${at}: ${code}`).toBe(true);
    }
    // Only a changed salt or memory limit needs a new Argon2 run (16 salt bytes + 2 memory bytes).
    expect(counted.runs() - before).toBeLessThanOrEqual(18);
  });
});

describe("proofHash", () => {
  it("is H(proof-hash, proof) and never the proof itself", () => {
    const h = proofHash(sodium, wrapped.proof);
    expect(h).toEqual(labelledHash(sodium, LABEL.proofHash, wrapped.proof));
    expect(h).not.toEqual(wrapped.proof);
    expect(codeOf(() => proofHash(sodium, new Uint8Array(16)))).toBe("MALFORMED");
  });
});
