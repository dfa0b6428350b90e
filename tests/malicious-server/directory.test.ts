/**
 * A false helpline directory (issue 8 item 7; PROTOCOL.md §10): what a help-seeker sees about a
 * helpline (name, descriptions, reply time, the tag its codes carry) comes from a profile signed by a
 * supervisor of the verified roster. The server changes a name, serves another pinned helpline's
 * profile or one it signed itself, routes a returning code to another helpline, rolls a profile back
 * or withholds it. The help-seeker app lists helplines through `helplineDirectory` and starts through
 * `startSeeker`: both refuse with the reason asserted here.
 */
import {
  acceptInvite,
  type BriefgeheimClient,
  helplineDirectory,
  memoryDeviceMemory,
  startSeeker,
} from "@briefgeheim/client";
import type { HelplineId } from "@briefgeheim/crypto";
import { loadSodium, parseHelplineProfile, type Sodium, signHelplineProfile } from "@briefgeheim/crypto";
import type { Helpline } from "@briefgeheim/protocol";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { decode, encode, replaceBytes } from "./mutations.js";
import { createWorld, endAttack, failure, PASS, type World } from "./world.js";

let w: World;
let sodium: Sodium;
/** A second pinned helpline on the same server, set up by its own first supervisor. */
let other: HelplineId;
let pins: Record<string, string>;
/** Helpline 1's signed profile v1, as the server listed it before v2 was published. */
let firstProfile: string;

beforeAll(async () => {
  w = await createWorld();
  sodium = await loadSodium();
  const created = await w.h.createHelpline({ slug: "tweede", name: "Tweede lijn", tag: 32, replyHours: 24 });
  other = created.helplineId as HelplineId;
  const first = await acceptInvite(await w.client({ trustOnFirstUse: true }), created.link, {
    username: "wim",
    displayName: "Wim",
    passphrase: PASS,
  });
  pins = { ...w.pins, [other]: first.fingerprint! };
  firstProfile = (await listed()).find((h) => h.id === w.helplineId)!.profile!;
});
afterEach(() => endAttack(w));
afterAll(async () => {
  await w?.close();
});

async function listed(): Promise<Helpline[]> {
  return (await w.h.request("GET", "/api/helplines")).body.helplines;
}

const client = (memory = memoryDeviceMemory()) => w.client({ pins, memory });

/** Serves helpline 1's listing entry through `change`. */
function tamper(change: (h: Helpline, all: readonly Helpline[]) => Helpline) {
  w.server.onResponse("GET /api/helplines", (page) => ({
    ...page,
    helplines: page.helplines.map((h) => (h.id === w.helplineId ? change(h, page.helplines) : h)),
  }));
}

/** What the help-seeker app would list for helpline 1. */
async function entryOf(c: BriefgeheimClient) {
  return (await helplineDirectory(c)).find((e) => e.helpline.id === w.helplineId)!;
}

describe("the helpline directory is signed", () => {
  it("without an attack both helplines are open under their signed names, and a returning code finds its helpline", async () => {
    const entries = await helplineDirectory(await client());
    expect(entries.map((e) => [e.status, e.status === "open" ? e.profile.name : ""]).sort()).toEqual([
      ["open", "Hulplijn"],
      ["open", "Tweede lijn"],
    ]);
    const code = (await startSeeker(await client(), { helplineId: w.helplineId })).code;
    expect((await startSeeker(await client(), { code })).helplineId).toBe(w.helplineId);
  });

  it("a false name inside the signed profile: BAD_SIGNATURE; not listed as open, no start", async () => {
    const name = new TextEncoder().encode("Hulplijn");
    tamper((h) => ({
      ...h,
      name: "Valse lijn",
      profile: replaceBytes(
        h.profile!,
        name,
        name.map((b, i) => (i === 0 ? 0x56 : b)),
      ),
    }));
    expect(await entryOf(await client())).toMatchObject({ status: "refused", code: "BAD_SIGNATURE" });
    expect((await failure(startSeeker(await client(), { helplineId: w.helplineId }))).code).toBe(
      "BAD_SIGNATURE",
    );
  });

  it("another pinned helpline's signed profile served under this helpline: WRONG_CONTEXT", async () => {
    tamper((h, all) => ({ ...h, profile: all.find((x) => x.id === other)!.profile }));
    expect(await entryOf(await client())).toMatchObject({ status: "refused", code: "WRONG_CONTEXT" });
  });

  it("a profile the server signed itself (a newer version, its own words): PROFILE_SIGNER_NOT_ALLOWED", async () => {
    const pair = sodium.crypto_sign_keypair();
    const honest = parseHelplineProfile(sodium, decode(firstProfile));
    const forged = signHelplineProfile(
      sodium,
      { ...honest, profileVersion: honest.profileVersion + 5, name: "Bel ons op 0900" },
      { publicKey: pair.publicKey, secretKey: pair.privateKey },
    );
    tamper((h) => ({ ...h, profile: encode(forged) }));
    expect(await entryOf(await client())).toMatchObject({
      status: "refused",
      code: "PROFILE_SIGNER_NOT_ALLOWED",
    });
  });

  it("a returning code routed to another helpline (the server swaps the tags it lists): PROFILE_TAG_MISMATCH, no sign-in", async () => {
    const code = (await startSeeker(await client(), { helplineId: w.helplineId })).code;
    w.server.onResponse("GET /api/helplines", (page) => ({
      ...page,
      helplines: page.helplines.map((h) =>
        h.id === w.helplineId ? { ...h, tag: 999 } : h.id === other ? { ...h, tag: 31 } : h,
      ),
    }));
    const before = w.server.log.length;
    const refused = await failure(startSeeker(await client(), { code }));
    expect([refused.code, refused.source]).toEqual(["PROFILE_TAG_MISMATCH", "crypto"]);
    expect(w.server.log.slice(before)).not.toContain("POST /api/auth/seeker");
  });

  it("an older profile served to a device that verified a newer one: PROFILE_ROLLBACK", async () => {
    const current = (await w.vera.helplineProfile()).fields;
    const v2 = await w.vera.publishHelplineProfile({ ...current, descriptionEn: "Now open on Sundays" });
    expect(v2.profileVersion).toBe(2);
    const device = memoryDeviceMemory();
    const seen = await entryOf(await client(device));
    expect(seen.status === "open" && seen.profile.profileVersion).toBe(2);
    tamper((h) => ({ ...h, profile: firstProfile }));
    expect(await entryOf(await client(device))).toMatchObject({
      status: "refused",
      code: "PROFILE_ROLLBACK",
    });
    // The limit: a device that remembers nothing takes the older, genuinely signed profile.
    const fresh = await entryOf(await client());
    expect(fresh.status === "open" && fresh.profile.profileVersion).toBe(1);
  });

  it("a withheld profile: the helpline is 'not open yet' (HELPLINE_NOT_OPEN), never shown unsigned", async () => {
    tamper((h) => ({ ...h, profile: null }));
    expect((await entryOf(await client())).status).toBe("not-open");
    const refused = await failure(startSeeker(await client(), { helplineId: w.helplineId }));
    expect(refused.code).toBe("HELPLINE_NOT_OPEN");
  });

  it("the current profile hidden from a supervisor whose device verified it: PROFILE_ROLLBACK, nothing signed or posted", async () => {
    const current = await w.vera.helplineProfile();
    expect(current.current?.profileVersion).toBeGreaterThanOrEqual(1);
    tamper((h) => ({ ...h, profile: null, name: "Valse lijn", tag: 32 }));
    const before = w.server.log.length;
    expect((await failure(w.vera.helplineProfile())).code).toBe("PROFILE_ROLLBACK");
    const refused = await failure(w.vera.publishHelplineProfile({ ...current.fields, name: "Valse lijn" }));
    expect([refused.code, refused.source]).toEqual(["PROFILE_ROLLBACK", "crypto"]);
    expect(w.server.log.slice(before).filter((l) => l.startsWith("POST"))).toEqual([]);
  });

  it("a new helpline's first supervisor offered another pinned helpline's tag: PROFILE_TAG_MISMATCH before anything is made or posted", async () => {
    const created = await w.h.createHelpline({ slug: "derde", name: "Derde lijn", tag: 33, replyHours: 24 });
    w.server.onResponse("GET /api/invites/:token", (body) => {
      const info = body as { proposedProfile: Record<string, unknown> | null };
      return { ...info, proposedProfile: info.proposedProfile && { ...info.proposedProfile, tag: 31 } };
    });
    const before = w.server.log.length;
    const accept = async () =>
      acceptInvite(await w.client({ pins }), created.link, {
        username: "dora",
        displayName: "Dora",
        passphrase: PASS,
      });
    const refused = await failure(accept());
    expect([refused.code, refused.details]).toEqual([
      "PROFILE_TAG_MISMATCH",
      { tag: 31, helplineId: w.helplineId },
    ]);
    expect(w.server.log.slice(before).filter((l) => l.startsWith("POST"))).toEqual([]);
    // The honest proposal (its own tag) is accepted with the same one-time link.
    w.server.reset();
    expect((await accept()).status).toBe("active");
  });
});

describe("crisis options and the quick-exit destination are signed (type 0x0b, slice D)", () => {
  const CRISIS = [
    {
      kind: "phone" as const,
      labelNl: "113 Zelfmoordpreventie",
      labelEn: "113 Suicide prevention",
      target: "0800-0113",
    },
  ];
  const EXIT = "https://www.buienradar.nl/";
  const bytes = (s: string) => new TextEncoder().encode(s);

  it("a crisis number or the exit host swapped inside the signed profile: BAD_SIGNATURE; the server's unsigned ones are never used", async () => {
    const current = (await w.vera.helplineProfile()).fields;
    const signed = await w.vera.publishHelplineProfile({ ...current, crisisOptions: CRISIS, exitUrl: EXIT });
    expect(signed.type).toBe(0x0b);
    // Honest: the signed options, whatever unsigned ones the listing carries beside them.
    tamper((h) => ({
      ...h,
      crisisOptions: [{ ...CRISIS[0]!, target: "0900-6666" }],
      exitUrl: "https://x.example/",
    }));
    const honest = await entryOf(await client());
    expect(honest.status === "open" && [honest.profile.crisisOptions, honest.profile.exitUrl]).toEqual([
      CRISIS,
      EXIT,
    ]);
    for (const [from, to] of [
      ["0800-0113", "0900-6666"],
      ["buienradar", "evil1radar"],
    ] as const) {
      tamper((h) => ({ ...h, profile: replaceBytes(h.profile!, bytes(from), bytes(to)) }));
      expect(await entryOf(await client())).toMatchObject({ status: "refused", code: "BAD_SIGNATURE" });
      expect((await failure(startSeeker(await client(), { helplineId: w.helplineId }))).code).toBe(
        "BAD_SIGNATURE",
      );
    }
  });

  it("a 'proposal' with a javascript: exit is only offered, and a javascript: link is never signed (MALFORMED, nothing posted)", async () => {
    tamper((h) => ({
      ...h,
      crisisOptions: [{ ...CRISIS[0]!, target: "0900-6666" }],
      exitUrl: "javascript:alert(document.cookie)",
    }));
    const editing = await w.vera.helplineProfile();
    // Offered for the supervisor to read, with the signed profile unchanged beside it.
    expect(editing.proposal).toMatchObject({ exitUrl: "javascript:alert(document.cookie)" });
    expect([editing.fields.exitUrl, editing.fields.crisisOptions]).toEqual([EXIT, CRISIS]);
    const before = w.server.log.length;
    const refused = await failure(w.vera.publishHelplineProfile(editing.proposal!));
    expect([refused.code, refused.source]).toEqual(["MALFORMED", "crypto"]);
    expect(w.server.log.slice(before).filter((l) => l.startsWith("POST"))).toEqual([]);
  });
});
