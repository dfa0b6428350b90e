import { describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import { threadStory } from "../../test-support/thread-fixtures.js";
import type { GrantBytes } from "../core/brand.js";
import { samePublicBytes } from "../core/byte-order.js";
import { seededRandom } from "../core/random.js";
import { sealToBox } from "../core/sealed-box.js";
import { loadSodium } from "../core/sodium.js";
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
});
