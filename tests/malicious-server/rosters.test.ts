/**
 * A server that substitutes keys through the roster (docs/THREAT-MODEL.md §3.4 "Cannot substitute
 * keys"): a chain founded by another root, a member's key swapped inside a signed roster, rosters
 * withheld or rolled back. The person is a help-seeker starting on a fresh client (what
 * `startSeeker` refuses is what the app shows) or staff whose client already verified the chain.
 */
import { startSeeker } from "@briefgeheim/client";
import {
  generateRootKey,
  loadSodium,
  type MemberId,
  type Sodium,
  signRoster,
  systemRandom,
  toBase64,
} from "@briefgeheim/crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { dropAt, replaceBytes } from "./mutations.js";
import { createWorld, endAttack, failure, type World } from "./world.js";

let w: World;
let sodium: Sodium;

beforeAll(async () => {
  w = await createWorld();
  sodium = await loadSodium();
});
afterEach(() => endAttack(w));
afterAll(async () => {
  await w?.close();
});

/** A fresh help-seeker client (pinned to the real root) starting a conversation with the helpline. */
const freshSeeker = async () => startSeeker(await w.client(), { helplineId: w.helplineId });

/** The server's own root and a roster v1 it signs, listing a supervisor whose keys it holds. */
function attackerChain(): { roster: string; rootPk: string } {
  const random = systemRandom(sodium);
  const root = generateRootKey(sodium, random);
  const keys = generateRootKey(sodium, random).keyPair; // any Ed25519 pair: the listed member's key
  const bytes = signRoster(
    sodium,
    {
      helplineId: w.helplineId,
      version: 1,
      prevHash: new Uint8Array(32),
      issuedAt: Date.now(),
      members: [
        {
          memberId: w.annaId as MemberId,
          role: "supervisor",
          intakeReader: true,
          signPk: keys.publicKey as never,
          boxPk: sodium.crypto_box_keypair().publicKey as never,
          displayName: "Vera",
        },
      ],
    },
    root.keyPair,
  );
  return { roster: toBase64(sodium, bytes), rootPk: toBase64(sodium, root.keyPair.publicKey) };
}

describe("rosters: key substitution, withheld and rolled-back rosters", () => {
  it("without an attack a fresh help-seeker client verifies the chain and starts", async () => {
    const seeker = await freshSeeker();
    expect(seeker.helplineId).toBe(w.helplineId);
    const roster = await seeker.client.helplines.latestRoster(w.helplineId);
    expect(roster.members.map((m) => m.displayName).sort()).toEqual(["Anna", "Vera"]);
  });

  it("a roster chain founded by another root: ROSTER_WRONG_ROOT", async () => {
    const forged = attackerChain();
    w.server.onResponse("GET /api/helplines/:helplineId/rosters", (page) => ({
      ...page,
      rosters: page.rosters.length === 0 ? [] : [forged.roster],
      latestVersion: 1,
    }));
    const refused = await failure(freshSeeker());
    expect([refused.code, refused.source]).toEqual(["ROSTER_WRONG_ROOT", "crypto"]);
  });

  it("another root in the helpline listing as well as in the chain: ROSTER_WRONG_ROOT (the pin decides)", async () => {
    const forged = attackerChain();
    w.server.onResponse("GET /api/helplines", (page) => ({
      ...page,
      helplines: page.helplines.map((h) => (h.id === w.helplineId ? { ...h, rootPk: forged.rootPk } : h)),
    }));
    w.server.onResponse("GET /api/helplines/:helplineId/rosters", (page) => ({
      ...page,
      rosters: [forged.roster],
      latestVersion: 1,
    }));
    expect((await failure(freshSeeker())).code).toBe("ROSTER_WRONG_ROOT");
  });

  it("a member's key replaced inside a signed roster: BAD_SIGNATURE", async () => {
    const roster = await w.vera.client.helplines.latestRoster(w.helplineId);
    const anna = roster.members.find((m) => m.memberId === w.annaId)!;
    const serverKey = sodium.crypto_box_keypair().publicKey;
    w.server.onResponse("GET /api/helplines/:helplineId/rosters", (page) => ({
      ...page,
      rosters: page.rosters.map((r) => {
        try {
          return replaceBytes(r, anna.boxPk, serverKey);
        } catch {
          return r; // rosters from before Anna was listed
        }
      }),
    }));
    const refused = await failure(freshSeeker());
    expect([refused.code, refused.source]).toEqual(["BAD_SIGNATURE", "crypto"]);
    // The staff member's signing key swapped instead: the same.
    w.server.reset();
    w.server.onResponse("GET /api/helplines/:helplineId/rosters", (page) => ({
      ...page,
      rosters: page.rosters.map((r, i) =>
        i === page.rosters.length - 1 ? replaceBytes(r, anna.signPk, serverKey) : r,
      ),
    }));
    expect((await failure(freshSeeker())).code).toBe("BAD_SIGNATURE");
  });

  it("the newest roster withheld while the server says it exists: ROSTER_CHAIN_BROKEN", async () => {
    w.server.onResponse("GET /api/helplines/:helplineId/rosters", (page) => ({
      ...page,
      rosters: page.rosters.slice(0, -1),
    }));
    expect((await failure(freshSeeker())).code).toBe("ROSTER_CHAIN_BROKEN");
  });

  it("the first roster hidden (a chain that starts later): ROSTER_CHAIN_BROKEN", async () => {
    w.server.onResponse("GET /api/helplines/:helplineId/rosters", (page) => ({
      ...page,
      rosters: page.rosters.length === 0 ? [] : dropAt(page.rosters, 0),
    }));
    expect((await failure(freshSeeker())).code).toBe("ROSTER_CHAIN_BROKEN");
  });

  it("an older newest roster served to a client that verified a newer one: ROSTER_ROLLBACK", async () => {
    const seeker = await freshSeeker(); // verified the chain up to the current version
    const verified = (await seeker.client.helplines.latestRoster(w.helplineId)).version;
    expect(verified).toBeGreaterThan(1);
    w.server.onResponse("GET /api/helplines/:helplineId/rosters", (page) => ({
      ...page,
      rosters: [],
      latestVersion: verified - 1,
    }));
    const refused = await failure(seeker.openThread({ subject: "Vraag", body: "Hallo" }));
    expect([refused.code, refused.source]).toEqual(["ROSTER_ROLLBACK", "crypto"]);
  });
});
