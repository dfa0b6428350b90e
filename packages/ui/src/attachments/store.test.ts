/**
 * What the quick exit, the lock and sign-out do to attachments (each app's `wipeAll` calls
 * `wipeAttachments`): every transfer under way is aborted, every file list is emptied and every
 * blob: URL is revoked; a dropped list is forgotten.
 */
import { resolveObjectURL } from "node:buffer";
import { describe, expect, it } from "vitest";
import {
  abortable,
  createFileList,
  dropList,
  formatBytes,
  objectUrl,
  percent,
  revoke,
  wipeAttachments,
} from "./store.js";

const firstFiles = createFileList();
const replyFiles = createFileList();

const file = (name: string) => ({
  name,
  data: new Blob([`inhoud van ${name}`]),
  mediaType: "text/plain",
  cleaned: false,
});

describe("wipeAttachments", () => {
  it("aborts every upload and download, drops every file and revokes every URL", () => {
    firstFiles.add(file("brief.txt"));
    replyFiles.add(file("antwoord.txt"));
    const upload = abortable();
    const download = abortable();
    const url = objectUrl(new Blob(["ontsleutelde foto"]));
    expect(resolveObjectURL(url)).toBeDefined();
    expect(firstFiles.items()).toHaveLength(1);

    wipeAttachments();

    expect(upload.signal.aborted).toBe(true);
    expect(download.signal.aborted).toBe(true);
    expect(firstFiles.items()).toEqual([]);
    expect(replyFiles.items()).toEqual([]);
    expect(resolveObjectURL(url)).toBeUndefined();
  });

  it("leaves a finished transfer alone and forgets a URL revoked earlier", () => {
    const finished = abortable();
    finished.done();
    const url = objectUrl(new Blob(["x"]));
    revoke(url);
    expect(resolveObjectURL(url)).toBeUndefined();
    wipeAttachments();
    expect(finished.signal.aborted).toBe(false);
  });

  it("empties a dropped list and keeps only the others", () => {
    const screen = createFileList();
    screen.add(file("scherm.txt"));
    dropList(screen);
    expect(screen.items()).toEqual([]);
    replyFiles.add(file("antwoord.txt"));
    wipeAttachments();
    expect(replyFiles.items()).toEqual([]);
  });

  it("says progress in whole percent, never above 100", () => {
    expect(percent({ done: 1, total: 3 })).toBe(33);
    expect(percent({ done: 5, total: 3 })).toBe(100);
    expect(percent({ done: 0, total: 0 })).toBe(100);
  });

  it("says sizes in the reader's language", () => {
    expect(formatBytes(2_400_000, "nl-NL")).toBe("2,4 MB");
    expect(formatBytes(850_000, "en-GB")).toBe("850 kB");
    expect(formatBytes(12, "nl-NL")).toBe("12 byte");
  });
});
