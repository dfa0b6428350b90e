/**
 * Attachments end to end through the SDK and the real API (issue 12): upload with progress, binding to
 * the message, verified download for the thread's readers, resumption after a network cut and after a
 * reload (metadata from the encrypted draft), abort, and a changed file refused.
 */
import {
  type AttachmentMeta,
  type AttachmentProgress,
  discardAttachment,
  downloadAttachment,
  replyDraftContext,
  resumeAttachment,
  uploadAttachment,
} from "@briefgeheim/client";
import type { ThreadId } from "@briefgeheim/crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AttachmentWorld, attachmentWorld, blobBytes, failure, fileBytes, outgoing } from "./world.js";

let w: AttachmentWorld;
beforeAll(async () => {
  w = await attachmentWorld();
});
afterAll(async () => {
  await w?.close();
});

async function count(table: string): Promise<number> {
  return Number((await w.rows(`SELECT count(*) AS n FROM ${table}`))[0]!.n);
}

describe("attachments through the SDK and the real API", () => {
  let threadId: ThreadId;
  const photo = fileBytes(300_000, 3);
  const pdf = fileBytes(1_000_001, 4);

  it("a help-seeker sends a photo and a PDF with the first message; the counsellor gets both, byte for byte", async () => {
    const seeker = await w.seeker();
    const progress: AttachmentProgress[] = [];
    const a = await uploadAttachment(seeker, {
      target: { newConversation: true },
      file: outgoing(photo, "brief.jpg", "image/jpeg"),
      onProgress: (p) => progress.push(p),
    });
    const b = await uploadAttachment(seeker, {
      target: { newConversation: true },
      file: outgoing(pdf, "rapport.pdf", "application/pdf"),
    });
    // Preparing (hashing), then each chunk encrypted and acknowledged, ending at the file's size.
    expect(progress[0]).toEqual({ phase: "preparing", done: 300_000, total: 300_000 });
    expect(progress.filter((p) => p.phase === "uploading").at(-1)).toEqual({
      phase: "uploading",
      done: 300_000,
      total: 300_000,
    });
    expect(a).toMatchObject({ name: "brief.jpg", mediaType: "image/jpeg", size: 300_000 });
    const opened = await seeker.openThread(
      { subject: "Bijlagen", body: "Zie de bestanden" },
      { attachments: [a, b] },
    );
    threadId = opened.threadId;
    // Bound to the first message: no owner and no expiry left on the server.
    const stored = await w.rows(
      `SELECT thread_id, envelope_id, uploader, expires_at, complete FROM attachments`,
    );
    expect(stored).toHaveLength(2);
    for (const row of stored) {
      expect(row).toMatchObject({
        thread_id: threadId,
        envelope_id: threadId,
        uploader: null,
        expires_at: null,
      });
    }

    const view = await w.anna.readThread(threadId);
    expect(view.ok).toBe(true);
    const files = view.messages[0]!.attachments;
    expect(files.map((f) => [f.name, f.mediaType, f.size])).toEqual([
      ["brief.jpg", "image/jpeg", 300_000],
      ["rapport.pdf", "application/pdf", 1_000_001],
    ]);
    const got = await downloadAttachment(w.anna, { threadId, meta: files[1]! });
    expect(got.type).toBe("application/pdf");
    expect(Buffer.from(await blobBytes(got)).equals(Buffer.from(pdf))).toBe(true);
    const first = await downloadAttachment(w.anna, { threadId, meta: files[0]! });
    expect(Buffer.from(await blobBytes(first)).equals(Buffer.from(photo))).toBe(true);

    // The counsellor replies with a leaflet; the help-seeker downloads it.
    await w.anna.claim(threadId);
    const leaflet = fileBytes(70_000, 5);
    const meta = await uploadAttachment(w.anna, {
      target: { threadId },
      file: outgoing(leaflet, "folder.pdf", "application/pdf"),
    });
    await w.anna.reply(threadId, "Hier is de folder", { attachments: [meta] });
    const seekerView = await seeker.readThread(threadId);
    const reply = seekerView.messages.find((m) => m.body === "Hier is de folder")!;
    expect(reply.attachments).toHaveLength(1);
    const downloaded = await downloadAttachment(seeker, { threadId, meta: reply.attachments[0]! });
    expect(Buffer.from(await blobBytes(downloaded)).equals(Buffer.from(leaflet))).toBe(true);
  });

  it("nobody else downloads: another help-seeker, a counsellor who is not a reader, the wrong thread", async () => {
    const view = await w.anna.readThread(threadId);
    const meta = view.messages[0]!.attachments[0]!;
    const stranger = await w.seeker();
    expect((await failure(downloadAttachment(stranger, { threadId, meta }))).code).toBe("NOT_FOUND");
    const bramId = await w.join("counsellor", "bram");
    await w.vera.admitPending();
    const bram = await w.staff("bram");
    expect(bramId).toBeTruthy();
    expect((await failure(downloadAttachment(bram, { threadId, meta }))).code).toBe("NOT_FOUND");
    // Named under another thread of a reader: not there either.
    const seeker2 = await w.seeker();
    const other = await seeker2.openThread({ subject: "x", body: "y" });
    expect((await failure(downloadAttachment(w.vera, { threadId: other.threadId, meta }))).code).toBe(
      "NOT_FOUND",
    );
  });

  it("an upload cut by the network midway resumes from the first chunk the server has not acknowledged", async () => {
    const seeker = await w.cuttableSeeker();
    const data = fileBytes(600_000, 6); // 10 chunks
    let prepared: AttachmentMeta | undefined;
    const puts: number[] = [];
    w.cut = (method, path) => {
      const m = /\/chunks\/(\d+)$/.exec(path);
      if (method !== "PUT" || m === null) return false;
      puts.push(Number(m[1]));
      return Number(m[1]) >= 4; // the connection drops from chunk 4 on
    };
    const file = outgoing(data, "scherm.png", "image/png");
    const cut = await failure(
      uploadAttachment(seeker, {
        target: { newConversation: true },
        file,
        onPrepared: (m) => {
          prepared = m;
        },
      }),
    );
    expect(cut.code).toBe("NETWORK");
    const status = await w.rows(
      `SELECT count(*) AS n FROM attachment_chunks WHERE attachment_id = '${prepared!.attachmentId}'`,
    );
    expect(Number(status[0]!.n)).toBe(4);
    w.cut = () => false;
    puts.length = 0;
    const sentAgain: number[] = [];
    w.cut = (method, path) => {
      const m = /\/chunks\/(\d+)$/.exec(path);
      if (method === "PUT" && m !== null) sentAgain.push(Number(m[1]));
      return false;
    };
    const meta = await resumeAttachment(seeker, { target: { newConversation: true }, meta: prepared!, file });
    w.cut = () => false;
    expect(sentAgain).toEqual([4, 5, 6, 7, 8, 9]);
    const { threadId: t } = await seeker.openThread({ subject: "s", body: "b" }, { attachments: [meta] });
    const view = await w.vera.readThread(t);
    const blob = await downloadAttachment(w.vera, { threadId: t, meta: view.messages[0]!.attachments[0]! });
    expect(Buffer.from(await blobBytes(blob)).equals(Buffer.from(data))).toBe(true);
  });

  it("after a reload of the staff app the upload resumes from the encrypted draft and the same file", async () => {
    const data = fileBytes(400_000, 7);
    const file = outgoing(data, "veiligheidsplan.pdf", "application/pdf");
    const before = await w.reloadStaff("anna");
    const draft = replyDraftContext(threadId);
    w.cut = (method, path) => method === "PUT" && /\/chunks\/[3-9]$/.test(path);
    const cut = await failure(
      uploadAttachment(before, {
        target: { threadId },
        file,
        onPrepared: (m) =>
          before.saveDraft(draft, { subject: "", body: "half", attachments: [m] }).then(() => undefined),
      }),
    );
    expect(cut.code).toBe("NETWORK");
    w.cut = () => false;
    before.wipe(); // the reload: keys, File and state are gone

    const after = await w.reloadStaff("anna");
    const saved = await after.loadDraft(draft);
    expect(saved?.body).toBe("half");
    const meta = saved!.attachments![0]!;
    // Another file is refused before anything is sent.
    const wrong = outgoing(fileBytes(400_000, 8), "veiligheidsplan.pdf", "application/pdf");
    expect((await failure(resumeAttachment(after, { target: { threadId }, meta, file: wrong }))).code).toBe(
      "ATTACHMENT_FILE_CHANGED",
    );
    const shorter = outgoing(fileBytes(399_999, 7), "veiligheidsplan.pdf", "application/pdf");
    expect((await failure(resumeAttachment(after, { target: { threadId }, meta, file: shorter }))).code).toBe(
      "ATTACHMENT_FILE_CHANGED",
    );
    await resumeAttachment(after, { target: { threadId }, meta, file });
    await after.reply(threadId, "Het plan", { attachments: [meta] });
    const seen = await w.vera.readThread(threadId);
    const msg = seen.messages.find((m) => m.body === "Het plan")!;
    const blob = await downloadAttachment(w.vera, { threadId, meta: msg.attachments[0]! });
    expect(Buffer.from(await blobBytes(blob)).equals(Buffer.from(data))).toBe(true);
  });

  it("abort stops the upload and deletes what was stored; remove deletes an unsent upload", async () => {
    const seeker = await w.seeker();
    const controller = new AbortController();
    let chunks = 0;
    const aborted = await failure(
      uploadAttachment(seeker, {
        target: { newConversation: true },
        file: outgoing(fileBytes(500_000, 9), "a.bin", "application/octet-stream"),
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === "uploading" && ++chunks === 2) controller.abort();
        },
      }),
    );
    expect(aborted.code).toBe("ABORTED");
    // A deleted upload leaves a ledger row without chunks (its bytes still count for the day): not an upload.
    const unbound = `SELECT count(*) AS n FROM attachments WHERE envelope_id IS NULL AND uploader NOT LIKE 'deleted:%'`;
    expect(Number((await w.rows(unbound))[0]!.n)).toBe(0);
    const meta = await uploadAttachment(seeker, {
      target: { newConversation: true },
      file: outgoing(fileBytes(10, 1), "b.txt", "text/plain"),
    });
    expect(Number((await w.rows(unbound))[0]!.n)).toBe(1);
    await discardAttachment(seeker, meta.attachmentId);
    await discardAttachment(seeker, meta.attachmentId); // already gone: fine
    expect(Number((await w.rows(unbound))[0]!.n)).toBe(0);
    expect(await count("attachment_chunks")).toBeGreaterThan(0); // the sent ones stay
    const ledger = await w.rows(
      `SELECT count(*) AS n FROM attachment_chunks c JOIN attachments a ON a.id = c.attachment_id WHERE a.uploader LIKE 'deleted:%'`,
    );
    expect(Number(ledger[0]!.n)).toBe(0);
  });

  it("a file whose name would show as another (U+202E) is refused before anything is sent", async () => {
    const seeker = await w.seeker();
    const before = await count("attachments");
    const refused = await failure(
      uploadAttachment(seeker, {
        target: { newConversation: true },
        file: outgoing(fileBytes(1000, 3), "factuur\u202Efdp.exe", "application/pdf"),
      }),
    );
    expect(refused.code).toBe("ATTACHMENT_NAME_INVALID");
    expect(await count("attachments")).toBe(before);
  });
});
