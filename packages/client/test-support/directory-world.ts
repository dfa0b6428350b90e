/**
 * The fake server and the roster chains of the helpline-directory tests (helplines.test.ts and
 * helplines-hostile.test.ts): one helpline whose root signs a chain, and what the server answers
 * (`world.served`), which a test changes between calls.
 */
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
  type Sodium,
  signRoster,
  systemRandom,
  toBase64,
} from "@briefgeheim/crypto";
import { beforeAll, beforeEach } from "vitest";
import { type BriefgeheimClient, createClient } from "../src/client.js";
import type { DeviceMemory } from "../src/device-memory.js";
import { ClientError } from "../src/errors.js";

export interface DirectoryWorld {
  sodium: Sodium;
  helplineId: HelplineId;
  root: RootKey;
  /** Versions 1 and 2, signed by `root`. */
  chain: RosterBytes[];
  /** What the fake server answers; reset before each test. */
  served: { rootPk: string | null; rosters: RosterBytes[]; latestVersion?: number };
}

const world = {} as DirectoryWorld;

/** Sets the world up before all tests of a file and serves the honest chain again before each. */
export function useDirectoryWorld(): DirectoryWorld {
  beforeAll(async () => {
    world.sodium = await loadSodium();
    world.helplineId = newId<HelplineId>(world.sodium, systemRandom(world.sodium));
    world.root = generateRootKey(world.sodium, systemRandom(world.sodium));
    world.chain = rosterChain(world.root);
  });
  beforeEach(() => {
    world.served = { rootPk: toBase64(world.sodium, world.root.keyPair.publicKey), rosters: world.chain };
  });
  return world;
}

export function member(role: RosterMember["role"], name: string): RosterMember {
  const keys = deriveAccountKeys(world.sodium, generateAccountKey(world.sodium, systemRandom(world.sodium)));
  return {
    memberId: newId<MemberId>(world.sodium, systemRandom(world.sodium)),
    role,
    intakeReader: false,
    signPk: keys.signing.publicKey,
    boxPk: keys.box.publicKey,
    displayName: name,
  };
}

export function rosterChain(rootKey: RootKey, versions = 2): RosterBytes[] {
  const out: RosterBytes[] = [
    signRoster(
      world.sodium,
      {
        helplineId: world.helplineId,
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
    out.push(
      nextRoster(
        world.sodium,
        parseRoster(world.sodium, out.at(-1)!),
        { add },
        rootKey.keyPair,
        out.length + 1,
      ),
    );
  }
  return out;
}

export async function fakeFetch(input: RequestInfo | URL): Promise<Response> {
  const url = new URL(String(input));
  const json = (body: unknown) =>
    new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
  if (url.pathname === "/api/helplines") {
    return json({
      helplines: [
        {
          id: world.helplineId,
          slug: "een",
          name: "Hulplijn Een",
          description: "",
          replyTimeHours: 72,
          tag: 7,
          rootPk: world.served.rootPk,
          rosterVersion: world.served.rosters.length,
          lockAfterMinutes: 15,
          retentionDays: 365,
          createdAt: 1,
        },
      ],
      nextCursor: null,
    });
  }
  if (url.pathname === `/api/helplines/${world.helplineId}/rosters`) {
    const after = Number(url.searchParams.get("after") ?? 0);
    return json({
      rosters: world.served.rosters.slice(after).map((r) => toBase64(world.sodium, r)),
      latestVersion: world.served.latestVersion ?? world.served.rosters.length,
      nextAfter: null,
    });
  }
  return new Response(JSON.stringify({ error: { code: "NOT_FOUND", message: "no such route" } }), {
    status: 404,
  });
}

export async function clientWith(options: {
  pin?: string;
  trustOnFirstUse?: boolean;
  memory?: DeviceMemory;
}): Promise<BriefgeheimClient> {
  return createClient({
    baseUrl: "http://fake",
    origin: "http://fake",
    fetch: fakeFetch,
    pins: options.pin === undefined ? {} : { [world.helplineId]: options.pin },
    trustOnFirstUse: options.trustOnFirstUse ?? false,
    ...(options.memory === undefined ? {} : { memory: options.memory }),
  });
}

export async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ClientError) return e.code;
    throw e;
  }
  return "no error";
}

/** `base` extended to `versions` rosters, each signed by the root. */
export function rosterChainFrom(base: RosterBytes[], versions: number): RosterBytes[] {
  const out = [...base];
  while (out.length < versions) {
    out.push(
      nextRoster(
        world.sodium,
        parseRoster(world.sodium, out.at(-1)!),
        { add: [member("counsellor", `M${out.length}`)] },
        world.root.keyPair,
        out.length + 1,
      ),
    );
  }
  return out;
}
