/**
 * Attachments under attack and at their limits (issue 12): a server that flips, drops, reorders,
 * truncates or swaps in another file's chunk is caught by the SDK with a named reason and no bytes are
 * returned; the limits answer typed 4xx before anything is stored; abandoned uploads expire; deletion
 * and retention remove every chunk; a marker in a file's bytes and name never reaches the database,
 * its WAL or the logs.
 */
import { runMaintenance } from "@briefgeheim/api";
import {
  type AttachmentMeta,
  attachmentLimits,
  downloadAttachment,
  type SeekerSession,
  uploadAttachment,
} from "@briefgeheim/client";
import type { ThreadId } from "@briefgeheim/crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AttachmentWorld, attachmentWorld, failure, fileBytes, outgoing } from "./world.js";

let w: AttachmentWorld;
let seeker: SeekerSession;
let threadId: ThreadId;

beforeAll(async () => {
  w = await attachmentWorld();
  seeker = await w.seeker();
  threadId = (await seeker.openThread({ subject: "t", body: "b" })).threadId;
  await w.anna.claim(threadId);
});
afterAll(async () => {
  await w?.close();
});

async function n(query: string): Promise<number> {
  return Number((await w.rows(query))[0]!.n);
}

/** Anna sends `size` bytes in a reply; returns the metadata as the help-seeker's verified view shows it. */
async function sent(size: number, seed: number): Promise<AttachmentMeta> {
  const meta = await uploadAttachment(w.anna, {
    target: { threadId },
    file: outgoing(fileBytes(size, seed), `f${seed}.bin`, "application/octet-stream"),
  });
  await w.anna.reply(threadId, `bestand ${seed}`, { attachments: [meta] });
  const view = await seeker.readThread(threadId);
  return view.messages.find((m) => m.body === `bestand ${seed}`)!.attachments[0]!;
}

async function chunkHex(id: string, idx: number): Promise<string> {
  const rows = await w.rows(
    `SELECT hex(bytes) AS h FROM attachment_chunks WHERE attachment_id = '${id}' AND idx = ${idx}`,
  );
  return String(rows[0]!.h);
}

async function setChunk(id: string, idx: number, hex: string): Promise<void> {
  await w.exec(`UPDATE attachment_chunks SET bytes = X'${hex}' WHERE attachment_id = ? AND idx = ?`, id, idx);
}

describe("a hostile server's changes to a stored file are caught, with the reason", () => {
  it("a flipped byte: ATTACHMENT_INVALID", async () => {
    const meta = await sent(300_000, 11);
    const hex = await chunkHex(meta.attachmentId, 2);
    const flipped = (Number.parseInt(hex.slice(200, 202), 16) ^ 1).toString(16).padStart(2, "0");
    await setChunk(meta.attachmentId, 2, hex.slice(0, 200) + flipped + hex.slice(202));
    expect((await failure(downloadAttachment(seeker, { threadId, meta }))).code).toBe("ATTACHMENT_INVALID");
  });

  it("two chunks swapped: ATTACHMENT_REORDERED", async () => {
    const meta = await sent(300_000, 12);
    const [a, b] = [await chunkHex(meta.attachmentId, 1), await chunkHex(meta.attachmentId, 2)];
    await setChunk(meta.attachmentId, 1, b);
    await setChunk(meta.attachmentId, 2, a);
    expect((await failure(downloadAttachment(seeker, { threadId, meta }))).code).toBe("ATTACHMENT_REORDERED");
  });

  it("a dropped chunk: ATTACHMENT_REORDERED (the next one in its place); the last one dropped: TRUNCATED", async () => {
    const meta = await sent(300_000, 13);
    await w.exec("DELETE FROM attachment_chunks WHERE attachment_id = ? AND idx = 1", meta.attachmentId);
    expect((await failure(downloadAttachment(seeker, { threadId, meta }))).code).toBe("ATTACHMENT_REORDERED");
    const cut = await sent(300_000, 14);
    await w.exec("DELETE FROM attachment_chunks WHERE attachment_id = ? AND idx = 4", cut.attachmentId);
    expect((await failure(downloadAttachment(seeker, { threadId, meta: cut }))).code).toBe(
      "ATTACHMENT_TRUNCATED",
    );
  });

  it("a chunk of another attachment: ATTACHMENT_INVALID; the staff app's download is checked the same way", async () => {
    const meta = await sent(300_000, 15);
    const other = await sent(300_000, 16);
    await setChunk(meta.attachmentId, 1, await chunkHex(other.attachmentId, 1));
    expect((await failure(downloadAttachment(seeker, { threadId, meta }))).code).toBe("ATTACHMENT_INVALID");
    expect((await failure(downloadAttachment(w.anna, { threadId, meta }))).code).toBe("ATTACHMENT_INVALID");
    // The untouched one still opens.
    const blob = await downloadAttachment(seeker, { threadId, meta: other });
    expect(blob.size).toBe(300_000);
  });

  it("a header swapped for the v1 layout: UNSUPPORTED_VERSION", async () => {
    const meta = await sent(70_000, 17);
    await w.exec("UPDATE attachments SET header = randomblob(24) WHERE id = ?", meta.attachmentId);
    expect((await failure(downloadAttachment(seeker, { threadId, meta }))).code).toBe("UNSUPPORTED_VERSION");
  });
});

describe("limits are checked before anything is stored", () => {
  it("over-size, too many files and the daily quota are typed 4xx and store nothing", async () => {
    await w.exec(
      "INSERT INTO attachment_limits (helpline_id, max_file_bytes, max_files_per_message, daily_bytes_per_conversation) VALUES (?, 100000, 2, 400000)",
      w.helplineId,
    );
    expect(await attachmentLimits(seeker)).toEqual({
      maxFileBytes: 100_000,
      maxFilesPerMessage: 2,
      maxBytesPerConversationPerDay: 400_000,
    });
    const fresh = await w.seeker();
    const rows = "SELECT count(*) AS n FROM attachments";
    const chunks = "SELECT count(*) AS n FROM attachment_chunks";
    const [before, chunksBefore] = [await n(rows), await n(chunks)];
    const big = await failure(
      uploadAttachment(fresh, {
        target: { newConversation: true },
        file: outgoing(fileBytes(200_000), "groot.pdf", "application/pdf"),
      }),
    );
    expect([big.code, big.status]).toEqual(["ATTACHMENT_TOO_LARGE", 413]);
    expect([await n(rows), await n(chunks)]).toEqual([before, chunksBefore]);

    const file = () => outgoing(fileBytes(90_000), "klein.pdf", "application/pdf");
    const a = await uploadAttachment(fresh, { target: { newConversation: true }, file: file() });
    const b = await uploadAttachment(fresh, { target: { newConversation: true }, file: file() });
    const third = await failure(uploadAttachment(fresh, { target: { newConversation: true }, file: file() }));
    expect([third.code, third.status]).toEqual(["ATTACHMENT_TOO_MANY", 422]);
    expect(await n(rows)).toBe(before + 2);
    const { threadId: t } = await fresh.openThread({ subject: "s", body: "b" }, { attachments: [a, b] });
    // The reply in that thread starts its own count of files waiting to be sent.
    await uploadAttachment(fresh, { target: { threadId: t }, file: file() });
    await uploadAttachment(fresh, { target: { threadId: t }, file: file() });
    const over = await failure(uploadAttachment(fresh, { target: { threadId: t }, file: file() }));
    expect(over.code).toBe("ATTACHMENT_TOO_MANY");
    await w.exec("DELETE FROM attachment_limits WHERE helpline_id = ?", w.helplineId);
  });

  it("the daily quota per conversation answers 429 with Retry-After", async () => {
    await w.exec(
      "INSERT INTO attachment_limits (helpline_id, max_file_bytes, max_files_per_message, daily_bytes_per_conversation) VALUES (?, 100000, 3, 150000)",
      w.helplineId,
    );
    const fresh = await w.seeker();
    await uploadAttachment(fresh, {
      target: { newConversation: true },
      file: outgoing(fileBytes(90_000), "a", "text/plain"),
    });
    const over = await failure(
      uploadAttachment(fresh, {
        target: { newConversation: true },
        file: outgoing(fileBytes(90_000), "b", "text/plain"),
      }),
    );
    expect([over.code, over.status]).toEqual(["ATTACHMENT_QUOTA_EXCEEDED", 429]);
    expect(over.retryAfterSeconds).toBeGreaterThan(0);
    await w.exec("DELETE FROM attachment_limits WHERE helpline_id = ?", w.helplineId);
  });

  it("a message cannot name someone else's, an incomplete, or a foreign conversation's upload", async () => {
    const other = await w.seeker();
    const theirs = await uploadAttachment(other, {
      target: { newConversation: true },
      file: outgoing(fileBytes(10), "x", "text/plain"),
    });
    const mine = await w.seeker();
    const stolen = await failure(mine.openThread({ subject: "s", body: "b" }, { attachments: [theirs] }));
    expect(stolen.code).toBe("NOT_FOUND");
    // An upload for a reply in one thread cannot go with a new conversation.
    const forReply = await uploadAttachment(seeker, {
      target: { threadId },
      file: outgoing(fileBytes(10), "y", "text/plain"),
    });
    const { threadId: t2 } = await seeker.openThread({ subject: "twee", body: "b" });
    const moved = await failure(seeker.reply(t2, "hier", { attachments: [forReply] }));
    expect(moved.code).toBe("WRONG_CONTEXT");
    await seeker.reply(threadId, "wel hier", { attachments: [forReply] });
  });
});

describe("expiry, deletion and retention leave no chunk behind", () => {
  it("an upload no message named is removed after 24 hours by the maintenance loop", async () => {
    const fresh = await w.seeker();
    const meta = await uploadAttachment(fresh, {
      target: { newConversation: true },
      file: outgoing(fileBytes(200_000), "weg", "text/plain"),
    });
    const mine = `SELECT count(*) AS n FROM attachment_chunks WHERE attachment_id = '${meta.attachmentId}'`;
    expect(await n(mine)).toBe(4);
    const early = await runMaintenance(w.h.db, w.h.writer, { now: () => Date.now() + 23 * 3_600_000 });
    expect(await n(mine)).toBe(4);
    expect(early.attachments).toBe(0);
    const later = await runMaintenance(w.h.db, w.h.writer, {
      now: () => Date.now() + 24 * 3_600_000 + 60_000,
    });
    expect(later.attachments).toBeGreaterThanOrEqual(1);
    expect(await n(mine)).toBe(0);
    expect(await n(`SELECT count(*) AS n FROM attachments WHERE id = '${meta.attachmentId}'`)).toBe(0);
  });

  it("deleting the conversation removes its attachments and every chunk", async () => {
    const fresh = await w.seeker();
    const meta = await uploadAttachment(fresh, {
      target: { newConversation: true },
      file: outgoing(fileBytes(150_000), "d", "text/plain"),
    });
    const { threadId: t } = await fresh.openThread({ subject: "s", body: "b" }, { attachments: [meta] });
    // The maintenance runs above ended every session that was open: sign in again.
    const vera = await w.staff("vera");
    await vera.claim(t);
    const reply = await uploadAttachment(vera, {
      target: { threadId: t },
      file: outgoing(fileBytes(70_000), "r", "text/plain"),
    });
    await vera.reply(t, "antwoord", { attachments: [reply] });
    const ofThread = `SELECT count(*) AS n FROM attachment_chunks c JOIN attachments a ON a.id = c.attachment_id WHERE a.thread_id = '${t}'`;
    expect(await n(ofThread)).toBe(3 + 2);
    await fresh.deleteThread(t);
    expect(await n(ofThread)).toBe(0);
    for (const id of [meta.attachmentId, reply.attachmentId]) {
      expect(await n(`SELECT count(*) AS n FROM attachment_chunks WHERE attachment_id = '${id}'`)).toBe(0);
      expect(await n(`SELECT count(*) AS n FROM attachments WHERE id = '${id}'`)).toBe(0);
    }
  });

  it("retention deletes old conversations with their attachments: row counts return to zero", async () => {
    await runMaintenance(w.h.db, w.h.writer, { now: () => Date.now() + 400 * 86_400_000 });
    expect(await n("SELECT count(*) AS n FROM threads")).toBe(0);
    expect(await n("SELECT count(*) AS n FROM attachments")).toBe(0);
    expect(await n("SELECT count(*) AS n FROM attachment_chunks")).toBe(0);
  });
});

describe("marker scan", () => {
  it("a file whose bytes and name carry a marker leaves no trace in the database file, its WAL or the logs", async () => {
    const marker = `BG-MARKER-${Date.now().toString(36)}-bijlage`;
    const text = new TextEncoder().encode(`${marker}\n`.repeat(5000));
    const fresh = await w.seeker();
    const meta = await uploadAttachment(fresh, {
      target: { newConversation: true },
      file: outgoing(text, `${marker}.txt`, "text/plain"),
    });
    const { threadId: t } = await fresh.openThread({ subject: "m", body: "m" }, { attachments: [meta] });
    const vera = await w.staff("vera");
    const view = await vera.readThread(t);
    const blob = await downloadAttachment(vera, { threadId: t, meta: view.messages[0]!.attachments[0]! });
    expect(await blob.text()).toContain(marker);
    expect(view.messages[0]!.attachments[0]!.name).toBe(`${marker}.txt`);
    const stored = w.h.storedText();
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.includes(marker)).toBe(false);
    expect(w.h.logLines.some((l) => l.includes(marker))).toBe(false);
  });
});
