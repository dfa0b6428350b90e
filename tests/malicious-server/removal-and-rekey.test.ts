/**
 * A removed supervisor and a server that drops the re-key after a removal (review of protocol 2,
 * findings 2, 3, 6 and 9; PROTOCOL.md §4, THREAT-MODEL R5 and R8): the re-key the server acknowledged
 * and did not store is WITHHELD on the remover's device and NOT_REKEYED on every view; a removed
 * supervisor who signs the next epoch on the roster before their removal cannot shut the other
 * supervisors out (SIGNER_NOT_ALLOWED) and, listing them, is NOT_REKEYED for everyone.
 */
import { memoryDeviceMemory, openHelpline } from "@briefgeheim/client";
import {
  type BoxKeyPair,
  type BoxPublicKey,
  type BoxSecretKey,
  type EnvelopeHead,
  type EpochRecordBytes,
  envelopeStream,
  findMemberById,
  type GrantBytes,
  loadSodium,
  type MemberId,
  memberAsReader,
  openGrant,
  parseEnvelope,
  parseEpochRecord,
  parseGrant,
  type Roster,
  type SignKeyPair,
  type SignSecretKey,
  type Sodium,
  seekerReader,
  signEpochRecord,
  startEpoch,
  systemRandom,
  type ThreadId,
} from "@briefgeheim/crypto";
import type { ThreadDetail } from "@briefgeheim/protocol";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { decode, encode } from "./mutations.js";
import { createWorld, endAttack, failure, problemsOf, type World } from "./world.js";

let w: World;
let sodium: Sodium;

beforeAll(async () => {
  w = await createWorld();
  sodium = await loadSodium();
});
afterEach(() => {
  vi.restoreAllMocks();
  endAttack(w);
});
afterAll(async () => {
  await w?.close();
});

const newest = () => w.vera.client.helplines.latestRoster(w.helplineId);

/** The batch of a bulk re-key loses `threadId` on its way in, and the answer says it was stored. */
function dropRekeyOf(threadId: ThreadId): void {
  const stored = { threadId, ok: true, epoch: 2, recordHash: "" };
  w.server.intercept("POST /api/threads/epochs/batch", (body) => {
    const items = (body as { items: { threadId: string }[] }).items;
    return items.every((i) => i.threadId === threadId)
      ? { status: 200, json: { results: [stored] } }
      : undefined;
  });
  w.server.onRequest("POST /api/threads/epochs/batch", (body) => {
    const b = body as { items: { threadId: string }[] };
    return { ...b, items: b.items.filter((i) => i.threadId !== threadId) };
  });
  w.server.onResponse("POST /api/threads/epochs/batch", (body) => {
    const b = body as { results: unknown[] };
    return { results: [...b.results, stored] };
  });
}

/** The server's newest envelope per (stream, sender) of a thread, as heads (what a signer names). */
async function headsOf(threadId: ThreadId): Promise<EnvelopeHead[]> {
  const rows = await w.h.db.readClient.execute({
    sql: "SELECT bytes FROM envelopes WHERE thread_id = ? ORDER BY position",
    args: [threadId],
  });
  const heads = new Map<string, EnvelopeHead>();
  for (const row of rows.rows) {
    const env = parseEnvelope(sodium, new Uint8Array(row.bytes as ArrayBuffer));
    const stream = envelopeStream(env.kind);
    heads.set(`${stream}:${sodium.to_hex(env.senderSignPk)}`, {
      stream,
      signPk: env.senderSignPk,
      seq: env.seq,
      hash: env.hash,
      pastDamaged: false,
    });
  }
  return [...heads.values()];
}

describe("a re-key the server acknowledged and dropped (finding 3), a removed supervisor's next epoch (finding 2)", () => {
  it("removal of Victor, the re-key of one thread dropped: WITHHELD + NOT_REKEYED on Vera's device, NOT_REKEYED for a fresh supervisor and the help-seeker; Victor's record without the other supervisors is SIGNER_NOT_ALLOWED, with them NOT_REKEYED; a re-key repairs it", async () => {
    const victorId = await w.join("supervisor", "victor");
    await w.vera.admitPending({ only: [victorId] });
    const seeker = await w.seeker();
    const { threadId } = await seeker.openThread({ subject: "overname", body: "overname: eerste" });
    await w.anna.claim(threadId); // epoch 1: the help-seeker, Anna, Vera and Victor
    const before = await newest();
    const victor = findMemberById(before, victorId)!;

    // Victor, signed in before his removal, keeps what his own device used: his keys and the thread.
    let victorSign: SignKeyPair | undefined;
    let victorBox: BoxKeyPair | undefined;
    const signDetached = sodium.crypto_sign_detached.bind(sodium);
    const sealOpen = sodium.crypto_box_seal_open.bind(sodium);
    vi.spyOn(sodium, "crypto_sign_detached").mockImplementation(((m: Uint8Array, sk: Uint8Array) => {
      if (sodium.memcmp(sk.slice(32), victor.signPk)) {
        victorSign = { publicKey: victor.signPk, secretKey: sk.slice() as SignSecretKey };
      }
      return signDetached(m, sk);
    }) as typeof sodium.crypto_sign_detached);
    vi.spyOn(sodium, "crypto_box_seal_open").mockImplementation(((
      c: Uint8Array,
      pk: Uint8Array,
      sk: Uint8Array,
    ) => {
      if (sodium.memcmp(pk, victor.boxPk)) {
        victorBox = { publicKey: victor.boxPk as BoxPublicKey, secretKey: sk.slice() as BoxSecretKey };
      }
      return sealOpen(c, pk, sk);
    }) as typeof sodium.crypto_box_seal_open);
    let victorDetail: ThreadDetail | undefined;
    const victorSession = await w.staff("victor", {
      fetch: async (input, init) => {
        const request = new Request(input, init);
        const res = await w.server.fetch(request);
        if (request.method === "GET" && new URL(request.url).pathname === `/api/threads/${threadId}`) {
          victorDetail = (await res.clone().json()) as ThreadDetail;
        }
        return res;
      },
    });
    await victorSession.addNote(threadId, "overname: notitie van Victor");
    vi.restoreAllMocks();
    expect([victorSign, victorBox, victorDetail].every((x) => x !== undefined)).toBe(true);

    // Vera removes Victor on a device that remembers; the server drops this thread's re-key.
    const memory = memoryDeviceMemory();
    const vera = await w.staff("vera", { memory });
    dropRekeyOf(threadId);
    const removal = await vera.removeMember(victorId);
    expect(removal.changed.map((c) => c.threadId)).toContain(threadId); // the client was told "stored"
    w.server.reset();
    const notRekeyed = (view: { problems: readonly { reason: string; index: number }[] }) =>
      view.problems.filter((p) => p.reason === "NOT_REKEYED" && p.index === -1).length;
    const onVera = await vera.readThread(threadId);
    expect(problemsOf(onVera).map(([r]) => r)).toContain("WITHHELD");
    expect(notRekeyed(onVera)).toBeGreaterThan(0);
    const fresh = await (await w.staff("vera")).readThread(threadId);
    expect([...new Set(problemsOf(fresh).map(([r, i]) => `${r}@${i}`))]).toEqual(["NOT_REKEYED@-1"]);
    expect(notRekeyed(await seeker.readThread(threadId))).toBeGreaterThan(0);

    // Victor, with the server, signs epoch 2 on the roster before his removal.
    const records = victorDetail!.records.map((t) => decode(t) as EpochRecordBytes);
    const prev = parseEpochRecord(sodium, records.at(-1)!);
    const myGrant = victorDetail!.grants
      .map((t) => decode(t) as GrantBytes)
      .find((g) => parseGrant(sodium, g).epoch === prev.epoch)!;
    const prevKeys = openGrant(sodium, myGrant, prev, victorBox!);
    const rosterBefore: Roster = w.vera.client.helplines.roster(w.helplineId, prev.rosterVersion)!;
    const forge = (readers: ReturnType<typeof memberAsReader>[]) =>
      headsOf(threadId).then((heads) =>
        startEpoch(sodium, {
          prev,
          prevKeys,
          readers: [seekerReader(prev), ...readers],
          reason: "assign",
          heads,
          roster: rosterBefore,
          signer: victorSign!,
          random: systemRandom(sodium),
          now: Date.now(),
        }),
      );
    const serve = (start: Awaited<ReturnType<typeof forge>>) =>
      w.server.onResponse("GET /api/threads/:threadId", (detail) => {
        if (detail.thread.id !== threadId) return detail;
        // The caller's grant of the forged epoch, if it names them (by the box key of their other grants).
        const mine = detail.grants.map((g) => parseGrant(sodium, decode(g) as GrantBytes).recipientBoxPk);
        const grants = start.grants.filter((g) =>
          mine.some((pk) => sodium.memcmp(pk, parseGrant(sodium, g).recipientBoxPk)),
        );
        return {
          ...detail,
          records: [...detail.records, encode(start.record)],
          grants: [...detail.grants, ...grants.map(encode)],
        };
      });

    // (a) For the help-seeker and himself only: the other supervisors would lose the key. The SDK's
    // own builder refuses to make it (it checks what it signs), so Victor signs the record by hand.
    const supervisors = rosterBefore.members.filter((m) => m.role === "supervisor").map(memberAsReader);
    const listed = await forge(supervisors);
    const { hash: _h, signature: _s, ...draft } = listed.parsed;
    const takeover = signEpochRecord(
      sodium,
      { ...draft, readers: [seekerReader(prev), memberAsReader(victor)] },
      victorSign!,
    );
    serve({ ...listed, record: takeover, grants: [] });
    for (const reader of [await w.staff("vera"), seeker]) {
      const refused = await failure(reader.readThread(threadId));
      expect([refused.code, (refused.details as { code?: string } | undefined)?.code]).toEqual([
        "THREAD_TAMPERED",
        "SIGNER_NOT_ALLOWED",
      ]);
    }
    w.server.reset();

    // (b) Listing every supervisor of that roster: it verifies, and every view says NOT_REKEYED.
    serve(listed);
    const later = await (await w.staff("vera")).readThread(threadId);
    expect(later.problems.filter((p) => p.reason === "NOT_REKEYED").map((p) => p.detail)).toEqual([
      expect.stringContaining("signed by someone no longer on roster"),
      expect.stringContaining(`${victorId} reads epoch 2`),
    ]);
    expect(notRekeyed(await seeker.readThread(threadId))).toBe(2);
    w.server.reset();

    // Vera still holds epoch 1's key (every supervisor does): her re-key repairs the thread.
    const repaired = await vera.rekeyForRoster({ threadIds: [threadId] });
    expect(repaired.changed.map((c) => c.threadId)).toEqual([threadId]);
    const after = await (await w.staff("vera")).readThread(threadId);
    expect([after.ok, problemsOf(after)]).toEqual([true, []]);
    expect((await vera.readThread(threadId)).ok).toBe(true);
  });
});

describe("the help-seeker is shown the signed profile's name (finding 6)", () => {
  it("the server renames the helpline in its listing: the conversation still shows the signed name", async () => {
    const signedName = (await openHelpline(await w.client(), w.helplineId)).profile.name;
    w.server.onResponse("GET /api/helplines", (body) => ({
      ...body,
      helplines: body.helplines.map((h) => ({ ...h, name: "Valse Lijn" })),
    }));
    const seeker = await w.seeker();
    const { threadId } = await seeker.openThread({ subject: "naam", body: "naam: eerste" });
    const view = await seeker.readThread(threadId);
    expect([seeker.helpline.name, view.readers.helpline]).toEqual([signedName, signedName]);
    expect(signedName).not.toBe("Valse Lijn");
  });
});

describe("a single epoch change names the thread's real heads (finding 9)", () => {
  it("the heads endpoint answers with the help-seeker's older genuine envelope: Vera's assignment names the newest anyway, nobody sees AFTER_EPOCH_CHANGE", async () => {
    const seeker = await w.seeker();
    const { threadId } = await seeker.openThread({ subject: "kop", body: "kop: eerste" });
    await seeker.reply(threadId, "kop: tweede");
    const first = await w.h.db.readClient.execute({
      sql: "SELECT bytes FROM envelopes WHERE thread_id = ? ORDER BY position LIMIT 1",
      args: [threadId],
    });
    const older = encode(new Uint8Array(first.rows[0]!.bytes as ArrayBuffer));
    w.server.onResponse("GET /api/threads/:threadId/heads", (body, ex) => {
      if (ex.params.threadId !== threadId) return body;
      const b = body as { envelopes: { envelope: string }[] };
      return { envelopes: b.envelopes.map((e) => ({ ...e, envelope: older })) };
    });
    expect((await w.vera.assign(threadId, [w.annaId as MemberId])).epoch).toBe(1);
    const view = await (await w.staff("anna")).readThread(threadId);
    expect([view.ok, view.messages.filter((m) => m.kind !== "event").map((m) => m.body)]).toEqual([
      true,
      ["kop: eerste", "kop: tweede"],
    ]);
  });
});
