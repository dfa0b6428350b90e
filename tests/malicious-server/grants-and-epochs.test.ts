/**
 * A server that injects or withholds grants, or edits a thread's epoch chain (docs/THREAT-MODEL.md
 * §3.4): the reader's SDK refuses the whole thread with `THREAD_TAMPERED` and the crypto reason in
 * `details.code` (nothing of such a thread is shown), never a crash or an empty thread.
 *
 * Not reachable by the server alone, so not here: `KEY_COMMITMENT_MISMATCH` (keys sealed to one
 * reader that differ from the record's commitment) needs the record's signer, whose signature covers
 * the sealed keys; packages/crypto's grant tests cover it with a hostile signer.
 */
import {
  encodeGrant,
  type GrantBytes,
  LABEL,
  loadSodium,
  type MemberId,
  parseGrant,
  type SignKeyPair,
  type Sodium,
  sealToBox,
  signWithLabel,
  systemRandom,
  type ThreadId,
} from "@briefgeheim/crypto";
import type { ThreadDetail } from "@briefgeheim/protocol";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { decode, dropAt, encode, moveItem } from "./mutations.js";
import {
  type Conversation,
  conversation,
  createWorld,
  endAttack,
  failure,
  problemsOf,
  type World,
} from "./world.js";

let w: World;
let sodium: Sodium;
let c: Conversation;
let other: Conversation;
/** The server's own signing key pair. */
let server: SignKeyPair;

beforeAll(async () => {
  w = await createWorld();
  sodium = await loadSodium();
  const pair = sodium.crypto_sign_keypair();
  server = { publicKey: pair.publicKey, secretKey: pair.privateKey } as SignKeyPair;
  c = await conversation(w, "gesprek");
  other = await conversation(w, "ander");
  // A third epoch: the supervisor assigns the thread to Anna and Bram (epochs 0, 1 claim, 2 assign).
  const bram = await w.join("counsellor", "bram");
  await w.vera.admitPending({ only: [bram] });
  await w.vera.assign(c.threadId, [w.annaId, bram as MemberId]);
});
afterEach(() => endAttack(w));
afterAll(async () => {
  await w?.close();
});

/** Serves `change(detail)` as the conversation's thread detail (records and the caller's grants). */
function tamper(change: (detail: ThreadDetail) => ThreadDetail | Promise<ThreadDetail>) {
  w.server.onResponse("GET /api/threads/:threadId", (detail, ex) =>
    ex.params.threadId === c.threadId ? change(detail) : detail,
  );
}

/** A grant re-signed by `signer`, optionally sealing other bytes (the server's own epoch key). */
function resign(text: string, signer: SignKeyPair, sealed?: Uint8Array): string {
  const grant = parseGrant(sodium, decode(text) as GrantBytes);
  const unsigned = encodeGrant(sodium, {
    ...grant,
    signerPk: signer.publicKey,
    sealed: sealed ?? grant.sealed,
    signature: new Uint8Array(64),
  });
  const body = unsigned.subarray(0, unsigned.length - 64);
  return encode(Buffer.concat([body, signWithLabel(sodium, LABEL.grant, body, signer.secretKey)]));
}

/** Keys of the grant's size, sealed by the server to the grant's recipient. */
function serverSealed(text: string): Uint8Array {
  const grant = parseGrant(sodium, decode(text) as GrantBytes);
  const size = grant.sealed.length - 48; // sealed-box overhead: 32-byte ephemeral key + 16-byte tag
  return sealToBox(sodium, new Uint8Array(size).fill(7), grant.recipientBoxPk, systemRandom(sodium));
}

/** The last item replaced. */
const lastReplaced = (list: readonly string[], by: (last: string) => string) => [
  ...list.slice(0, -1),
  by(list.at(-1)!),
];

/** The thread's detail as another person's session would get it from the honest server. */
async function honestDetail(session: { client: Parameters<World["h"]["sessionOf"]>[0] }, threadId: ThreadId) {
  const res = await w.h.request("GET", `/api/threads/${threadId}`, { cookie: w.h.sessionOf(session.client) });
  return res.body as ThreadDetail;
}

describe("grants: injected, swapped or withheld", () => {
  it("without an attack Anna and the help-seeker read the thread through three epochs", async () => {
    const staff = await w.anna.readThread(c.threadId);
    expect([staff.ok, staff.currentEpoch, problemsOf(staff)]).toEqual([true, 2, []]);
    // The handovers of the assignments (PROTOCOL.md §5.1) stand between the messages.
    expect(staff.messages.filter((m) => m.kind !== "event").map((m) => m.body)).toEqual(c.bodies);
    expect((await c.seeker.readThread(c.threadId)).ok).toBe(true);
  });

  it("a grant signed by the server instead of the record's signer: SIGNER_NOT_ALLOWED", async () => {
    tamper((d) => ({ ...d, grants: lastReplaced(d.grants, (g) => resign(g, server, serverSealed(g))) }));
    const refused = await failure(w.anna.readThread(c.threadId));
    expect([refused.code, refused.details]).toEqual(["THREAD_TAMPERED", { code: "SIGNER_NOT_ALLOWED" }]);
    // The help-seeker's grant, the same.
    const seekerRefused = await failure(c.seeker.readThread(c.threadId));
    expect([seekerRefused.code, seekerRefused.details]).toEqual([
      "THREAD_TAMPERED",
      { code: "SIGNER_NOT_ALLOWED" },
    ]);
  });

  it("the signer's grant with the server's keys sealed in it: BAD_SIGNATURE", async () => {
    tamper((d) => ({
      ...d,
      grants: lastReplaced(d.grants, (g) => {
        const grant = parseGrant(sodium, decode(g) as GrantBytes);
        return encode(encodeGrant(sodium, { ...grant, sealed: serverSealed(g) }));
      }),
    }));
    const refused = await failure(w.anna.readThread(c.threadId));
    expect([refused.code, refused.details]).toEqual(["THREAD_TAMPERED", { code: "BAD_SIGNATURE" }]);
  });

  it("another reader's grant served as Anna's: NOT_A_READER", async () => {
    const vera = await honestDetail(w.vera, c.threadId);
    tamper((d) => ({ ...d, grants: lastReplaced(d.grants, () => vera.grants.at(-1)!) }));
    const refused = await failure(w.anna.readThread(c.threadId));
    expect([refused.code, refused.details]).toEqual(["THREAD_TAMPERED", { code: "NOT_A_READER" }]);
  });

  it("Anna's grant of another thread swapped in: WRONG_CONTEXT", async () => {
    const theirs = await honestDetail(w.anna, other.threadId);
    tamper((d) => ({ ...d, grants: [...d.grants.slice(0, 1), theirs.grants.at(-1)!, ...d.grants.slice(2)] }));
    const refused = await failure(w.anna.readThread(c.threadId));
    expect([refused.code, refused.details]).toEqual(["THREAD_TAMPERED", { code: "WRONG_CONTEXT" }]);
  });

  it("the newest grant withheld: THREAD_TAMPERED (the grant is missing), not 'no access'", async () => {
    tamper((d) => ({ ...d, grants: d.grants.slice(0, -1) }));
    const refused = await failure(w.anna.readThread(c.threadId));
    expect(refused.code).toBe("THREAD_TAMPERED");
    expect(refused.message).toMatch(/grant of epoch 2 .*missing/);
    // Every grant withheld from the help-seeker: the same, for epoch 0.
    tamper((d) => ({ ...d, grants: [] }));
    const seeker = await failure(c.seeker.readThread(c.threadId));
    expect(seeker.code).toBe("THREAD_TAMPERED");
    expect(seeker.message).toMatch(/grant of epoch \d+ .*missing/);
  });
});

describe("epoch records: a chain with a record removed or moved", () => {
  it("the record of epoch 1 removed from the middle: EPOCH_CHAIN_BROKEN", async () => {
    tamper((d) => ({ ...d, records: dropAt(d.records, 1) }));
    for (const reader of [w.anna, c.seeker]) {
      const refused = await failure(reader.readThread(c.threadId));
      expect([refused.code, refused.details]).toEqual(["THREAD_TAMPERED", { code: "EPOCH_CHAIN_BROKEN" }]);
    }
  });

  it("the record of epoch 0 removed, or two records swapped: EPOCH_CHAIN_BROKEN", async () => {
    for (const change of [
      (records: string[]) => dropAt(records, 0),
      (records: string[]) => moveItem(records, 2, 1),
    ]) {
      w.server.reset();
      tamper((d) => ({ ...d, records: change(d.records) }));
      const refused = await failure(w.anna.readThread(c.threadId));
      expect([refused.code, refused.details]).toEqual(["THREAD_TAMPERED", { code: "EPOCH_CHAIN_BROKEN" }]);
    }
  });
});
