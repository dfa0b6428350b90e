import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import {
  boxKeys,
  everySingleBitFlip,
  testId,
  testRandom,
  threadStory,
} from "../../test-support/thread-fixtures.js";
import type { BoxPublicKey, EpochKey, GrantBytes, HelplineId, ThreadId } from "../core/brand.js";
import { concat } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";
import { LABEL } from "../core/labels.js";
import { sealToBox } from "../core/sealed-box.js";
import { signWithLabel } from "../core/sign.js";
import type { Sodium } from "../core/sodium.js";
import { loadSodium } from "../core/sodium.js";
import type { Grant, Reader } from "../core/types.js";
import {
  createGrant,
  encodeGrant,
  GRANT_SEALED_MAIN,
  GRANT_SEALED_STAFF,
  parseGrant,
  verifyGrant,
} from "./grant.js";
import { openGrant } from "./grant-open.js";

let sodium: Sodium;
let s: ReturnType<typeof threadStory>;
beforeAll(async () => {
  sodium = await loadSodium();
  s = threadStory(sodium);
});

/** The grant of epoch 2 addressed to `box`. */
function grantTo(box: BoxPublicKey): GrantBytes {
  return s.e2.grants.find((g) => parseGrant(sodium, g).recipientBoxPk.every((b, i) => b === box[i]))!;
}

/** Re-signs grant fields with any key (someone other than the record's signer, or a confused client). */
function signGrant(grant: Omit<Grant, "signature">, secretKey: Uint8Array): GrantBytes {
  const body = encodeGrant(sodium, { ...grant, signature: new Uint8Array(64) }).slice(0, -64);
  return concat(body, signWithLabel(sodium, LABEL.grant, body, secretKey)) as GrantBytes;
}

describe("grant encoding", () => {
  it("round-trips, one grant per reader, naming the record", () => {
    expect(s.e2.grants).toHaveLength(s.e2.parsed.readers.length);
    for (const bytes of s.e2.grants) {
      const g = parseGrant(sodium, bytes);
      expect(encodeGrant(sodium, g)).toEqual(bytes);
      expect(g.recordHash).toEqual(s.e2.parsed.hash);
      expect(g.signerPk).toEqual(s.h.people.vera.signing.publicKey);
    }
  });

  it("seals K alone to the help-seeker and to everyone in epoch 0, K||S to staff later", () => {
    const sizes = (start: typeof s.e0) =>
      start.parsed.readers.map((r, i) => [r.kind, parseGrant(sodium, start.grants[i]!).sealed.length]);
    expect(new Set(sizes(s.e0).map(([, n]) => n))).toEqual(new Set([GRANT_SEALED_MAIN]));
    for (const [kind, n] of sizes(s.e2))
      expect(n).toBe(kind === "seeker" ? GRANT_SEALED_MAIN : GRANT_SEALED_STAFF);
  });

  it("refuses another version or type, trailing bytes and a staff-sized seal in epoch 0", () => {
    const b = s.e2.grants[0]!;
    const at = (i: number, v: number) => {
      const c = b.slice();
      c[i] = v;
      return c as GrantBytes;
    };
    expect(codeOf(() => parseGrant(sodium, at(0, 9)))).toBe("UNSUPPORTED_VERSION");
    expect(codeOf(() => parseGrant(sodium, at(1, 4)))).toBe("WRONG_TYPE");
    expect(codeOf(() => parseGrant(sodium, concat(b, Uint8Array.of(0)) as GrantBytes))).toBe("MALFORMED");
    const staffGrant = parseGrant(sodium, grantTo(s.h.people.anna.box.publicKey));
    const epoch0 = encodeGrant(sodium, { ...staffGrant, epoch: 0 });
    expect(codeOf(() => parseGrant(sodium, epoch0))).toBe("MALFORMED");
  });

  it("seals as crypto_box_seal does: crypto_box_seal_open opens it", () => {
    const kp = boxKeys(sodium, 3);
    const sealed = sealToBox(sodium, Uint8Array.of(1, 2, 3), kp.publicKey, testRandom(sodium, 3));
    expect(sodium.crypto_box_seal_open(sealed, kp.publicKey, kp.secretKey)).toEqual(Uint8Array.of(1, 2, 3));
  });
});

describe("verifyGrant", () => {
  it("rejects every single-bit flip at every byte position", () => {
    const bytes = grantTo(s.h.people.anna.box.publicKey);
    for (const mutated of everySingleBitFlip(bytes)) {
      expect(() => verifyGrant(sodium, mutated as GrantBytes, s.e2.parsed)).toThrow(CryptoError);
    }
  });

  it("rejects any flipped bit (property)", () => {
    const bytes = grantTo(s.h.seeker.box.publicKey);
    fc.assert(
      fc.property(fc.nat(bytes.length - 1), fc.nat(7), (pos, bit) => {
        const mutated = bytes.slice();
        mutated[pos] = mutated[pos]! ^ (1 << bit);
        expect(() => verifyGrant(sodium, mutated as GrantBytes, s.e2.parsed)).toThrow(CryptoError);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses a grant for another record", () => {
    expect(codeOf(() => verifyGrant(sodium, grantTo(s.h.people.anna.box.publicKey), s.e1.parsed))).toBe(
      "WRONG_CONTEXT",
    );
  });

  it("refuses a grant signed by someone other than the record's signer", () => {
    const g = parseGrant(sodium, grantTo(s.h.people.anna.box.publicKey));
    // Wim is a supervisor, but he did not sign this record.
    const byWim = signGrant(
      { ...g, signerPk: s.h.people.wim.signing.publicKey },
      s.h.people.wim.signing.secretKey,
    );
    expect(codeOf(() => verifyGrant(sodium, byWim, s.e2.parsed))).toBe("SIGNER_NOT_ALLOWED");
    // Claiming Vera as signer without her secret key.
    const forged = signGrant(g, s.h.people.wim.signing.secretKey);
    expect(codeOf(() => verifyGrant(sodium, forged, s.e2.parsed))).toBe("BAD_SIGNATURE");
  });

  it("refuses a grant to someone who is not a reader", () => {
    const outsider = boxKeys(sodium, 500);
    const g = parseGrant(sodium, grantTo(s.h.people.anna.box.publicKey));
    const toOutsider = signGrant(
      { ...g, recipientBoxPk: outsider.publicKey },
      s.h.people.vera.signing.secretKey,
    );
    expect(codeOf(() => verifyGrant(sodium, toOutsider, s.e2.parsed))).toBe("NOT_A_READER");
    const reader: Reader = { ...s.e2.parsed.readers[0]!, boxPk: outsider.publicKey };
    const create = () =>
      createGrant(sodium, {
        record: s.e2.parsed,
        recipient: reader,
        keys: s.e2.keys,
        signer: s.h.people.vera.signing,
        random: s.random,
      });
    expect(codeOf(create)).toBe("NOT_A_READER");
  });

  it("refuses a staff key sealed to the help-seeker", () => {
    const g = parseGrant(sodium, grantTo(s.h.seeker.box.publicKey));
    const sealed = sealToBox(sodium, new Uint8Array(64), s.h.seeker.box.publicKey, s.random);
    const leaky = signGrant({ ...g, sealed }, s.h.people.vera.signing.secretKey);
    expect(codeOf(() => verifyGrant(sodium, leaky, s.e2.parsed))).toBe("MALFORMED");
  });
});

describe("grant checks a hostile client or server meets", () => {
  it("encodes no signature of another length and parses no seal of another size (MALFORMED)", () => {
    const g = parseGrant(sodium, grantTo(s.h.people.anna.box.publicKey));
    expect(codeOf(() => encodeGrant(sodium, { ...g, signature: new Uint8Array(63) }))).toBe("MALFORMED");
    const odd = encodeGrant(sodium, { ...g, sealed: g.sealed.subarray(0, GRANT_SEALED_MAIN + 1) });
    expect(codeOf(() => parseGrant(sodium, odd))).toBe("MALFORMED");
  });

  it("createGrant refuses keys of another epoch, another signer, and a staff grant without the staff key", () => {
    const staff = s.e2.parsed.readers.find((r) => r.kind === "staff")!;
    const make = (o: Partial<Parameters<typeof createGrant>[1]>) => () =>
      createGrant(sodium, {
        record: s.e2.parsed,
        recipient: staff,
        keys: s.e2.keys,
        signer: s.h.people.vera.signing,
        random: s.random,
        ...o,
      });
    expect(codeOf(make({}))).toBeUndefined();
    expect(codeOf(make({ keys: { ...s.e2.keys, epoch: 1 } }))).toBe("WRONG_CONTEXT");
    expect(codeOf(make({ signer: s.h.people.wim.signing }))).toBe("SIGNER_NOT_ALLOWED");
    expect(codeOf(make({ keys: { epoch: 2, key: s.e2.keys.key } }))).toBe("MALFORMED");
  });

  it("createGrant wipes the joined K||S once sealed and leaves the caller's key alone", () => {
    const sealedPlain: Uint8Array[] = [];
    const spying = new Proxy(sodium, {
      get(target, prop, receiver) {
        if (prop === "crypto_box_easy") {
          return (...args: Parameters<Sodium["crypto_box_easy"]>) => {
            sealedPlain.push(args[0] as Uint8Array);
            return target.crypto_box_easy(...args);
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    }) as Sodium;
    const keys = { ...s.e2.keys, key: s.e2.keys.key.slice() as EpochKey };
    for (const recipient of s.e2.parsed.readers) {
      createGrant(spying, {
        record: s.e2.parsed,
        recipient,
        keys,
        signer: s.h.people.vera.signing,
        random: s.random,
      });
    }
    const joined = sealedPlain.filter((p) => p.length === 64);
    expect(joined.length).toBeGreaterThan(0);
    expect(joined.every((p) => p.every((b) => b === 0))).toBe(true);
    expect(keys.key).toEqual(s.e2.keys.key);
  });

  it("verifyGrant refuses a grant altered to name another helpline, thread or epoch (WRONG_CONTEXT)", () => {
    const g = parseGrant(sodium, grantTo(s.h.people.anna.box.publicKey));
    for (const change of [
      { helplineId: testId<HelplineId>(sodium, 9, "helpline") },
      { threadId: testId<ThreadId>(sodium, 9, "thread") },
      { epoch: 3 },
    ]) {
      const altered = encodeGrant(sodium, { ...g, ...change });
      expect(codeOf(() => verifyGrant(sodium, altered, s.e2.parsed))).toBe("WRONG_CONTEXT");
    }
  });
});

describe("openGrant", () => {
  it("gives staff K and S, the help-seeker K only", () => {
    const anna = openGrant(sodium, grantTo(s.h.people.anna.box.publicKey), s.e2.parsed, s.h.people.anna.box);
    expect(anna).toEqual(s.e2.keys);
    const seeker = openGrant(sodium, grantTo(s.h.seeker.box.publicKey), s.e2.parsed, s.h.seeker.box);
    expect(seeker).toEqual({ epoch: 2, key: s.e2.keys.key });
  });

  it("refuses someone else's grant and a wrong box key", () => {
    const annas = grantTo(s.h.people.anna.box.publicKey);
    expect(codeOf(() => openGrant(sodium, annas, s.e2.parsed, s.h.people.vera.box))).toBe("NOT_A_READER");
    const impostor = { publicKey: s.h.people.anna.box.publicKey, secretKey: boxKeys(sodium, 501).secretKey };
    expect(codeOf(() => openGrant(sodium, annas, s.e2.parsed, impostor))).toBe("DECRYPT_FAILED");
    // The sealed box's own failure stays attached for diagnosis.
    expect(() => openGrant(sodium, annas, s.e2.parsed, impostor)).toThrow(
      expect.objectContaining({ cause: expect.any(Error) }),
    );
  });

  it("refuses keys that do not match the record's commitments", () => {
    const wrongMain = { ...s.e2.keys, key: new Uint8Array(32).fill(9) as EpochKey };
    const reader = s.e2.parsed.readers.find((r) => r.memberId === s.h.people.anna.member.memberId)!;
    const signer = s.h.people.vera.signing;
    const bad = createGrant(sodium, {
      record: s.e2.parsed,
      recipient: reader,
      keys: wrongMain,
      signer,
      random: s.random,
    });
    expect(codeOf(() => openGrant(sodium, bad, s.e2.parsed, s.h.people.anna.box))).toBe(
      "KEY_COMMITMENT_MISMATCH",
    );
    const wrongStaff = { ...s.e2.keys, staffKey: s.e1.keys.staffKey };
    const bad2 = createGrant(sodium, {
      record: s.e2.parsed,
      recipient: reader,
      keys: wrongStaff,
      signer,
      random: s.random,
    });
    expect(codeOf(() => openGrant(sodium, bad2, s.e2.parsed, s.h.people.anna.box))).toBe(
      "KEY_COMMITMENT_MISMATCH",
    );
  });
});
