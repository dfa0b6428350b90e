/**
 * A server that hides, reorders, replays, moves or alters envelopes (docs/THREAT-MODEL.md §3.4):
 * the reader's SDK verifies the thread and names the problem; the tampered envelope is never shown
 * as a verified message. The honest flow is read once first, by both people, so each attack is the only
 * difference.
 */
import type { ThreadView } from "@briefgeheim/client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { dropAt, duplicateAt, flipByte, moveItem } from "./mutations.js";
import {
  type Conversation,
  conversation,
  createWorld,
  endAttack,
  problemsOf,
  reasonsAt,
  type World,
} from "./world.js";

let w: World;
let c: Conversation;
let other: Conversation;

beforeAll(async () => {
  w = await createWorld();
  c = await conversation(w, "gesprek");
  other = await conversation(w, "ander");
});
afterEach(() => endAttack(w));
afterAll(async () => {
  await w?.close();
});

/**
 * The bodies shown as verified messages. (Since protocol 2 a tampered envelope keeps its place in the
 * thread, flagged; before, it was left out. Either way it is never shown as a verified message.)
 */
const bodies = (view: ThreadView) => view.messages.filter((m) => m.verified).map((m) => m.body);

/** Serves `change(envelopes)` for the conversation's thread only. */
function tamper(change: (envelopes: { envelope: string }[]) => { envelope: string }[]) {
  w.server.onResponse("GET /api/threads/:threadId/envelopes", (page, ex) => {
    if (ex.params.threadId !== c.threadId) return page;
    return { ...page, envelopes: change(page.envelopes) as typeof page.envelopes };
  });
}

describe("envelopes: an active server against the readers' verification", () => {
  it("without an attack both people read the whole conversation, verified", async () => {
    for (const view of [await w.anna.readThread(c.threadId), await c.seeker.readThread(c.threadId)]) {
      expect(problemsOf(view)).toEqual([]);
      expect(view.ok).toBe(true);
      expect(bodies(view)).toEqual(c.bodies);
    }
    expect(w.server.rewritten).toEqual([]);
  });

  it("hiding an envelope from the middle of a sender's sequence: SEQ_GAP on the next one", async () => {
    tamper((list) => dropAt(list, 2)); // the help-seeker's seq 2
    for (const view of [await w.anna.readThread(c.threadId), await c.seeker.readThread(c.threadId)]) {
      expect(view.ok).toBe(false);
      expect(reasonsAt(view, 2)).toContain("SEQ_GAP"); // seq 3, now at position 2
      expect(bodies(view)).not.toContain(c.bodies[2]);
    }
    expect(w.server.rewritten).toContain(`GET /api/threads/${c.threadId}/envelopes`);
  });

  it("reordering two envelopes of one sender: REORDERED", async () => {
    tamper((list) => moveItem(list, 3, 2)); // seq 3 served before seq 2
    const view = await w.anna.readThread(c.threadId);
    expect(view.ok).toBe(false);
    expect(reasonsAt(view, 2)).toContain("REORDERED");
    expect(bodies(view)).not.toContain(c.bodies[3]);
  });

  it("an answer served before the message it answers (its head names a later one): REORDERED", async () => {
    tamper((list) => moveItem(list, 1, 0)); // Anna's answer first; it names the help-seeker's seq 1
    const view = await c.seeker.readThread(c.threadId);
    expect(view.ok).toBe(false);
    expect(reasonsAt(view, 0)).toContain("REORDERED");
  });

  it("serving one envelope twice (a replay): DUPLICATE on the copy, the original still shown", async () => {
    tamper((list) => duplicateAt(list, 1)); // Anna's answer, twice
    const view = await c.seeker.readThread(c.threadId);
    expect(view.ok).toBe(false);
    expect(reasonsAt(view, 2)).toContain("DUPLICATE");
    expect(reasonsAt(view, 1)).toEqual([]);
    expect(bodies(view).filter((b) => b === c.bodies[1])).toHaveLength(1);
  });

  it("moving an envelope from another thread into this one: WRONG_THREAD", async () => {
    w.server.onResponse("GET /api/threads/:threadId/envelopes", async (page, ex) => {
      if (ex.params.threadId !== c.threadId) return page;
      const theirs = (await ex.honest(`/api/threads/${other.threadId}/envelopes`)) as typeof page;
      return { ...page, envelopes: [...page.envelopes, theirs.envelopes[2]!] };
    });
    const view = await w.anna.readThread(c.threadId); // Anna reads both threads
    expect(view.ok).toBe(false);
    expect(reasonsAt(view, 4)).toContain("WRONG_THREAD");
    expect(bodies(view)).toEqual(c.bodies);
    expect(bodies(view)).not.toContain(other.bodies[2]);
  });

  it("one altered byte of ciphertext: BAD_SIGNATURE, and the message is not shown", async () => {
    tamper((list) =>
      list.map((item, i) => (i === 1 ? { ...item, envelope: flipByte(item.envelope, -80) } : item)),
    );
    for (const view of [await w.anna.readThread(c.threadId), await c.seeker.readThread(c.threadId)]) {
      expect(view.ok).toBe(false);
      expect(reasonsAt(view, 1)).toContain("BAD_SIGNATURE");
      expect(bodies(view)).not.toContain(c.bodies[1]);
    }
  });
});
