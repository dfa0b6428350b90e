import {
  type BoxKeyPair,
  type BoxPublicKey,
  type EpochKey,
  encodeGrant,
  type HelplineId,
  newId,
  type Sodium,
  sealSurveyRecord,
  sealToBox,
  systemRandom,
  type ThreadId,
  toBase64,
} from "@briefgeheim/crypto";
import type { SurveyAnswerItem } from "@briefgeheim/protocol";
import { countSurveyPageJob, ITEM_COUNTED } from "./survey-count-job.js";

/*
 * Warming a worker up for the survey count (issue 13). The first count after the staff app loads was
 * 0.3-0.8 s slower than the next in every bench run (docs/PERFORMANCE.md, Statistics): the workers'
 * JavaScript and WebAssembly were not yet compiled for that path. So when the statistics screen shows,
 * each worker counts a small page of its own making, through exactly the job a real page goes through
 * (parse, check, open the grants with Web Crypto, open the answers, encode). The data is made up in the
 * worker under a key pair made for it and thrown away: no server, no real key, nothing kept.
 */

export interface WarmUpSurveyCountInput {
  /** How many made-up conversations to count (a few hundred: the bench used 300). */
  readonly items: number;
}

/** The `warmUpSurveyCount` job: counts `items` made-up conversations; throws unless all count. */
export async function warmUpSurveyCountJob(
  sodium: Sodium,
  input: WarmUpSurveyCountInput,
): Promise<{ counted: number }> {
  const random = systemRandom(sodium);
  const pair = sodium.crypto_box_keypair();
  const box = { publicKey: pair.publicKey, secretKey: pair.privateKey } as unknown as BoxKeyPair;
  try {
    const helplineId = newId<HelplineId>(sodium, random);
    const key = random(32) as EpochKey;
    const items: SurveyAnswerItem[] = [];
    // At most one page's worth: the job's input comes from the app, but a bound costs nothing.
    const n = Math.min(Math.max(0, Math.floor(input.items)), 2_000);
    for (let i = 0; i < n; i++) {
      const threadId = newId<ThreadId>(sodium, random);
      const ctx = { helplineId, threadId, epoch: 0 };
      const grant = encodeGrant(sodium, {
        ...ctx,
        recordHash: new Uint8Array(32),
        recipientBoxPk: box.publicKey as BoxPublicKey,
        sealed: sealToBox(sodium, key, box.publicKey, random),
        signerPk: new Uint8Array(32) as never,
        signature: new Uint8Array(64),
      });
      const record = sealSurveyRecord(sodium, ctx, key, { reason: "own-time" }, random);
      items.push({
        threadId,
        createdAt: i,
        record: toBase64(sodium, record),
        grant: toBase64(sodium, grant),
      });
    }
    const bytes = new TextEncoder().encode(JSON.stringify({ items, next: null }));
    const range = { from: 0, to: Number.MAX_SAFE_INTEGER };
    const counts = await countSurveyPageJob(sodium, {
      helplineId,
      box,
      bytes,
      asked: null,
      next: null,
      range,
    });
    const counted = counts.status.filter((s) => s === ITEM_COUNTED).length;
    // A warm-up that does not count its own data would mean the count itself is broken: say so.
    if (counted !== items.length) throw new Error(`warm-up counted ${counted} of ${items.length}`);
    return { counted };
  } finally {
    sodium.memzero(pair.privateKey);
  }
}
