/**
 * Bad input to the attachment routes: every malformed declaration or chunk is a typed 4xx with a stable
 * code, never a 500, and changes nothing (the stored rows and chunks stay as they were).
 */
import { attachmentLayout } from "@briefgeheim/crypto";
import { ERROR_STATUS, type ErrorCode, LIMITS } from "@briefgeheim/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWorld, type World } from "../authz-world.js";
import { type Harness, type RawRequest, type RawResponse, startHarness } from "../journeys-harness.js";

let h: Harness;
let w: World;
let cookie: string | undefined;
let upload: string;

const CHUNK = LIMITS.attachments.chunkBytes + LIMITS.attachments.tagBytes;
const header = () => w.b64(Uint8Array.from([0x02, 0x08, ...w.random(19)]));

beforeAll(async () => {
  h = await startHarness();
  w = await buildWorld(h);
  cookie = w.actors.seekerA.cookie;
  upload = w.b64(w.random(16));
  const res = await h.request("POST", "/api/attachments", {
    cookie,
    json: { id: upload, newConversation: true, header: header(), paddedSize: 2 * 65536 },
  });
  expect(res.status).toBe(200);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

async function snapshot(): Promise<string> {
  const rows = await h.query(
    "SELECT a.id, a.complete, a.padded_size, (SELECT count(*) FROM attachment_chunks c WHERE c.attachment_id = a.id) AS n FROM attachments a ORDER BY a.id",
  );
  return JSON.stringify(rows);
}

function expectCode(res: RawResponse, code: ErrorCode): void {
  expect(res.body?.error?.code, JSON.stringify(res.body)).toBe(code);
  expect(res.status).toBe(ERROR_STATUS[code]);
}

async function refused(method: string, path: string, init: RawRequest, code: ErrorCode): Promise<void> {
  const before = await snapshot();
  expectCode(await h.request(method, path, { cookie, ...init }), code);
  expect(await snapshot()).toBe(before);
}

describe("bad input to the attachment routes: typed 4xx, nothing stored", () => {
  it("a declaration with a bad header, size or target", async () => {
    const base = { id: w.b64(w.random(16)), newConversation: true, header: header(), paddedSize: 65536 };
    const cases: [unknown, ErrorCode][] = [
      [{ ...base, paddedSize: 65537 }, "VALIDATION_FAILED"], // not a Padmé output
      [{ ...base, paddedSize: 0 }, "VALIDATION_FAILED"],
      [{ ...base, paddedSize: -65536 }, "VALIDATION_FAILED"],
      [{ ...base, paddedSize: 1.5 }, "VALIDATION_FAILED"],
      [{ ...base, paddedSize: LIMITS.attachments.maxPaddedBytes * 2 }, "VALIDATION_FAILED"],
      [{ ...base, paddedSize: attachmentLayout(20_000_000).paddedSize }, "ATTACHMENT_TOO_LARGE"],
      [{ ...base, header: w.b64(Uint8Array.from([0x01, 0x08, ...w.random(19)])) }, "MALFORMED_STRUCTURE"],
      [{ ...base, header: w.b64(Uint8Array.from([0x02, 0x04, ...w.random(19)])) }, "MALFORMED_STRUCTURE"],
      [{ ...base, header: w.b64(w.random(24)) }, "VALIDATION_FAILED"], // the v1 layout's 24 bytes
      [{ ...base, threadId: w.threads.ta }, "VALIDATION_FAILED"], // both targets
      [{ id: base.id, header: base.header, paddedSize: 65536 }, "VALIDATION_FAILED"], // no target
      [{ ...base, newConversation: false }, "VALIDATION_FAILED"],
      [{ ...base, id: "x" }, "VALIDATION_FAILED"],
      [{ ...base, extra: 1 }, "VALIDATION_FAILED"],
      [{ ...base, newConversation: undefined, threadId: w.b64(w.random(16)) }, "NOT_FOUND"],
    ];
    for (const [json, code] of cases) await refused("POST", "/api/attachments", { json }, code);
    // The same id again with other content.
    await refused(
      "POST",
      "/api/attachments",
      { json: { id: upload, newConversation: true, header: header(), paddedSize: 2 * 65536 } },
      "IDEMPOTENCY_CONFLICT",
    );
  });

  it("a chunk of the wrong size, type or index, or for someone else's upload", async () => {
    const octet = { "content-type": "application/octet-stream" };
    const bytes = (n: number) => new Uint8Array(w.random(n));
    const chunk = (i: string | number) => `/api/attachments/${upload}/chunks/${i}`;
    await refused("PUT", chunk(0), { raw: bytes(CHUNK - 1), headers: octet }, "VALIDATION_FAILED");
    await refused("PUT", chunk(0), { raw: bytes(0), headers: octet }, "VALIDATION_FAILED");
    await refused("PUT", chunk(2), { raw: bytes(CHUNK), headers: octet }, "VALIDATION_FAILED"); // outside
    await refused("PUT", chunk(0), { raw: bytes(CHUNK + 1), headers: octet }, "PAYLOAD_TOO_LARGE");
    await refused("PUT", chunk(0), { raw: bytes(CHUNK) }, "UNSUPPORTED_MEDIA_TYPE");
    await refused("PUT", chunk(0), { json: { bytes: "AAAA" } }, "UNSUPPORTED_MEDIA_TYPE");
    await refused("PUT", chunk("01"), { raw: bytes(CHUNK), headers: octet }, "VALIDATION_FAILED");
    await refused("PUT", chunk("-1"), { raw: bytes(CHUNK), headers: octet }, "VALIDATION_FAILED");
    await refused("PUT", chunk("9999999"), { raw: bytes(CHUNK), headers: octet }, "VALIDATION_FAILED");
    const other = w.actors.seekerB.cookie;
    const before = await snapshot();
    expectCode(
      await h.request("PUT", chunk(0), { cookie: other, raw: bytes(CHUNK), headers: octet }),
      "NOT_FOUND",
    );
    expect(await snapshot()).toBe(before);
  });

  it("complete with a chunk missing, a download of an unbound or unknown file, the wrong thread", async () => {
    await refused("POST", `/api/attachments/${upload}/complete`, {}, "ATTACHMENT_INCOMPLETE");
    await refused("GET", `/api/attachments/${upload}/content?thread=${w.threads.ta}`, {}, "NOT_FOUND");
    await refused("GET", `/api/attachments/${w.b64(w.random(16))}`, {}, "NOT_FOUND");
    await refused("GET", `/api/attachments/${upload}/content`, {}, "VALIDATION_FAILED");
    await refused("GET", "/api/attachments/not-an-id", {}, "VALIDATION_FAILED");
    await refused("DELETE", `/api/attachments/${w.b64(w.random(16))}`, {}, "NOT_FOUND");
  });

  it("a post naming bad attachment ids", async () => {
    const bad: [unknown, ErrorCode][] = [
      [["x"], "VALIDATION_FAILED"],
      [
        Array.from({ length: LIMITS.attachments.maxIdsPerMessage + 1 }, () => w.b64(w.random(16))),
        "VALIDATION_FAILED",
      ],
      ["abc", "VALIDATION_FAILED"],
    ];
    for (const [attachments, code] of bad) {
      await refused(
        "POST",
        `/api/threads/${w.threads.ta}/envelopes`,
        { json: { id: w.b64(w.random(16)), envelope: "AAAA", attachments } },
        code,
      );
    }
  });

  it("nothing answered with a 500", () => {
    expect(h.logLines.filter((l) => l.includes('"level":"error"'))).toEqual([]);
  });
});
