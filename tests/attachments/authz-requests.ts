/**
 * Requests for the attachment routes in the authorisation matrix (tests/authz-matrix.test.ts): a file
 * of help-seeker A bound to a message in TA, and unbound uploads of A for the owner-only routes.
 */
import { LIMITS } from "@briefgeheim/protocol";
import { type Actor, envelopeBody, expectOk, type World } from "../authz-world.js";

export interface AttachmentBuilt {
  readonly path: string;
  readonly json?: unknown;
  /** A raw body (attachment chunks), sent as application/octet-stream. */
  readonly raw?: Uint8Array<ArrayBuffer>;
}

const PADDED = LIMITS.attachments.chunkBytes;
const CHUNK = PADDED + LIMITS.attachments.tagBytes;

function header(w: World): string {
  // version 0x02, type 0x08, a random nonce prefix (the server checks the layout, not the contents).
  return w.b64(Uint8Array.from([0x02, 0x08, ...w.random(19)]));
}

function createBody(w: World, target: { threadId: string } | { newConversation: true }) {
  return { id: w.b64(w.random(16)), ...target, header: header(w), paddedSize: PADDED };
}

/** A new upload of help-seeker A (one chunk), with the chunk stored when `withChunk`. */
async function uploadOfA(w: World, withChunk: boolean): Promise<string> {
  const cookie = w.actors.seekerA.cookie;
  const body = createBody(w, { newConversation: true });
  expectOk("create upload", await w.h.request("POST", "/api/attachments", { cookie, json: body }));
  if (withChunk) {
    const put = await w.h.request("PUT", `/api/attachments/${body.id}/chunks/0`, {
      cookie,
      raw: new Uint8Array(w.random(CHUNK)),
      headers: { "content-type": "application/octet-stream" },
    });
    expectOk("chunk", put);
  }
  return body.id;
}

const memo = new WeakMap<World, Promise<string>>();

/** A complete attachment of help-seeker A bound to a message of A in TA (made once per world). */
function boundInTa(w: World): Promise<string> {
  let p = memo.get(w);
  if (p === undefined) {
    p = (async () => {
      const a = w.actors.seekerA;
      const body = createBody(w, { threadId: w.threads.ta });
      expectOk("create", await w.h.request("POST", "/api/attachments", { cookie: a.cookie, json: body }));
      const put = await w.h.request("PUT", `/api/attachments/${body.id}/chunks/0`, {
        cookie: a.cookie,
        raw: new Uint8Array(w.random(CHUNK)),
        headers: { "content-type": "application/octet-stream" },
      });
      expectOk("chunk", put);
      expectOk(
        "complete",
        await w.h.request("POST", `/api/attachments/${body.id}/complete`, { cookie: a.cookie }),
      );
      const env = await envelopeBody(w, w.threads.ta, a);
      const post = await w.h.request("POST", `/api/threads/${w.threads.ta}/envelopes`, {
        cookie: a.cookie,
        json: { ...env, attachments: [body.id] },
      });
      expectOk("post with attachment", post);
      return body.id;
    })();
    memo.set(w, p);
  }
  return p;
}

const once = new Map<string, Promise<string>>();
/** One upload of A per matrix row (its owner acts on it first; for everyone else it is not theirs). */
function rowUpload(w: World, row: string, withChunk: boolean): Promise<string> {
  let p = once.get(row);
  if (p === undefined) {
    p = uploadOfA(w, withChunk);
    once.set(row, p);
  }
  return p;
}

type Builder = (w: World, actor: Actor) => Promise<AttachmentBuilt>;

/** One request per attachment route; the matrix sends it as each role. */
export const ATTACHMENT_REQUESTS: Record<string, Builder> = {
  "GET /api/attachments/limits": async () => ({ path: "/api/attachments/limits" }),
  "POST /api/attachments": async (w) => ({
    path: "/api/attachments",
    json: createBody(w, { threadId: w.threads.ta }),
  }),
  "GET /api/attachments/:attachmentId": async (w) => ({ path: `/api/attachments/${await boundInTa(w)}` }),
  "DELETE /api/attachments/:attachmentId": async (w) => ({
    path: `/api/attachments/${await rowUpload(w, "delete", false)}`,
  }),
  "PUT /api/attachments/:attachmentId/chunks/:index": async (w) => ({
    path: `/api/attachments/${await rowUpload(w, "put", false)}/chunks/0`,
    raw: new Uint8Array(w.random(CHUNK)),
  }),
  "POST /api/attachments/:attachmentId/complete": async (w) => ({
    path: `/api/attachments/${await rowUpload(w, "complete", true)}/complete`,
  }),
  "GET /api/attachments/:attachmentId/content": async (w) => ({
    path: `/api/attachments/${await boundInTa(w)}/content?thread=${w.threads.ta}`,
  }),
};
