/**
 * What the quick exit, the lock and sign-out do to attachments (`wipeAll` calls `wipeAttachments`):
 * every transfer under way is aborted, both file lists are emptied and every blob: URL is revoked.
 */
import { resolveObjectURL } from "node:buffer";
import { describe, expect, it } from "vitest";
import {
  abortable,
  firstFiles,
  formatBytes,
  objectUrl,
  replyFiles,
  revoke,
  wipeAttachments,
} from "./store.js";

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

  it("says sizes in the reader's language", () => {
    expect(formatBytes(2_400_000, "nl-NL")).toBe("2,4 MB");
    expect(formatBytes(850_000, "en-GB")).toBe("850 kB");
    expect(formatBytes(12, "nl-NL")).toBe("12 byte");
  });
});
