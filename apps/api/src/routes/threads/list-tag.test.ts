// The staff inbox's ETag from the helpline's list version (list-tag.ts, migration 0011's triggers):
// every kind of write that changes a listing makes the old tag stale; with nothing written the same
// tag gets a 304 without the page being read; tags are per caller and query; bad headers get the page.
import {
  applyRosterChange,
  assignThread,
  type EpochStart,
  type MemberId,
  reassignThread,
  removeReader,
  type ThreadOpOptions,
} from "@briefgeheim/crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { threadReaders } from "../../db/schema.js";
import { runMaintenance } from "../../maintenance.js";
import { setHelplineSettings } from "../../operator-settings.js";
import type { Staff } from "../../testing/harness.js";
import { threadListPage } from "./list-page.js";
import { anna, claim, h, ines, post, postEpoch, reassign, seeker, useThreadsWorld, w } from "./test-world.js";

// The page function, spied: a 304 must not call it.
vi.mock("./list-page.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("./list-page.js")>();
  return { ...actual, threadListPage: vi.fn(actual.threadListPage) };
});

useThreadsWorld();

const list = (who: { cookie?: string | undefined }, query: string, tag?: string) =>
  w.request("GET", `/api/threads${query}`, {
    cookie: who.cookie,
    headers: tag === undefined ? {} : { "If-None-Match": tag },
  });

/** Who lists, and the query. */
type View = readonly [{ cookie?: string | undefined }, string];

/** Each view's tag now, and a check that nothing written yet means 304 for it. */
async function tagsOf(views: readonly View[]): Promise<string[]> {
  const tags: string[] = [];
  for (const [who, query] of views) {
    const res = await list(who, query);
    expect(res.status).toBe(200);
    const tag = res.headers.get("etag")!;
    expect((await list(who, query, tag)).status).toBe(304);
    tags.push(tag);
  }
  return tags;
}

/** After `write`, every view's old tag gets the full page (200) with another tag. */
async function expectStale(views: readonly View[], write: () => Promise<unknown>): Promise<void> {
  const before = await tagsOf(views);
  await write();
  for (const [i, [who, query]] of views.entries()) {
    const res = await list(who, query, before[i]);
    expect(res.status, `view ${i} ${query}`).toBe(200);
    expect(res.headers.get("etag")).not.toBe(before[i]);
  }
}

const ok = async (res: Promise<{ status: number; body: unknown }>) => {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(200);
};

const seqs = new Map<string, number>();
/** Posts an envelope of `kind` from `who` (staff: the thread's current keys) at the next seq. */
async function postAs(threadId: string, who: Staff, kind: "message" | "status" = "message", status?: string) {
  const key = `${threadId}/${who.memberId}`;
  const seq = (seqs.get(key) ?? 0) + 1;
  seqs.set(key, seq);
  const { keys } = await w.currentKeys(threadId, who);
  const env = w.envelope({
    h,
    threadId,
    keys: keys!,
    sender: who.signing,
    seq,
    kind,
    body: status ?? "tekst",
  });
  await ok(post(threadId, who, w.b64(w.random(16)), env, status));
}

/** A supervisor's epoch (assign, reassign, remove a reader, roster change), stored. */
async function supervisorEpoch(threadId: string, make: (base: ThreadOpOptions) => EpochStart) {
  await ok(postEpoch(threadId, h.supervisor, make).then((r) => r.res));
}

const claimed = async (threadId: string, who: Staff) => ok(claim(threadId, who).then((r) => r.res));

describe("GET /api/threads for staff: the tag from the list version", () => {
  it("nothing written: the same tag gets 304 without the page being read, also after time passed", async () => {
    const t = await w.openNewThread(h, seeker);
    await claimed(t.threadId, ines);
    const first = await list(ines, "?view=mine&limit=200");
    const tag = first.headers.get("etag")!;
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}"$/);

    const page = vi.mocked(threadListPage);
    page.mockClear();
    // Calls through: only records which statements the request ran.
    const spy = vi.spyOn(w.db.readClient, "execute");
    // A minute and more later (the session's last-seen time is written then): still nothing new.
    w.clock.advance(61_000);
    const again = await list(ines, "?view=mine&limit=200", tag);
    expect([again.status, again.body, again.headers.get("etag")]).toEqual([304, "", tag]);
    expect(page).not.toHaveBeenCalled();
    const sql = spy.mock.calls.map((call) => {
      const stmt = call[0] as string | { sql: string };
      return typeof stmt === "string" ? stmt : stmt.sql;
    });
    spy.mockRestore();
    // The session lookup and the helpline's row: nothing read from threads or their readers.
    expect(sql.some((s) => /"helplines"/.test(s))).toBe(true);
    expect(sql.filter((s) => /"threads"|"thread_readers"/.test(s))).toEqual([]);
    // A changed page is built and read as before.
    await postAs(t.threadId, ines);
    expect((await list(ines, "?view=mine&limit=200", tag)).status).toBe(200);
    expect(page).toHaveBeenCalledTimes(1);
  });
});

describe("GET /api/threads for staff: every write that changes a list makes the old tag stale", () => {
  it("a help-seeker's new conversation and new message", async () => {
    const views: View[] = [
      [h.supervisor, ""],
      [ines, "?view=intake"],
    ];
    let t: Awaited<ReturnType<typeof w.openNewThread>> | undefined;
    await expectStale(views, async () => {
      t = await w.openNewThread(h, seeker);
    });
    await expectStale(views, async () => {
      w.clock.advance(1000); // a later message, so the page shows it (its time)
      const env = w.envelope({ h, threadId: t!.threadId, keys: t!.keys, sender: seeker.messageSign, seq: 2 });
      await ok(post(t!.threadId, seeker, w.b64(w.random(16)), env));
    });
  });

  it("a staff reply and a status envelope", async () => {
    const t = await w.openNewThread(h, seeker);
    await claimed(t.threadId, ines);
    const views: View[] = [
      [h.supervisor, ""],
      [ines, "?view=mine"],
    ];
    await expectStale(views, () => postAs(t.threadId, ines));
    await expectStale(views, () => postAs(t.threadId, ines, "status", "closed"));
  });

  it("claim, assign, reassign and removing a reader", async () => {
    const t = await w.openNewThread(h, seeker);
    const u = await w.openNewThread(h, seeker);
    await expectStale(
      [
        [ines, "?view=intake"],
        [ines, "?view=mine"],
      ],
      () => claimed(t.threadId, ines),
    );
    await expectStale([[anna, "?view=mine"]], () =>
      supervisorEpoch(u.threadId, (base) => assignThread(w.sodium, { ...base, to: anna.member })),
    );
    await expectStale(
      [
        [ines, "?view=mine"],
        [anna, "?view=mine"],
      ],
      () => supervisorEpoch(t.threadId, (base) => reassignThread(w.sodium, { ...base, to: anna.member })),
    );
    await expectStale([[anna, "?view=mine"]], () =>
      supervisorEpoch(t.threadId, (base) =>
        removeReader(w.sodium, { ...base, member: anna.memberId as MemberId }),
      ),
    );
    await expectStale([[h.supervisor, "?view=all"]], () =>
      supervisorEpoch(u.threadId, (base) => applyRosterChange(w.sodium, base)),
    );
    // A caseload moved in one batch (each item in its own savepoint of a group commit).
    await expectStale([[ines, "?view=mine"]], async () => {
      const item = { threadId: u.threadId, ...(await reassign(u.threadId, ines)).body };
      const res = await w.request("POST", "/api/threads/epochs/batch", {
        cookie: h.supervisor.cookie,
        body: { items: [item] },
      });
      expect(res.body.results[0].ok).toBe(true);
    });
  });

  it("PATCH: status, close and the help flag", async () => {
    const t = await w.openNewThread(h, seeker);
    await claimed(t.threadId, ines);
    const patch = (body: object) =>
      ok(w.request("PATCH", `/api/threads/${t.threadId}`, { cookie: ines.cookie, body }));
    const views: View[] = [
      [ines, "?view=mine"],
      [h.supervisor, "?view=flagged"],
    ];
    await expectStale(views, () => patch({ flagged: true }));
    await expectStale(views, () => patch({ status: "waiting" }));
    await expectStale(views, () => patch({ status: "closed" }));
  });

  it("a help-seeker deletes a conversation", async () => {
    const t = await w.openNewThread(h, seeker);
    await w.openNewThread(h, seeker);
    await expectStale(
      [
        [h.supervisor, ""],
        [ines, "?view=intake"],
      ],
      () => ok(w.request("DELETE", `/api/threads/${t.threadId}`, { cookie: seeker.cookie })),
    );
  });

  it("the retention run deletes expired conversations (time alone changes nothing); only that helpline", async () => {
    const short = await w.setupHelpline("beta", 2, { retentionDays: 1 });
    await w.openNewThread(short, await w.newSeeker(short.id));
    const shortTags = await tagsOf([[short.supervisor, ""]]);
    const otherTags = await tagsOf([[ines, "?view=intake"]]);
    w.clock.advance(24 * 3_600_000 + 1);
    await w.signInStaff(short.supervisor); // the old sessions went idle; the tags do not name sessions
    await w.signInStaff(ines);
    // Past its expiry the conversation is still listed until the run deletes it: the tag still fits.
    expect((await list(short.supervisor, "", shortTags[0])).status).toBe(304);
    expect((await runMaintenance(w.db, w.writer, w.clock)).threads).toBe(1);
    expect((await list(short.supervisor, "", shortTags[0])).status).toBe(200);
    expect((await list(ines, "?view=intake", otherTags[0])).status).toBe(304);
  });

  it("the reply time (every summary's replyDueAt) and the retention (expiresAt) changed", async () => {
    await w.openNewThread(h, seeker);
    const settings = (change: object) => setHelplineSettings(w.db, h.slug, change, { writer: w.writer });
    await expectStale([[h.supervisor, ""]], () => settings({ replyTimeHours: 48 }));
    await expectStale([[h.supervisor, ""]], () => settings({ retentionDays: 30 }));
  });

  it("a roster that changes the caller's intake flag; a reader row changed by any write", async () => {
    const t = await w.openNewThread(h, seeker);
    await claimed(t.threadId, ines);
    // Her "mine" page stays the same: built and compared (304), under a new tag (the flag is in it).
    const [before] = await tagsOf([[ines, "?view=mine"]]);
    await w.publishRoster(h, { replace: [{ ...ines.member, intakeReader: false }] });
    const page = vi.mocked(threadListPage);
    page.mockClear();
    const after = await list(ines, "?view=mine", before);
    expect([after.status, page.mock.calls.length]).toEqual([304, 1]);
    expect(after.headers.get("etag")).not.toBe(before);
    // No route writes thread_readers without its thread today; the trigger covers a future one.
    await expectStale([[ines, "?view=mine"]], () =>
      w.writer.run((tx) =>
        tx
          .delete(threadReaders)
          .where(and(eq(threadReaders.threadId, t.threadId), eq(threadReaders.memberId, ines.memberId))),
      ),
    );
  });
});

describe("GET /api/threads for staff: a write elsewhere in the helpline", () => {
  it("an unchanged page is built and compared: 304 with a new tag, which then needs no page", async () => {
    const t = await w.openNewThread(h, seeker);
    const u = await w.openNewThread(h, seeker);
    await claimed(t.threadId, ines);
    const [tag] = await tagsOf([[ines, "?view=mine"]]);
    await claimed(u.threadId, h.supervisor); // not in Ines's "mine"
    const page = vi.mocked(threadListPage);
    page.mockClear();
    const built = await list(ines, "?view=mine", tag);
    expect([built.status, built.body, page.mock.calls.length]).toEqual([304, "", 1]);
    const next = built.headers.get("etag")!;
    expect(next).not.toBe(tag);
    expect(next.slice(-24)).toBe(tag!.slice(-24)); // the same page's hash
    expect((await list(ines, "?view=mine", next)).status).toBe(304);
    expect(page.mock.calls.length).toBe(1);
  });
});

describe("GET /api/threads for staff: tags are per caller and query; bad headers get the page", () => {
  it("another caller's, another view's or another page's tag does not match", async () => {
    const t = await w.openNewThread(h, seeker);
    await w.openNewThread(h, seeker);
    await claimed(t.threadId, ines);
    const [inesMine, inesIntake, first, second] = await tagsOf([
      [ines, "?view=mine"],
      [ines, "?view=intake"],
      [h.supervisor, "?limit=1"],
      [h.supervisor, "?view=all&limit=2"],
    ]);
    expect((await list(anna, "?view=mine", inesMine)).status).toBe(200);
    expect((await list(ines, "?view=intake", inesMine)).status).toBe(200);
    expect((await list(ines, "?view=mine", inesIntake)).status).toBe(200);
    // The default view is normalised: "all" for a supervisor, with or without `view` (page unread).
    const page = vi.mocked(threadListPage);
    page.mockClear();
    expect((await list(h.supervisor, "?view=all&limit=1", first)).status).toBe(304);
    expect((await list(h.supervisor, "?limit=2", second)).status).toBe(304);
    expect(page).not.toHaveBeenCalled();
    expect((await list(h.supervisor, "?limit=2", first)).status).toBe(200);
    const page1 = await list(h.supervisor, "?limit=1");
    const cursor = `&cursor=${encodeURIComponent(page1.body.nextCursor)}`;
    expect((await list(h.supervisor, `?limit=1${cursor}`, first)).status).toBe(200);
    const other = await w.setupHelpline("beta", 2);
    expect((await list(other.supervisor, "?limit=1", first)).status).toBe(200);
    // Two callers with the same page (nothing in "mine"): the other's tag never skips the page; the
    // page is built, found identical and answered 304 under the caller's own tag.
    const bram = await w.addStaff(h, "Bram", "counsellor", false);
    const annaEmpty = (await list(anna, "?view=mine")).headers.get("etag")!;
    page.mockClear();
    const same = await list(bram, "?view=mine", annaEmpty);
    expect([same.status, page.mock.calls.length]).toEqual([304, 1]);
    expect(same.headers.get("etag")).not.toBe(annaEmpty);
  });

  it("a malformed or foreign If-None-Match gets the full page; a refusal stays a refusal", async () => {
    await w.openNewThread(h, seeker);
    const tag = (await list(ines, "?view=intake")).headers.get("etag")!;
    const bare = tag.slice(1, -1);
    for (const header of [
      "garbage",
      '"',
      '""',
      bare,
      `W/"${bare}x"`,
      `"${"a".repeat(4000)}"`,
      '"0a1b2c3d4e5f"', // a SHA-256 tag of a body, as the help-seekers' list has
      ",,,",
    ]) {
      const res = await list(ines, "?view=intake", header);
      expect(res.status, header).toBe(200);
      expect(res.body.threads).toHaveLength(1);
    }
    // A list of tags or a weak form of this one matches (as hono/etag reads the header), and `*`.
    expect((await list(ines, "?view=intake", `"x", W/${tag}`)).status).toBe(304);
    expect((await list(ines, "?view=intake", "*")).status).toBe(304);
    // A view the caller may not list, or a bad cursor, is refused whatever the header names.
    expect((await list(anna, "?view=intake", "*")).status).toBe(403);
    expect((await list(ines, "?view=intake&cursor=nope", "*")).status).toBe(400);
  });
});

describe("GET /api/threads for help-seekers: the tag is still the answer's hash", () => {
  it("another help-seeker's conversation does not change it; their own message does", async () => {
    const t = await w.openNewThread(h, seeker);
    const [mine] = await tagsOf([[seeker, ""]]);
    const other = await w.newSeeker(h.id);
    await w.openNewThread(h, other);
    expect((await list(seeker, "", mine)).status).toBe(304);
    w.clock.advance(1000); // a message at another time: lastSeekerMessageAt changes
    const env = w.envelope({ h, threadId: t.threadId, keys: t.keys, sender: seeker.messageSign, seq: 2 });
    await ok(post(t.threadId, seeker, w.b64(w.random(16)), env));
    expect((await list(seeker, "", mine)).status).toBe(200);
  });
});
