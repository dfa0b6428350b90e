/** The attachment quotas from the environment (README's table): defaults, values, and refusals. */
import { describe, expect, it } from "vitest";
import { readConfig } from "./config.js";

const MiB = 1024 * 1024;

describe("SESSION_ATTACHMENT_MB, ADDRESS_ATTACHMENT_MB, UNSENT_ATTACHMENT_PERCENT", () => {
  it("default to 30 MiB, 200 MiB and 5 %", () => {
    const c = readConfig({});
    expect([c.sessionAttachmentBytes, c.addressAttachmentBytes, c.unsentAttachmentShare]).toEqual([
      30 * MiB,
      200 * MiB,
      0.05,
    ]);
  });

  it("take the operator's values", () => {
    const c = readConfig({
      SESSION_ATTACHMENT_MB: "12",
      ADDRESS_ATTACHMENT_MB: "64",
      UNSENT_ATTACHMENT_PERCENT: "2",
    });
    expect([c.sessionAttachmentBytes, c.addressAttachmentBytes, c.unsentAttachmentShare]).toEqual([
      12 * MiB,
      64 * MiB,
      0.02,
    ]);
  });

  it("refuse what is not a positive integer, or a share outside 1..100", () => {
    for (const env of [
      { SESSION_ATTACHMENT_MB: "0" },
      { SESSION_ATTACHMENT_MB: "1.5" },
      { ADDRESS_ATTACHMENT_MB: "-3" },
      { ADDRESS_ATTACHMENT_MB: "lots" },
      { UNSENT_ATTACHMENT_PERCENT: "0" },
      { UNSENT_ATTACHMENT_PERCENT: "101" },
    ]) {
      expect(() => readConfig(env), JSON.stringify(env)).toThrow(/must be/);
    }
  });
});
