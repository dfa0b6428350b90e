/**
 * The hostile layer itself: its tools change exactly what they say, its rules match exactly their
 * route, it rewrites requests as well as answers, and it works as a real HTTP server on loopback
 * (the way browser tests will use it), with the SDK on the platform's fetch seeing the attack.
 */
import { createClient, startSeeker } from "@briefgeheim/client";
import type { ThreadId } from "@briefgeheim/crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  decode,
  dropAt,
  duplicateAt,
  encode,
  flipByte,
  moveItem,
  replaceBytes,
  swapField,
} from "./mutations.js";
import { startHostileProxy } from "./proxy.js";
import { createWorld, endAttack, failure, ORIGIN, reasonsAt, type World } from "./world.js";

describe("mutations", () => {
  const list = Object.freeze(["a", "b", "c", "d"]);

  it("drop, move and duplicate return new lists and leave the input alone", () => {
    expect(dropAt(list, 1)).toEqual(["a", "c", "d"]);
    expect(moveItem(list, 3, 1)).toEqual(["a", "d", "b", "c"]);
    expect(duplicateAt(list, 2)).toEqual(["a", "b", "c", "c", "d"]);
    expect(list).toEqual(["a", "b", "c", "d"]);
    for (const bad of [-1, 4, 1.5]) {
      expect(() => dropAt(list, bad)).toThrow(RangeError);
      expect(() => moveItem(list, bad, 0)).toThrow(RangeError);
      expect(() => duplicateAt(list, bad)).toThrow(RangeError);
    }
  });

  it("swapField swaps one field between two answers", () => {
    const [x, y] = swapField({ id: 1, envelope: "p" }, { id: 2, envelope: "q" }, "envelope");
    expect([x, y]).toEqual([
      { id: 1, envelope: "q" },
      { id: 2, envelope: "p" },
    ]);
  });

  it("flipByte changes exactly one bit, counted from either end", () => {
    const text = encode(new Uint8Array([0, 1, 2, 3, 4]));
    expect([...decode(flipByte(text, 0))]).toEqual([1, 1, 2, 3, 4]);
    expect([...decode(flipByte(text, -2))]).toEqual([0, 1, 2, 2, 4]);
    expect(() => flipByte(text, 5)).toThrow(RangeError);
    expect(() => flipByte(text, -6)).toThrow(RangeError);
  });

  it("replaceBytes replaces every occurrence and refuses to do nothing", () => {
    const text = encode(new Uint8Array([9, 1, 2, 9, 1, 2, 7]));
    const key = new Uint8Array([1, 2]);
    expect([...decode(replaceBytes(text, key, new Uint8Array([5, 6])))]).toEqual([9, 5, 6, 9, 5, 6, 7]);
    expect(() => replaceBytes(text, new Uint8Array([3, 3]), key)).toThrow(/do not occur/);
    expect(() => replaceBytes(text, key, new Uint8Array([1]))).toThrow(RangeError);
  });
});

describe("the hostile server", () => {
  let w: World;
  let threadId: ThreadId;

  beforeAll(async () => {
    w = await createWorld();
  });
  afterEach(() => endAttack(w));
  afterAll(async () => {
    await w?.close();
  });

  it("a rule matches its route only, with its params, and off() removes it", async () => {
    const seeker = await w.seeker();
    threadId = (await seeker.openThread({ subject: "Vraag", body: "Hallo" })).threadId;
    const seen: string[] = [];
    const off = w.server.onResponse("GET /api/threads/:threadId", (detail, ex) => {
      seen.push(ex.params.threadId!);
      return detail;
    });
    const view = await seeker.readThread(threadId); // also GETs /api/threads/:id/envelopes
    expect(view.ok).toBe(true);
    expect(seen).toEqual([threadId]);
    expect(w.server.rewritten).toEqual([`GET /api/threads/${threadId}`]);
    off();
    await seeker.readThread(threadId);
    expect(seen).toHaveLength(1);
  });

  it("a request rule changes what the honest server receives (an altered post is refused with a 4xx)", async () => {
    const seeker = await w.seeker();
    const { threadId: mine } = await seeker.openThread({ subject: "Vraag", body: "Eerste" });
    w.server.onRequest("POST /api/threads/:threadId/envelopes", (body) => {
      const b = body as { envelope: string };
      return { ...b, envelope: flipByte(b.envelope, -80) };
    });
    const refused = await failure(seeker.reply(mine, "Tweede"));
    expect(refused.source).toBe("server");
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    w.server.reset();
    // The refused post stays pending (PROTOCOL.md §5: a seq is never signed twice), so the next reply
    // first delivers those same bytes at position 2 and then lands itself at 3.
    expect((await seeker.reply(mine, "Derde")).position).toBe(3);
    expect((await seeker.readThread(mine)).messages.map((m) => m.body)).toEqual([
      "Eerste",
      "Tweede",
      "Derde",
    ]);
  });

  it("an intercept answers in the honest server's place: the post is 'accepted' but never stored", async () => {
    const seeker = await w.seeker();
    const { threadId: mine } = await seeker.openThread({ subject: "Vraag", body: "Eerste" });
    const kept: unknown[] = [];
    w.server.intercept("POST /api/threads/:threadId/envelopes", (body) => {
      kept.push(body);
      return {
        status: 200,
        json: { id: (body as { id: string }).id, position: 2, hash: "x", receivedAt: 1 },
      };
    });
    expect((await seeker.reply(mine, "Tweede")).position).toBe(2);
    expect(kept).toHaveLength(1);
    expect(w.server.rewritten).toContain(`POST /api/threads/${mine}/envelopes (forged)`);
    w.server.reset();
    expect((await seeker.readThread(mine)).messages.map((m) => m.body)).toEqual(["Eerste"]);
  });

  it("as an HTTP proxy on loopback: the SDK on the platform fetch signs in, writes and sees an attack", async () => {
    const proxy = await startHostileProxy(w.server.fetch, { targetOrigin: ORIGIN });
    try {
      const client = await createClient({
        baseUrl: proxy.url,
        origin: ORIGIN,
        cookieMode: "jar",
        pins: w.pins,
      });
      const seeker = await startSeeker(client, { helplineId: w.helplineId });
      const { threadId: mine } = await seeker.openThread({ subject: "Via proxy", body: "een" });
      await seeker.reply(mine, "twee");
      await seeker.reply(mine, "drie");
      expect((await seeker.readThread(mine)).messages.map((m) => m.body)).toEqual(["een", "twee", "drie"]);
      w.server.onResponse("GET /api/threads/:threadId/envelopes", (page) => ({
        ...page,
        envelopes: dropAt(page.envelopes, 1),
      }));
      const view = await seeker.readThread(mine);
      expect(reasonsAt(view, 1)).toContain("SEQ_GAP");
      expect(w.server.log).toContain(`GET /api/threads/${mine}/envelopes`);
    } finally {
      await proxy.close();
    }
  });
});
