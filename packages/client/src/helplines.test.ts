import {
  deriveAccountKeys,
  generateAccountKey,
  generateRootKey,
  type HelplineId,
  loadSodium,
  type MemberId,
  newId,
  nextRoster,
  parseRoster,
  type RootKey,
  type RosterBytes,
  type RosterMember,
  rootFingerprint,
  type Sodium,
  signRoster,
  systemRandom,
  toBase64,
} from "@briefgeheim/crypto";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type BriefgeheimClient, createClient } from "./client.js";
import { type DeviceMemory, memoryDeviceMemory } from "./device-memory.js";
import { ClientError } from "./errors.js";
import { checkRememberedHead, HelplineDirectory, rosterHeadKey } from "./helplines.js";
import { PAGE_SIZE } from "./paging.js";

let sodium: Sodium;
let helplineId: HelplineId;
let root: RootKey;
let chain: RosterBytes[];

/** What the fake server answers; tests change it between calls. */
let served: { rootPk: string | null; rosters: RosterBytes[]; latestVersion?: number };

function member(role: RosterMember["role"], name: string): RosterMember {
  const keys = deriveAccountKeys(sodium, generateAccountKey(sodium, systemRandom(sodium)));
  return {
    memberId: newId<MemberId>(sodium, systemRandom(sodium)),
    role,
    intakeReader: false,
    signPk: keys.signing.publicKey,
    boxPk: keys.box.publicKey,
    displayName: name,
  };
}

function rosterChain(rootKey: RootKey, versions = 2): RosterBytes[] {
  const out: RosterBytes[] = [
    signRoster(
      sodium,
      {
        helplineId,
        version: 1,
        prevHash: new Uint8Array(32),
        issuedAt: 1,
        members: [member("supervisor", "Sanne")],
      },
      rootKey.keyPair,
    ),
  ];
  const names = ["Anna", "Bram", "Carla"];
  while (out.length < versions) {
    const add = [member("counsellor", names[out.length - 1]!)];
    out.push(nextRoster(sodium, parseRoster(sodium, out.at(-1)!), { add }, rootKey.keyPair, out.length + 1));
  }
  return out;
}

async function fakeFetch(input: RequestInfo | URL): Promise<Response> {
  const url = new URL(String(input));
  const json = (body: unknown) =>
    new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
  if (url.pathname === "/api/helplines") {
    return json({
      helplines: [
        {
          id: helplineId,
          slug: "een",
          name: "Hulplijn Een",
          description: "",
          replyTimeHours: 72,
          tag: 7,
          rootPk: served.rootPk,
          rosterVersion: served.rosters.length,
          lockAfterMinutes: 15,
          retentionDays: 365,
          createdAt: 1,
        },
      ],
      nextCursor: null,
    });
  }
  if (url.pathname === `/api/helplines/${helplineId}/rosters`) {
    const after = Number(url.searchParams.get("after") ?? 0);
    return json({
      rosters: served.rosters.slice(after).map((r) => toBase64(sodium, r)),
      latestVersion: served.latestVersion ?? served.rosters.length,
      nextAfter: null,
    });
  }
  return new Response(JSON.stringify({ error: { code: "NOT_FOUND", message: "no such route" } }), {
    status: 404,
  });
}

async function clientWith(options: {
  pin?: string;
  trustOnFirstUse?: boolean;
  memory?: DeviceMemory;
}): Promise<BriefgeheimClient> {
  return createClient({
    baseUrl: "http://fake",
    origin: "http://fake",
    fetch: fakeFetch,
    pins: options.pin === undefined ? {} : { [helplineId]: options.pin },
    trustOnFirstUse: options.trustOnFirstUse ?? false,
    ...(options.memory === undefined ? {} : { memory: options.memory }),
  });
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ClientError) return e.code;
    throw e;
  }
  return "no error";
}

beforeAll(async () => {
  sodium = await loadSodium();
  helplineId = newId<HelplineId>(sodium, systemRandom(sodium));
  root = generateRootKey(sodium, systemRandom(sodium));
  chain = rosterChain(root);
});
beforeEach(() => {
  served = { rootPk: toBase64(sodium, root.keyPair.publicKey), rosters: chain };
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
    served = { ...served, rosters: chain.slice(0, 1) };
    expect(await code(client.helplines.latestRoster(helplineId))).toBe("ROSTER_ROLLBACK");
  });

  it("refuses rosters of another root, even when the server also names that root (ROSTER_WRONG_ROOT)", async () => {
    const other = generateRootKey(sodium, systemRandom(sodium));
    served = { rootPk: toBase64(sodium, other.keyPair.publicKey), rosters: rosterChain(other) };
    const pinned = await clientWith({ pin: toBase64(sodium, root.keyPair.publicKey) });
    expect(await code(pinned.helplines.trust(helplineId))).toBe("ROSTER_WRONG_ROOT");
    // Trusted on first use, then swapped by the server: refused too.
    served = { rootPk: toBase64(sodium, root.keyPair.publicKey), rosters: chain };
    const tofuMemory = memoryDeviceMemory();
    const tofu = await clientWith({ trustOnFirstUse: true, memory: tofuMemory });
    expect((await tofu.helplines.trust(helplineId)).pinnedBy).toBe("first-use");
    served = { rootPk: toBase64(sodium, other.keyPair.publicKey), rosters: rosterChain(other, 3) };
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
    served = { ...served, rosters: chain.slice(0, 1), latestVersion: 2 };
    expect(await code((await clientWith({ pin })).helplines.trust(helplineId))).toBe("ROSTER_CHAIN_BROKEN");
  });

  it("refuses an unpinned helpline without trust on first use, and one that is not set up", async () => {
    expect(await code((await clientWith({})).helplines.trust(helplineId))).toBe("ROOT_NOT_PINNED");
    served = { rootPk: null, rosters: [] };
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
    served = { ...served, rosters: chain.slice(0, 1) };
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
    served = { ...served, rosters: [chain[0]!, forkV2, forkV3] };
    expect(await code((await clientWith({ pin, memory })).helplines.trust(helplineId))).toBe("ROSTER_FORK");
    // The remembered head is not replaced by the fork.
    expect(JSON.parse(memory.get(rosterHeadKey(helplineId))!).version).toBe(2);
  });

  it("a newer chain that contains the remembered head is accepted and moves the head on", async () => {
    const memory = memoryDeviceMemory();
    const pin = toBase64(sodium, root.keyPair.publicKey);
    await (await clientWith({ pin, memory })).helplines.trust(helplineId);
    served = { ...served, rosters: rosterChainFrom(chain, 3) };
    expect((await (await clientWith({ pin, memory })).helplines.trust(helplineId)).roster.version).toBe(3);
    expect(JSON.parse(memory.get(rosterHeadKey(helplineId))!).version).toBe(3);
    // An unreadable entry counts as nothing remembered (only weakens detection to a fresh device's).
    memory.set(rosterHeadKey(helplineId), "{not json");
    expect((await (await clientWith({ pin, memory })).helplines.trust(helplineId)).roster.version).toBe(3);
  });
});

/** `base` extended to `versions` rosters, each signed by the root. */
function rosterChainFrom(base: RosterBytes[], versions: number): RosterBytes[] {
  const out = [...base];
  while (out.length < versions) {
    out.push(
      nextRoster(
        sodium,
        parseRoster(sodium, out.at(-1)!),
        { add: [member("counsellor", `M${out.length}`)] },
        root.keyPair,
        out.length + 1,
      ),
    );
  }
  return out;
}

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
    served = { ...served, rosters: chain.slice(0, 1) };
    const back = await error(client.helplines.latestRoster(helplineId));
    expect([back.code, back.source]).toEqual(["ROSTER_ROLLBACK", "crypto"]);
    served = { ...served, rosters: chain.slice(0, 1), latestVersion: 2 };
    const fresh = await recorded();
    const withheld = await error(fresh.client.helplines.trust(helplineId));
    expect([withheld.code, withheld.source]).toEqual(["ROSTER_CHAIN_BROKEN", "crypto"]);
  });

  it("a server that names a root but serves no roster: ROSTER_CHAIN_BROKEN (nothing to start from)", async () => {
    served = { ...served, rosters: [] };
    const { client } = await recorded();
    expect((await error(client.helplines.trust(helplineId))).code).toBe("ROSTER_CHAIN_BROKEN");
  });

  it("asks only for rosters after the newest verified, and keeps one roster per version", async () => {
    served = { ...served, rosters: rosterChainFrom(chain, 3) };
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
    served = { ...served, rootPk: null };
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
    served = { ...served, rootPk: toBase64(sodium, other.keyPair.publicKey) };
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
