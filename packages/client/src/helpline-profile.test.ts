// A hostile server and the signed helpline directory (issue 8, item 7): every way the server tries to
// show a help-seeker another helpline than the one they chose is refused with its named reason.
import {
  deriveAccountKeys,
  fromBase64,
  generateAccountKey,
  generateCode,
  generateRootKey,
  type HelplineId,
  type HelplineProfileDraft,
  loadSodium,
  type MemberId,
  newId,
  nextRoster,
  parseHelplineProfile,
  parseRoster,
  type RootKey,
  type RosterBytes,
  type RosterMember,
  rootFingerprint,
  type SignKeyPair,
  type Sodium,
  signHelplineProfile,
  signRoster,
  systemRandom,
  toBase64,
} from "@briefgeheim/crypto";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type BriefgeheimClient, createClient } from "./client.js";
import { type DeviceMemory, memoryDeviceMemory } from "./device-memory.js";
import { ClientError } from "./errors.js";
import { firstProfile, helplineDirectory, openHelpline } from "./helpline-profile.js";
import { startSeeker } from "./seeker-start.js";

let sodium: Sodium;

interface Line {
  readonly id: HelplineId;
  readonly tag: number;
  readonly root: RootKey;
  readonly sanne: SignKeyPair;
  readonly vera: SignKeyPair;
  /** v1: Sanne and Vera supervise; v2 (signed by Sanne): Vera removed. */
  readonly rosters: RosterBytes[];
}

function member(role: RosterMember["role"], name: string): { member: RosterMember; signing: SignKeyPair } {
  const keys = deriveAccountKeys(sodium, generateAccountKey(sodium, systemRandom(sodium)));
  const memberId = newId<MemberId>(sodium, systemRandom(sodium));
  const m: RosterMember = {
    memberId,
    role,
    intakeReader: false,
    signPk: keys.signing.publicKey,
    boxPk: keys.box.publicKey,
    displayName: name,
  };
  return { member: m, signing: keys.signing };
}

function makeLine(tag: number): Line {
  const id = newId<HelplineId>(sodium, systemRandom(sodium));
  const root = generateRootKey(sodium, systemRandom(sodium));
  const sanne = member("supervisor", "Sanne");
  const vera = member("supervisor", "Vera");
  const v1 = signRoster(
    sodium,
    {
      helplineId: id,
      version: 1,
      prevHash: new Uint8Array(32),
      issuedAt: 1,
      members: [sanne.member, vera.member],
    },
    root.keyPair,
  );
  const v2 = nextRoster(
    sodium,
    parseRoster(sodium, v1),
    { remove: [vera.member.memberId] },
    sanne.signing,
    2,
  );
  return { id, tag, root, sanne: sanne.signing, vera: vera.signing, rosters: [v1, v2] };
}

function profile(
  line: Line,
  version: number,
  signer: SignKeyPair,
  extra: Partial<HelplineProfileDraft> = {},
) {
  return signHelplineProfile(
    sodium,
    {
      helplineId: line.id,
      tag: line.tag,
      profileVersion: version,
      issuedAt: 10 + version,
      name: `Lijn ${line.tag}`,
      descriptionNl: "Schrijf ons.",
      descriptionEn: "Write to us.",
      replyWithinHours: 72,
      ...extra,
    },
    signer,
  );
}

let een: Line;
let twee: Line;
/** What the hostile server lists per helpline: the tag it claims and the profile bytes it serves. */
let served: Map<HelplineId, { tag: number; profile: Uint8Array | null }>;

async function fakeFetch(input: RequestInfo | URL): Promise<Response> {
  const url = new URL(String(input));
  const json = (body: unknown) =>
    new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
  if (url.pathname === "/api/helplines") {
    return json({
      helplines: [een, twee].map((line) => ({
        id: line.id,
        slug: `lijn-${line.tag}`,
        // The server's unsigned copy: never what a help-seeker is shown.
        name: "Wat de server zegt",
        description: "ongetekend",
        replyTimeHours: 1,
        tag: served.get(line.id)!.tag,
        rootPk: toBase64(sodium, line.root.keyPair.publicKey),
        rosterVersion: line.rosters.length,
        lockAfterMinutes: 15,
        retentionDays: 365,
        createdAt: 1,
        // The server's unsigned crisis options and exit: never what a help-seeker is shown either.
        crisisOptions: [{ kind: "phone", labelNl: "Bel ons", labelEn: "Call us", target: "0900-1234567" }],
        exitUrl: "https://tracker.example/",
        profile: (() => {
          const p = served.get(line.id)!.profile;
          return p === null ? null : toBase64(sodium, p);
        })(),
      })),
      nextCursor: null,
    });
  }
  for (const line of [een, twee]) {
    if (url.pathname === `/api/helplines/${line.id}/rosters`) {
      const after = Number(url.searchParams.get("after") ?? 0);
      return json({
        rosters: line.rosters.slice(after).map((r) => toBase64(sodium, r)),
        latestVersion: line.rosters.length,
        nextAfter: null,
      });
    }
  }
  return new Response(JSON.stringify({ error: { code: "NOT_FOUND", message: "no such route" } }), {
    status: 404,
  });
}

async function pinnedClient(memory: DeviceMemory = memoryDeviceMemory()): Promise<BriefgeheimClient> {
  return createClient({
    baseUrl: "http://fake",
    origin: "http://fake",
    fetch: fakeFetch,
    pins: {
      [een.id]: rootFingerprint(sodium, een.root.keyPair.publicKey),
      [twee.id]: rootFingerprint(sodium, twee.root.keyPair.publicKey),
    },
    trustOnFirstUse: false,
    memory,
  });
}

async function reason(p: Promise<unknown>): Promise<string> {
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
  een = makeLine(7);
  twee = makeLine(8);
});
beforeEach(() => {
  served = new Map([
    [een.id, { tag: 7, profile: profile(een, 1, een.sanne) }],
    [twee.id, { tag: 8, profile: profile(twee, 1, twee.sanne) }],
  ]);
});

describe("the signed helpline directory against a hostile server", () => {
  it("honest: shows each helpline by its verified profile, never the server's unsigned text", async () => {
    const entries = await helplineDirectory(await pinnedClient());
    expect(entries.map((e) => e.status)).toEqual(["open", "open"]);
    const first = entries[0]!;
    expect(first.status === "open" && first.profile).toMatchObject({
      name: "Lijn 7",
      descriptionEn: "Write to us.",
      replyWithinHours: 72,
      tag: 7,
    });
  });

  it("a pinned helpline without a signed profile is 'not open yet' (HELPLINE_NOT_OPEN)", async () => {
    served.set(een.id, { tag: 7, profile: null });
    const client = await pinnedClient();
    expect(await reason(openHelpline(client, een.id))).toBe("HELPLINE_NOT_OPEN");
    expect((await helplineDirectory(client)).map((e) => e.status)).toEqual(["not-open", "open"]);
  });

  it("an unsigned profile (signature cut off) is MALFORMED; an altered one is BAD_SIGNATURE", async () => {
    const good = profile(een, 1, een.sanne);
    served.set(een.id, { tag: 7, profile: good.subarray(0, good.length - 64) });
    expect(await reason(openHelpline(await pinnedClient(), een.id))).toBe("MALFORMED");
    const altered = good.slice();
    altered[40] = (altered[40] ?? 0) ^ 0x20; // a letter of the name
    served.set(een.id, { tag: 7, profile: altered });
    expect(await reason(openHelpline(await pinnedClient(), een.id))).toBe("BAD_SIGNATURE");
    const directory = await helplineDirectory(await pinnedClient());
    expect(directory[0]).toMatchObject({ status: "refused", code: "BAD_SIGNATURE" });
  });

  it("a profile signed by a removed supervisor is PROFILE_SIGNER_NOT_ALLOWED", async () => {
    // Vera was removed in roster 2: with the server she signs a profile that renames the helpline.
    served.set(een.id, { tag: 7, profile: profile(een, 2, een.vera, { name: "Nep" }) });
    expect(await reason(openHelpline(await pinnedClient(), een.id))).toBe("PROFILE_SIGNER_NOT_ALLOWED");
  });

  it("another helpline's profile is WRONG_CONTEXT; one signed by another helpline's supervisor is PROFILE_SIGNER_NOT_ALLOWED", async () => {
    served.set(een.id, { tag: 7, profile: profile(twee, 1, twee.sanne) });
    expect(await reason(openHelpline(await pinnedClient(), een.id))).toBe("WRONG_CONTEXT");
    served.set(een.id, { tag: 7, profile: profile(een, 1, twee.sanne) });
    expect(await reason(openHelpline(await pinnedClient(), een.id))).toBe("PROFILE_SIGNER_NOT_ALLOWED");
  });

  it("a returning code routed to another pinned helpline is PROFILE_TAG_MISMATCH, before any key is derived", async () => {
    // The server lists helpline 'twee' under tag 7, so a code of 'een' finds 'twee'.
    served.set(een.id, { tag: 99, profile: profile(een, 1, een.sanne) });
    served.set(twee.id, { tag: 7, profile: profile(twee, 1, twee.sanne) });
    const code = generateCode(sodium, { helplineTag: 7, random: systemRandom(sodium) });
    const steps: string[] = [];
    const attempt = startSeeker(await pinnedClient(), { code, onProgress: (s) => steps.push(s) });
    expect(await reason(attempt)).toBe("PROFILE_TAG_MISMATCH");
    expect(steps).not.toContain("deriving-keys");
  });

  it("a profile older than the one this device verified before is PROFILE_ROLLBACK", async () => {
    const memory = memoryDeviceMemory();
    served.set(een.id, { tag: 7, profile: profile(een, 2, een.sanne, { name: "Nieuw" }) });
    expect((await openHelpline(await pinnedClient(memory), een.id)).profile.profileVersion).toBe(2);
    served.set(een.id, { tag: 7, profile: profile(een, 1, een.sanne, { name: "Oud" }) });
    expect(await reason(openHelpline(await pinnedClient(memory), een.id))).toBe("PROFILE_ROLLBACK");
    // The same version again is fine (a reload), and a fresh device cannot know better.
    expect(await reason(openHelpline(await pinnedClient(), een.id))).toBe("no error");
  });
});

describe("crisis options and the quick-exit destination (type 0x0b) against a hostile server", () => {
  const safety = {
    crisisOptions: [
      {
        kind: "phone" as const,
        labelNl: "113 Zelfmoordpreventie",
        labelEn: "113 Suicide prevention",
        target: "0800-0113",
      },
    ],
    exitUrl: "https://www.buienradar.nl/",
  };
  /** The signed bytes with one ASCII run replaced by another of the same length (a server's edit). */
  const swap = (bytes: Uint8Array, from: string, to: string) => {
    const text = new TextDecoder("latin1").decode(bytes);
    const at = text.indexOf(from);
    expect(at).toBeGreaterThan(0);
    const out = bytes.slice();
    out.set(new TextEncoder().encode(to), at);
    return out;
  };

  it("honest: the app gets the signed crisis options and exit, never the server's unsigned ones", async () => {
    served.set(een.id, { tag: 7, profile: profile(een, 2, een.sanne, safety) });
    const { profile: p } = await openHelpline(await pinnedClient(), een.id);
    expect([p.type, p.crisisOptions, p.exitUrl]).toEqual([0x0b, safety.crisisOptions, safety.exitUrl]);
  });

  it("a swapped crisis number or exit destination is BAD_SIGNATURE: the helpline is refused, not shown", async () => {
    const signed = profile(een, 2, een.sanne, safety);
    const number = swap(signed, "0800-0113", "0900-6666");
    expect(parseHelplineProfile(sodium, number).crisisOptions[0]?.target).toBe("0900-6666");
    served.set(een.id, { tag: 7, profile: number });
    expect(await reason(openHelpline(await pinnedClient(), een.id))).toBe("BAD_SIGNATURE");
    served.set(een.id, { tag: 7, profile: swap(signed, "buienradar", "evil1radar") });
    expect(await reason(openHelpline(await pinnedClient(), een.id))).toBe("BAD_SIGNATURE");
    expect((await helplineDirectory(await pinnedClient()))[0]).toMatchObject({
      status: "refused",
      code: "BAD_SIGNATURE",
    });
  });

  it("an older 0x07 profile served after the device saw a 0x0b one is PROFILE_ROLLBACK (no downgrade)", async () => {
    const memory = memoryDeviceMemory();
    served.set(een.id, { tag: 7, profile: profile(een, 2, een.sanne, safety) });
    await openHelpline(await pinnedClient(memory), een.id);
    served.set(een.id, { tag: 7, profile: profile(een, 1, een.sanne, { type: 0x07 }) });
    expect(await reason(openHelpline(await pinnedClient(memory), een.id))).toBe("PROFILE_ROLLBACK");
    // A fresh device accepts the stored 0x07 profile: no crisis options of its own, the app's defaults.
    const fresh = await openHelpline(await pinnedClient(), een.id);
    expect([fresh.profile.type, fresh.profile.crisisOptions, fresh.profile.exitUrl]).toEqual([0x07, [], ""]);
  });

  it("profile v1 at the invite never signs crisis options or an exit the server proposed unseen", async () => {
    const proposed = {
      tag: 7,
      name: "Lijn 7",
      descriptionNl: "nl",
      descriptionEn: "en",
      replyWithinHours: 72,
    };
    const sneaked = {
      ...proposed,
      crisisOptions: [{ ...safety.crisisOptions[0]!, target: "0900-6666" }],
      exitUrl: "https://tracker.example/",
    };
    const text = firstProfile(await pinnedClient(), een.id, sneaked, een.sanne)!;
    const signed = parseHelplineProfile(sodium, fromBase64(sodium, text));
    expect([signed.type, signed.crisisOptions, signed.exitUrl]).toEqual([0x0b, [], ""]);
    // What the supervisor chose on the screen is signed.
    const chosen = firstProfile(await pinnedClient(), een.id, proposed, een.sanne, {
      ...proposed,
      ...safety,
    })!;
    expect(parseHelplineProfile(sodium, fromBase64(sodium, chosen)).crisisOptions).toEqual(
      safety.crisisOptions,
    );
  });
});
