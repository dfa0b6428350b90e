import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { prepareFile } from "./index.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));

describe("prepareFile", () => {
  it("cleans an image even when the browser calls it something else, by its bytes", async () => {
    const file = new Blob([fixture("gps.jpg")], { type: "application/octet-stream" });
    const ready = await prepareFile(file);
    expect(ready.mediaType).toBe("image/jpeg");
    expect(ready.removed).toContain("exif");
    const text = Buffer.from(await ready.data.arrayBuffer()).toString("latin1");
    expect(text).not.toContain("MARKER");
    expect(ready.data.size).toBeLessThan(file.size);
  });

  it("leaves any other file exactly as it is", async () => {
    const pdf = new Blob(["%PDF-1.4 MARKER-PDF"], { type: "application/pdf" });
    const ready = await prepareFile(pdf);
    expect(ready.removed).toBeUndefined();
    expect(ready.mediaType).toBe("application/pdf");
    expect(await ready.data.text()).toBe("%PDF-1.4 MARKER-PDF");
  });

  it("refuses an image it cannot clean (it must not be sent with its hidden data)", async () => {
    const heic = new Blob([new Uint8Array(64)], { type: "image/heic" });
    await expect(prepareFile(heic)).rejects.toMatchObject({ code: "IMAGE_UNSUPPORTED" });
    const broken = new Blob([fixture("gps.png").subarray(0, 100)], { type: "image/png" });
    await expect(prepareFile(broken)).rejects.toMatchObject({ code: "IMAGE_MALFORMED" });
  });
});
