/**
 * The handover event (PROTOCOL.md §5.1, issue 10 help-seeker item 6): a reassignment posts a signed
 * event "handed over to Bram" that the help-seeker and the staff see; a forged event, an event by a
 * counsellor for someone else and an event naming someone who does not read the thread are flagged with
 * their typed reason and never shown as a handover, in the help-seeker's view as in the staff's.
 */
import type { StaffSession, ThreadMessage, ThreadView } from "@briefgeheim/client";
import type { MemberId } from "@briefgeheim/crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { flipByte } from "./mutations.js";
import { type Conversation, conversation, createWorld, endAttack, type World } from "./world.js";

let w: World;
let bram: StaffSession;
let bramId: MemberId;
let carla: StaffSession;
let carlaId: MemberId;

beforeAll(async () => {
  w = await createWorld();
  bramId = await w.join("counsellor", "bram");
  carlaId = await w.join("counsellor", "carla");
  await w.vera.admitPending({ intakeReaders: [] });
  bram = await w.staff("bram");
  carla = await w.staff("carla");
});
afterEach(() => endAttack(w));
afterAll(async () => {
  await w?.close();
});

const events = (view: ThreadView): ThreadMessage[] => view.messages.filter((m) => m.kind === "event");

describe("handover event", () => {
  let c: Conversation;

  it("a caseload reassignment posts one verified event per thread, seen by the help-seeker and staff", async () => {
    c = await conversation(w, "overdracht");
    const outcome = await w.vera.reassignCaseload({ from: w.annaId, to: [bramId], threadIds: [c.threadId] });
    expect(outcome.changed.map((x) => x.threadId)).toEqual([c.threadId]);
    expect(outcome.notAnnounced).toEqual([]);
    for (const view of [await c.seeker.readThread(c.threadId), await bram.readThread(c.threadId)]) {
      expect(view.ok).toBe(true);
      const [event, ...more] = events(view);
      expect(more).toEqual([]);
      expect(event?.verified).toBe(true);
      expect(event?.handover).toEqual({ memberId: bramId, displayName: "Bram", self: false });
      // The event stands after the messages of the epoch before it.
      expect(view.messages.at(-1)?.kind).toBe("event");
    }
    // Running the same job again moves nothing and posts no second event.
    const again = await w.vera.reassignCaseload({ from: w.annaId, to: [bramId], threadIds: [c.threadId] });
    expect(again.skipped).toEqual([c.threadId]);
    expect(events(await c.seeker.readThread(c.threadId))).toHaveLength(1);
  });

  it("assigning one thread posts the event; announcing it again posts nothing", async () => {
    await w.vera.assign(c.threadId, carlaId);
    const view = await c.seeker.readThread(c.threadId);
    expect(events(view).map((e) => e.handover?.displayName)).toEqual(["Bram", "Carla"]);
    expect(view.ok).toBe(true);
    // Carla announces that she took it over (allowed: she is the member named), but it was announced.
    expect(await carla.announceHandover(c.threadId, carlaId)).toBeUndefined();
    const seen = events(await carla.readThread(c.threadId));
    // Nothing new: the current epoch held a handover to Carla already.
    expect(seen).toHaveLength(2);
  });

  it("a counsellor announcing a handover to someone else: EVENT_SIGNER_NOT_ALLOWED, not shown", async () => {
    const d = await conversation(w, "eigenmachtig");
    await w.vera.assign(d.threadId, bramId);
    // Bram reads the thread and signs genuinely, but names Carla, who does not read it: both rules.
    await bram.announceHandover(d.threadId, carlaId);
    for (const view of [await d.seeker.readThread(d.threadId), await w.vera.readThread(d.threadId)]) {
      const forged = events(view).at(-1)!;
      expect(forged.damaged).toBe(true);
      expect(forged.handover).toBeUndefined();
      expect(forged.problems).toContain("EVENT_SIGNER_NOT_ALLOWED");
      expect(forged.problems).toContain("EVENT_NOT_A_READER");
      expect(view.ok).toBe(false);
    }
  });

  it("an intake reader announcing they took the thread over: EVENT_SIGNER_NOT_ALLOWED until they claim it", async () => {
    const seeker = await w.seeker();
    const d = { seeker, ...(await seeker.openThread({ subject: "voorbarig", body: "hallo" })) };
    // Anna reads the intake epoch (the help-seeker made it) and signs genuinely that she took it over.
    await w.anna.announceHandover(d.threadId, w.annaId);
    for (const view of [await seeker.readThread(d.threadId), await w.vera.readThread(d.threadId)]) {
      const [early] = events(view);
      expect(early?.problems).toEqual(["EVENT_SIGNER_NOT_ALLOWED"]);
      expect(early?.damaged).toBe(true);
      expect(early?.handover).toBeUndefined();
    }
    // Once she claims it (she signs the epoch that gives it to her), her own announcement holds.
    await w.anna.claim(d.threadId);
    await w.anna.announceHandover(d.threadId, w.annaId);
    const after = events(await d.seeker.readThread(d.threadId));
    expect(after.map((e) => e.handover)).toEqual([
      undefined,
      { memberId: w.annaId, displayName: "Anna", self: true },
    ]);
    expect(after[1]?.verified).toBe(true);
  });

  it("a supervisor's event naming someone who no longer reads the thread: EVENT_NOT_A_READER", async () => {
    const d = await conversation(w, "oud");
    await w.vera.assign(d.threadId, bramId);
    // Anna read epoch 1 but not the current one: an event naming her is refused by every reader.
    await w.vera.announceHandover(d.threadId, w.annaId);
    const view = await d.seeker.readThread(d.threadId);
    const bad = events(view).at(-1)!;
    expect(bad.problems).toEqual(["EVENT_NOT_A_READER"]);
    expect(bad.handover).toBeUndefined();
    expect(events(view)[0]?.handover?.displayName).toBe("Bram");
  });

  it("a server that alters the event's bytes: BAD_SIGNATURE, the handover is not shown", async () => {
    const d = await conversation(w, "vervalst");
    await w.vera.assign(d.threadId, carlaId);
    const honest = await d.seeker.readThread(d.threadId);
    const at = honest.messages.findIndex((m) => m.kind === "event");
    w.server.onResponse("GET /api/threads/:threadId/envelopes", (page, ex) => {
      if (ex.params.threadId !== d.threadId) return page;
      const list = page.envelopes.map((e, i) =>
        i === at ? { ...e, envelope: flipByte(e.envelope, -10) } : e,
      ) as typeof page.envelopes;
      return { ...page, envelopes: list };
    });
    const view = await d.seeker.readThread(d.threadId);
    const forged = view.messages[at]!;
    expect(forged.problems).toContain("BAD_SIGNATURE");
    expect(forged.handover).toBeUndefined();
    expect(events(view).some((e) => e.handover !== undefined)).toBe(false);
  });
});
