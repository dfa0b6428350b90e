import { describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import { threadStory } from "../../test-support/thread-fixtures.js";
import type { GrantBytes, HelplineId, ThreadId } from "../core/brand.js";
import { samePublicBytes } from "../core/byte-order.js";
import { CryptoError } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { seededRandom } from "../core/random.js";
import { sealToBox } from "../core/sealed-box.js";
import { loadSodium, type Sodium } from "../core/sodium.js";
import { importNativeBoxKey } from "../core/x25519-native.js";
import { encodeGrant, parseGrant } from "../threads/grant.js";
import { openGrant } from "../threads/grant-open.js";
import { openGrantKeyForCounting } from "./grant-key.js";
import { openGrantKeyForCountingNative } from "./grant-key-native.js";
import { openSurveyRecord, sealSurveyRecord } from "./survey-record.js";

const sodium = await loadSodium();
const s = threadStory(sodium, 21);
const vera = s.h.people.vera;
const ines = s.h.people.ines;
const ctx0 = { helplineId: s.h.helplineId, threadId: s.threadId, epoch: 0 };
/** Vera's grant with its box sealed to Ines's key instead: it names Vera but does not open for her. */
const grantToVeraSealedToInes = () =>
  encodeGrant(sodium, {
    ...parseGrant(sodium, mine(vera.box)),
    sealed: sealToBox(
      sodium,
      new Uint8Array(32).fill(7),
      ines.box.publicKey,
      seededRandom(sodium, new Uint8Array(32)),
    ),
  });
const mine = (box: typeof vera.box) =>
  s.e0.grants.find((g) => samePublicBytes(parseGrant(sodium, g).recipientBoxPk, box.publicKey))!;

describe("openGrantKeyForCounting", () => {
  it("gives the same K_0 as openGrant", () => {
    expect(openGrantKeyForCounting(sodium, mine(vera.box), ctx0, vera.box)).toEqual(
      openGrant(sodium, mine(vera.box), s.e0.parsed, vera.box).key,
    );
  });

  it("refuses another reader's grant and a grant of another epoch", () => {
    expect(codeOf(() => openGrantKeyForCounting(sodium, mine(ines.box), ctx0, vera.box))).toBe(
      "NOT_A_READER",
    );
    expect(
      codeOf(() => openGrantKeyForCounting(sodium, mine(vera.box), { ...ctx0, epoch: 1 }, vera.box)),
    ).toBe("WRONG_CONTEXT");
  });

  it("a server's grant sealing a key of its own opens, but the help-seeker's answers do not open under that key", () => {
    // The count checks neither the grant's signature nor the record's key commitment (grant-key.ts says
    // why): what stops a made-up key is the answers' AEAD.
    const random = seededRandom(sodium, new Uint8Array(32).fill(9));
    const answers = sealSurveyRecord(sodium, ctx0, s.e0.keys.key, { age: "16-18" }, random);
    const forged = encodeGrant(sodium, {
      ...parseGrant(sodium, mine(vera.box)),
      sealed: sealToBox(sodium, new Uint8Array(32).fill(7), vera.box.publicKey, random),
      signature: new Uint8Array(64),
    }) as GrantBytes;
    const key = openGrantKeyForCounting(sodium, forged, ctx0, vera.box);
    expect(key).toEqual(new Uint8Array(32).fill(7));
    expect(codeOf(() => openSurveyRecord(sodium, answers, ctx0, key))).toBe("DECRYPT_FAILED");
    const real = openGrantKeyForCounting(sodium, mine(vera.box), ctx0, vera.box);
    expect(openSurveyRecord(sodium, answers, ctx0, real)).toEqual({ age: "16-18" });
  });

  it("a grant a server altered to name another helpline, thread or epoch is WRONG_CONTEXT", () => {
    // The signature is not checked for counting, so each context field must be compared on its own.
    const random = seededRandom(sodium, new Uint8Array(32).fill(3));
    const real = parseGrant(sodium, mine(vera.box));
    const changes = [
      { helplineId: newId<HelplineId>(sodium, random) },
      { threadId: newId<ThreadId>(sodium, random) },
      { epoch: 1 },
    ];
    for (const change of changes) {
      const altered = encodeGrant(sodium, { ...real, ...change });
      expect(codeOf(() => openGrantKeyForCounting(sodium, altered, ctx0, vera.box))).toBe("WRONG_CONTEXT");
    }
  });

  it("a grant for me whose box does not open is DECRYPT_FAILED, keeping the failure as cause", () => {
    const toInes = grantToVeraSealedToInes();
    let caught: unknown;
    try {
      openGrantKeyForCounting(sodium, toInes, ctx0, vera.box);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CryptoError);
    expect((caught as CryptoError).code).toBe("DECRYPT_FAILED");
    expect((caught as CryptoError).cause).toBeInstanceOf(Error);
  });

  it("wipes the opened box once the key is copied out", () => {
    const opened: Uint8Array[] = [];
    const spying = new Proxy(sodium, {
      get(target, prop, receiver) {
        if (prop === "crypto_box_seal_open") {
          return (...args: Parameters<Sodium["crypto_box_seal_open"]>) => {
            const out = target.crypto_box_seal_open(...args);
            opened.push(out as unknown as Uint8Array);
            return out;
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    }) as Sodium;
    const key = openGrantKeyForCounting(spying, mine(vera.box), ctx0, vera.box);
    expect(key).toEqual(openGrant(sodium, mine(vera.box), s.e0.parsed, vera.box).key);
    expect(opened).toHaveLength(1);
    expect(opened[0]).toEqual(new Uint8Array(32));
  });
});

describe("openGrantKeyForCountingNative", () => {
  it("gives what openGrantKeyForCounting gives, and refuses what it refuses with the same code", async () => {
    // Node has X25519 in Web Crypto, as Chromium has: the test needs it.
    const native = (await importNativeBoxKey(vera.box))!;
    expect(native).toBeDefined();
    const toInes = grantToVeraSealedToInes();
    const cases: [string, GrantBytes, typeof ctx0][] = [
      ["mine", mine(vera.box), ctx0],
      ["another reader's", mine(ines.box), ctx0],
      ["another epoch", mine(vera.box), { ...ctx0, epoch: 1 }],
      [
        "another thread",
        mine(vera.box),
        { ...ctx0, threadId: newId<ThreadId>(sodium, seededRandom(sodium, new Uint8Array(32))) },
      ],
      ["a box that does not open", toInes, ctx0],
    ];
    for (const [what, grant, ctx] of cases) {
      let sync: unknown;
      try {
        sync = openGrantKeyForCounting(sodium, grant, ctx, vera.box);
      } catch (e) {
        sync = (e as CryptoError).code;
      }
      let viaNative: unknown;
      try {
        viaNative = await openGrantKeyForCountingNative(sodium, grant, ctx, vera.box, native);
      } catch (e) {
        viaNative = (e as CryptoError).code;
      }
      expect(viaNative, what).toEqual(sync);
    }
  });
});
