/**
 * How long `verifyThread` takes for a thread the server stuffed with forged envelopes (review
 * finding 11): N copies of one genuine envelope with the seq (one sender) or the sender key (many
 * senders) overwritten, so every signature fails. Run: node --import tsx bench/crypto/forged-thread.ts
 */
import {
  type BoxPublicKey,
  type EpochKey,
  type EpochKeys,
  type HelplineId,
  loadSodium,
  newId,
  SEEKER_MEMBER_ID,
  type SignPublicKey,
  type SignSecretKey,
  sealEnvelope,
  seededRandom,
  type ThreadEpoch,
  type ThreadId,
  verifyThread,
} from "@briefgeheim/crypto";

const sodium = await loadSodium();
const random = seededRandom(sodium, new Uint8Array(32).fill(7));
const kp = sodium.crypto_sign_seed_keypair(new Uint8Array(32).fill(1));
const seeker = { publicKey: kp.publicKey as SignPublicKey, secretKey: kp.privateKey as SignSecretKey };
const helplineId = newId<HelplineId>(sodium, random);
const threadId = newId<ThreadId>(sodium, random);
const keys: EpochKeys = { epoch: 0, key: random(32) as EpochKey };
const reader = {
  kind: "seeker" as const,
  memberId: SEEKER_MEMBER_ID,
  signPk: seeker.publicKey,
  boxPk: random(32) as BoxPublicKey,
};
const epochs = new Map<number, ThreadEpoch>([[0, { readers: [reader], keys }]]);
const genuine = sealEnvelope(sodium, {
  helplineId,
  threadId,
  epochKeys: keys,
  kind: "message",
  sender: seeker,
  seq: 1,
  heads: [],
  createdAt: 1_700_000_000_000,
  payload: { subject: "", body: "hallo", attachments: [] },
  random,
});
const pkAt = genuine.findIndex((_, i) => seeker.publicKey.every((b, j) => genuine[i + j] === b));

function forged(n: number, manySenders: boolean): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => {
    const b = genuine.slice();
    if (manySenders) new DataView(b.buffer).setUint32(pkAt, i + 1);
    else new DataView(b.buffer).setUint32(pkAt + 32, i + 2);
    return b;
  });
}

for (const n of [1_000, 10_000, 30_000]) {
  for (const many of [false, true]) {
    const envelopes = [genuine, ...forged(n, many)];
    const t = performance.now();
    const r = verifyThread(sodium, { helplineId, threadId, envelopes, epochs });
    const ms = performance.now() - t;
    const what = many ? "many senders" : "one sender  ";
    console.log(
      `${String(n).padStart(6)} forged, ${what}: ${ms.toFixed(0).padStart(6)} ms (${r.problems.length} problems)`,
    );
  }
}
