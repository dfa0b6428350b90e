import { describe, expect, it } from "vitest";
import type { BoxPublicKey, RootPublicKey } from "../core/brand.js";
import { boxKeyPairFromSeed } from "../core/key-pair-from-seed.js";
import { seededRandom } from "../core/random.js";
import { loadSodium } from "../core/sodium.js";
import { generateRootKey } from "./root-key.js";
import { openSharedRoot, shareRootSeed } from "./root-share.js";

const sodium = await loadSodium();
const random = seededRandom(sodium, new Uint8Array(32).fill(9));

describe("sharing the root seed between supervisors", () => {
  const root = generateRootKey(sodium, random);
  const alice = boxKeyPairFromSeed(sodium, random(32));
  const mallory = boxKeyPairFromSeed(sodium, random(32));

  it("the recipient recovers exactly the pinned root", () => {
    const sealed = shareRootSeed(sodium, root.seed, alice.publicKey, random);
    const opened = openSharedRoot(sodium, sealed, alice, root.keyPair.publicKey);
    expect(opened.keyPair.publicKey).toEqual(root.keyPair.publicKey);
    expect(opened.seed).toEqual(root.seed);
  });

  it("someone else cannot open it", () => {
    const sealed = shareRootSeed(sodium, root.seed, alice.publicKey, random);
    expect(() => openSharedRoot(sodium, sealed, mallory, root.keyPair.publicKey)).toThrow(
      expect.objectContaining({ code: "DECRYPT_FAILED" }),
    );
  });

  it("a substituted seed (the server's own root) is refused", () => {
    const other = generateRootKey(sodium, random);
    const sealed = shareRootSeed(sodium, other.seed, alice.publicKey as BoxPublicKey, random);
    expect(() => openSharedRoot(sodium, sealed, alice, root.keyPair.publicKey as RootPublicKey)).toThrow(
      expect.objectContaining({ code: "ROSTER_WRONG_ROOT" }),
    );
  });
});
