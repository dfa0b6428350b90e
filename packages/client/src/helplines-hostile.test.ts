/**
 * Mutation tests (issue 8, docs/PROTOCOL.md §12) of the helpline directory: the remembered head as a
 * hostile server or a tampered device store meets it, and the directory's own bookkeeping.
 */
import {
  generateRootKey,
  type HelplineId,
  newId,
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
  fakeFetch,
  rosterChainFrom,
  useDirectoryWorld,
} from "../test-support/directory-world.js";
import { createClient } from "./client.js";
import { memoryDeviceMemory } from "./device-memory.js";
import { ClientError } from "./errors.js";
import { checkRememberedHead, HelplineDirectory, rosterHeadKey } from "./helplines.js";
import { PAGE_SIZE } from "./paging.js";

let sodium: Sodium;
let helplineId: HelplineId;
let root: RootKey;
let chain: RosterBytes[];
const w = useDirectoryWorld();
beforeAll(() => {
  ({ sodium, helplineId, root, chain } = w);
});

// Mutation tests (issue 8, docs/PROTOCOL.md §12): the remembered head as a hostile server or a
// tampered device store meets it, and the directory's own bookkeeping (which requests, which root).
describe("HelplineDirectory: remembered heads against a hostile server, and the directory's state", () => {
  const pinKey = () => toBase64(sodium, root.keyPair.publicKey);
  /** A client whose requests are recorded. */
  async function recorded(options: { pins?: Record<string, unknown>; trustOnFirstUse?: boolean } = {}) {
    const seen: URL[] = [];
    const client = await createClient({
      baseUrl: "http://fake",
      origin: "http://fake",
      fetch: (input) => {
        seen.push(new URL(String(input)));
        return fakeFetch(input);
      },
      pins: (options.pins ?? { [helplineId]: pinKey() }) as Record<string, string>,
      trustOnFirstUse: options.trustOnFirstUse ?? false,
    });
    const listings = () => seen.filter((u) => u.pathname === "/api/helplines").length;
    const rosterAfter = () =>
      seen.filter((u) => u.pathname.endsWith("/rosters")).map((u) => u.searchParams.get("after"));
    return { client, seen, listings, rosterAfter };
  }
  async function error(p: Promise<unknown>): Promise<ClientError> {
    try {
      await p;
    } catch (e) {
      if (e instanceof ClientError) return e;
      throw e;
    }
    throw new Error("no error");
  }
  function thrown(fn: () => void): ClientError {
    try {
      fn();
    } catch (e) {
      if (e instanceof ClientError) return e;
      throw e;
    }
    throw new Error("no error");
  }
  const parsed = (bytes: RosterBytes[]) => bytes.map((b) => parseRoster(sodium, b));
  const headOf = (r: { version: number; hash: Uint8Array }) => ({
    version: r.version,
    hash: toBase64(sodium, r.hash),
  });

  it("checkRememberedHead: a chain that ends at the remembered head passes; shorter or empty is ROSTER_ROLLBACK", () => {
    const three = parsed(rosterChainFrom(chain, 3));
    expect(() => checkRememberedHead(sodium, three, headOf(three[2]!))).not.toThrow();
    expect(() => checkRememberedHead(sodium, three, undefined)).not.toThrow();
    const short = thrown(() => checkRememberedHead(sodium, three.slice(0, 2), headOf(three[2]!)));
    expect([short.code, short.source]).toEqual(["ROSTER_ROLLBACK", "crypto"]);
    expect(short.message).toContain("this device verified");
    const empty = thrown(() => checkRememberedHead(sodium, [], headOf(three[0]!)));
    expect([empty.code, empty.source]).toEqual(["ROSTER_ROLLBACK", "crypto"]);
  });

  it("checkRememberedHead: another roster of the remembered version, or a chain without it: ROSTER_FORK", () => {
    const three = parsed(rosterChainFrom(chain, 3));
    const forked = thrown(() =>
      checkRememberedHead(sodium, three, { ...headOf(three[1]!), hash: headOf(three[0]!).hash }),
    );
    expect([forked.code, forked.source]).toEqual(["ROSTER_FORK", "crypto"]);
    // A chain that does not hold the remembered version at all (it starts above it).
    const missing = thrown(() => checkRememberedHead(sodium, three.slice(2), headOf(three[1]!)));
    expect([missing.code, missing.source]).toEqual(["ROSTER_FORK", "crypto"]);
  });

  const tamperedHeads: [string, unknown][] = [
    ["null", null],
    ["a number", 2],
    ["a version that is a string", { version: "1", hash: "x" }],
    ["a fractional version", { version: 1.5, hash: "x" }],
    ["version 0", { version: 0, hash: "x" }],
    ["a hash that is no string", { version: 1, hash: 1 }],
  ];
  for (const [what, stored] of tamperedHeads) {
    it(`a tampered remembered head (${what}) counts as nothing remembered, never as a fork`, async () => {
      const memory = memoryDeviceMemory();
      memory.set(rosterHeadKey(helplineId), JSON.stringify(stored));
      const client = await clientWith({ pin: pinKey(), memory });
      expect(client.helplines.rememberedHead(helplineId)).toBeUndefined();
      expect((await client.helplines.trust(helplineId)).roster.version).toBe(2);
    });
  }

  it("a remembered head of version 1 is checked: a server that forks v1 is ROSTER_FORK", async () => {
    const memory = memoryDeviceMemory();
    const v1 = parseRoster(sodium, chain[0]!);
    memory.set(
      rosterHeadKey(helplineId),
      JSON.stringify({ ...headOf(v1), hash: toBase64(sodium, new Uint8Array(32)) }),
    );
    const client = await clientWith({ pin: pinKey(), memory });
    expect(client.helplines.rememberedHead(helplineId)?.version).toBe(1);
    const e = await error(client.helplines.trust(helplineId));
    expect([e.code, e.source]).toEqual(["ROSTER_FORK", "crypto"]);
  });

  it("a build checkpoint the server forks below: ROSTER_FORK, even on a device that remembers nothing", async () => {
    const v1 = parseRoster(sodium, chain[0]!);
    const { client } = await recorded({
      pins: {
        [helplineId]: { root: pinKey(), roster: { version: 1, hash: toBase64(sodium, new Uint8Array(32)) } },
      },
    });
    const e = await error(client.helplines.trust(helplineId));
    expect([e.code, e.source]).toEqual(["ROSTER_FORK", "crypto"]);
    expect(e.message).toContain("this build was made with");
    const good = await recorded({ pins: { [helplineId]: { root: pinKey(), roster: headOf(v1) } } });
    expect((await good.client.helplines.trust(helplineId)).roster.version).toBe(2);
  });

  it("a server that rolls back or withholds rosters: the errors name the crypto check as source", async () => {
    const { client } = await recorded();
    await client.helplines.trust(helplineId);
    w.served = { ...w.served, rosters: chain.slice(0, 1) };
    const back = await error(client.helplines.latestRoster(helplineId));
    expect([back.code, back.source]).toEqual(["ROSTER_ROLLBACK", "crypto"]);
    w.served = { ...w.served, rosters: chain.slice(0, 1), latestVersion: 2 };
    const fresh = await recorded();
    const withheld = await error(fresh.client.helplines.trust(helplineId));
    expect([withheld.code, withheld.source]).toEqual(["ROSTER_CHAIN_BROKEN", "crypto"]);
  });

  it("a server that names a root but serves no roster: ROSTER_CHAIN_BROKEN (nothing to start from)", async () => {
    w.served = { ...w.served, rosters: [] };
    const { client } = await recorded();
    expect((await error(client.helplines.trust(helplineId))).code).toBe("ROSTER_CHAIN_BROKEN");
  });

  it("asks only for rosters after the newest verified, and keeps one roster per version", async () => {
    w.served = { ...w.served, rosters: rosterChainFrom(chain, 3) };
    const { client, rosterAfter } = await recorded();
    expect(client.helplines.cachedRoster(helplineId)).toBeUndefined();
    await client.helplines.trust(helplineId);
    await client.helplines.trust(helplineId);
    expect(rosterAfter()).toEqual(["0", "3"]);
    expect(client.helplines.cachedRoster(helplineId)?.version).toBe(3);
    expect([1, 2, 3, 4].map((v) => client.helplines.roster(helplineId, v)?.version)).toEqual([
      1,
      2,
      3,
      undefined,
    ]);
    const otherId = newId<HelplineId>(sodium, systemRandom(sodium));
    expect(client.helplines.roster(otherId, 1)).toBeUndefined();
    expect(client.helplines.cachedRoster(otherId)).toBeUndefined();
    expect(client.helplines.root(otherId)).toBeUndefined();
  });

  it("re-reads the listing before it first trusts a root and while the listing shows no root, not otherwise", async () => {
    const { client, listings } = await recorded();
    await client.helplines.list();
    expect(listings()).toBe(1);
    await client.helplines.trust(helplineId); // no root trusted yet: the listing is read again
    expect(listings()).toBe(2);
    await client.helplines.trust(helplineId); // root trusted and listed: no new listing
    expect(listings()).toBe(2);
    w.served = { ...w.served, rootPk: null };
    await client.helplines.list();
    const trusted = await client.helplines.trust(helplineId); // the listing shows no root: read again
    expect(listings()).toBe(4);
    // The root trusted earlier stays: the server's listing does not choose it.
    expect(trusted.fingerprint).toBe(rootFingerprint(sodium, root.keyPair.publicKey));
  });

  it("a server that names another root after first use cannot change the root a session trusts", async () => {
    const { client } = await recorded({ pins: {}, trustOnFirstUse: true });
    const first = await client.helplines.trust(helplineId);
    const other = generateRootKey(sodium, systemRandom(sodium));
    w.served = { ...w.served, rootPk: toBase64(sodium, other.keyPair.publicKey) };
    await client.helplines.list();
    const again = await client.helplines.trust(helplineId);
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(again.rootPk).toEqual(root.keyPair.publicKey);
  });

  it("pages through the directory with the page size and the server's cursor", async () => {
    const second = newId<HelplineId>(sodium, systemRandom(sodium));
    const seen: URL[] = [];
    const client = await createClient({
      baseUrl: "http://fake",
      origin: "http://fake",
      pins: {},
      fetch: async (input) => {
        const url = new URL(String(input));
        seen.push(url);
        const body = await (await fakeFetch(input)).json();
        const page2 = url.searchParams.get("cursor") === "page-2";
        if (page2) body.helplines[0].id = second;
        body.nextCursor = page2 ? null : "page-2";
        return new Response(JSON.stringify(body), {
          status: 200,
          headers: { "Content-Type": "application/json" },
        });
      },
    });
    expect((await client.helplines.list()).map((h) => h.id)).toEqual([helplineId, second]);
    expect(seen.map((u) => [u.searchParams.get("limit"), u.searchParams.get("cursor")])).toEqual([
      [String(PAGE_SIZE), null],
      [String(PAGE_SIZE), "page-2"],
    ]);
    expect((await client.helplines.get(second)).id).toBe(second);
    const unknown = newId<HelplineId>(sodium, systemRandom(sodium));
    expect((await error(client.helplines.get(unknown))).code).toBe("NO_SUCH_HELPLINE");
  });

  it("adoptCreatedRoot: trusts the root a first supervisor created, and refuses another one", async () => {
    const created = generateRootKey(sodium, systemRandom(sodium)).keyPair.publicKey;
    const { client } = await recorded({ pins: {} });
    expect(client.helplines.pinnedIds()).toEqual([]);
    const adopted = client.helplines.adoptCreatedRoot(helplineId, created);
    expect(adopted).toEqual({
      rootPk: created,
      fingerprint: rootFingerprint(sodium, created),
      pinnedBy: "created",
    });
    expect(client.helplines.root(helplineId)).toEqual(adopted);
    expect(client.helplines.adoptCreatedRoot(helplineId, created)).toBe(adopted);
    const other = generateRootKey(sodium, systemRandom(sodium)).keyPair.publicKey;
    expect(thrown(() => client.helplines.adoptCreatedRoot(helplineId, other)).code).toBe("ROSTER_WRONG_ROOT");
    // A build that pins the helpline: only the pinned root is adopted, and it says how it is pinned.
    const pinned = await recorded({ pins: { [helplineId]: rootFingerprint(sodium, created) } });
    expect(pinned.client.helplines.pinnedIds()).toEqual([helplineId]);
    expect(thrown(() => pinned.client.helplines.adoptCreatedRoot(helplineId, other)).code).toBe(
      "ROSTER_WRONG_ROOT",
    );
    expect(pinned.client.helplines.adoptCreatedRoot(helplineId, created).pinnedBy).toBe("fingerprint");
  });

  it("a directory without device memory remembers no head and still verifies", async () => {
    const { client } = await recorded();
    const bare = new HelplineDirectory({
      api: client.api,
      sodium,
      pins: { [helplineId]: pinKey() },
      trustOnFirstUse: false,
    });
    expect((await bare.trust(helplineId)).roster.version).toBe(2);
    expect(bare.rememberedHead(helplineId)).toBeUndefined();
  });
});
