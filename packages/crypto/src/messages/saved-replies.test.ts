import { describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import type { AccountKey, HelplineId } from "../core/brand.js";
import { newId } from "../core/ids.js";
import { SAVED_REPLIES } from "../core/labels.js";
import { seededRandom } from "../core/random.js";
import { loadSodium, type Sodium } from "../core/sodium.js";
import { deriveAccountKeys } from "../keys/account-keys.js";
import { openSavedReplies, parseSavedReplies, sealSavedReplies } from "./saved-replies.js";
import { deriveSavedRepliesKey } from "./saved-replies-key.js";
import {
  MAX_SAVED_REPLIES,
  MAX_SAVED_REPLY_TITLE_CHARS,
  type SavedRepliesContent,
} from "./saved-replies-payload.js";

const sodium = await loadSodium();
const random = seededRandom(sodium, new Uint8Array(32).fill(12));
const helplineId = newId<HelplineId>(sodium, random);
const accountKey = random(32) as AccountKey;
const key = deriveSavedRepliesKey(sodium, accountKey);
const content: SavedRepliesContent = {
  replies: [
    { id: newId(sodium, random), title: "Welkom", body: "Fijn dat je ons schrijft.\nWe lezen mee." },
    { id: newId(sodium, random), title: "Tot ziens", body: "Je mag altijd weer schrijven." },
  ],
  signature: { text: "Groet,\nAnna", auto: true },
};

describe("own saved replies (type 0x0c)", () => {
  it("round-trips with revision, replies and signature; the server can read only the header", () => {
    const bytes = sealSavedReplies(sodium, key, helplineId, 3, content, random);
    expect([bytes[0], bytes[1]]).toEqual([SAVED_REPLIES.version, SAVED_REPLIES.type]);
    expect(openSavedReplies(sodium, key, bytes, helplineId)).toEqual({ revision: 3, ...content });
    expect(parseSavedReplies(sodium, bytes)).toMatchObject({ type: 0x0c, helplineId, revision: 3 });
    // The server parses the whole structure: a sealed part's length that does not fit is refused.
    const stretched = bytes.slice();
    stretched[22] = (stretched[22] ?? 0) ^ 1;
    expect(codeOf(() => parseSavedReplies(sodium, stretched))).toBe("MALFORMED");
    // No plaintext in the bytes.
    expect(Buffer.from(bytes).includes(Buffer.from("Fijn dat je"))).toBe(false);
  });

  it("uses its own subkey of the account key, not the draft key", () => {
    const derived = deriveAccountKeys(sodium, accountKey);
    expect(Buffer.from(key).equals(Buffer.from(derived.draftKey))).toBe(false);
    const bytes = sealSavedReplies(sodium, key, helplineId, 1, content, random);
    expect(codeOf(() => openSavedReplies(sodium, derived.draftKey as never, bytes, helplineId))).toBe(
      "DECRYPT_FAILED",
    );
  });

  it("refuses every flipped byte: header bytes as the AD, the rest as the ciphertext", () => {
    const bytes = sealSavedReplies(sodium, key, helplineId, 2, content, random);
    const codes = new Set<string | undefined>();
    for (const at of [2, 17, 21, 30, bytes.length - 1]) {
      const bad = bytes.slice();
      bad[at] = (bad[at] ?? 0) ^ 1;
      codes.add(
        codeOf(() =>
          openSavedReplies(
            sodium,
            key,
            bad,
            newId(sodium, () => bad.subarray(2, 18)),
          ),
        ),
      );
    }
    // A flipped helpline byte is opened with the matching (flipped) id: the AD still catches it.
    expect(codes).toEqual(new Set(["DECRYPT_FAILED"]));
  });

  it("refuses a raised revision (bound in the AD): a server cannot renumber an old set", () => {
    const bytes = sealSavedReplies(sodium, key, helplineId, 2, content, random);
    const renumbered = bytes.slice();
    renumbered[21] = 9;
    expect(codeOf(() => openSavedReplies(sodium, key, renumbered, helplineId))).toBe("DECRYPT_FAILED");
  });

  it("refuses another helpline's set, another key, another type or version, trailing bytes", () => {
    const bytes = sealSavedReplies(sodium, key, helplineId, 1, content, random);
    expect(codeOf(() => openSavedReplies(sodium, key, bytes, newId(sodium, random)))).toBe("WRONG_CONTEXT");
    expect(
      codeOf(() =>
        openSavedReplies(sodium, deriveSavedRepliesKey(sodium, random(32) as AccountKey), bytes, helplineId),
      ),
    ).toBe("DECRYPT_FAILED");
    const typed = bytes.slice();
    typed[1] = 0x0d;
    expect(codeOf(() => openSavedReplies(sodium, key, typed, helplineId))).toBe("WRONG_TYPE");
    const versioned = bytes.slice();
    versioned[0] = 0x01;
    expect(codeOf(() => openSavedReplies(sodium, key, versioned, helplineId))).toBe("UNSUPPORTED_VERSION");
    const longer = new Uint8Array([...bytes, 0]);
    expect(codeOf(() => openSavedReplies(sodium, key, longer, helplineId))).toBe("MALFORMED");
    expect(codeOf(() => openSavedReplies(sodium, key, bytes.subarray(0, 20), helplineId))).toBe("MALFORMED");
  });

  it("bounds the set: replies, title characters, duplicate ids, revision from 1", () => {
    const reply = content.replies[0];
    if (reply === undefined) throw new Error("fixture");
    const many = Array.from({ length: MAX_SAVED_REPLIES + 1 }, () => ({
      ...reply,
      id: newId(sodium, random),
    }));
    const seal = (c: SavedRepliesContent, revision = 1) =>
      codeOf(() => sealSavedReplies(sodium, key, helplineId, revision, c, random));
    expect(seal({ ...content, replies: many })).toBe("TOO_LARGE");
    expect(seal({ ...content, replies: many.slice(0, MAX_SAVED_REPLIES) })).toBeUndefined();
    const title = "é".repeat(MAX_SAVED_REPLY_TITLE_CHARS);
    expect(seal({ ...content, replies: [{ ...reply, title }] })).toBeUndefined();
    expect(seal({ ...content, replies: [{ ...reply, title: `${title}x` }] })).toBe("TOO_LARGE");
    expect(seal({ ...content, replies: [reply, { ...reply, title: "twee" }] })).toBe("MALFORMED");
    expect(seal({ ...content, replies: [{ ...reply, id: "kort" }] })).toBe("MALFORMED");
    expect(seal(content, 0)).toBe("MALFORMED");
  });
});

describe("saved replies: nothing readable left behind", () => {
  it("wipes the padded plaintext after sealing and after opening", () => {
    const plain: Uint8Array[] = [];
    const spying = new Proxy(sodium, {
      get(target, prop, receiver) {
        if (prop === "crypto_aead_xchacha20poly1305_ietf_encrypt") {
          return (...args: Parameters<Sodium["crypto_aead_xchacha20poly1305_ietf_encrypt"]>) => {
            plain.push(args[0] as Uint8Array);
            return target.crypto_aead_xchacha20poly1305_ietf_encrypt(...args);
          };
        }
        if (prop === "crypto_aead_xchacha20poly1305_ietf_decrypt") {
          return (...args: Parameters<Sodium["crypto_aead_xchacha20poly1305_ietf_decrypt"]>) => {
            // The byte-array overload (no output format given); the spread picks the text overload.
            const out = target.crypto_aead_xchacha20poly1305_ietf_decrypt(...args) as unknown as Uint8Array;
            plain.push(out);
            return out;
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    }) as Sodium;
    const bytes = sealSavedReplies(spying, key, helplineId, 5, content, random);
    expect(openSavedReplies(spying, key, bytes, helplineId)).toEqual({ revision: 5, ...content });
    expect(plain).toHaveLength(2);
    expect(plain.every((p) => p.every((b) => b === 0))).toBe(true);
  });
});
