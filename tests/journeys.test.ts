/**
 * Every journey of PRODUCT.md section 1 through packages/client against the real API in-process:
 * operator -> first supervisor (root key, roster v1) -> counsellors invited and admitted (roster v2)
 * -> a help-seeker writes -> counsellor A claims, replies, writes a note -> the supervisor moves A's
 * whole caseload to B (interrupted once, then resumed) -> B reads everything and replies -> A is
 * locked out of what follows -> the help-seeker returns on a new client with the code -> A is
 * removed -> another helpline sees nothing of the first.
 */
import {
  acceptInvite,
  type BriefgeheimClient,
  ClientError,
  inviteLink,
  isClientError,
  replyDraftContext,
  type SeekerSession,
  type StaffSession,
  signInStaff,
  startSeeker,
} from "@briefgeheim/client";
import type { MemberId, ThreadId } from "@briefgeheim/crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, ORIGIN, startHarness } from "./journeys-harness.js";

const PASS = {
  sup: "correct horse battery staple",
  anna: "anna's lange wachtzin",
  bram: "bram zegt hallo 123",
};
const MARK = {
  subject: "MARKER-SUBJECT-7f3a",
  body: "MARKER-BODY-91c2 Ik weet niet meer wat ik moet doen.",
  reply: "MARKER-REPLY-A-55d0 Fijn dat je schrijft.",
  note: "MARKER-NOTE-e8b4 overleg met coördinator",
  replyB: "MARKER-REPLY-B-0c1d Ik neem het van Anna over.",
  again: "MARKER-AGAIN-3a9f Dank jullie.",
  draft: "MARKER-DRAFT-77aa half af",
};

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
// Helpline 1 and its people.
let hl1: { helplineId: string; token: string };
let fingerprint1: string;
let pins: Record<string, string>;
let sup: StaffSession;
let anna: { memberId: MemberId; token: string; secret: string };
let bram: { memberId: MemberId; token: string; secret: string };
let annaSession: StaffSession;
let bramSession: StaffSession;
let seeker: SeekerSession;
let code: string;
let t1: ThreadId;
let t2: ThreadId;
let t3: ThreadId;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe("journeys through packages/client against the real API", () => {
  it("operator creates a helpline; the first supervisor creates its root key and roster v1", async () => {
    hl1 = await h.createHelpline({ slug: "hulplijn-een", name: "Hulplijn Een", tag: 7, replyHours: 72 });
    const first = await h.client({ trustOnFirstUse: true });
    const steps: string[] = [];
    const accepted = await acceptInvite(first, hl1.token, {
      username: "sanne",
      displayName: "Sanne (coördinator)",
      passphrase: PASS.sup,
      onProgress: (s) => steps.push(s),
    });
    expect(steps).toEqual(["checking-invite", "generating-keys", "wrapping-key", "uploading"]);
    expect(accepted.helplineId).toBe(hl1.helplineId);
    expect(accepted.role).toBe("supervisor");
    expect(accepted.status).toBe("active");
    expect(accepted.recoveryKeyText).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){8}$/);
    expect(accepted.rootRecoveryText).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){13}$/);
    expect(accepted.fingerprint).toMatch(/^[0-9A-Z]{4}( [0-9A-Z]{4}){5}$/);
    fingerprint1 = accepted.fingerprint!;
    pins = { [hl1.helplineId]: fingerprint1 };

    // A build that pins the published fingerprint verifies roster v1 from the server.
    const pinned = await h.client({ pins });
    const trusted = await pinned.helplines.trust(hl1.helplineId as never);
    expect(trusted.pinnedBy).toBe("fingerprint");
    expect(trusted.fingerprint).toBe(fingerprint1);
    expect(trusted.roster.version).toBe(1);
    expect(trusted.roster.members.map((m) => [m.memberId, m.role, m.displayName])).toEqual([
      [accepted.memberId, "supervisor", "Sanne (coördinator)"],
    ]);
    // A build without a pin refuses the helpline.
    const unpinned = await h.client();
    expect((await failure(unpinned.helplines.trust(hl1.helplineId as never))).code).toBe("ROOT_NOT_PINNED");

    sup = await signInStaff(pinned, { username: "sanne", passphrase: PASS.sup });
    expect(sup.role).toBe("supervisor");
    expect(sup.memberId).toBe(accepted.memberId);
    expect(sup.displayName).toBe("Sanne (coördinator)");
    expect(sup.pinnedBy).toBe("fingerprint");
  });

  it("the supervisor invites two counsellors who accept, then admits them (roster v2)", async () => {
    const a = await sup.invite("counsellor");
    const b = await sup.invite("counsellor", { expiresInHours: 24 });
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.memberId).not.toBe(b.memberId);
    expect(a.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    anna = { memberId: a.memberId, token: a.token, secret: a.secret };
    bram = { memberId: b.memberId, token: b.token, secret: b.secret };
    // Anna opens the whole link; Bram's app passes token and secret apart. Anna's chosen name is
    // overridden at admission, Bram's is kept.
    for (const [invite, options] of [
      [
        inviteLink(ORIGIN, anna.token, anna.secret),
        { username: "anna", displayName: "anna", passphrase: PASS.anna },
      ],
      [
        bram.token,
        { username: "bram", displayName: "Bram", passphrase: PASS.bram, inviteSecret: bram.secret },
      ],
    ] as const) {
      const who = options.username === "anna" ? anna : bram;
      const accepted = await acceptInvite(await h.client({ pins }), invite, options);
      expect(accepted).toMatchObject({ memberId: who.memberId, role: "counsellor", status: "pending" });
      expect(accepted.rootRecoveryText).toBeUndefined();
    }
    // The invite is one-time.
    const reuse = await failure(
      acceptInvite(await h.client({ pins }), anna.token, {
        username: "mallory",
        displayName: "M",
        passphrase: "x",
      }),
    );
    expect(reuse.code).toBe("INVITE_USED");
    // Not on the roster yet: the client refuses before opening a session.
    expect(
      (await failure(signInStaff(await h.client({ pins }), { username: "anna", passphrase: PASS.anna })))
        .code,
    ).toBe("NOT_ON_ROSTER");

    // The server shows the names the members chose while they wait.
    const waiting = (await sup.listStaff()).filter((m) => m.status === "pending");
    expect(waiting.map((m) => [m.username, m.displayName]).sort()).toEqual([
      ["anna", "anna"],
      ["bram", "Bram"],
    ]);
    const admitted = await sup.admitPending({
      intakeReaders: [anna.memberId],
      displayNames: { [anna.memberId]: "Anna" },
    });
    expect(admitted.version).toBe(2);
    expect([...admitted.added].sort()).toEqual([anna.memberId, bram.memberId].sort());
    const team = await sup.listStaff();
    const byId = new Map(team.map((m) => [m.id, m]));
    expect(byId.get(anna.memberId)).toMatchObject({
      status: "active",
      displayName: "Anna",
      intakeReader: true,
      onRoster: true,
      keysMatchRoster: true,
    });
    expect(byId.get(bram.memberId)).toMatchObject({
      status: "active",
      displayName: "Bram",
      intakeReader: false,
    });
    // Nothing pending: no new roster.
    expect(await sup.admitPending()).toEqual({ version: 2, added: [] });
  });

  it("a help-seeker writes with a new code; a typo in a code is caught before any request", async () => {
    const client = await h.client({ pins });
    const before = h.calls.length;
    const typo = await failure(startSeeker(client, { code: "07AB-CDEF-GHJK-MNPQ-RSTV-WXYZ" }));
    expect(typo.code).toBe("INVALID_CODE_CHECKSUM");
    expect(typo.source).toBe("crypto");
    expect((await failure(startSeeker(client, { code: "too short" }))).code).toBe("INVALID_CODE_FORMAT");
    expect(h.calls.length).toBe(before);

    const steps: string[] = [];
    seeker = await startSeeker(client, {
      helplineId: hl1.helplineId as never,
      onProgress: (s) => steps.push(s),
    });
    expect(steps).toEqual(["verifying-helpline", "deriving-keys", "signing-in"]);
    code = seeker.code;
    expect(code).toMatch(/^07[0-9A-Z]{2}(-[0-9A-Z]{4}){5}$/); // tag 7 = "07"
    expect(seeker.fingerprint).toBe(fingerprint1);

    // A draft first (encrypted), then the first message.
    const ctx = `new:${hl1.helplineId}` as const;
    await seeker.saveDraft(ctx, { subject: MARK.subject, body: MARK.draft });
    expect(await seeker.loadDraft(ctx)).toMatchObject({ subject: MARK.subject, body: MARK.draft });
    expect(await seeker.deleteDraft(ctx)).toBe(true);
    expect(await seeker.loadDraft(ctx)).toBeNull();

    const opened = await seeker.openThread({ subject: MARK.subject, body: MARK.body });
    t1 = opened.threadId;
    expect(opened.thread).toMatchObject({
      id: t1,
      status: "open",
      intake: true,
      currentEpoch: 0,
      assigneeIds: [],
    });
    expect(opened.sent).toMatchObject({ id: t1, position: 1 });
    t2 = (await seeker.openThread({ subject: "Tweede", body: "Nog een vraag" })).threadId;
    t3 = (await seeker.openThread({ subject: "Derde", body: "En nog een" })).threadId;
    expect((await seeker.listThreads()).map((t) => t.id).sort()).toEqual([t1, t2, t3].sort());

    const view = await seeker.readThread(t1);
    expect(view.ok).toBe(true);
    expect(view.subject).toBe(MARK.subject);
    expect(view.messages.map((m) => [m.from, m.kind, m.body, m.verified])).toEqual([
      ["me", "message", MARK.body, true],
    ]);
    // Intake: the intake reader Anna and the supervisors can read it.
    expect(view.readers).toEqual({ helpline: "Hulplijn Een", counsellors: ["Anna"], supervisors: true });
    expect(view.status).toBe("open");
    expect(view.expiresAt).toBeGreaterThan(Date.now() + 300 * 86_400_000);
  });

  it("counsellor A claims from intake, replies, writes a note and sets the status", async () => {
    annaSession = await signInStaff(await h.client({ pins }), { username: "anna", passphrase: PASS.anna });
    expect(annaSession.role).toBe("counsellor");
    expect((await annaSession.listThreads("intake")).map((t) => t.id).sort()).toEqual([t1, t2, t3].sort());
    expect(await annaSession.listThreads("mine")).toEqual([]);
    const intakeView = await annaSession.readThread(t1);
    expect(intakeView.messages.map((m) => [m.from, m.body])).toEqual([["help-seeker", MARK.body]]);
    expect(intakeView).toMatchObject({ intake: true, canWrite: true, canWriteNotes: false, currentEpoch: 0 });
    // Epoch 0 was made by the help-seeker: it has no staff key, so no notes yet.
    expect((await failure(annaSession.addNote(t1, "te vroeg"))).code).toBe("WRONG_CONTEXT");
    // Bram is no intake reader: he sees nothing.
    bramSession = await signInStaff(await h.client({ pins }), { username: "bram", passphrase: PASS.bram });
    expect((await failure(bramSession.listThreads("intake"))).code).toBe("FORBIDDEN");
    expect((await failure(bramSession.readThread(t1))).code).toBe("NOT_FOUND");

    for (const t of [t1, t2, t3]) expect(await annaSession.claim(t)).toMatchObject({ threadId: t, epoch: 1 });
    expect(await annaSession.listThreads("intake")).toEqual([]);
    expect((await annaSession.listThreads("mine")).map((t) => t.id).sort()).toEqual([t1, t2, t3].sort());

    await annaSession.reply(t1, MARK.reply);
    await annaSession.addNote(t1, MARK.note);
    await annaSession.setStatus(t1, "waiting");
    await annaSession.saveDraft(replyDraftContext(t1), { subject: "", body: MARK.draft });
    expect((await annaSession.loadDraft(replyDraftContext(t1)))?.body).toBe(MARK.draft);
    expect((await annaSession.flag(t1)).flagged).toBe(true);

    const view = await annaSession.readThread(t1);
    expect(view.ok).toBe(true);
    expect(view.messages.map((m) => [m.from, m.kind, m.displayName, m.body])).toEqual([
      ["help-seeker", "message", undefined, MARK.body],
      ["me", "message", "Anna", MARK.reply],
      ["me", "note", "Anna", MARK.note],
      ["me", "status", "Anna", "waiting"],
    ]);
    expect(view).toMatchObject({
      status: "waiting",
      flagged: true,
      intake: false,
      assignees: ["Anna"],
      canWrite: true,
      canWriteNotes: true,
      currentEpoch: 1,
    });
    expect(view.readers).toEqual({ helpline: "Hulplijn Een", counsellors: ["Anna"], supervisors: true });
  });

  it("the supervisor moves A's caseload to B; an interrupted run resumes and finishes", async () => {
    // The network fails for good after the first batch: the second batch commits but its answer is lost.
    let batches = 0;
    h.fault = (path, method) => {
      if (method !== "POST" || path !== "/api/threads/epochs/batch") return "pass";
      batches++;
      if (batches === 1) return "pass";
      return batches === 2 ? "drop-response" : "drop-request";
    };
    const ids = [t1, t2, t3];
    const progress: string[] = [];
    const interrupted = await failure(
      sup.reassignCaseload({
        from: anna.memberId,
        to: [bram.memberId],
        threadIds: ids,
        batchSize: 1,
        onProgress: (p) => progress.push(`${p.phase} ${p.done}/${p.total}`),
      }),
    );
    expect(interrupted.code).toBe("NETWORK");
    expect(progress).toContain("uploading 1/3");
    h.fault = () => "pass";

    const resumed = await sup.reassignCaseload({
      from: anna.memberId,
      to: [bram.memberId],
      threadIds: ids,
      batchSize: 1,
    });
    expect(resumed.skipped).toEqual([t1, t2]);
    expect(resumed.changed).toEqual([{ threadId: t3, epoch: 2 }]);
    expect(resumed.failed).toEqual([]);
    // Running it once more finds nothing left.
    expect(await sup.reassignCaseload({ from: anna.memberId, to: [bram.memberId] })).toEqual({
      changed: [],
      skipped: [],
      failed: [],
    });
    expect(await annaSession.listThreads("mine")).toEqual([]);
    expect((await bramSession.listThreads("mine")).map((t) => t.id).sort()).toEqual([t1, t2, t3].sort());
    const team = await sup.listStaff();
    expect(team.find((m) => m.id === anna.memberId)?.caseload).toBe(0);
    expect(team.find((m) => m.id === bram.memberId)?.caseload).toBe(3);
  });

  it("B reads the full history, including A's note, and replies", async () => {
    const view = await bramSession.readThread(t1);
    expect(view.ok).toBe(true);
    expect(view.problems).toEqual([]);
    expect(view.messages.map((m) => [m.from, m.kind, m.displayName ?? null, m.body, m.epoch])).toEqual([
      ["help-seeker", "message", null, MARK.body, 0],
      ["helpline", "message", "Anna", MARK.reply, 1],
      ["helpline", "note", "Anna", MARK.note, 1],
      ["helpline", "status", "Anna", "waiting", 1],
    ]);
    expect(view).toMatchObject({ assignees: ["Bram"], currentEpoch: 2, canWriteNotes: true });
    expect(view.readers).toEqual({ helpline: "Hulplijn Een", counsellors: ["Bram"], supervisors: true });
    await bramSession.reply(t1, MARK.replyB);
  });

  it("a server that drops, replays or alters anything in the thread is caught, never shown as content", async () => {
    type Listing = { envelopes: { envelope: string }[] };
    const listing = `/api/threads/${t1}/envelopes`;
    try {
      // Drop A's reply from the middle: A's next envelope now skips a sequence number.
      h.rewrite = (path, method, body) => {
        if (path !== listing || method !== "GET") return body;
        const b = body as Listing;
        return { ...b, envelopes: b.envelopes.filter((_, i) => i !== 1) };
      };
      const dropped = await bramSession.readThread(t1);
      expect(dropped.ok).toBe(false);
      expect(dropped.problems.map((p) => p.reason)).toContain("SEQ_GAP");
      expect(dropped.messages.some((m) => m.body === MARK.reply)).toBe(false);

      // Replay the help-seeker's first message.
      h.rewrite = (path, method, body) => {
        if (path !== listing || method !== "GET") return body;
        const b = body as Listing;
        return { ...b, envelopes: [b.envelopes[0]!, ...b.envelopes] };
      };
      const replayed = await bramSession.readThread(t1);
      expect(replayed.problems.map((p) => [p.reason, p.index])).toContainEqual(["DUPLICATE", 1]);
      expect(replayed.messages.filter((m) => m.body === MARK.body)).toHaveLength(1);

      // Alter one byte of the epoch-1 record: the whole thread is refused.
      h.rewrite = (path, method, body) => {
        if (path !== `/api/threads/${t1}` || method !== "GET") return body;
        const b = body as { records: string[] };
        const bytes = Buffer.from(b.records[1]!, "base64url");
        bytes[60] = bytes[60]! ^ 1;
        return { ...b, records: [b.records[0], bytes.toString("base64url"), ...b.records.slice(2)] };
      };
      const altered = await failure(bramSession.readThread(t1));
      expect(altered.code).toBe("THREAD_TAMPERED");
      expect(altered.source).toBe("crypto");

      // Withhold B's grant of the current epoch: not "no access" but tampering.
      h.rewrite = (path, method, body) => {
        if (path !== `/api/threads/${t1}` || method !== "GET") return body;
        return { ...(body as object), grants: [] };
      };
      expect((await failure(bramSession.readThread(t1))).code).toBe("THREAD_TAMPERED");
    } finally {
      h.rewrite = (_path, _method, body) => body;
    }
    expect((await bramSession.readThread(t1)).ok).toBe(true);
  });

  it("A can no longer read the thread: the API refuses, and no grant of the new epoch is for A", async () => {
    expect((await failure(annaSession.readThread(t1))).code).toBe("NOT_FOUND");
    expect((await failure(annaSession.reply(t1, "nog iets"))).code).toBe("NOT_FOUND");
    const annaBox = (await sup.listStaff()).find((m) => m.id === anna.memberId)!.boxPk;
    const grants = await h.query(
      "SELECT epoch, count(*) AS n FROM grants WHERE thread_id = ? AND recipient_box_pk = ? GROUP BY epoch ORDER BY epoch",
      [t1, annaBox],
    );
    expect(grants.map((g) => [Number(g.epoch), Number(g.n)])).toEqual([
      [0, 1],
      [1, 1],
    ]);
    const epochs = await h.query("SELECT max(epoch) AS e FROM epoch_records WHERE thread_id = ?", [t1]);
    expect(Number(epochs[0]!.e)).toBe(2);
    // The supervisor sees the same: the current readers are the help-seeker, Bram and the supervisor.
    const supView = await sup.readThread(t1);
    expect(supView.readers.counsellors).toEqual(["Bram"]);
    expect(supView.messages.filter((m) => m.kind === "note").map((m) => m.body)).toEqual([MARK.note]);
  });

  it("the help-seeker returns on a new client with the code: both replies, never the note", async () => {
    seeker.wipe();
    expect((await failure(seeker.readThread(t1))).code).toBe("WIPED");
    const again = await startSeeker(await h.client({ pins }), {
      code: code.toLowerCase().replace(/-/g, " "),
    });
    expect(again.code).toBe(code);
    const view = await again.readThread(t1);
    expect(view.ok).toBe(true);
    expect(view.messages.map((m) => [m.from, m.kind, m.displayName ?? null, m.body])).toEqual([
      ["me", "message", null, MARK.body],
      ["helpline", "message", "Anna", MARK.reply],
      ["helpline", "status", "Anna", "waiting"],
      ["helpline", "message", "Bram", MARK.replyB],
    ]);
    expect(view.messages.some((m) => m.kind === "note" || m.body === MARK.note)).toBe(false);
    expect(view.unreadable).toBe(0);
    expect(view.readers).toEqual({ helpline: "Hulplijn Een", counsellors: ["Bram"], supervisors: true });
    await again.reply(t1, MARK.again);
    expect((await bramSession.readThread(t1)).messages.at(-1)).toMatchObject({
      from: "help-seeker",
      body: MARK.again,
    });
    // Delete a conversation for good.
    await again.deleteThread(t2);
    expect((await again.listThreads()).map((t) => t.id).sort()).toEqual([t1, t3].sort());
    expect((await failure(again.readThread(t2))).code).toBe("NOT_FOUND");
    seeker = again;
  });

  it("the supervisor removes A: new roster, A's remaining access re-keyed, A cannot sign in", async () => {
    // A new thread in intake is readable by A (an intake reader) until the removal re-keys it.
    const t4 = (await seeker.openThread({ subject: "Vierde", body: "Nieuw" })).threadId;
    expect((await annaSession.listThreads("intake")).map((t) => t.id)).toEqual([t4]);

    const removal = await sup.removeMember(anna.memberId, { reassignTo: [bram.memberId] });
    expect(removal.rosterVersion).toBe(3);
    expect(removal.changed).toEqual([{ threadId: t4, epoch: 1 }]);
    expect(removal.failed).toEqual([]);
    const roster = await sup.client.helplines.latestRoster(sup.helplineId);
    expect(roster.members.map((m) => m.memberId).sort()).toEqual([sup.memberId, bram.memberId].sort());

    // The roster change revoked A's sessions on the server: the open one is told why.
    const revoked = await failure(annaSession.listThreads("mine"));
    expect([revoked.code, revoked.status]).toEqual(["ACCOUNT_REMOVED", 403]);
    const signIn = await failure(
      signInStaff(await h.client({ pins }), { username: "anna", passphrase: PASS.anna }),
    );
    expect(signIn.code).toBe("ACCOUNT_REMOVED");
    const t4View = await sup.readThread(t4);
    expect(t4View.readers).toEqual({ helpline: "Hulplijn Een", counsellors: [], supervisors: true });
    expect(t4View.currentEpoch).toBe(1);
    // Re-keyed, not claimed: it stays in the intake queue.
    expect(t4View.intake).toBe(true);
    expect((await sup.listThreads("intake")).map((t) => t.id)).toEqual([t4]);
    expect((await sup.listStaff()).find((m) => m.id === anna.memberId)).toMatchObject({
      status: "removed",
      onRoster: false,
    });
    // Resuming finds nothing left to do.
    const again = await sup.removeMember(anna.memberId, { reassignTo: [bram.memberId] });
    expect(again).toMatchObject({ rosterVersion: 3, changed: [], failed: [] });
    expect(isClientError(await failure(sup.removeMember(sup.memberId)), "FORBIDDEN")).toBe(true);
  });

  it("another helpline's counsellor sees nothing of helpline 1", async () => {
    const hl2 = await h.createHelpline({
      slug: "hulplijn-twee",
      name: "Hulplijn Twee",
      tag: 8,
      replyHours: 24,
    });
    const accepted = await acceptInvite(await h.client({ trustOnFirstUse: true }), hl2.token, {
      username: "sup2",
      displayName: "Coördinator Twee",
      passphrase: PASS.sup,
    });
    expect(accepted.fingerprint).not.toBe(fingerprint1);
    const pins2 = { [hl2.helplineId]: accepted.fingerprint! };
    const sup2 = await signInStaff(await h.client({ pins: pins2 }), {
      username: "sup2",
      passphrase: PASS.sup,
    });
    const invite = await sup2.invite("counsellor");
    await acceptInvite(await h.client({ pins: pins2 }), `${invite.token}/${invite.secret}`, {
      username: "carla",
      displayName: "Carla",
      passphrase: PASS.anna,
    });
    await sup2.admitPending({
      intakeReaders: [invite.memberId],
      displayNames: { [invite.memberId]: "Carla" },
    });
    const carlaClient: BriefgeheimClient = await h.client({ pins: pins2 });
    const carla = await signInStaff(carlaClient, { username: "carla", passphrase: PASS.anna });

    expect(await carla.listThreads("intake")).toEqual([]);
    expect(await carla.listThreads("mine")).toEqual([]);
    expect((await failure(carla.readThread(t1))).code).toBe("NOT_FOUND");
    expect((await failure(carla.reply(t1, "hallo?"))).code).toBe("NOT_FOUND");
    expect(await sup2.listThreads("all")).toEqual([]);
    expect((await sup2.listStaff()).map((m) => m.username).sort()).toEqual(["carla", "sup2"]);
    // Carla's build pins only helpline 2: helpline 1's roster is not trusted by it.
    expect((await failure(carlaClient.helplines.trust(hl1.helplineId as never))).code).toBe(
      "ROOT_NOT_PINNED",
    );
    // And helpline 1's supervisor sees nothing of helpline 2's team.
    expect((await sup.listStaff()).some((m) => m.username === "carla")).toBe(false);
    const audit2 = await sup2.audit();
    expect(audit2.ok).toBe(true);
    expect(audit2.entries.every((e) => e.helplineId === hl2.helplineId && e.threadId === null)).toBe(true);
  });

  it("the audit log of helpline 1 verifies and records every step", async () => {
    const audit = await sup.audit();
    expect(audit.ok).toBe(true);
    expect(audit.verification).toMatchObject({ ok: true, count: audit.entries.length });
    const actions = audit.entries.map((e) => e.action);
    for (const action of [
      "invite-created",
      "invite-accepted",
      "roster-change",
      "claim",
      "reassign",
      "remove-reader",
    ]) {
      expect(actions).toContain(action);
    }
    expect(
      audit.entries
        .filter((e) => e.action === "reassign")
        .map((e) => e.threadId)
        .sort(),
    ).toEqual([t1, t2, t3].sort());
    expect(audit.entries.filter((e) => e.action === "roster-change").map((e) => e.details.version)).toEqual([
      1, 2, 3,
    ]);
  });

  it("the server stored and logged no plaintext, and answered no request with a 500", async () => {
    const stored = h.storedText();
    for (const marker of Object.values(MARK)) expect(stored.includes(marker.slice(0, 17))).toBe(false);
    expect(stored.includes(code)).toBe(false);
    const logs = h.logLines.join("\n");
    for (const marker of Object.values(MARK)) expect(logs.includes(marker.slice(0, 17))).toBe(false);
    expect(h.logLines.filter((l) => l.includes('"level":"error"'))).toEqual([]);
  });
});
