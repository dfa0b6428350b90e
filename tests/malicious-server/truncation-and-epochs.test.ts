/**
 * Truncation, withheld envelopes, one damaged envelope and posts into an old epoch (issue 8 items
 * 4-6; PROTOCOL.md §5): every envelope names the newest envelope its author had seen of every sender
 * ("heads"), devices remember their own newest envelope and what they have read, and epoch records name
 * the heads at the change. The server deletes a row (what a server can really do), hides envelopes from
 * one reader, damages one, or keeps a post into an old epoch that the honest server would refuse.
 */
import { memoryDeviceMemory, type ThreadView } from "@briefgeheim/client";
import { loadSodium, parseEnvelope, type Sodium } from "@briefgeheim/crypto";
import type { EnvelopesResponse } from "@briefgeheim/protocol";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { decode, flipByte } from "./mutations.js";
import { conversation, createWorld, endAttack, problemsOf, reasonsAt, type World } from "./world.js";

let w: World;
let sodium: Sodium;

beforeAll(async () => {
  w = await createWorld();
  sodium = await loadSodium();
});
afterEach(() => endAttack(w));
afterAll(async () => {
  await w?.close();
});

const verifiedBodies = (view: ThreadView) => view.messages.filter((m) => m.verified).map((m) => m.body);

/** The server deletes the envelope at `position` from its database. */
async function deleteRow(threadId: string, position: number): Promise<void> {
  const rs = await w.h.db.writeClient.execute({
    sql: "DELETE FROM envelopes WHERE thread_id = ? AND position = ?",
    args: [threadId, position],
  });
  expect(rs.rowsAffected).toBe(1);
}

/** The stored envelopes of a thread as staff list them (the honest server's answer). */
async function stored(threadId: string) {
  const res = await w.h.request("GET", `/api/threads/${threadId}/envelopes`, {
    cookie: w.h.sessionOf(w.vera.client),
  });
  return (res.body as EnvelopesResponse).envelopes.map((e) => parseEnvelope(sodium, decode(e.envelope)));
}

describe("truncation and sequence reuse (issue 8 item 4)", () => {
  it("without an attack a reader on a fresh device reads the whole conversation", async () => {
    const c = await conversation(w, "eerlijk");
    const view = await (await w.staff("anna")).readThread(c.threadId);
    expect([view.ok, problemsOf(view), verifiedBodies(view)]).toEqual([true, [], c.bodies]);
  });

  it("the help-seeker's newest envelope deleted; their open tab writes again without reusing its seq -> MISSING for every reader", async () => {
    const c = await conversation(w, "ingekort");
    await deleteRow(c.threadId, 4); // the help-seeker's seq 3
    // Before anyone writes again, a reader on a fresh device cannot tell (PROTOCOL.md §5: undetectable).
    expect((await (await w.staff("anna")).readThread(c.threadId)).ok).toBe(true);
    await c.seeker.reply(c.threadId, "vierde");
    const last = (await stored(c.threadId)).at(-1)!;
    expect(last.seq).toBe(4); // not 3 again: the tab remembers seq 3
    for (const reader of [await w.staff("anna"), w.vera]) {
      const view = await reader.readThread(c.threadId);
      expect(view.ok).toBe(false);
      expect(reasonsAt(view, 3)).toEqual(expect.arrayContaining(["MISSING", "SEQ_GAP"]));
      expect(view.messages.at(-1)).toMatchObject({ body: "vierde", verified: false });
    }
  });

  it("an envelope a reader has seen is no longer served to them -> WITHHELD", async () => {
    const c = await conversation(w, "achtergehouden");
    const device = memoryDeviceMemory();
    const anna = await w.staff("anna", { memory: device });
    expect((await anna.readThread(c.threadId)).ok).toBe(true); // remembered what she read
    w.server.onResponse("GET /api/threads/:threadId/envelopes", (page, ex) =>
      ex.params.threadId === c.threadId ? { ...page, envelopes: page.envelopes.slice(0, -1) } : page,
    );
    const view = await (await w.staff("anna", { memory: device })).readThread(c.threadId);
    expect(view.problems.map((p) => p.reason)).toContain("WITHHELD");
    expect(verifiedBodies(view)).toEqual(c.bodies.slice(0, -1));
    // A device that never read it cannot tell.
    expect((await (await w.staff("anna")).readThread(c.threadId)).ok).toBe(true);
  });
});

describe("two versions of one post (issue 8 item 4)", () => {
  it("a second device's post of the same seq kept by the server and served instead of the first: SENDER_FORK", async () => {
    const c = await conversation(w, "tweemaal");
    // The help-seeker's second device (the same code) is shown the thread without seq 3 and writes its
    // own seq 3; the server "accepts" it and keeps it.
    const other = await w.seeker(c.seeker.code);
    let kept: { envelope: string } | undefined;
    w.server.onResponse("GET /api/threads/:threadId/envelopes", (page) => ({
      ...page,
      envelopes: page.envelopes.slice(0, 3),
    }));
    w.server.intercept("POST /api/threads/:threadId/envelopes", (body) => {
      kept = body as { envelope: string };
      return { status: 200, json: { id: "x", position: 4, hash: "", receivedAt: 1 } };
    });
    await other.reply(c.threadId, "de andere derde");
    expect(parseEnvelope(sodium, decode(kept!.envelope)).seq).toBe(3);
    w.server.reset();
    // Anna reads the real seq 3 and answers (her envelope names it); then the server swaps in the other.
    await w.anna.reply(c.threadId, "antwoord op de derde");
    w.server.onResponse("GET /api/threads/:threadId/envelopes", (page, ex) =>
      ex.params.threadId !== c.threadId
        ? page
        : {
            ...page,
            envelopes: page.envelopes.map((e, i) => (i === 3 ? { ...e, envelope: kept!.envelope } : e)),
          },
    );
    const view = await (await w.staff("vera")).readThread(c.threadId);
    // Both versions are the help-seeker's own (signed); Anna's answer names the other one: flagged.
    expect(reasonsAt(view, 4)).toContain("SENDER_FORK");
    expect(view.ok).toBe(false);
  });
});

describe("one damaged envelope does not break the thread (issue 8 item 5)", () => {
  it("one byte of Anna's answer flipped: it alone is flagged; later envelopes from both sides read, and a new reply continues past it, shown", async () => {
    const c = await conversation(w, "beschadigd");
    w.server.onResponse("GET /api/threads/:threadId/envelopes", (page, ex) =>
      ex.params.threadId !== c.threadId
        ? page
        : {
            ...page,
            envelopes: page.envelopes.map((e, i) =>
              i === 1 ? { ...e, envelope: flipByte(e.envelope, -80) } : e,
            ),
          },
    );
    const view = await c.seeker.readThread(c.threadId);
    expect(problemsOf(view)).toEqual([["BAD_SIGNATURE", 1]]);
    expect(view.messages[1]).toMatchObject({ damaged: true, verified: false });
    expect(verifiedBodies(view)).toEqual([c.bodies[0], c.bodies[2], c.bodies[3]]);
    // The help-seeker writes on while the damaged envelope is served: the post says so.
    await c.seeker.reply(c.threadId, "toch verder");
    const after = await c.seeker.readThread(c.threadId);
    expect(after.messages.at(-1)).toMatchObject({
      body: "toch verder",
      verified: true,
      continuesPastDamaged: true,
    });
    expect(problemsOf(after)).toEqual([["BAD_SIGNATURE", 1]]);
  });
});

describe("posts into an old epoch (issue 8 item 6)", () => {
  it("an intake reader left out by a claim writes into epoch 0 and the server keeps it -> AFTER_EPOCH_CHANGE", async () => {
    const bram = await w.join("counsellor", "bram");
    await w.vera.admitPending({ only: [bram], intakeReaders: [bram] });
    const bramSession = await w.staff("bram");
    const seeker = await w.seeker();
    const { threadId } = await seeker.openThread({ subject: "Vraag", body: "Wie leest dit?" });
    // What Bram's client was served while the thread was in intake (kept by the server to replay).
    const bramCookie = w.h.sessionOf(bramSession.client);
    const intake = {
      detail: (await w.h.request("GET", `/api/threads/${threadId}`, { cookie: bramCookie })).body,
      envelopes: (await w.h.request("GET", `/api/threads/${threadId}/envelopes`, { cookie: bramCookie }))
        .body,
    };
    await w.anna.claim(threadId); // epoch 1: the help-seeker, Anna, the supervisors; Bram is out

    // The server shows Bram the thread as it was (epoch 0 current) and "accepts" his post.
    let kept: { id: string; envelope: string } | undefined;
    w.server.intercept("GET /api/threads/:threadId", () => ({ status: 200, json: intake.detail }));
    w.server.intercept("GET /api/threads/:threadId/envelopes", () => ({
      status: 200,
      json: intake.envelopes,
    }));
    w.server.intercept("POST /api/threads/:threadId/envelopes", (body) => {
      kept = body as { id: string; envelope: string };
      return { status: 200, json: { id: kept.id, position: 2, hash: "", receivedAt: Date.now() } };
    });
    await bramSession.reply(threadId, "Ik lees nog mee");
    expect(parseEnvelope(sodium, decode(kept!.envelope)).epoch).toBe(0);

    // Everyone else is served the thread with Bram's post in it.
    w.server.reset();
    w.server.onResponse("GET /api/threads/:threadId/envelopes", (page, ex) =>
      ex.params.threadId !== threadId
        ? page
        : {
            ...page,
            envelopes: [...page.envelopes, { ...page.envelopes[0]!, id: kept!.id, envelope: kept!.envelope }],
          },
    );
    for (const reader of [w.anna, seeker]) {
      const view = await reader.readThread(threadId);
      const at = view.messages.length - 1;
      expect(reasonsAt(view, at)).toContain("AFTER_EPOCH_CHANGE");
      expect(verifiedBodies(view)).toEqual(["Wie leest dit?"]);
    }
  });

  it("an envelope named by an epoch record deleted -> MISSING (the record says it existed)", async () => {
    const seeker = await w.seeker();
    const { threadId } = await seeker.openThread({ subject: "Vraag", body: "Eerste" });
    await w.anna.claim(threadId); // epoch 1's record names the help-seeker's seq 1
    await deleteRow(threadId, 1);
    const view = await (await w.staff("anna")).readThread(threadId);
    expect(view.ok).toBe(false);
    expect(view.problems.map((p) => p.reason)).toContain("MISSING");
  });
});
