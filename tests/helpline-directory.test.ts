// The signed helpline directory end to end (issue 8, item 7): the operator proposes, the first
// supervisor signs profile v1 with the acceptance, a supervisor edits it (v2), and a help-seeker's
// client shows only what verifies against the pinned root, also when the server rewrites its answers.
import {
  acceptInvite,
  type BriefgeheimClient,
  helplineDirectory,
  isClientError,
  memoryDeviceMemory,
  openHelpline,
  signInStaff,
  startSeeker,
} from "@briefgeheim/client";
import { type HelplineId, parseCode } from "@briefgeheim/crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./journeys-harness.js";

const PASS = "een lange oefenzin voor de test 7";
let h: Harness;
let helplineId: HelplineId;
let pins: Record<string, string>;

beforeAll(async () => {
  h = await startHarness();
  const made = await h.createHelpline({
    slug: "luisterlijn",
    name: "De Luisterlijn",
    tag: 7,
    replyHours: 48,
  });
  helplineId = made.helplineId as HelplineId;
  const accepted = await acceptInvite(await h.client({ trustOnFirstUse: true }), made.token, {
    username: "sanne",
    displayName: "Sanne",
    passphrase: PASS,
  });
  pins = { [helplineId]: accepted.fingerprint! };
});
afterAll(async () => {
  await h.close();
});

async function reason(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "no error";
  } catch (e) {
    if (isClientError(e)) return e.code;
    throw e;
  }
}

const seekerClient = (memory = memoryDeviceMemory()): Promise<BriefgeheimClient> =>
  h.client({ pins, memory });

describe("the signed helpline directory", () => {
  it("the first supervisor signed the operator's proposal as profile v1 with the acceptance", async () => {
    const { profile } = await openHelpline(await seekerClient(), helplineId);
    expect(profile).toMatchObject({
      profileVersion: 1,
      name: "De Luisterlijn",
      tag: 7,
      replyWithinHours: 48,
    });
    const entries = await helplineDirectory(await seekerClient());
    expect(entries.map((e) => e.status)).toEqual(["open"]);
  });

  it("a supervisor's edit signs v2; help-seekers see it, per language", async () => {
    const staff = await signInStaff(await h.client({ pins }), { username: "sanne", passphrase: PASS });
    const editing = await staff.helplineProfile();
    expect(editing.current?.profileVersion).toBe(1);
    await staff.publishHelplineProfile({
      ...editing.fields,
      descriptionNl: "Schrijf ons, anoniem.",
      descriptionEn: "Write to us, anonymously.",
    });
    const { profile } = await openHelpline(await seekerClient(), helplineId);
    expect(profile).toMatchObject({
      profileVersion: 2,
      descriptionNl: "Schrijf ons, anoniem.",
      descriptionEn: "Write to us, anonymously.",
    });
    await staff.signOut();
  });

  it("a server that rewrites the list: unsigned text is ignored, an older profile is PROFILE_ROLLBACK", async () => {
    const memory = memoryDeviceMemory();
    const v2 = await openHelpline(await seekerClient(memory), helplineId);
    const stored = await h.query("SELECT bytes FROM helpline_profiles WHERE version = 1");
    const v1 = Buffer.from(stored[0]!.bytes as ArrayBuffer).toString("base64url");
    try {
      h.rewrite = (path, method, body) => {
        if (path !== "/api/helplines" || method !== "GET") return body;
        const page = body as { helplines: Record<string, unknown>[] };
        return {
          ...page,
          helplines: page.helplines.map((x) => ({ ...x, name: "Een andere lijn", description: "vals" })),
        };
      };
      // The unsigned fields changed; what the client shows did not.
      expect((await openHelpline(await seekerClient(), helplineId)).profile.name).toBe(v2.profile.name);
      h.rewrite = (path, method, body) => {
        if (path !== "/api/helplines" || method !== "GET") return body;
        const page = body as { helplines: Record<string, unknown>[] };
        return { ...page, helplines: page.helplines.map((x) => ({ ...x, profile: v1 })) };
      };
      expect(await reason(openHelpline(await seekerClient(memory), helplineId))).toBe("PROFILE_ROLLBACK");
    } finally {
      h.rewrite = (_p, _m, body) => body;
    }
  });

  it("a help-seeker's new code carries the signed tag and the session opens", async () => {
    const client = await seekerClient();
    const session = await startSeeker(client, { helplineId });
    expect(parseCode(client.sodium, session.code).helplineTag).toBe(7);
    expect(session.helpline.id).toBe(helplineId);
    session.wipe();
  });
});
