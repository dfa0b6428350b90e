/**
 * What epoch records and remembered heads add against a server that lies about a thread (issue 8 items
 * 3, 4 and 6; PROTOCOL.md §4-§5): a withheld envelope becomes MISSING for everyone once the reader who
 * saw it writes; a post into an old epoch is AFTER_EPOCH_CHANGE; a thread opened on a forked roster is
 * ROSTER_FORK for a reader whose chain has the other roster of that version.
 */
import { type FetchLike, memoryDeviceMemory } from "@briefgeheim/client";
import {
  type GrantBytes,
  loadSodium,
  type MemberId,
  parseEnvelope,
  parseGrant,
  parseRoster,
  type RosterBytes,
  type Sodium,
  type ThreadId,
} from "@briefgeheim/crypto";
import type { ThreadDetail } from "@briefgeheim/protocol";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { decode } from "./mutations.js";
import {
  conversation,
  createWorld,
  endAttack,
  failure,
  newestEnvelopeText,
  problemsOf,
  reasonsAt,
  type World,
} from "./world.js";

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

describe("withheld envelopes become MISSING for everyone (issue 8 item 4)", () => {
  it("hidden from everyone after Anna read it: WITHHELD on her device; once she writes, MISSING on a fresh device", async () => {
    const c = await conversation(w, "verborgen");
    const device = memoryDeviceMemory();
    const anna = await w.staff("anna", { memory: device });
    expect((await anna.readThread(c.threadId)).ok).toBe(true);
    // From now on the server never serves the help-seeker's newest envelope again, to anyone.
    const rows = await w.h.db.readClient.execute({
      sql: "SELECT id FROM envelopes WHERE thread_id = ? ORDER BY position DESC LIMIT 1",
      args: [c.threadId],
    });
    const hidden = String(rows.rows[0]!.id);
    w.server.onResponse("GET /api/threads/:threadId/envelopes", (page, ex) =>
      ex.params.threadId === c.threadId
        ? { ...page, envelopes: page.envelopes.filter((e) => e.id !== hidden) }
        : page,
    );
    expect(problemsOf(await anna.readThread(c.threadId))).toEqual([["WITHHELD", -1]]);
    // A device that never saw it cannot tell yet (PROTOCOL.md §5: what stays undetectable).
    expect((await (await w.staff("vera")).readThread(c.threadId)).ok).toBe(true);

    await anna.reply(c.threadId, "verborgen: antwoord");
    const fresh = await (await w.staff("vera")).readThread(c.threadId);
    expect(reasonsAt(fresh, 3)).toEqual(["MISSING"]);
    expect(fresh.messages.at(-1)).toMatchObject({
      body: "verborgen: antwoord",
      verified: false,
      damaged: false,
    });
    const seekerView = await c.seeker.readThread(c.threadId);
    expect(reasonsAt(seekerView, 3)).toEqual(["MISSING"]);
  });
});

describe("the heads endpoint is verified, not trusted (bulk re-keying, PROTOCOL.md §4)", () => {
  it("a damaged or foreign envelope in the heads answer: the client loads the whole thread instead and signs on verified heads", async () => {
    const c = await conversation(w, "koppen");
    const other = await conversation(w, "ander");
    const foreignText = await newestEnvelopeText(w, other.threadId);
    w.server.onResponse("GET /api/threads/:threadId/heads", (body, ex) => {
      if (ex.params.threadId !== c.threadId) return body;
      const b = body as { envelopes: { envelope: string }[] };
      return { envelopes: [...b.envelopes.slice(1), { ...b.envelopes[0]!, envelope: foreignText }] };
    });
    const bram = await w.join("counsellor", "bram");
    await w.vera.admitPending({ only: [bram] });
    // The reassignment names the thread's real heads (the honest server would refuse others: STALE_VIEW).
    expect((await w.vera.assign(c.threadId, [bram])).epoch).toBe(2);
    const view = await (await w.staff("bram")).readThread(c.threadId);
    expect([view.ok, view.messages.filter((m) => m.kind !== "event").map((m) => m.body)]).toEqual([
      true,
      c.bodies,
    ]);
  });
});

describe("posts into an old epoch (issue 8 item 6)", () => {
  it("an intake reader left out by a claim posts seq 2 in epoch 0, the server keeps it: AFTER_EPOCH_CHANGE for every reader", async () => {
    const ines = await w.join("counsellor", "ines");
    await w.vera.admitPending({ only: [ines], intakeReaders: [ines] });
    let threadId: ThreadId | undefined;
    // Ines's device is shown the thread as it was in intake (epoch 0 current) from the moment the
    // server decides to; her post is "accepted" and kept (the honest server refuses it: not a reader).
    let frozen = false;
    const seen = new Map<string, string>();
    let kept: string | undefined;
    // An incremental read (issue 14) asks for what follows `after`: the frozen whole listing's tail.
    const frozenAfter = (url: URL) => {
      const after = Number(url.searchParams.get("after"));
      const whole = seen.get(`${url.pathname}?limit=${url.searchParams.get("limit")}`);
      if (whole === undefined) return undefined;
      const page = JSON.parse(whole) as { envelopes: { position: number }[] };
      return JSON.stringify({ envelopes: page.envelopes.filter((e) => e.position > after), nextAfter: null });
    };
    const inesFetch: FetchLike = async (input, init) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      const ours = threadId !== undefined && url.pathname.startsWith(`/api/threads/${threadId}`);
      if (ours && frozen && request.method === "GET") {
        return new Response(seen.get(url.pathname + url.search) ?? frozenAfter(url) ?? "{}", {
          headers: { "content-type": "application/json" },
        });
      }
      if (ours && frozen && request.method === "POST") {
        kept = ((await request.json()) as { envelope: string }).envelope;
        return Response.json({ id: "A".repeat(22), position: 3, hash: "", receivedAt: Date.now() });
      }
      const res = await w.server.fetch(request);
      if (ours && request.method === "GET") seen.set(url.pathname + url.search, await res.clone().text());
      return res;
    };
    const inesSession = await w.staff("ines", { fetch: inesFetch });
    const seeker = await w.seeker();
    threadId = (await seeker.openThread({ subject: "oud", body: "oud: eerste" })).threadId;
    await inesSession.reply(threadId, "oud: ines 1"); // seq 1 in epoch 0, while she reads it
    expect((await inesSession.readThread(threadId)).ok).toBe(true);
    frozen = true;
    await w.anna.claim(threadId); // epoch 1; its record names Ines's seq 1 as her newest
    await inesSession.reply(threadId, "oud: ines 2");
    const late = parseEnvelope(sodium, decode(kept!));
    expect([late.epoch, late.seq]).toEqual([0, 2]);

    w.server.onResponse("GET /api/threads/:threadId/envelopes", (page, ex) =>
      ex.params.threadId === threadId
        ? {
            ...page,
            envelopes: [
              ...page.envelopes,
              {
                id: "B".repeat(22),
                position: page.envelopes.length + 1,
                envelope: kept!,
                receivedAt: Date.now(),
              },
            ],
          }
        : page,
    );
    for (const view of [await w.anna.readThread(threadId), await seeker.readThread(threadId)]) {
      expect(problemsOf(view)).toEqual([["AFTER_EPOCH_CHANGE", 2]]);
      expect(view.messages.at(-1)).toMatchObject({ body: "oud: ines 2", verified: false });
      // Everything before it reads as usual.
      expect(view.messages.filter((m) => m.verified).map((m) => m.body)).toEqual([
        "oud: eerste",
        "oud: ines 1",
      ]);
    }
  });
});

describe("epoch records commit to the roster they relied on (issue 8 item 3)", () => {
  it("a help-seeker shown a forked roster opens a thread on it: a reader whose chain holds the other roster of that version -> ROSTER_FORK", async () => {
    const sam: MemberId = await w.join("supervisor", "sam");
    await w.vera.admitPending({ only: [sam] });
    const samSession = await w.staff("sam");
    const versionOf = (text: string) => parseRoster(sodium, decode(text) as RosterBytes).version;
    const base = (await w.vera.client.helplines.latestRoster(w.helplineId)).version;

    // Vera publishes base+1; the server hides it from Sam and keeps Sam's own base+1 instead (a fork).
    expect((await w.vera.setIntakeReader(w.annaId, false)).version).toBe(base + 1);
    let fork: string | undefined;
    const forkedChain = () =>
      w.server.onResponse("GET /api/helplines/:helplineId/rosters", (page, ex) => {
        const after = Number(ex.query.get("after") ?? 0);
        const chain = [...page.rosters.filter((t) => versionOf(t) <= base), ...(fork ? [fork] : [])];
        return {
          ...page,
          rosters: chain.filter((t) => versionOf(t) > after),
          latestVersion: base + (fork === undefined ? 0 : 1),
          nextAfter: null,
        };
      });
    forkedChain();
    w.server.intercept("POST /api/helplines/:helplineId/rosters", (body) => {
      fork = (body as { roster: string }).roster;
      return { status: 200, json: { version: base + 1, hash: "", added: [], removed: [] } };
    });
    await samSession.setIntakeReader(w.annaId, false); // the same change, signed by Sam: another roster
    expect(fork).toBeDefined();

    // A help-seeker (no memory of rosters) is served the forked chain and opens a thread; the server
    // "accepts" it and keeps it (the honest server refuses a record on another roster: ROSTER_CONFLICT).
    let opened: { threadId: string; record: string; grants: string[]; envelope: string } | undefined;
    w.server.intercept("POST /api/threads", (body) => {
      opened = body as typeof opened;
      const now = Date.now();
      return {
        status: 200,
        json: {
          thread: summary(opened!.threadId, now),
          envelope: { id: opened!.threadId, position: 1, hash: "", receivedAt: now },
        },
      };
    });
    const seeker = await w.seeker();
    await seeker.openThread({ subject: "gevorkt", body: "gevorkt: eerste" });
    expect(opened).toBeDefined();
    w.server.reset();

    // Vera's chain is the honest one: the thread's epoch 0 names another roster under base+1.
    const veraBox = (await w.vera.client.helplines.latestRoster(w.helplineId)).members.find(
      (m) => m.displayName === "Vera",
    )!.boxPk;
    const grant = opened!.grants.find((g) =>
      Buffer.from(parseGrant(sodium, decode(g) as GrantBytes).recipientBoxPk).equals(Buffer.from(veraBox)),
    );
    expect(grant).toBeDefined();
    const threadId = opened!.threadId;
    w.server.intercept("GET /api/threads/:threadId", (_body, ex) =>
      ex.params.threadId === threadId
        ? {
            status: 200,
            json: {
              thread: summary(threadId, Date.now()),
              records: [opened!.record],
              grants: [grant!],
            } satisfies Pick<ThreadDetail, "records" | "grants"> & { thread: unknown },
          }
        : undefined,
    );
    w.server.intercept("GET /api/threads/:threadId/envelopes", (_body, ex) =>
      ex.params.threadId === threadId
        ? {
            status: 200,
            json: {
              envelopes: [{ id: threadId, position: 1, envelope: opened!.envelope, receivedAt: Date.now() }],
              nextAfter: null,
            },
          }
        : undefined,
    );
    const refused = await failure(w.vera.readThread(threadId as ThreadId));
    expect([refused.code, refused.source]).toEqual(["ROSTER_FORK", "crypto"]);
  });
});

/** A plausible thread summary for answers the hostile server makes up. */
function summary(id: string, now: number) {
  return {
    id,
    helplineId: w.helplineId,
    status: "open",
    currentEpoch: 0,
    intake: true,
    assigneeIds: [],
    createdAt: now,
    lastSeekerMessageAt: now,
    lastStaffMessageAt: null,
    waitingSince: now,
    replyDueAt: now + 48 * 3_600_000,
    expiresAt: now + 90 * 86_400_000,
  };
}
