/**
 * The roster chain against an active server, through packages/client and the real API in-process
 * (PROTOCOL.md §3, THREAT-MODEL.md §3.4):
 * - a removed supervisor's signature never makes the next roster (ROSTER_SIGNER_NOT_ALLOWED), from the
 *   server's side or from a fresh client's;
 * - the root, typed from its printed sheet, signs an emergency roster and hands over to a new root;
 *   a sheet of another root is refused (ROSTER_WRONG_ROOT), and after succession the old root is done;
 * - a server that hides the newest roster from a device that remembers it: ROSTER_ROLLBACK when reading
 *   and when a supervisor publishes (so nobody signs on top of a hidden head); a conflicting roster of a
 *   remembered version: ROSTER_FORK.
 */
import {
  acceptInvite,
  type BriefgeheimClient,
  ClientError,
  type DeviceMemory,
  inviteLink,
  memoryDeviceMemory,
  type StaffSession,
  signInStaff,
} from "@briefgeheim/client";
import {
  type AccountKeys,
  deriveAccountKeys,
  fromBase64,
  generateAccountKey,
  generateRootKey,
  type MemberId,
  nextRoster,
  parseRoster,
  type RosterBytes,
  rootKeyFromSheet,
  rootRecoveryText,
  seededRandom,
  toBase64,
} from "@briefgeheim/crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, ORIGIN, startHarness } from "./journeys-harness.js";

const PASS = "een lange wachtzin voor iedereen";

async function failure(p: Promise<unknown>): Promise<ClientError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ClientError) return e;
    throw e;
  }
  throw new Error("expected the call to fail");
}

let h: Harness;
let pins: Record<string, string>;
let helplineId: string;
let rootSheet: string;
/** Vera's work device: it remembers the roster heads it verified. */
const veraDevice: DeviceMemory = memoryDeviceMemory();
let vera: StaffSession;

async function client(memory?: DeviceMemory): Promise<BriefgeheimClient> {
  return h.client({ pins, ...(memory === undefined ? {} : { memory }) });
}

async function staff(username: string, memory?: DeviceMemory): Promise<StaffSession> {
  return signInStaff(await client(memory), { username, passphrase: PASS });
}

/**
 * A client whose randomness is seeded, so the test knows the account keys its `acceptInvite` makes
 * (the first 32 random bytes are the account key): the keys a member who turns hostile keeps.
 */
async function seededClient(seed: number, options: { trustOnFirstUse?: boolean } = {}) {
  const base = options.trustOnFirstUse ? await h.client({ trustOnFirstUse: true }) : await client();
  const bytes = new Uint8Array(32).fill(seed);
  const keys = deriveAccountKeys(
    base.sodium,
    generateAccountKey(base.sodium, seededRandom(base.sodium, bytes)),
  );
  return { client: { ...base, random: seededRandom(base.sodium, bytes) }, keys };
}

async function join(
  by: StaffSession,
  role: "counsellor" | "supervisor",
  username: string,
  seed: number,
): Promise<{ memberId: MemberId; keys: AccountKeys }> {
  const invite = await by.invite(role);
  const { client: c, keys } = await seededClient(seed);
  await acceptInvite(c, inviteLink(ORIGIN, invite.token, invite.secret), {
    username,
    displayName: username,
    passphrase: PASS,
  });
  await by.admitPending({ only: [invite.memberId], intakeReaders: [] });
  return { memberId: invite.memberId, keys };
}

/** Vera's account keys (seeded at setup). */
let veraKeys: AccountKeys;

async function post(roster: RosterBytes) {
  return h.request("POST", `/api/helplines/${helplineId}/rosters`, {
    cookie: h.sessionOf(vera.client),
    json: { roster: toBase64(vera.client.sodium, roster) },
  });
}

/** The rosters the server stores, as bytes (what a hostile server starts from). */
async function storedChain(): Promise<RosterBytes[]> {
  const res = await h.request("GET", `/api/helplines/${helplineId}/rosters?after=0&limit=100`);
  return (res.body as { rosters: string[] }).rosters.map(
    (t) => fromBase64(vera.client.sodium, t) as RosterBytes,
  );
}

/** Serves `rosters` (and says the newest is `latest`) instead of the stored chain, during `fn`. */
async function serving<T>(rosters: RosterBytes[], latest: number, fn: () => Promise<T>): Promise<T> {
  h.rewrite = (path, method, body) => {
    if (method !== "GET" || !path.endsWith("/rosters")) return body;
    return {
      rosters: rosters.map((r) => toBase64(vera.client.sodium, r)),
      latestVersion: latest,
      nextAfter: null,
    };
  };
  try {
    return await fn();
  } finally {
    h.rewrite = (_p, _m, body) => body;
  }
}

beforeAll(async () => {
  h = await startHarness();
  const hl = await h.createHelpline({ slug: "keten", name: "Keten", tag: 22, replyHours: 48 });
  helplineId = hl.helplineId;
  const seeded = await seededClient(1, { trustOnFirstUse: true });
  veraKeys = seeded.keys;
  const first = await acceptInvite(seeded.client, hl.link, {
    username: "vera",
    displayName: "Vera",
    passphrase: PASS,
  });
  pins = { [helplineId]: first.fingerprint! };
  rootSheet = first.rootRecoveryText!;
  vera = await staff("vera", veraDevice);
});
afterAll(async () => {
  await h?.close();
});

describe("supervisors sign; a removed supervisor cannot", () => {
  it("a removed supervisor's next roster is refused by the server and by every client", async () => {
    const wim = await join(vera, "supervisor", "wim", 2);
    await vera.removeMember(wim.memberId);
    // Wim kept his signing key: with the server's help he signs a roster that brings him back.
    const chain = await storedChain();
    const sodium = vera.client.sodium;
    const current = parseRoster(sodium, chain.at(-1)!);
    const comeback = nextRoster(
      sodium,
      current,
      {
        add: [
          {
            memberId: wim.memberId,
            role: "supervisor",
            intakeReader: false,
            signPk: wim.keys.signing.publicKey,
            boxPk: wim.keys.box.publicKey,
            displayName: "wim",
          },
        ],
      },
      wim.keys.signing,
      Date.now(),
    );
    const posted = await post(comeback);
    expect([posted.status, posted.body.error.code]).toEqual([422, "ROSTER_SIGNER_NOT_ALLOWED"]);
    // A hostile server that serves it anyway: every fresh client refuses the chain.
    const refused = await serving([...chain, comeback], chain.length + 1, async () =>
      failure((await client()).helplines.trust(helplineId as never)),
    );
    expect([refused.code, refused.source]).toEqual(["ROSTER_SIGNER_NOT_ALLOWED", "crypto"]);
  });
});

describe("the root only from its sheet", () => {
  it("signs an emergency roster, hands over to a new root; another sheet or the old root afterwards is refused", async () => {
    const otherSheet = rootRecoveryText(
      vera.client.sodium,
      generateRootKey(vera.client.sodium, vera.client.random).seed,
    );
    const wrong = await failure(vera.publishRosterWithRootSheet(otherSheet, () => ({})));
    expect(wrong.code).toBe("ROSTER_WRONG_ROOT");
    const typo = await failure(vera.publishRosterWithRootSheet(`${rootSheet.slice(0, -1)}Z`, () => ({})));
    expect(typo.code).toBe("INVALID_RECOVERY_KEY");
    // The root's roster never adds or changes a key (new keys come only through admission).
    const current = await vera.client.helplines.latestRoster(helplineId as never);
    const me = current.members.find((m) => m.memberId === vera.memberId)!;
    const outsider = { ...me, memberId: "A".repeat(22) as MemberId, displayName: "Buiten" };
    const added = await failure(vera.publishRosterWithRootSheet(rootSheet, () => ({ add: [outsider] })));
    expect(added.code).toBe("ROSTER_INVALID");
    const swapped = await failure(
      vera.publishRosterWithRootSheet(rootSheet, () => ({
        replace: [{ ...me, boxPk: veraKeys.signing.publicKey as never }],
      })),
    );
    expect(swapped.code).toBe("ROSTER_INVALID");
    expect((await vera.client.helplines.latestRoster(helplineId as never)).version).toBe(current.version);
    const emergency = await vera.publishRosterWithRootSheet(rootSheet, () => ({
      replace: [{ ...me, displayName: "Vera (nood)" }],
    }));
    const byRoot = await vera.client.helplines.latestRoster(helplineId as never);
    expect(byRoot.version).toBe(emergency.version);
    expect(byRoot.signerPk).toEqual(byRoot.rootPk);

    const succeeded = await vera.succeedRoot(rootSheet);
    const after = await vera.client.helplines.latestRoster(helplineId as never);
    expect(after.version).toBe(succeeded.version);
    expect(succeeded.fingerprint).not.toBe(pins[helplineId]);
    // A fresh client, still pinning the original root, follows the succession.
    expect((await (await client()).helplines.trust(helplineId as never)).roster.rootPk).toEqual(after.rootPk);
    // The old sheet no longer signs; the new one does.
    expect((await failure(vera.publishRosterWithRootSheet(rootSheet, () => ({})))).code).toBe(
      "ROSTER_WRONG_ROOT",
    );
    expect((await failure(vera.succeedRoot(rootSheet))).code).toBe("ROSTER_WRONG_ROOT");
    await vera.publishRosterWithRootSheet(succeeded.rootRecoveryText, () => ({}));
    // The old root's signature, posted directly, is refused by the server too.
    const stale = nextRoster(
      vera.client.sodium,
      await vera.client.helplines.latestRoster(helplineId as never),
      {},
      rootKeyFromSheet(vera.client.sodium, rootSheet).keyPair,
      Date.now(),
    );
    expect((await post(stale)).body.error.code).toBe("ROSTER_SIGNER_NOT_ALLOWED");
  });
});

describe("remembered roster heads", () => {
  it("a server that hides the newest roster: reading, signing in and publishing fail with ROSTER_ROLLBACK, nothing is signed", async () => {
    await vera.client.helplines.trust(helplineId as never);
    const chain = await storedChain();
    const hidden = chain.slice(0, -1);
    // A new visit on Vera's device (fresh client, same memory): the server shows one roster less.
    const read = await serving(hidden, hidden.length, async () =>
      failure((await client(veraDevice)).helplines.trust(helplineId as never)),
    );
    expect([read.code, read.source]).toEqual(["ROSTER_ROLLBACK", "crypto"]);
    const signIn = await serving(hidden, hidden.length, () => failure(staff("vera", veraDevice)));
    expect(signIn.code).toBe("ROSTER_ROLLBACK");
    // An open session whose server starts hiding: publishing refuses to sign on the older head.
    const publish = await serving(hidden, hidden.length, () =>
      failure(vera.setIntakeReader(vera.memberId, true)),
    );
    expect(publish.code).toBe("ROSTER_ROLLBACK");
    // Nothing was signed on the hidden head: the server holds no new roster.
    expect((await storedChain()).length).toBe(chain.length);
    // A device without that memory cannot tell (THREAT-MODEL.md: the residual freeze).
    const elsewhere = await serving(hidden, hidden.length, async () =>
      (await client()).helplines.trust(helplineId as never),
    );
    expect(elsewhere.roster.version).toBe(hidden.length);
  });

  it("a conflicting roster of a version the device remembers: ROSTER_FORK", async () => {
    const chain = await storedChain();
    const sodium = vera.client.sodium;
    // The server forks off before the newest version with a roster Vera's key signed (the fork a
    // hidden head made possible before protocol 2), and serves that chain to Vera's device.
    const base = parseRoster(sodium, chain.at(-2)!);
    const fork = nextRoster(sodium, base, {}, veraKeys.signing, Date.now() + 5);
    const forked = [...chain.slice(0, -1), fork];
    const seen = await serving(forked, forked.length, async () =>
      failure((await client(veraDevice)).helplines.trust(helplineId as never)),
    );
    expect([seen.code, seen.source]).toEqual(["ROSTER_FORK", "crypto"]);
    // A longer forked chain (fork plus one more) is a fork too, not news.
    const longer = [
      ...forked,
      nextRoster(sodium, parseRoster(sodium, fork), {}, veraKeys.signing, Date.now() + 6),
    ];
    const seenLonger = await serving(longer, longer.length, async () =>
      failure((await client(veraDevice)).helplines.trust(helplineId as never)),
    );
    expect(seenLonger.code).toBe("ROSTER_FORK");
  });
});
