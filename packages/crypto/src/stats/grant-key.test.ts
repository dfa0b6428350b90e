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
import { encodeGrant, parseGrant } from "../threads/grant.js";
import { openGrant } from "../threads/grant-open.js";
import { openGrantKeyForCounting } from "./grant-key.js";

const sodium = await loadSodium();
const s = threadStory(sodium, 21);
const vera = s.h.people.vera;
const ines = s.h.people.ines;
const mine = (box: typeof vera.box) =>
  s.e0.grants.find((g) => samePublicBytes(parseGrant(sodium, g).recipientBoxPk, box.publicKey))!;

describe("openGrantKeyForCounting", () => {
  it("gives the same K_0 as openGrant", () => {
    expect(openGrantKeyForCounting(sodium, mine(vera.box), s.e0.parsed, vera.box)).toEqual(
      openGrant(sodium, mine(vera.box), s.e0.parsed, vera.box).key,
    );
  });

  it("refuses another reader's grant, a grant of another record, and a grant that seals another key", () => {
    expect(codeOf(() => openGrantKeyForCounting(sodium, mine(ines.box), s.e0.parsed, vera.box))).toBe(
      "NOT_A_READER",
    );
    expect(codeOf(() => openGrantKeyForCounting(sodium, mine(vera.box), s.e1.parsed, vera.box))).toBe(
      "WRONG_CONTEXT",
    );
    // A server's grant to Vera for the real record, sealing a key of its own (and a garbage signature):
    // the record's commitment refuses it.
    const forged = encodeGrant(sodium, {
      ...parseGrant(sodium, mine(vera.box)),
      sealed: sealToBox(
        sodium,
        new Uint8Array(32).fill(7),
        vera.box.publicKey,
        seededRandom(sodium, new Uint8Array(32)),
      ),
      signature: new Uint8Array(64),
    }) as GrantBytes;
    expect(codeOf(() => openGrantKeyForCounting(sodium, forged, s.e0.parsed, vera.box))).toBe(
      "KEY_COMMITMENT_MISMATCH",
    );
  });

  it("a grant a server altered to name another helpline, thread or epoch is WRONG_CONTEXT, record hash and all", () => {
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
      expect(codeOf(() => openGrantKeyForCounting(sodium, altered, s.e0.parsed, vera.box))).toBe(
        "WRONG_CONTEXT",
      );
    }
  });

  it("a grant for me whose box does not open is DECRYPT_FAILED, keeping the failure as cause", () => {
    const toInes = encodeGrant(sodium, {
      ...parseGrant(sodium, mine(vera.box)),
      sealed: sealToBox(
        sodium,
        new Uint8Array(32).fill(7),
        ines.box.publicKey,
        seededRandom(sodium, new Uint8Array(32)),
      ),
    });
    let caught: unknown;
    try {
      openGrantKeyForCounting(sodium, toInes, s.e0.parsed, vera.box);
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
    const key = openGrantKeyForCounting(spying, mine(vera.box), s.e0.parsed, vera.box);
    expect(key).toEqual(openGrant(sodium, mine(vera.box), s.e0.parsed, vera.box).key);
    expect(opened).toHaveLength(1);
    expect(opened[0]).toEqual(new Uint8Array(32));
  });
});
