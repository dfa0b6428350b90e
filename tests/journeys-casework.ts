/** The journeys, second phase (tests/journeys.test.ts): B takes over, a lying server is caught, the help-seeker returns, A is removed, another helpline sees nothing, and the audit and plaintext checks. */
import {
  acceptInvite,
  type BriefgeheimClient,
  isClientError,
  signInStaff,
  startSeeker,
} from "@briefgeheim/client";
import { expect, it } from "vitest";
import { failure, type JourneyState, MARK, PASS } from "./journeys-support.js";

export function caseworkSteps(j: JourneyState): void {
  it("B reads the full history, including A's note, and replies", async () => {
    const view = await j.bramSession.readThread(j.t1);
    expect(view.ok).toBe(true);
    expect(view.problems).toEqual([]);
    expect(view.messages.map((m) => [m.from, m.kind, m.displayName ?? null, m.body, m.epoch])).toEqual([
      ["help-seeker", "message", null, MARK.body, 0],
      ["helpline", "message", "Anna", MARK.reply, 1],
      ["helpline", "note", "Anna", MARK.note, 1],
      ["helpline", "status", "Anna", "waiting", 1],
      // The supervisor's handover to B, signed in the new epoch (PROTOCOL.md §5.1).
      ["helpline", "event", "Sanne (coördinator)", "", 2],
    ]);
    expect(view.messages.at(-1)?.handover).toEqual({
      memberId: j.bram.memberId,
      displayName: "Bram",
      self: false,
    });
    expect(view).toMatchObject({ assignees: ["Bram"], currentEpoch: 2, canWriteNotes: true });
    expect(view.readers).toEqual({ helpline: "Hulplijn Een", counsellors: ["Bram"], supervisors: true });
    await j.bramSession.reply(j.t1, MARK.replyB);
  });

  it("a server that drops, replays or alters anything in the thread is caught, never shown as content", async () => {
    type Listing = { envelopes: { envelope: string }[] };
    const listing = `/api/threads/${j.t1}/envelopes`;
    try {
      // Drop A's reply from the middle: A's next envelope now skips a sequence number.
      j.h.rewrite = (path, method, body) => {
        if (path !== listing || method !== "GET") return body;
        const b = body as Listing;
        return { ...b, envelopes: b.envelopes.filter((_, i) => i !== 1) };
      };
      const dropped = await j.bramSession.readThread(j.t1);
      expect(dropped.ok).toBe(false);
      expect(dropped.problems.map((p) => p.reason)).toContain("SEQ_GAP");
      expect(dropped.messages.some((m) => m.body === MARK.reply)).toBe(false);

      // Replay the help-seeker's first message.
      j.h.rewrite = (path, method, body) => {
        if (path !== listing || method !== "GET") return body;
        const b = body as Listing;
        return { ...b, envelopes: [b.envelopes[0]!, ...b.envelopes] };
      };
      const replayed = await j.bramSession.readThread(j.t1);
      expect(replayed.problems.map((p) => [p.reason, p.index])).toContainEqual(["DUPLICATE", 1]);
      expect(replayed.messages.filter((m) => m.body === MARK.body)).toHaveLength(1);

      // Alter one byte of the epoch-1 record: the whole thread is refused.
      j.h.rewrite = (path, method, body) => {
        if (path !== `/api/threads/${j.t1}` || method !== "GET") return body;
        const b = body as { records: string[] };
        const bytes = Buffer.from(b.records[1]!, "base64url");
        bytes[60] = bytes[60]! ^ 1;
        return { ...b, records: [b.records[0], bytes.toString("base64url"), ...b.records.slice(2)] };
      };
      const altered = await failure(j.bramSession.readThread(j.t1));
      expect(altered.code).toBe("THREAD_TAMPERED");
      expect(altered.source).toBe("crypto");

      // Withhold B's grant of the current epoch: not "no access" but tampering.
      j.h.rewrite = (path, method, body) => {
        if (path !== `/api/threads/${j.t1}` || method !== "GET") return body;
        return { ...(body as object), grants: [] };
      };
      expect((await failure(j.bramSession.readThread(j.t1))).code).toBe("THREAD_TAMPERED");
    } finally {
      j.h.rewrite = (_path, _method, body) => body;
    }
    expect((await j.bramSession.readThread(j.t1)).ok).toBe(true);
  });

  it("A can no longer read the thread: the API refuses, and no grant of the new epoch is for A", async () => {
    expect((await failure(j.annaSession.readThread(j.t1))).code).toBe("NOT_FOUND");
    expect((await failure(j.annaSession.reply(j.t1, "nog iets"))).code).toBe("NOT_FOUND");
    const annaBox = (await j.sup.listStaff()).find((m) => m.id === j.anna.memberId)!.boxPk;
    const grants = await j.h.query(
      "SELECT epoch, count(*) AS n FROM grants WHERE thread_id = ? AND recipient_box_pk = ? GROUP BY epoch ORDER BY epoch",
      [j.t1, annaBox],
    );
    expect(grants.map((g) => [Number(g.epoch), Number(g.n)])).toEqual([
      [0, 1],
      [1, 1],
    ]);
    const epochs = await j.h.query("SELECT max(epoch) AS e FROM epoch_records WHERE thread_id = ?", [j.t1]);
    expect(Number(epochs[0]!.e)).toBe(2);
    // The supervisor sees the same: the current readers are the help-seeker, Bram and the supervisor.
    const supView = await j.sup.readThread(j.t1);
    expect(supView.readers.counsellors).toEqual(["Bram"]);
    expect(supView.messages.filter((m) => m.kind === "note").map((m) => m.body)).toEqual([MARK.note]);
  });

  it("the help-seeker returns on a new client with the code: both replies, never the note", async () => {
    j.seeker.wipe();
    expect((await failure(j.seeker.readThread(j.t1))).code).toBe("WIPED");
    const again = await startSeeker(await j.h.client({ pins: j.pins }), {
      code: j.code.toLowerCase().replace(/-/g, " "),
    });
    expect(again.code).toBe(j.code);
    const view = await again.readThread(j.t1);
    expect(view.ok).toBe(true);
    expect(view.messages.map((m) => [m.from, m.kind, m.displayName ?? null, m.body])).toEqual([
      ["me", "message", null, MARK.body],
      ["helpline", "message", "Anna", MARK.reply],
      ["helpline", "status", "Anna", "waiting"],
      // The help-seeker reads the handover where it happened (issue 10, help-seeker item 6).
      ["helpline", "event", "Sanne (coördinator)", ""],
      ["helpline", "message", "Bram", MARK.replyB],
    ]);
    expect(view.messages[3]?.handover?.displayName).toBe("Bram");
    expect(view.messages.some((m) => m.kind === "note" || m.body === MARK.note)).toBe(false);
    expect(view.unreadable).toBe(0);
    expect(view.readers).toEqual({ helpline: "Hulplijn Een", counsellors: ["Bram"], supervisors: true });
    await again.reply(j.t1, MARK.again);
    expect((await j.bramSession.readThread(j.t1)).messages.at(-1)).toMatchObject({
      from: "help-seeker",
      body: MARK.again,
    });
    // Delete a conversation for good.
    await again.deleteThread(j.t2);
    expect((await again.listThreads()).map((t) => t.id).sort()).toEqual([j.t1, j.t3].sort());
    expect((await failure(again.readThread(j.t2))).code).toBe("NOT_FOUND");
    j.seeker = again;
  });

  it("the supervisor removes A: new roster, A's remaining access re-keyed, A cannot sign in", async () => {
    // A new thread in intake is readable by A (an intake reader) until the removal re-keys it.
    const t4 = (await j.seeker.openThread({ subject: "Vierde", body: "Nieuw" })).threadId;
    expect((await j.annaSession.listThreads("intake")).map((t) => t.id)).toEqual([t4]);

    const removal = await j.sup.removeMember(j.anna.memberId, { reassignTo: [j.bram.memberId] });
    expect(removal.rosterVersion).toBe(3);
    expect(removal.changed).toEqual([{ threadId: t4, epoch: 1 }]);
    expect(removal.failed).toEqual([]);
    const roster = await j.sup.client.helplines.latestRoster(j.sup.helplineId);
    expect(roster.members.map((m) => m.memberId).sort()).toEqual([j.sup.memberId, j.bram.memberId].sort());

    // The roster change revoked A's sessions on the server: the open one is told why.
    const revoked = await failure(j.annaSession.listThreads("mine"));
    expect([revoked.code, revoked.status]).toEqual(["ACCOUNT_REMOVED", 403]);
    const signIn = await failure(
      signInStaff(await j.h.client({ pins: j.pins }), { username: "anna", passphrase: PASS.anna }),
    );
    expect(signIn.code).toBe("ACCOUNT_REMOVED");
    const t4View = await j.sup.readThread(t4);
    expect(t4View.readers).toEqual({ helpline: "Hulplijn Een", counsellors: [], supervisors: true });
    expect(t4View.currentEpoch).toBe(1);
    // Re-keyed, not claimed: it stays in the intake queue.
    expect(t4View.intake).toBe(true);
    expect((await j.sup.listThreads("intake")).map((t) => t.id)).toEqual([t4]);
    expect((await j.sup.listStaff()).find((m) => m.id === j.anna.memberId)).toMatchObject({
      status: "removed",
      onRoster: false,
    });
    // Resuming finds nothing left to do.
    const again = await j.sup.removeMember(j.anna.memberId, { reassignTo: [j.bram.memberId] });
    expect(again).toMatchObject({ rosterVersion: 3, changed: [], failed: [] });
    expect(isClientError(await failure(j.sup.removeMember(j.sup.memberId)), "FORBIDDEN")).toBe(true);
  });

  it("another helpline's counsellor sees nothing of helpline 1", async () => {
    const hl2 = await j.h.createHelpline({
      slug: "hulplijn-twee",
      name: "Hulplijn Twee",
      tag: 8,
      replyHours: 24,
    });
    const accepted = await acceptInvite(await j.h.client({ trustOnFirstUse: true }), hl2.token, {
      username: "sup2",
      displayName: "Coördinator Twee",
      passphrase: PASS.sup,
    });
    expect(accepted.fingerprint).not.toBe(j.fingerprint1);
    const pins2 = { [hl2.helplineId]: accepted.fingerprint! };
    const sup2 = await signInStaff(await j.h.client({ pins: pins2 }), {
      username: "sup2",
      passphrase: PASS.sup,
    });
    const invite = await sup2.invite("counsellor");
    await acceptInvite(await j.h.client({ pins: pins2 }), `${invite.token}/${invite.secret}`, {
      username: "carla",
      displayName: "Carla",
      passphrase: PASS.anna,
    });
    await sup2.admitPending({
      intakeReaders: [invite.memberId],
      displayNames: { [invite.memberId]: "Carla" },
    });
    const carlaClient: BriefgeheimClient = await j.h.client({ pins: pins2 });
    const carla = await signInStaff(carlaClient, { username: "carla", passphrase: PASS.anna });

    expect(await carla.listThreads("intake")).toEqual([]);
    expect(await carla.listThreads("mine")).toEqual([]);
    expect((await failure(carla.readThread(j.t1))).code).toBe("NOT_FOUND");
    expect((await failure(carla.reply(j.t1, "hallo?"))).code).toBe("NOT_FOUND");
    expect(await sup2.listThreads("all")).toEqual([]);
    expect((await sup2.listStaff()).map((m) => m.username).sort()).toEqual(["carla", "sup2"]);
    // Carla's build pins only helpline 2: helpline 1's roster is not trusted by it.
    expect((await failure(carlaClient.helplines.trust(j.hl1.helplineId as never))).code).toBe(
      "ROOT_NOT_PINNED",
    );
    // And helpline 1's supervisor sees nothing of helpline 2's team.
    expect((await j.sup.listStaff()).some((m) => m.username === "carla")).toBe(false);
    const audit2 = await sup2.audit();
    expect(audit2.ok).toBe(true);
    expect(audit2.entries.every((e) => e.helplineId === hl2.helplineId && e.threadId === null)).toBe(true);
  });

  it("the audit log of helpline 1 verifies and records every step", async () => {
    const audit = await j.sup.audit();
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
    ).toEqual([j.t1, j.t2, j.t3].sort());
    expect(audit.entries.filter((e) => e.action === "roster-change").map((e) => e.details.version)).toEqual([
      1, 2, 3,
    ]);
  });

  it("the server stored and logged no plaintext, and answered no request with a 500", async () => {
    const stored = j.h.storedText();
    for (const marker of Object.values(MARK)) expect(stored.includes(marker.slice(0, 17))).toBe(false);
    expect(stored.includes(j.code)).toBe(false);
    const logs = j.h.logLines.join("\n");
    for (const marker of Object.values(MARK)) expect(logs.includes(marker.slice(0, 17))).toBe(false);
    expect(j.h.logLines.filter((l) => l.includes('"level":"error"'))).toEqual([]);
  });
}
