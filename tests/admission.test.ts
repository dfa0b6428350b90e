/**
 * Admission and removal of staff through packages/client against the real API in-process (the gaps
 * the SDK engineer reported, docs/CLIENT.md):
 * - a pending member's chosen display name is listed and used by `admitPending` (override kept);
 * - invite key binding: a server that swaps a pending member's keys (or drops or moves the binding) is
 *   refused by the admitting supervisor's client, and nothing is published;
 * - admission by safety code: a member without a binding (an operator's invite, a link without its
 *   secret, another supervisor's invite) is admitted only when the compared code matches the keys;
 *   a server that lists a pending member with no proof or an invented one gets nowhere;
 * - an intake thread re-keyed by a removal stays in intake and can still be claimed;
 * - a removed member's open session is told `403 ACCOUNT_REMOVED`, not a bare 401;
 * - a supervisor admitted later signs rosters with their own key and reads threads that existed before;
 * - a removed supervisor's signature is refused; the root signs only from its sheet (emergency,
 *   succession); a hidden newest roster makes publishing fail (ROSTER_ROLLBACK), never fork.
 */
import {
  acceptInvite,
  ClientError,
  inviteLink,
  type SeekerSession,
  type StaffSession,
  signInStaff,
  startSeeker,
} from "@briefgeheim/client";
import type { MemberId, ThreadId } from "@briefgeheim/crypto";
import type { StaffMember } from "@briefgeheim/protocol";
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
let sup: StaffSession;
let seeker: SeekerSession;

/** The safety code each new member saw on their own screen after accepting (by member id). */
const ownScreen = new Map<string, string>();

/** Invites and accepts a member (with the link's secret unless `withoutSecret`); returns the member id. */
async function join(
  role: "counsellor" | "supervisor",
  username: string,
  displayName: string,
  options: { withoutSecret?: boolean; by?: StaffSession } = {},
): Promise<MemberId> {
  const invite = await (options.by ?? sup).invite(role);
  const link = options.withoutSecret ? invite.token : inviteLink(ORIGIN, invite.token, invite.secret);
  const accepted = await acceptInvite(await h.client({ pins }), link, {
    username,
    displayName,
    passphrase: PASS,
  });
  expect(accepted).toMatchObject({ memberId: invite.memberId, status: "pending", role });
  expect(accepted.safetyCode).toMatch(/^[0-9]{5}( [0-9]{5}){5}$/);
  ownScreen.set(invite.memberId, accepted.safetyCode);
  return invite.memberId;
}

async function staff(username: string): Promise<StaffSession> {
  return signInStaff(await h.client({ pins }), { username, passphrase: PASS });
}

/** Rewrites the server's staff listing (a malicious server) for the duration of `fn`. */
async function withListing<T>(
  change: (members: StaffMember[]) => StaffMember[],
  fn: () => Promise<T>,
): Promise<T> {
  h.rewrite = (path, method, body) => {
    if (path !== "/api/staff" || method !== "GET") return body;
    const b = body as { members: StaffMember[] };
    return { ...b, members: change(b.members) };
  };
  try {
    return await fn();
  } finally {
    h.rewrite = (_p, _m, body) => body;
  }
}

beforeAll(async () => {
  h = await startHarness();
  const hl = await h.createHelpline({ slug: "hulplijn", name: "Hulplijn", tag: 21, replyHours: 48 });
  helplineId = hl.helplineId;
  expect(hl.link).toBe(`${ORIGIN}/staff/#/invite/${hl.token}`);
  const first = await acceptInvite(await h.client({ trustOnFirstUse: true }), hl.link, {
    username: "vera",
    displayName: "Vera",
    passphrase: PASS,
  });
  pins = { [helplineId]: first.fingerprint! };
  // The root is printed once and stored nowhere: not on the server, not in the browser's answer again.
  expect(first.rootRecoveryText).toMatch(/^([0-9A-Z]{4}-){13}[0-9A-Z]{4}$/);
  sup = await staff("vera");
  seeker = await startSeeker(await h.client({ pins }), { helplineId: helplineId as never });
});
afterAll(async () => {
  await h?.close();
});

describe("admission", () => {
  it("a pending member's chosen display name is listed and put on the roster; an override still wins", async () => {
    const cora = await join("counsellor", "cora", "Cora ✿");
    const dirk = await join("counsellor", "dirk", "dirk");
    const listed = (await sup.listStaff()).filter((m) => m.status === "pending");
    expect(listed.map((m) => [m.id, m.displayName]).sort()).toEqual(
      [
        [cora, "Cora ✿"],
        [dirk, "dirk"],
      ].sort(),
    );
    const admitted = await sup.admitPending({ displayNames: { [dirk]: "Dirk" } });
    expect([...admitted.added].sort()).toEqual([cora, dirk].sort());
    expect(admitted.rekeyed).toBeUndefined(); // no supervisor added: nothing to re-key
    const roster = await sup.client.helplines.latestRoster(sup.helplineId);
    const names = new Map(roster.members.map((m) => [m.memberId as string, m.displayName]));
    expect([names.get(cora), names.get(dirk)]).toEqual(["Cora ✿", "Dirk"]);
  });

  it("a server that swaps a pending member's keys is refused by the supervisor's client; nothing is published", async () => {
    const eva = await join("counsellor", "eva", "Eva");
    const before = (await sup.client.helplines.latestRoster(sup.helplineId)).version;
    // The server's own keys (as it would list them to slip them into the roster).
    const attacker = (await sup.listStaff()).find((m) => m.id === sup.memberId)!;
    for (const swap of [
      { boxPk: attacker.boxPk },
      { signPk: attacker.signPk },
      { signInPk: attacker.signInPk },
      { role: "supervisor" as const },
    ]) {
      const refused = await withListing(
        (members) => members.map((m) => (m.id === eva ? { ...m, ...swap } : m)),
        () => failure(sup.admitPending()),
      );
      expect(refused.code).toBe("INVITE_KEY_MISMATCH");
      expect(refused.source).toBe("crypto");
      expect(refused.details).toEqual({ memberIds: [eva] });
    }
    // Dropping the proof, or the sealed secret, or moving another invite's sealed secret: refused too.
    const fay = await join("counsellor", "fay", "Fay");
    for (const change of [
      (m: StaffMember) => (m.id === eva ? { ...m, keyProof: null } : m),
      (m: StaffMember) => (m.id === eva ? { ...m, sealedInviteSecret: null } : m),
    ]) {
      const refused = await withListing(
        (members) => members.map(change),
        () => failure(sup.admitPending()),
      );
      expect(refused.code).toBe("INVITE_KEY_MISMATCH");
    }
    const moved = await withListing(
      (members) => {
        const faySecret = members.find((m) => m.id === fay)!.sealedInviteSecret;
        return members.map((m) => (m.id === eva ? { ...m, sealedInviteSecret: faySecret } : m));
      },
      () => failure(sup.admitPending()),
    );
    expect(moved.code).toBe("INVITE_KEY_MISMATCH");
    expect((await sup.client.helplines.latestRoster(sup.helplineId)).version).toBe(before);

    // The honest listing verifies and both are admitted with their own keys.
    const admitted = await sup.admitPending();
    expect([...admitted.added].sort()).toEqual([eva, fay].sort());
    const team = await sup.listStaff();
    expect(team.filter((m) => m.id === eva || m.id === fay).every((m) => m.keysMatchRoster)).toBe(true);
  });

  it("an acceptance without the link's secret is admitted only with the safety code compared; no checkbox path", async () => {
    const gijs = await join("counsellor", "gijs", "Gijs", { withoutSecret: true });
    const before = (await sup.client.helplines.latestRoster(sup.helplineId)).version;
    const refused = await failure(sup.admitPending());
    expect([refused.code, refused.details]).toEqual(["INVITE_KEY_MISMATCH", { memberIds: [gijs] }]);
    // A mistyped code (one digit off) is refused; nothing is published.
    const code = ownScreen.get(gijs)!;
    const typo = `${code.slice(0, -1)}${code.endsWith("7") ? "8" : "7"}`;
    const wrong = await failure(
      sup.admitPending({ admit: [{ memberId: gijs, intakeReader: false, comparedSafetyCode: typo }] }),
    );
    expect([wrong.code, wrong.details]).toEqual(["SAFETY_CODE_MISMATCH", { memberIds: [gijs] }]);
    expect((await sup.client.helplines.latestRoster(sup.helplineId)).version).toBe(before);
    // The supervisor's team screen shows the same code the member reads from their own screen.
    expect((await sup.listStaff()).find((m) => m.id === gijs)?.safetyCode).toBe(code);
    const admitted = await sup.admitPending({
      admit: [{ memberId: gijs, intakeReader: true, comparedSafetyCode: code.replaceAll(" ", "") }],
    });
    expect(admitted).toMatchObject({ version: before + 1, added: [gijs] });
    const listed = (await sup.client.helplines.latestRoster(sup.helplineId)).members.find(
      (m) => m.memberId === gijs,
    );
    expect(listed?.intakeReader).toBe(true);
  });

  it("a server that lists a pending member with no proof or an invented proof: refused unless the compared code matches", async () => {
    const hanna = await join("counsellor", "hanna", "Hanna", { withoutSecret: true });
    const before = (await sup.client.helplines.latestRoster(sup.helplineId)).version;
    // The server's own key pair, with a proof it invented (it never saw an invite secret) and a
    // sealed secret it made up: the binding cannot verify.
    const serverKeys = (await sup.listStaff()).find((m) => m.id === sup.memberId)!;
    const invented = (m: StaffMember): StaffMember =>
      m.id === hanna
        ? {
            ...m,
            signPk: serverKeys.signPk,
            boxPk: serverKeys.boxPk,
            keyProof: m.signPk,
            sealedInviteSecret: Buffer.alloc(72, 7).toString("base64url"),
          }
        : m;
    const byBinding = await withListing(
      (ms) => ms.map(invented),
      () => failure(sup.admitPending()),
    );
    expect(byBinding.code).toBe("INVITE_KEY_MISMATCH");
    // The supervisor compares with Hanna's real screen: the code of the server's keys differs.
    const byCode = await withListing(
      (ms) => ms.map(invented),
      () =>
        failure(
          sup.admitPending({
            admit: [{ memberId: hanna, intakeReader: false, comparedSafetyCode: ownScreen.get(hanna)! }],
          }),
        ),
    );
    expect([byCode.code, byCode.source]).toEqual(["SAFETY_CODE_MISMATCH", "crypto"]);
    // The team screen (fed by the server) shows the code of the server's keys, which differs from the
    // code on Hanna's own screen: that difference is what the supervisor sees when comparing.
    const listedCode = await withListing(
      (ms) => ms.map(invented),
      async () => (await sup.listStaff()).find((m) => m.id === hanna)!.safetyCode,
    );
    expect(listedCode).not.toBe(ownScreen.get(hanna));
    expect((await sup.client.helplines.latestRoster(sup.helplineId)).version).toBe(before);
    // The honest listing with the compared code admits Hanna's own keys.
    await sup.admitPending({
      admit: [{ memberId: hanna, intakeReader: false, comparedSafetyCode: ownScreen.get(hanna)! }],
    });
    expect((await sup.listStaff()).find((m) => m.id === hanna)?.keysMatchRoster).toBe(true);
  });
});

describe("removal", () => {
  let ivo: MemberId;
  let jet: MemberId;
  let ivoSession: StaffSession;
  let jetSession: StaffSession;
  let intakeThread: ThreadId;

  it("an intake thread re-keyed by a reader's removal stays in intake; another intake reader claims it", async () => {
    ivo = await join("counsellor", "ivo", "Ivo");
    jet = await join("counsellor", "jet", "Jet");
    await sup.admitPending({ intakeReaders: [ivo, jet] });
    ivoSession = await staff("ivo");
    jetSession = await staff("jet");
    intakeThread = (await seeker.openThread({ subject: "Vraag", body: "Is er iemand?" })).threadId;
    expect((await ivoSession.listThreads("intake")).map((t) => t.id)).toContain(intakeThread);

    const removal = await sup.removeMember(ivo);
    expect(removal.failed).toEqual([]);
    expect(removal.changed).toContainEqual({ threadId: intakeThread, epoch: 1 });
    const view = await jetSession.readThread(intakeThread);
    expect(view).toMatchObject({ intake: true, currentEpoch: 1, assignees: [], canWrite: true });
    expect(view.messages.map((m) => m.body)).toEqual(["Is er iemand?"]);
    expect((await jetSession.listThreads("intake")).map((t) => t.id)).toContain(intakeThread);
    expect((await sup.listThreads("intake")).map((t) => t.id)).toContain(intakeThread);

    expect(await jetSession.claim(intakeThread)).toMatchObject({ epoch: 2 });
    const claimed = await jetSession.readThread(intakeThread);
    expect(claimed).toMatchObject({ intake: false, assignees: ["Jet"] });
    expect((await jetSession.listThreads("intake")).map((t) => t.id)).not.toContain(intakeThread);
  });

  it("the removed member's open session gets 403 ACCOUNT_REMOVED on every request; sign-in too", async () => {
    for (const call of [
      () => ivoSession.listThreads("intake"),
      () => ivoSession.readThread(intakeThread),
      () => ivoSession.loadDraft(`new:${helplineId}` as never),
    ]) {
      const e = await failure(call());
      expect([e.code, e.status, e.source]).toEqual(["ACCOUNT_REMOVED", 403, "server"]);
    }
    expect((await failure(staff("ivo"))).code).toBe("ACCOUNT_REMOVED");
    // Signing out of a revoked session is not an error; the keys are wiped.
    await ivoSession.signOut();
    expect(ivoSession.active).toBe(false);
  });
});

describe("a supervisor admitted later", () => {
  it("signs rosters with their own key, and every existing thread is re-keyed (in batches, with progress) so they read it", async () => {
    // An existing, claimed thread with a note (staff key), and one still in intake.
    const old = (await seeker.openThread({ subject: "Oud", body: "Van voor Sam" })).threadId;
    const jet = await staff("jet");
    await jet.claim(old);
    await jet.reply(old, "Antwoord van Jet");
    await jet.addNote(old, "Notitie van Jet");
    const waiting = (await seeker.openThread({ subject: "Wacht", body: "Nog niemand" })).threadId;
    const threads = (await sup.listThreads("all")).map((t) => t.id as ThreadId);

    const sam = await join("supervisor", "sam", "Sam");
    const progress: string[] = [];
    const admitted = await sup.admitPending({ batchSize: 2, onProgress: (p) => progress.push(p.phase) });
    expect(admitted.added).toEqual([sam]);
    expect(admitted.rekeyed?.failed).toEqual([]);
    expect(admitted.rekeyed?.changed.map((c) => c.threadId).sort()).toEqual([...threads].sort());
    expect(progress).toEqual(expect.arrayContaining(["listing", "loading", "signing", "uploading"]));

    const samSession = await staff("sam");
    expect(samSession.role).toBe("supervisor");
    const view = await samSession.readThread(old);
    expect(view.ok).toBe(true);
    expect(view.messages.map((m) => [m.kind, m.body])).toEqual([
      ["message", "Van voor Sam"],
      ["message", "Antwoord van Jet"],
      ["note", "Notitie van Jet"],
    ]);
    expect(view.assignees).toEqual(["Jet"]);
    // Jet still reads and writes it; the intake thread is still in intake for the intake reader.
    expect((await jet.readThread(old)).canWrite).toBe(true);
    expect((await jet.readThread(waiting)).intake).toBe(true);
    // Sam signs the next roster with his own key: he admits Kim, whose invite he made (binding) ...
    const kim = await join("counsellor", "kim", "Kim", { by: samSession });
    // ... which Vera cannot check by binding (only the inviter opens the sealed secret).
    const notVera = await failure(sup.admitPending({ only: [kim] }));
    expect([notVera.code, notVera.details]).toEqual(["INVITE_KEY_MISMATCH", { memberIds: [kim] }]);
    const bySam = await samSession.admitPending();
    expect(bySam.added).toEqual([kim]);
    const roster = await samSession.client.helplines.latestRoster(samSession.helplineId);
    expect(roster.signerPk).toEqual(roster.members.find((m) => m.memberId === sam)?.signPk);
    // Nothing left to re-key: a second run skips every thread.
    const again = await samSession.rekeyForRoster();
    expect(again.changed).toEqual([]);
    expect(again.failed).toEqual([]);
  });

  it("the server answered no request with a 500", () => {
    expect(h.logLines.filter((l) => l.includes('"level":"error"'))).toEqual([]);
  });
});
