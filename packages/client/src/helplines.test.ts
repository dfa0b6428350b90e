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
import { ClientError } from "./errors.js";

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

async function clientWith(options: { pin?: string; trustOnFirstUse?: boolean }): Promise<BriefgeheimClient> {
  return createClient({
    baseUrl: "http://fake",
    origin: "http://fake",
    fetch: fakeFetch,
    pins: options.pin === undefined ? {} : { [helplineId]: options.pin },
    trustOnFirstUse: options.trustOnFirstUse ?? false,
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
    const tofu = await clientWith({ trustOnFirstUse: true });
    expect((await tofu.helplines.trust(helplineId)).pinnedBy).toBe("first-use");
    served = { rootPk: toBase64(sodium, other.keyPair.publicKey), rosters: rosterChain(other, 3) };
    expect(await code(tofu.helplines.latestRoster(helplineId))).toBe("ROSTER_WRONG_ROOT");
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
