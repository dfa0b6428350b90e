/**
 * What anonymous help-seekers' uploads can take from a helpline (THREAT-MODEL §3.17): each upload is
 * charged at creation to the session's and the client address's daily attachment bytes (refunded when
 * the creation is refused, never when the file is deleted); their unsent uploads together hold at most
 * a share of the helpline's storage; an upload reserves its declared size against the storage quota
 * before its first chunk; a chunk sent again counts nothing twice; deleting an upload does not reset
 * the conversation's daily bytes; the operator's `helpline set --attachment-*` reaches the API.
 */

import { randomBytes } from "node:crypto";
import { setHelplineSettings } from "@briefgeheim/api";
import { acceptInvite, startSeeker } from "@briefgeheim/client";
import { attachmentChunkCipherBytes, type HelplineId } from "@briefgeheim/crypto";
import { ERROR_STATUS, type ErrorCode } from "@briefgeheim/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASS } from "../authz-world.js";
import { type Harness, type RawResponse, startHarness } from "../journeys-harness.js";

const K = 65536;
const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64url");
const header = () => b64(Uint8Array.from([0x02, 0x08, ...randomBytes(19)]));

/** A helpline with its first supervisor; `seeker()` starts a new anonymous session and returns its cookie. */
async function helpline(h: Harness, slug: string, tag: number) {
  const hl = await h.createHelpline({ slug, name: slug, tag, replyHours: 48 });
  const accepted = await acceptInvite(await h.client({ trustOnFirstUse: true }), hl.link, {
    username: `vera${tag}`,
    displayName: "Vera",
    passphrase: PASS,
  });
  const pins = { [hl.helplineId]: accepted.fingerprint! };
  const helplineId = hl.helplineId as HelplineId;
  return {
    slug,
    helplineId,
    async seeker(): Promise<string> {
      const s = await startSeeker(await h.client({ pins }), { helplineId });
      return h.sessionOf(s.client)!;
    },
  };
}

function expectCode(res: RawResponse, code: ErrorCode): void {
  expect(res.body?.error?.code, JSON.stringify(res.body)).toBe(code);
  expect(res.status).toBe(ERROR_STATUS[code]);
}

async function uploads(h: Harness): Promise<string> {
  return JSON.stringify(
    await h.query(
      "SELECT a.id, a.uploader, (SELECT count(*) FROM attachment_chunks c WHERE c.attachment_id = a.id) AS n FROM attachments a ORDER BY a.id",
    ),
  );
}

function create(h: Harness, cookie: string, paddedSize: number, body: Record<string, unknown> = {}) {
  const json = { id: b64(randomBytes(16)), newConversation: true, header: header(), paddedSize, ...body };
  return h.request("POST", "/api/attachments", { cookie, json }).then((res) => ({ res, json }));
}

/** A creation refused with `code` that changes nothing stored. */
async function refused(
  h: Harness,
  cookie: string,
  paddedSize: number,
  code: ErrorCode,
): Promise<RawResponse> {
  const before = await uploads(h);
  const { res } = await create(h, cookie, paddedSize);
  expectCode(res, code);
  expect(await uploads(h)).toBe(before);
  return res;
}

async function created(h: Harness, cookie: string, paddedSize: number): Promise<string> {
  const { res, json } = await create(h, cookie, paddedSize);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return json.id;
}

async function remove(h: Harness, cookie: string, id: string): Promise<void> {
  expect((await h.request("DELETE", `/api/attachments/${id}`, { cookie })).status).toBe(200);
}

describe("daily attachment bytes per session and per address; the unsent share of the storage", () => {
  let h: Harness;
  let address = "192.0.2.1";
  beforeAll(async () => {
    h = await startHarness({
      quotas: {
        sessionAttachmentBytes: 4 * K,
        addressAttachmentBytes: 6 * K,
        helplineStorageBytes: 64 * 1024 * 1024,
        unsentAttachmentShare: 0.02, // 1,342,177 bytes: 20.48 uploads of 64 KiB
        addressOf: () => address,
      },
    });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it("a session that used its bytes is refused (429, Retry-After); a repeat costs nothing; deleting gives nothing back", async () => {
    const a = await helpline(h, "sessie", 41);
    address = "192.0.2.1";
    const s1 = await a.seeker();
    const first = await create(h, s1, 2 * K);
    expect(first.res.status).toBe(200);
    // The same creation again (a retry, a resume) is the same upload and is not charged again.
    expect((await h.request("POST", "/api/attachments", { cookie: s1, json: first.json })).status).toBe(200);
    const second = await created(h, s1, 2 * K);
    const res = await refused(h, s1, K, "ATTACHMENT_SESSION_QUOTA_EXCEEDED");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(23 * 3600);
    await remove(h, s1, second);
    await refused(h, s1, K, "ATTACHMENT_SESSION_QUOTA_EXCEEDED");

    // A creation refused for another reason (a fourth file) is refunded.
    address = "192.0.2.11"; // the address's own bytes (6 x 64 KiB) stay out of the way
    const s2 = await a.seeker();
    const ids = [await created(h, s2, K), await created(h, s2, K), await created(h, s2, K)];
    await refused(h, s2, K, "ATTACHMENT_TOO_MANY");
    await remove(h, s2, ids[0]!);
    await created(h, s2, K); // 4 x 64 KiB charged: the refused one was given back
    await remove(h, s2, ids[1]!);
    await refused(h, s2, K, "ATTACHMENT_SESSION_QUOTA_EXCEEDED");
  });

  it("new sessions from one address share its bytes; another address is not affected", async () => {
    const b = await helpline(h, "adres", 42);
    address = "192.0.2.2";
    await created(h, await b.seeker(), 4 * K);
    await created(h, await b.seeker(), 2 * K);
    const fresh = await b.seeker();
    await refused(h, fresh, K, "ATTACHMENT_ADDRESS_QUOTA_EXCEEDED");
    address = "192.0.2.3";
    await created(h, fresh, K);
  });

  it("help-seekers' unsent uploads hold at most their share of the helpline's storage (429 ATTACHMENT_UNSENT_FULL)", async () => {
    const c = await helpline(h, "ongezonden", 43);
    for (let i = 0; i < 5; i++) {
      address = `198.51.100.${i + 1}`;
      await created(h, await c.seeker(), 4 * K); // 5 x 256 KiB = 1,310,720 of 1,342,177
    }
    address = "198.51.100.99";
    const res = await refused(h, await c.seeker(), K, "ATTACHMENT_UNSENT_FULL");
    expect(res.headers.get("retry-after")).not.toBeNull();
    // Another helpline's share is its own.
    const d = await helpline(h, "ander", 44);
    await created(h, await d.seeker(), K);
  });
});

describe("storage: an upload reserves its declared bytes; re-sent chunks and deletions", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      quotas: {
        helplineStorageBytes: 1024 * 1024,
        unsentAttachmentShare: 1,
        sessionAttachmentBytes: 100 * 1024 * 1024,
        addressAttachmentBytes: 100 * 1024 * 1024,
        addressOf: () => undefined,
      },
    });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it("uploads created together cannot pass the quota before a byte is sent, and a chunk sent 12 times counts once", async () => {
    const e = await helpline(h, "opslag", 45);
    const s1 = await e.seeker();
    const u1 = await created(h, s1, 4 * K); // 262,208 bytes with tags
    const chunk = randomBytes(attachmentChunkCipherBytes(4 * K, 0));
    for (let i = 0; i < 12; i++) {
      const put = await h.request("PUT", `/api/attachments/${u1}/chunks/0`, {
        cookie: s1,
        raw: new Uint8Array(chunk),
        headers: { "content-type": "application/octet-stream" },
      });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
    }
    // 3 x 262,208 = 786,624 of 1,048,576: before the fix the 12 chunks alone counted 786,624 more.
    await created(h, s1, 4 * K);
    await created(h, s1, 4 * K);
    expect(Number((await h.query("SELECT count(*) AS n FROM attachment_chunks"))[0]!.n)).toBe(1);
    const s2 = await e.seeker();
    // Only one chunk is stored, yet the declared bytes are taken: 786,624 + 262,208 > 1,048,576.
    await refused(h, s2, 4 * K, "STORAGE_FULL");
    await created(h, s2, 2 * K); // 131,104 still fits
  });

  it("deleting an upload does not reset the conversation's daily bytes; its chunks go and it is not the owner's any more", async () => {
    const f = await helpline(h, "dag", 46);
    await setHelplineSettings(h.db, f.slug, { attachments: { fileMb: 1, dailyMb: 1 } }, { writer: h.writer });
    const s = await f.seeker();
    const limits = await h.request("GET", "/api/attachments/limits", { cookie: s });
    expect(limits.body).toEqual({
      maxFileBytes: 1_000_000,
      maxFilesPerMessage: 3,
      maxBytesPerConversationPerDay: 1_000_000,
    });
    const id = await created(h, s, 8 * K);
    const put = await h.request("PUT", `/api/attachments/${id}/chunks/0`, {
      cookie: s,
      raw: new Uint8Array(randomBytes(attachmentChunkCipherBytes(8 * K, 0))),
      headers: { "content-type": "application/octet-stream" },
    });
    expect(put.status).toBe(200);
    await remove(h, s, id);
    const left = await h.query(`SELECT count(*) AS n FROM attachment_chunks WHERE attachment_id = '${id}'`);
    expect(Number(left[0]!.n)).toBe(0);
    const ledger = await h.query(`SELECT length(header) AS n, uploader FROM attachments WHERE id = '${id}'`);
    expect(Number(ledger[0]!.n)).toBe(0);
    expect(String(ledger[0]!.uploader)).toMatch(/^deleted:session:/);
    expectCode(await h.request("GET", `/api/attachments/${id}`, { cookie: s }), "NOT_FOUND");
    expectCode(await h.request("DELETE", `/api/attachments/${id}`, { cookie: s }), "NOT_FOUND");
    // 524,288 were used today; another 524,288 would pass 1,000,000 although the first was deleted.
    await refused(h, s, 8 * K, "ATTACHMENT_QUOTA_EXCEEDED");
    await created(h, s, 6 * K);
  });
});
