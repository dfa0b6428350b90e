/** The journeys, first phase (tests/journeys.test.ts): a helpline, its team and a help-seeker, A claims, and A's caseload moves to B. */
import { acceptInvite, inviteLink, replyDraftContext, signInStaff, startSeeker } from "@briefgeheim/client";
import { parseRootRecoveryText, toBase64 } from "@briefgeheim/crypto";
import { expect, it } from "vitest";
import { ORIGIN } from "./journeys-harness.js";
import { failure, type JourneyState, MARK, PASS } from "./journeys-support.js";

export function onboardingSteps(j: JourneyState): void {
  it("operator creates a helpline; the first supervisor creates its root key and roster v1", async () => {
    j.hl1 = await j.h.createHelpline({ slug: "hulplijn-een", name: "Hulplijn Een", tag: 7, replyHours: 72 });
    const first = await j.h.client({ trustOnFirstUse: true });
    const steps: string[] = [];
    const accepted = await acceptInvite(first, j.hl1.token, {
      username: "sanne",
      displayName: "Sanne (coördinator)",
      passphrase: PASS.sup,
      onProgress: (s) => steps.push(s),
    });
    expect(steps).toEqual(["checking-invite", "generating-keys", "wrapping-key", "uploading"]);
    expect(accepted.helplineId).toBe(j.hl1.helplineId);
    expect(accepted.role).toBe("supervisor");
    expect(accepted.status).toBe("active");
    expect(accepted.recoveryKeyText).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){8}$/);
    expect(accepted.rootRecoveryText).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){13}$/);
    expect(accepted.fingerprint).toMatch(/^[0-9A-Z]{4}( [0-9A-Z]{4}){5}$/);
    expect(accepted.safetyCode).toMatch(/^[0-9]{5}( [0-9]{5}){5}$/);
    j.fingerprint1 = accepted.fingerprint!;
    j.pins = { [j.hl1.helplineId]: j.fingerprint1 };
    // The root is printed once and stored nowhere: the server holds no copy in any form.
    const seed = parseRootRecoveryText(first.sodium, accepted.rootRecoveryText!);
    const stored = j.h.storedText();
    for (const form of [toBase64(first.sodium, seed), Buffer.from(seed).toString("hex")]) {
      expect(stored).not.toContain(form);
    }

    // A build that pins the published fingerprint verifies roster v1 from the server.
    const pinned = await j.h.client({ pins: j.pins });
    const trusted = await pinned.helplines.trust(j.hl1.helplineId as never);
    expect(trusted.pinnedBy).toBe("fingerprint");
    expect(trusted.fingerprint).toBe(j.fingerprint1);
    expect(trusted.roster.version).toBe(1);
    // Roster v1 is founded by the root (protocol 2: later rosters are signed by supervisors).
    expect(trusted.roster.signerPk).toEqual(trusted.roster.rootPk);
    expect(trusted.roster.members.map((m) => [m.memberId, m.role, m.displayName])).toEqual([
      [accepted.memberId, "supervisor", "Sanne (coördinator)"],
    ]);
    // A build without a pin refuses the helpline.
    const unpinned = await j.h.client();
    expect((await failure(unpinned.helplines.trust(j.hl1.helplineId as never))).code).toBe("ROOT_NOT_PINNED");

    j.sup = await signInStaff(pinned, { username: "sanne", passphrase: PASS.sup });
    expect(j.sup.role).toBe("supervisor");
    expect(j.sup.memberId).toBe(accepted.memberId);
    expect(j.sup.displayName).toBe("Sanne (coördinator)");
    expect(j.sup.pinnedBy).toBe("fingerprint");
  });

  it("the supervisor invites two counsellors who accept, then admits them (roster v2)", async () => {
    const a = await j.sup.invite("counsellor");
    const b = await j.sup.invite("counsellor", { expiresInHours: 24 });
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.memberId).not.toBe(b.memberId);
    expect(a.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    j.anna = { memberId: a.memberId, token: a.token, secret: a.secret };
    j.bram = { memberId: b.memberId, token: b.token, secret: b.secret };
    // Anna opens the whole link; Bram's app passes token and secret apart. Anna's chosen name is
    // overridden at admission, Bram's is kept.
    for (const [invite, options] of [
      [
        inviteLink(ORIGIN, j.anna.token, j.anna.secret),
        { username: "anna", displayName: "anna", passphrase: PASS.anna },
      ],
      [
        j.bram.token,
        { username: "bram", displayName: "Bram", passphrase: PASS.bram, inviteSecret: j.bram.secret },
      ],
    ] as const) {
      const who = options.username === "anna" ? j.anna : j.bram;
      const accepted = await acceptInvite(await j.h.client({ pins: j.pins }), invite, options);
      expect(accepted).toMatchObject({ memberId: who.memberId, role: "counsellor", status: "pending" });
      expect(accepted.rootRecoveryText).toBeUndefined();
    }
    // The invite is one-time.
    const reuse = await failure(
      acceptInvite(await j.h.client({ pins: j.pins }), j.anna.token, {
        username: "mallory",
        displayName: "M",
        passphrase: "x",
      }),
    );
    expect(reuse.code).toBe("INVITE_USED");
    // Not on the roster yet: the client refuses before opening a session.
    expect(
      (
        await failure(
          signInStaff(await j.h.client({ pins: j.pins }), { username: "anna", passphrase: PASS.anna }),
        )
      ).code,
    ).toBe("NOT_ON_ROSTER");

    // The server shows the names the members chose while they wait.
    const waiting = (await j.sup.listStaff()).filter((m) => m.status === "pending");
    expect(waiting.map((m) => [m.username, m.displayName]).sort()).toEqual([
      ["anna", "anna"],
      ["bram", "Bram"],
    ]);
    const admitted = await j.sup.admitPending({
      intakeReaders: [j.anna.memberId],
      displayNames: { [j.anna.memberId]: "Anna" },
    });
    expect(admitted.version).toBe(2);
    expect([...admitted.added].sort()).toEqual([j.anna.memberId, j.bram.memberId].sort());
    // Roster v2 is signed by Sanne's own signing key, not by the root.
    const v2 = await j.sup.client.helplines.latestRoster(j.hl1.helplineId as never);
    expect(v2.signerPk).toEqual(v2.members.find((m) => m.memberId === j.sup.memberId)?.signPk);
    const team = await j.sup.listStaff();
    const byId = new Map(team.map((m) => [m.id, m]));
    expect(byId.get(j.anna.memberId)).toMatchObject({
      status: "active",
      displayName: "Anna",
      intakeReader: true,
      onRoster: true,
      keysMatchRoster: true,
    });
    expect(byId.get(j.bram.memberId)).toMatchObject({
      status: "active",
      displayName: "Bram",
      intakeReader: false,
    });
    // Nothing pending: no new roster.
    expect(await j.sup.admitPending()).toEqual({ version: 2, added: [] });
  });

  it("a help-seeker writes with a new code; a typo in a code is caught before any request", async () => {
    const client = await j.h.client({ pins: j.pins });
    const before = j.h.calls.length;
    const typo = await failure(startSeeker(client, { code: "07AB-CDEF-GHJK-MNPQ-RSTV-WXYZ" }));
    expect(typo.code).toBe("INVALID_CODE_CHECKSUM");
    expect(typo.source).toBe("crypto");
    expect((await failure(startSeeker(client, { code: "too short" }))).code).toBe("INVALID_CODE_FORMAT");
    expect(j.h.calls.length).toBe(before);

    const steps: string[] = [];
    j.seeker = await startSeeker(client, {
      helplineId: j.hl1.helplineId as never,
      onProgress: (s) => steps.push(s),
    });
    expect(steps).toEqual(["verifying-helpline", "deriving-keys", "signing-in"]);
    j.code = j.seeker.code;
    expect(j.code).toMatch(/^07[0-9A-Z]{2}(-[0-9A-Z]{4}){5}$/); // tag 7 = "07"
    expect(j.seeker.fingerprint).toBe(j.fingerprint1);

    // A draft first (encrypted), then the first message.
    const ctx = `new:${j.hl1.helplineId}` as const;
    await j.seeker.saveDraft(ctx, { subject: MARK.subject, body: MARK.draft });
    expect(await j.seeker.loadDraft(ctx)).toMatchObject({ subject: MARK.subject, body: MARK.draft });
    expect(await j.seeker.deleteDraft(ctx)).toBe(true);
    expect(await j.seeker.loadDraft(ctx)).toBeNull();

    const opened = await j.seeker.openThread({ subject: MARK.subject, body: MARK.body });
    j.t1 = opened.threadId;
    expect(opened.thread).toMatchObject({
      id: j.t1,
      status: "open",
      intake: true,
      currentEpoch: 0,
      assigneeIds: [],
    });
    expect(opened.sent).toMatchObject({ id: j.t1, position: 1 });
    j.t2 = (await j.seeker.openThread({ subject: "Tweede", body: "Nog een vraag" })).threadId;
    j.t3 = (await j.seeker.openThread({ subject: "Derde", body: "En nog een" })).threadId;
    expect((await j.seeker.listThreads()).map((t) => t.id).sort()).toEqual([j.t1, j.t2, j.t3].sort());

    const view = await j.seeker.readThread(j.t1);
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
    j.annaSession = await signInStaff(await j.h.client({ pins: j.pins }), {
      username: "anna",
      passphrase: PASS.anna,
    });
    expect(j.annaSession.role).toBe("counsellor");
    expect((await j.annaSession.listThreads("intake")).map((t) => t.id).sort()).toEqual(
      [j.t1, j.t2, j.t3].sort(),
    );
    expect(await j.annaSession.listThreads("mine")).toEqual([]);
    const intakeView = await j.annaSession.readThread(j.t1);
    expect(intakeView.messages.map((m) => [m.from, m.body])).toEqual([["help-seeker", MARK.body]]);
    expect(intakeView).toMatchObject({ intake: true, canWrite: true, canWriteNotes: false, currentEpoch: 0 });
    // Epoch 0 was made by the help-seeker: it has no staff key, so no notes yet.
    expect((await failure(j.annaSession.addNote(j.t1, "te vroeg"))).code).toBe("WRONG_CONTEXT");
    // Bram is no intake reader: he sees nothing.
    j.bramSession = await signInStaff(await j.h.client({ pins: j.pins }), {
      username: "bram",
      passphrase: PASS.bram,
    });
    expect((await failure(j.bramSession.listThreads("intake"))).code).toBe("FORBIDDEN");
    expect((await failure(j.bramSession.readThread(j.t1))).code).toBe("NOT_FOUND");

    for (const t of [j.t1, j.t2, j.t3])
      expect(await j.annaSession.claim(t)).toMatchObject({ threadId: t, epoch: 1 });
    expect(await j.annaSession.listThreads("intake")).toEqual([]);
    expect((await j.annaSession.listThreads("mine")).map((t) => t.id).sort()).toEqual(
      [j.t1, j.t2, j.t3].sort(),
    );

    await j.annaSession.reply(j.t1, MARK.reply);
    await j.annaSession.addNote(j.t1, MARK.note);
    await j.annaSession.setStatus(j.t1, "waiting");
    await j.annaSession.saveDraft(replyDraftContext(j.t1), { subject: "", body: MARK.draft });
    expect((await j.annaSession.loadDraft(replyDraftContext(j.t1)))?.body).toBe(MARK.draft);
    expect((await j.annaSession.flag(j.t1)).flagged).toBe(true);

    const view = await j.annaSession.readThread(j.t1);
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
    j.h.fault = (path, method) => {
      if (method !== "POST" || path !== "/api/threads/epochs/batch") return "pass";
      batches++;
      if (batches === 1) return "pass";
      return batches === 2 ? "drop-response" : "drop-request";
    };
    const ids = [j.t1, j.t2, j.t3];
    const progress: string[] = [];
    const interrupted = await failure(
      j.sup.reassignCaseload({
        from: j.anna.memberId,
        to: [j.bram.memberId],
        threadIds: ids,
        batchSize: 1,
        onProgress: (p) => progress.push(`${p.phase} ${p.done}/${p.total}`),
      }),
    );
    expect(interrupted.code).toBe("NETWORK");
    expect(progress).toContain("uploading 1/3");
    j.h.fault = () => "pass";

    const resumed = await j.sup.reassignCaseload({
      from: j.anna.memberId,
      to: [j.bram.memberId],
      threadIds: ids,
      batchSize: 1,
    });
    expect(resumed.skipped).toEqual([j.t1, j.t2]);
    expect(resumed.changed).toEqual([{ threadId: j.t3, epoch: 2 }]);
    expect(resumed.failed).toEqual([]);
    // Running it once more finds nothing left.
    expect(await j.sup.reassignCaseload({ from: j.anna.memberId, to: [j.bram.memberId] })).toEqual({
      changed: [],
      skipped: [],
      failed: [],
      notAnnounced: [],
    });
    // Every moved thread carries its handover once, t2 too, whose commit answer was lost (the resumed
    // run posted what the interrupted one could not).
    for (const id of ids) {
      const view = await j.bramSession.readThread(id);
      expect(view.messages.filter((m) => m.handover?.displayName === "Bram")).toHaveLength(1);
    }
    expect(await j.annaSession.listThreads("mine")).toEqual([]);
    expect((await j.bramSession.listThreads("mine")).map((t) => t.id).sort()).toEqual(
      [j.t1, j.t2, j.t3].sort(),
    );
    const team = await j.sup.listStaff();
    expect(team.find((m) => m.id === j.anna.memberId)?.caseload).toBe(0);
    expect(team.find((m) => m.id === j.bram.memberId)?.caseload).toBe(3);
  });
}
