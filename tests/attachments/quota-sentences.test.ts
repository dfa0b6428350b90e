/**
 * Which attachment quota ran out is a code of its own, and the help-seeker app says the matching
 * sentence (issue 12: "clear sentences"): the conversation's daily bytes (ATTACHMENT_QUOTA_EXCEEDED),
 * the session's (ATTACHMENT_SESSION_QUOTA_EXCEEDED), the client address's, shared by every session
 * from it (ATTACHMENT_ADDRESS_QUOTA_EXCEEDED), and the helpline's share for unsent uploads
 * (ATTACHMENT_UNSENT_FULL). Each refusal comes from the real API through the SDK's `uploadAttachment`
 * and goes through the app's own `errorMessage`, so a code renamed on either side fails here.
 *
 * Sizes: a 400,000-byte file pads to 401,408 bytes. Session 1.5 MB and address 2.5 MB a day; the
 * helpline "dag" allows 1 MB per conversation a day; unsent uploads may hold 20 % of 16 MiB (3,355,443).
 */
import { setHelplineSettings } from "@briefgeheim/api";
import { acceptInvite, type ClientError, startSeeker, uploadAttachment } from "@briefgeheim/client";
import type { HelplineId } from "@briefgeheim/crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorMessage } from "../../apps/seeker/src/errors.js";
import { PASS } from "../authz-world.js";
import { type Harness, startHarness } from "../journeys-harness.js";

const FILE = 400_000;

describe("the help-seeker app names the attachment quota that ran out", () => {
  let h: Harness;
  let address = "192.0.2.1";
  beforeAll(async () => {
    h = await startHarness({
      quotas: {
        sessionAttachmentBytes: 1_500_000,
        addressAttachmentBytes: 2_500_000,
        helplineStorageBytes: 16 * 1024 * 1024,
        unsentAttachmentShare: 0.2,
        addressOf: () => address,
      },
    });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  /** A helpline with its first supervisor; `seeker()` starts a new anonymous session. */
  async function helpline(slug: string, tag: number) {
    const hl = await h.createHelpline({ slug, name: slug, tag, replyHours: 48 });
    const accepted = await acceptInvite(await h.client({ trustOnFirstUse: true }), hl.link, {
      username: `vera${tag}`,
      displayName: "Vera",
      passphrase: PASS,
    });
    const pins = { [hl.helplineId]: accepted.fingerprint! };
    return {
      slug,
      seeker: async () => startSeeker(await h.client({ pins }), { helplineId: hl.helplineId as HelplineId }),
    };
  }

  /** Uploads one file for a new conversation; resolves with the refusal, or undefined when it went up. */
  async function upload(seeker: Awaited<ReturnType<typeof startSeeker>>): Promise<ClientError | undefined> {
    try {
      await uploadAttachment(seeker, {
        target: { newConversation: true },
        file: { data: new Blob([new Uint8Array(FILE)]), name: "brief.pdf", mediaType: "application/pdf" },
      });
      return undefined;
    } catch (e) {
      return e as ClientError;
    }
  }

  async function uploaded(seeker: Awaited<ReturnType<typeof startSeeker>>): Promise<void> {
    expect((await upload(seeker))?.code).toBeUndefined();
  }

  it("the conversation's bytes: 'in dit gesprek'", async () => {
    const day = await helpline("dag", 51);
    await setHelplineSettings(
      h.db,
      day.slug,
      { attachments: { fileMb: 1, dailyMb: 1 } },
      { writer: h.writer },
    );
    address = "192.0.2.1";
    const s = await day.seeker();
    await uploaded(s);
    await uploaded(s);
    const refused = await upload(s); // 1,204,224 > 1,000,000; the session (1.5 MB) still has room
    expect(refused?.code).toBe("ATTACHMENT_QUOTA_EXCEEDED");
    expect(errorMessage(refused)).toBe(
      "In dit gesprek zijn vandaag al veel bestanden gestuurd. Je kunt weer bestanden sturen over ongeveer 24 uur. Er is niets verstuurd.",
    );
  });

  it("the session's bytes, the address's bytes and the helpline's unsent share each have their own sentence", async () => {
    const sessions = await helpline("sessie", 52);
    address = "192.0.2.2";
    const s = await sessions.seeker();
    for (let i = 0; i < 3; i++) await uploaded(s);
    const bySession = await upload(s); // 1,605,632 > 1,500,000
    expect(bySession?.code).toBe("ATTACHMENT_SESSION_QUOTA_EXCEEDED");
    expect(errorMessage(bySession)).toBe(
      "Je hebt vandaag al veel bestanden gestuurd. Je kunt weer bestanden sturen over ongeveer 24 uur. Er is niets verstuurd.",
    );

    const shared = await helpline("adres", 53);
    address = "192.0.2.3";
    for (let n = 0; n < 2; n++) {
      const other = await shared.seeker();
      for (let i = 0; i < 3; i++) await uploaded(other);
    }
    const byAddress = await upload(await shared.seeker()); // 2,809,856 > 2,500,000 from one address
    expect(byAddress?.code).toBe("ATTACHMENT_ADDRESS_QUOTA_EXCEEDED");
    expect(errorMessage(byAddress)).toBe(
      "Via deze internetverbinding zijn vandaag al veel bestanden gestuurd. Je kunt weer bestanden sturen over ongeveer 24 uur. Er is niets verstuurd.",
    );

    // "adres" holds 2,408,448 unsent bytes; a session from another address adds to them until the
    // helpline's share (3,355,443) is reached.
    address = "192.0.2.4";
    const last = await shared.seeker();
    await uploaded(last);
    await uploaded(last);
    const byShare = await upload(last); // 3,612,672 > 3,355,443
    expect(byShare?.code).toBe("ATTACHMENT_UNSENT_FULL");
    expect(errorMessage(byShare)).toBe(
      "De hulplijn kan nu even geen bestanden aannemen. Probeer het over 60 minuten opnieuw. Er is niets verstuurd.",
    );
  });
});
