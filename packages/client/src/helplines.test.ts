/**
 * The helpline directory (helplines.ts): pinned roots, verified roster chains and the roster heads a
 * device remembers (PROTOCOL.md §3), against a fake server (test-support/directory-world.ts). The
 * mutation tests of the same file: helplines-hostile.test.ts.
 */
import {
  generateRootKey,
  type HelplineId,
  nextRoster,
  parseRoster,
  type RootKey,
  type RosterBytes,
  rootFingerprint,
  type Sodium,
  systemRandom,
  toBase64,
} from "@briefgeheim/crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  clientWith,
  code,
  fakeFetch,
  member,
  rosterChain,
  rosterChainFrom,
  useDirectoryWorld,
} from "../test-support/directory-world.js";
import { createClient } from "./client.js";
import { memoryDeviceMemory } from "./device-memory.js";
import { rosterHeadKey } from "./helplines.js";

let sodium: Sodium;
let helplineId: HelplineId;
let root: RootKey;
let chain: RosterBytes[];
const w = useDirectoryWorld();
beforeAll(() => {
  ({ sodium, helplineId, root, chain } = w);
});

describe("HelplineDirectory: pinned roots and verified roster chains", () => {
  it("verifies the chain from version 1 against a pinned fingerprint and keeps every version", async () => {
    const client = await clientWith({ pin: rootFingerprint(sodium, root.keyPair.publicKey) });
    const trusted = await client.helplines.trust(helplineId);
    expect(trusted.pinnedBy).toBe("fingerprint");
    expect(trusted.roster.version).toBe(2);
    expect(trusted.roster.members.map((m) => m.displayName).sort()).toEqual(["Anna", "Sanne"]);
    expect(client.helplines.roster(helplineId, 1)?.members.map((m) => m.displayName)).toEqual(["Sanne"]);
    expect(client.helplines.roster(helplineId, 3)).toBeUndefined();
    expect((await client.helplines.byTag(7)).id).toBe(helplineId);
    expect(await code(client.helplines.byTag(8))).toBe("NO_SUCH_HELPLINE");
  });

  it("refuses a roster going backwards within a session (ROSTER_ROLLBACK)", async () => {
    const client = await clientWith({ pin: toBase64(sodium, root.keyPair.publicKey) });
    expect((await client.helplines.trust(helplineId)).roster.version).toBe(2);
    w.served = { ...w.served, rosters: chain.slice(0, 1) };
    expect(await code(client.helplines.latestRoster(helplineId))).toBe("ROSTER_ROLLBACK");
  });

  it("refuses rosters of another root, even when the server also names that root (ROSTER_WRONG_ROOT)", async () => {
    const other = generateRootKey(sodium, systemRandom(sodium));
    w.served = { rootPk: toBase64(sodium, other.keyPair.publicKey), rosters: rosterChain(other) };
    const pinned = await clientWith({ pin: toBase64(sodium, root.keyPair.publicKey) });
    expect(await code(pinned.helplines.trust(helplineId))).toBe("ROSTER_WRONG_ROOT");
    // Trusted on first use, then swapped by the server: refused too.
    w.served = { rootPk: toBase64(sodium, root.keyPair.publicKey), rosters: chain };
    const tofuMemory = memoryDeviceMemory();
    const tofu = await clientWith({ trustOnFirstUse: true, memory: tofuMemory });
    expect((await tofu.helplines.trust(helplineId)).pinnedBy).toBe("first-use");
    w.served = { rootPk: toBase64(sodium, other.keyPair.publicKey), rosters: rosterChain(other, 3) };
    // Protocol 2 judges a roster after v1 by the roster before it: the other root's v3 does not follow.
    expect(await code(tofu.helplines.latestRoster(helplineId))).toBe("ROSTER_CHAIN_BROKEN");
    // A fresh client of this device (which remembers the head) that starts from the other chain's v1.
    const fresh = await clientWith({ trustOnFirstUse: true, memory: tofuMemory });
    expect(await code(fresh.helplines.trust(helplineId))).toBe("ROSTER_FORK");
  });

  it("refuses a chain that skips version 1 or withholds versions the server says exist", async () => {
    const pin = toBase64(sodium, root.keyPair.publicKey);
    // The server hides roster v1 and serves only v2 to a client with no trusted state.
    const hiding = await createClient({
      baseUrl: "http://fake",
      origin: "http://fake",
      pins: { [helplineId]: pin },
      fetch: async (input) => {
        if (!new URL(String(input)).pathname.endsWith("/rosters")) return fakeFetch(input);
        return new Response(
          JSON.stringify({ rosters: [toBase64(sodium, chain[1]!)], latestVersion: 2, nextAfter: null }),
          { status: 200, headers: { "Content-Type": "application/json" } },
        );
      },
    });
    expect(await code(hiding.helplines.trust(helplineId))).toBe("ROSTER_CHAIN_BROKEN");
    // The server says version 2 exists but sends only version 1.
    w.served = { ...w.served, rosters: chain.slice(0, 1), latestVersion: 2 };
    expect(await code((await clientWith({ pin })).helplines.trust(helplineId))).toBe("ROSTER_CHAIN_BROKEN");
  });

  it("refuses an unpinned helpline without trust on first use, and one that is not set up", async () => {
    expect(await code((await clientWith({})).helplines.trust(helplineId))).toBe("ROOT_NOT_PINNED");
    w.served = { rootPk: null, rosters: [] };
    expect(await code((await clientWith({ trustOnFirstUse: true })).helplines.trust(helplineId))).toBe(
      "HELPLINE_NOT_READY",
    );
  });
});

describe("HelplineDirectory: roster heads remembered on the device (PROTOCOL.md §3)", () => {
  it("remembers the newest verified head and serves rosters of the chain by version with their hash", async () => {
    const memory = memoryDeviceMemory();
    const client = await clientWith({ pin: toBase64(sodium, root.keyPair.publicKey), memory });
    await client.helplines.trust(helplineId);
    const head = JSON.parse(memory.get(rosterHeadKey(helplineId))!);
    expect(head).toEqual({ version: 2, hash: toBase64(sodium, parseRoster(sodium, chain[1]!).hash) });
    expect(client.helplines.rememberedHead(helplineId)).toEqual(head);
    const v1 = client.helplines.rosterByVersion(helplineId, 1);
    expect(v1?.roster.version).toBe(1);
    expect(v1?.hash).toEqual(parseRoster(sodium, chain[0]!).hash);
    expect(client.helplines.rosterByVersion(helplineId, 3)).toBeUndefined();
  });

  it("a server that hides the newest roster from a device that remembers it: ROSTER_ROLLBACK (new session too)", async () => {
    const memory = memoryDeviceMemory();
    const pin = toBase64(sodium, root.keyPair.publicKey);
    await (await clientWith({ pin, memory })).helplines.trust(helplineId);
    // The next visit (a fresh client, same device): the server shows only v1 and says it is the newest.
    w.served = { ...w.served, rosters: chain.slice(0, 1) };
    const later = await clientWith({ pin, memory });
    expect(await code(later.helplines.trust(helplineId))).toBe("ROSTER_ROLLBACK");
    // A device without the memory cannot tell (the residual risk THREAT-MODEL.md names).
    expect((await (await clientWith({ pin })).helplines.trust(helplineId)).roster.version).toBe(1);
  });

  it("a server that serves a conflicting roster of a remembered version: ROSTER_FORK", async () => {
    const memory = memoryDeviceMemory();
    const pin = toBase64(sodium, root.keyPair.publicKey);
    await (await clientWith({ pin, memory })).helplines.trust(helplineId);
    // A second v2, validly signed by the root (a fork made while the real v2 was hidden), and a v3 on it.
    const forkV2 = nextRoster(
      sodium,
      parseRoster(sodium, chain[0]!),
      { add: [member("counsellor", "Mallory")] },
      root.keyPair,
      9,
    );
    const forkV3 = nextRoster(
      sodium,
      parseRoster(sodium, forkV2),
      { add: [member("counsellor", "Eve")] },
      root.keyPair,
      10,
    );
    w.served = { ...w.served, rosters: [chain[0]!, forkV2, forkV3] };
    expect(await code((await clientWith({ pin, memory })).helplines.trust(helplineId))).toBe("ROSTER_FORK");
    // The remembered head is not replaced by the fork.
    expect(JSON.parse(memory.get(rosterHeadKey(helplineId))!).version).toBe(2);
  });

  it("a newer chain that contains the remembered head is accepted and moves the head on", async () => {
    const memory = memoryDeviceMemory();
    const pin = toBase64(sodium, root.keyPair.publicKey);
    await (await clientWith({ pin, memory })).helplines.trust(helplineId);
    w.served = { ...w.served, rosters: rosterChainFrom(chain, 3) };
    expect((await (await clientWith({ pin, memory })).helplines.trust(helplineId)).roster.version).toBe(3);
    expect(JSON.parse(memory.get(rosterHeadKey(helplineId))!).version).toBe(3);
    // An unreadable entry counts as nothing remembered (only weakens detection to a fresh device's).
    memory.set(rosterHeadKey(helplineId), "{not json");
    expect((await (await clientWith({ pin, memory })).helplines.trust(helplineId)).roster.version).toBe(3);
  });
});
