import type { ListedThreads, ListSnapshot, StaffSession } from "@briefgeheim/client";
import type { ThreadSummary } from "@briefgeheim/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import { listView, resetLists } from "./lists.js";

type Call = { view: string | undefined; previous: ListSnapshot | undefined };

/** A session whose list answers two pages (a, b) and records each listing with the snapshot it was given. */
function fakeSession() {
  const calls: Call[] = [];
  const release: (() => void)[] = [];
  const staff = {
    listThreadsWithTags(view, previous, onPage) {
      calls.push({ view, previous });
      const page1 = [{ id: "a" }] as unknown as ThreadSummary[];
      const all = [...page1, { id: "b" }] as unknown as ThreadSummary[];
      return new Promise<ListedThreads>((resolve) => {
        release.push(() => {
          onPage?.(page1);
          const snapshot: ListSnapshot = { view, pages: new Map() };
          resolve({ threads: all, snapshot, bytes: 0, unchanged: 0, requests: 2 });
        });
      });
    },
  } as Pick<StaffSession, "listThreadsWithTags"> as StaffSession;
  return { staff, calls, release };
}

beforeEach(resetLists);

describe("listView", () => {
  it("joins a listing under way instead of asking the server a second time", async () => {
    const { staff, calls, release } = fakeSession();
    const heads: string[][] = [];
    const inbox = listView(staff, "mine", (soFar) => heads.push(soFar.map((t) => t.id)));
    const counts = listView(staff, "mine");
    expect(calls).toHaveLength(1);
    release[0]!();
    expect((await inbox).map((t) => t.id)).toEqual(["a", "b"]);
    expect(await counts).toBe(await inbox);
    expect(heads).toEqual([["a"]]);
  });

  it("asks again with the last answer's snapshot once a listing is done, and forgets it on reset", async () => {
    const { staff, calls, release } = fakeSession();
    const first = listView(staff, "intake");
    release[0]!();
    await first;
    const second = listView(staff, "intake");
    expect(calls).toHaveLength(2);
    expect(calls[1]!.previous?.view).toBe("intake"); // the ETags of the first answer
    release[1]!();
    await second;
    resetLists();
    void listView(staff, "intake");
    expect(calls[2]!.previous).toBeUndefined();
  });

  it("never hands one session's listing to another", () => {
    const a = fakeSession();
    const b = fakeSession();
    void listView(a.staff, "mine");
    void listView(b.staff, "mine");
    expect(a.calls).toHaveLength(1);
    expect(b.calls).toHaveLength(1);
  });
});
