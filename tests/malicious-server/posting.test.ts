/**
 * A hostile server against the one who posts (review of protocol 2, findings 4 and 5; PROTOCOL.md §5):
 * a forged envelope "of" the sender must not decide their next seq, and an error made up after the
 * server stored a post must not make the sender sign that seq a second time.
 */
import type { FetchLike } from "@briefgeheim/client";
import { loadSodium, parseEnvelope, type Sodium } from "@briefgeheim/crypto";
import { LIMITS, type StoredEnvelope } from "@briefgeheim/protocol";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { decode, encode } from "./mutations.js";
import { conversation, createWorld, endAttack, failure, problemsOf, type World } from "./world.js";

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

/** A genuine envelope with its seq overwritten: its signature no longer holds (BAD_SIGNATURE). */
function withSeq(envelope: string, seq: number): string {
  const bytes = decode(envelope);
  const pk = parseEnvelope(sodium, bytes).senderSignPk;
  let at = -1;
  for (let i = 0; i + pk.length <= bytes.length && at < 0; i++) {
    if (pk.every((b, j) => bytes[i + j] === b)) at = i + pk.length;
  }
  if (at < 0) throw new Error("sender key not found in the envelope");
  new DataView(bytes.buffer).setUint32(at, seq);
  return encode(bytes);
}

describe("a forged envelope claiming the sender's key does not set their next seq (finding 4)", () => {
  for (const forgedSeq of [0xffffffff, 1000]) {
    it(`an unsigned envelope of the help-seeker with seq ${forgedSeq} appended: they post on with seq 4, only the forgery is flagged (BAD_SIGNATURE)`, async () => {
      const c = await conversation(w, `vals-${forgedSeq}`);
      let forged: StoredEnvelope | undefined;
      w.server.onResponse("GET /api/threads/:threadId/envelopes", (page, ex) => {
        if (ex.params.threadId !== c.threadId) return page;
        const last = page.envelopes.at(-1)!;
        forged ??= {
          ...last,
          id: "F".repeat(22),
          position: last.position + 1,
          envelope: withSeq(last.envelope, forgedSeq),
        };
        return { ...page, envelopes: [...page.envelopes, forged] };
      });
      const sent = await c.seeker.reply(c.threadId, `vals-${forgedSeq}: vierde`);
      const stored = await w.h.db.readClient.execute({
        sql: "SELECT bytes FROM envelopes WHERE thread_id = ? AND id = ?",
        args: [c.threadId, sent.id],
      });
      const env = parseEnvelope(sodium, new Uint8Array(stored.rows[0]!.bytes as ArrayBuffer));
      expect(env.seq).toBe(4);
      const view = await (await w.staff("vera")).readThread(c.threadId);
      // The forgery (served last, after the new post) alone is flagged: no SEQ_GAP, no SENDER_FORK.
      expect(problemsOf(view)).toEqual([["BAD_SIGNATURE", 5]]);
      expect(view.messages[4]).toMatchObject({ body: `vals-${forgedSeq}: vierde`, verified: true });
    });
  }
});

/** A 409 SEQUENCE_CONFLICT as the API words it. */
const conflict = () =>
  Response.json({ error: { code: "SEQUENCE_CONFLICT", message: "seq taken" } }, { status: 409 });

/**
 * Anna's client through a server that stores each of her posts to `threadId` and then answers 409
 * while `lying()` says so; `state.lies` counts the lies told.
 */
async function lyingAnna(threadId: string, lying: () => boolean) {
  const state = { lies: 0 };
  const fetch: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    const response = await w.server.fetch(request);
    const ours =
      request.method === "POST" && new URL(request.url).pathname === `/api/threads/${threadId}/envelopes`;
    if (!ours || !response.ok || !lying()) return response;
    state.lies++;
    return conflict();
  };
  return { anna: await w.staff("anna", { fetch }), state };
}

describe("an error made up after storing a post does not make the sender sign its seq again (finding 5)", () => {
  it("the server stores Anna's answer and says 409 SEQUENCE_CONFLICT: her retry finds it stored; one envelope with seq 2, no SENDER_FORK", async () => {
    const c = await conversation(w, "gelogen");
    let once = true;
    const { anna, state } = await lyingAnna(c.threadId, () => {
      const lie = once;
      once = false;
      return lie;
    });
    const ack = await anna.reply(c.threadId, "gelogen: tweede antwoord");
    expect(state.lies).toBe(1);
    const rows = await w.h.db.readClient.execute({
      sql: "SELECT id FROM envelopes WHERE thread_id = ? AND seq = 2 AND stream = 'main'",
      args: [c.threadId],
    });
    // The help-seeker's seq 2 and Anna's one seq 2: nothing signed twice.
    expect(rows.rows.map((r) => String(r.id))).toContain(ack.id);
    expect(rows.rows).toHaveLength(2);
    const view = await (await w.staff("vera")).readThread(c.threadId);
    expect([view.ok, view.messages.map((m) => m.body)]).toEqual([
      true,
      [...c.bodies, "gelogen: tweede antwoord"],
    ]);
  });

  it("the server keeps lying and hides what it stored: the post fails (SEQUENCE_CONFLICT) after three sends of the same bytes; Anna's next post names it, seq 2 never signed twice", async () => {
    const c = await conversation(w, "volhard");
    let lying = true;
    const { anna, state } = await lyingAnna(c.threadId, () => lying);
    const before = await w.h.db.readClient.execute({
      sql: "SELECT id FROM envelopes WHERE thread_id = ?",
      args: [c.threadId],
    });
    const known = new Set(before.rows.map((r) => String(r.id)));
    w.server.onResponse("GET /api/threads/:threadId/envelopes", (page, ex) =>
      ex.params.threadId !== c.threadId
        ? page
        : { ...page, envelopes: page.envelopes.filter((e) => known.has(e.id)) },
    );
    const failed = await anna.reply(c.threadId, "volhard: antwoord").then(
      () => undefined,
      (e: { code?: string }) => e.code,
    );
    expect(failed).toBe("SEQUENCE_CONFLICT");
    expect(state.lies).toBe(3);
    const after = await w.h.db.readClient.execute({
      sql: "SELECT id, seq FROM envelopes WHERE thread_id = ?",
      args: [c.threadId],
    });
    // One envelope kept: every attempt sent the same id and bytes (the server is idempotent on the id).
    expect(after.rows.filter((r) => !known.has(String(r.id))).map((r) => Number(r.seq))).toEqual([2]);
    lying = false;
    w.server.reset();
    await anna.reply(c.threadId, "volhard: daarna");
    const view = await (await w.staff("vera")).readThread(c.threadId);
    expect([view.ok, view.messages.map((m) => m.body)]).toEqual([
      true,
      [...c.bodies, "volhard: antwoord", "volhard: daarna"],
    ]);
  });
});

describe("a thread stuffed with forged envelopes (finding 11)", () => {
  it("the server lists more than LIMITS.threadMaxEnvelopes envelopes: THREAD_TOO_LARGE, nothing verified; the honest server refuses to store more (PAYLOAD_TOO_LARGE)", async () => {
    const c = await conversation(w, "vol");
    w.server.onResponse("GET /api/threads/:threadId/envelopes", (page, ex) => {
      if (ex.params.threadId !== c.threadId || ex.query.get("after") !== null) return page;
      const last = page.envelopes.at(-1)!;
      const junk = Array.from({ length: LIMITS.threadMaxEnvelopes }, (_, i) => ({
        ...last,
        id: `J${String(i).padStart(21, "0")}`,
        position: last.position + 1 + i,
        envelope: withSeq(last.envelope, 10 + i),
      }));
      return { ...page, envelopes: [...page.envelopes, ...junk] };
    });
    const started = Date.now();
    const refused = await failure((await w.staff("vera")).readThread(c.threadId));
    expect(refused.code).toBe("THREAD_TOO_LARGE");
    expect(Date.now() - started).toBeLessThan(20_000);
    w.server.reset();

    await w.h.db.writeClient.execute({
      sql: "UPDATE threads SET envelope_count = ? WHERE id = ?",
      args: [LIMITS.threadMaxEnvelopes, c.threadId],
    });
    const full = await failure(c.seeker.reply(c.threadId, "vol: nog een"));
    expect(full.code).toBe("PAYLOAD_TOO_LARGE");
  });
});
