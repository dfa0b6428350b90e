/**
 * Attachments in both apps, in Chromium, against the real API (issue 12): a help-seeker attaches a
 * JPEG that carries GPS EXIF and a PDF to the first message; the counsellor opens both in the staff
 * app (the image inline from a blob: URL with nothing but its orientation left, the PDF byte for byte);
 * the counsellor replies with a file the help-seeker downloads; an upload cut by the network resumes;
 * a stored chunk the server altered is shown as such and never opened; limits and a file name with
 * bidi controls are clear sentences (the quick exit during an upload: seeker-safety.test.ts).
 * Throughout: no console error and no CSP violation (img-src blob: is the one rule added).
 */
import { readFileSync } from "node:fs";
import { downloadAttachment } from "@briefgeheim/client";
import type { ThreadId } from "@briefgeheim/crypto";
import exifr from "exifr";
import { describe, expect, it } from "vitest";
import {
  BIDI_NAME,
  filesOnDisk,
  imageBytes,
  KEEP_BLOBS,
  LEAFLET,
  loadsFrom,
  PDF,
  PHOTO,
  useAttachmentsWorld,
} from "./support/attachments-world.js";
import {
  axeViolations,
  chromiumAvailable,
  collectCsp,
  visibleText,
  type Watch,
  watchContext,
} from "./support/browser.js";
import { storageSnapshot } from "./support/secrets.js";
import { beginWriting, confirmCodeAndSend } from "./support/seeker-pages.js";
import { signInInPage } from "./support/staff-pages.js";
import { COUNSELLOR, HELPLINE } from "./support/world.js";

const aw = useAttachmentsWorld();

describe.skipIf(!chromiumAvailable())("attachments in both apps", () => {
  let threadId: ThreadId;
  const watches: Watch[] = [];

  it("a help-seeker sends a photo with GPS and a PDF; the counsellor opens both; a reply with a file comes back", async () => {
    // ---- The help-seeker writes, attaches, keeps the code and sends.
    const seeker = await aw.browser.newContext({ acceptDownloads: true });
    const seekerWatch = await watchContext(seeker);
    watches.push(seekerWatch);
    const page = await seeker.newPage();
    await page.goto(`${aw.world.origin}/`);
    await page.getByRole("link", { name: `Schrijf naar ${HELPLINE.name}` }).click();
    await beginWriting(page);
    await page.getByLabel("Onderwerp").fill("Rapport en foto");
    await page
      .getByLabel("Je bericht")
      .fill(
        "Hierbij mijn schoolrapport en een foto van de brief die ik kreeg. Ik weet niet wat ik ermee moet.",
      );
    await page.locator("#attach-input").setInputFiles([
      { name: "brief.jpg", mimeType: "image/jpeg", buffer: PHOTO },
      { name: "rapport.pdf", mimeType: "application/pdf", buffer: PDF },
    ]);
    const list = page.getByRole("list", { name: "Bestanden bij je bericht" });
    await list.getByText("rapport.pdf").waitFor();
    expect(await list.locator("li").count()).toBe(2);
    expect(await visibleText(list.locator("li", { hasText: "brief.jpg" }))).toContain(
      "Verborgen gegevens weggehaald",
    );
    expect(await visibleText(list.locator("li", { hasText: "rapport.pdf" }))).not.toContain("weggehaald");
    await page.getByText("op een foto kun je nog steeds gezichten, adressen").waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole("button", { name: "Verder: maak mijn code" }).click();
    await confirmCodeAndSend(page);
    await page
      .getByRole("heading", { level: 1, name: `Je gesprek met ${HELPLINE.name}` })
      .waitFor({ timeout: 60_000 });
    await page.locator("li.message.mine").getByText("rapport.pdf").waitFor();

    // The server holds only ciphertext: neither the marker nor the GPS name is in any stored chunk.
    const anna = await aw.world.counsellor();
    threadId = (await anna.listThreads("intake"))[0]!.id as ThreadId;
    const rows = await aw.world.h.db.writeClient.execute("SELECT bytes FROM attachment_chunks");
    expect(rows.rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows.rows) {
      const text = Buffer.from(row.bytes as ArrayBuffer).toString("latin1");
      expect(text).not.toContain("MARKER");
    }

    // ---- The counsellor opens both in the staff app.
    const staff = await aw.browser.newContext({ acceptDownloads: true });
    await staff.addInitScript({ content: KEEP_BLOBS });
    const staffWatch = await watchContext(staff);
    watches.push(staffWatch);
    const sp = await staff.newPage();
    await aw.signInStaff(sp);
    await sp
      .getByRole("list", { name: "Intake" })
      .locator(`li[data-thread-id="${threadId}"]`)
      .getByRole("button", { name: /Rapport en foto/ })
      .click();
    await sp.getByRole("heading", { name: "Rapport en foto" }).waitFor();
    await sp.getByRole("button", { name: "brief.jpg bekijken" }).click();
    await sp.locator("img.attach-image").waitFor();
    const shown = await imageBytes(sp, "img.attach-image");
    expect(await axeViolations(sp)).toEqual([]);
    let url = "";
    expect(shown.toString("latin1")).not.toContain("MARKER");
    expect(await exifr.gps(shown)).toBeUndefined();
    expect(await exifr.parse(shown, { jfif: false, xmp: true, iptc: true, icc: true })).toEqual({
      Orientation: "Rotate 90 CW",
    });
    // Hiding revokes the URL: nothing can be drawn from it any more.
    url = (await sp.locator("img.attach-image").getAttribute("src"))!;
    expect(await loadsFrom(sp, url)).toBe("loads");
    await sp.getByRole("button", { name: "Verbergen" }).click();
    expect(await loadsFrom(sp, url)).toBe("fails");

    const [pdf] = await Promise.all([
      sp.waitForEvent("download"),
      sp.getByRole("button", { name: "rapport.pdf downloaden" }).click(),
    ]);
    expect(pdf.suggestedFilename()).toBe("rapport.pdf");
    expect(readFileSync(await pdf.path())).toEqual(PDF);

    // ---- The counsellor claims and replies with a leaflet.
    await sp.getByRole("button", { name: "Oppakken" }).click();
    await sp.getByText("Je hebt het gesprek opgepakt.").waitFor();
    await sp
      .getByLabel("Antwoord aan de hulpvrager")
      .fill("Dank je. Hierbij een folder over wat je kunt doen.");
    await sp
      .locator("#attach-input")
      .setInputFiles([{ name: "folder.bin", mimeType: "application/octet-stream", buffer: LEAFLET }]);
    await sp.getByRole("list", { name: "Bestanden bij je antwoord" }).getByText("folder.bin").waitFor();
    await sp.getByRole("button", { name: "Versturen" }).click();
    await sp.getByText("Je antwoord is versleuteld verstuurd.").waitFor({ timeout: 60_000 });

    // ---- The help-seeker fetches it, with progress, byte for byte.
    await page.getByRole("button", { name: "Nieuwe berichten ophalen" }).click();
    const theirs = page.locator("li.message.theirs");
    await theirs.getByText("folder.bin").waitFor();
    expect(await visibleText(theirs)).toContain("blijft op dit apparaat staan");
    const [leaflet] = await Promise.all([
      page.waitForEvent("download"),
      theirs.getByRole("button", { name: "folder.bin downloaden" }).click(),
    ]);
    expect(readFileSync(await leaflet.path())).toEqual(LEAFLET);

    // Nothing of the files in any browser storage: the help-seeker's is empty, the staff app's holds
    // only its non-secret roster and thread facts (docs/STAFF.md), never a name or a byte of a file.
    expect(await storageSnapshot(page)).toMatchObject({
      localStorage: 0,
      sessionStorage: 0,
      indexedDb: [],
      caches: [],
      serviceWorkers: 0,
    });
    const staffStorage = await storageSnapshot(sp);
    expect(staffStorage).toMatchObject({ sessionStorage: 0, indexedDb: [], caches: [], serviceWorkers: 0 });
    for (const name of ["brief.jpg", "rapport.pdf", "folder.bin", "MARKER"]) {
      expect(staffStorage.text).not.toContain(name);
    }
    await collectCsp(page, seekerWatch);
    await collectCsp(sp, staffWatch);
    expect(seekerWatch.problems()).toEqual([]);
    expect(
      staffWatch
        .problems()
        // The revoked URL this test tried on purpose (above).
        .filter((p) => !p.includes(url)),
    ).toEqual([]);
    await seeker.close();
    await staff.close();
  }, 240_000);

  it("an upload cut by the network resumes where it stopped; the reply arrives whole", async () => {
    const staff = await aw.browser.newContext();
    const watch = await watchContext(
      staff,
      (u, status) => status === 404 && new URL(u).pathname.startsWith("/api/drafts/"),
    );
    const sp = await staff.newPage();
    await aw.openThreadInStaff(sp, threadId);
    const second = Buffer.from(LEAFLET.map((b) => b ^ 0x5a));
    await sp.getByLabel("Antwoord aan de hulpvrager").fill("Hier nog een tweede folder.");
    await sp
      .locator("#attach-input")
      .setInputFiles([{ name: "tweede.bin", mimeType: "application/octet-stream", buffer: second }]);
    await sp.getByRole("list", { name: "Bestanden bij je antwoord" }).getByText("tweede.bin").waitFor();
    // The network goes down at the third chunk (index 2) and stays down until the app has given up
    // (the SDK's own retries included), then comes back.
    const puts: number[] = [];
    let down = true;
    let cut = false;
    await sp.route(/\/api\/attachments\/[^/]+\/chunks\/\d+$/, async (route) => {
      const index = Number(route.request().url().split("/").pop());
      puts.push(index);
      if (index >= 2 && down) {
        cut = true;
        await route.abort("internetdisconnected");
        return;
      }
      await route.continue();
    });
    await sp.getByRole("button", { name: "Versturen" }).click();
    await sp
      .getByText("Het versturen van een bestand is onderbroken.", { exact: false })
      .waitFor({ timeout: 90_000 });
    down = false;
    expect(cut).toBe(true);
    const before = puts.length;
    expect(puts.slice(0, 2)).toEqual([0, 1]);
    await sp.getByRole("button", { name: "Versturen" }).click();
    await sp.getByText("Je antwoord is versleuteld verstuurd.").waitFor({ timeout: 60_000 });
    // Resumed: chunks 0 and 1 were not sent again, the cut one was.
    const after = puts.slice(before);
    expect(after).not.toContain(0);
    expect(after).not.toContain(1);
    expect(after).toContain(2);

    const anna = await aw.world.counsellor();
    const view = await anna.readThread(threadId);
    const last = view.messages.filter((m) => m.attachments.length > 0).at(-1)!;
    expect(last.attachments.map((a) => a.name)).toEqual(["tweede.bin"]);
    const blob = await downloadAttachment(anna, { threadId, meta: last.attachments[0]! });
    expect(Buffer.from(await blob.arrayBuffer())).toEqual(second);
    await collectCsp(sp, watch);
    expect(watch.problems().filter((p) => !p.includes("ERR_INTERNET_DISCONNECTED"))).toEqual([]);
    await staff.close();
  }, 180_000);

  it("after a reload the same file, picked again, resumes from the encrypted draft", async () => {
    const staff = await aw.browser.newContext();
    const sp = await staff.newPage();
    await aw.openThreadInStaff(sp, threadId);
    const third = Buffer.from(LEAFLET.map((b) => b ^ 0xa5));
    await sp.getByLabel("Antwoord aan de hulpvrager").fill("En een derde.");
    await sp
      .locator("#attach-input")
      .setInputFiles([{ name: "derde.bin", mimeType: "application/octet-stream", buffer: third }]);
    await sp.getByRole("list", { name: "Bestanden bij je antwoord" }).getByText("derde.bin").waitFor();
    const puts: number[] = [];
    let down = true;
    await sp.route(/\/api\/attachments\/[^/]+\/chunks\/\d+$/, async (route) => {
      const index = Number(route.request().url().split("/").pop());
      puts.push(index);
      if (index >= 2 && down) await route.abort("internetdisconnected");
      else await route.continue();
    });
    await sp.getByRole("button", { name: "Versturen" }).click();
    await sp
      .getByText("Het versturen van een bestand is onderbroken.", { exact: false })
      .waitFor({ timeout: 90_000 });
    await sp.getByText(/Concept versleuteld bewaard/).waitFor();

    // The tab is reloaded: keys, texts and the file are gone; the draft holds the upload's metadata.
    down = false;
    await sp.reload();
    await signInInPage(sp, COUNSELLOR);
    await sp.getByRole("heading", { name: "Postvak" }).waitFor({ timeout: 60_000 });
    await sp.locator(`li[data-thread-id="${threadId}"]`).first().getByRole("button").first().click();
    await sp.getByRole("heading", { name: "Rapport en foto" }).waitFor();
    const again = sp.getByRole("button", { name: "Kies derde.bin opnieuw om het versturen af te maken" });
    await again.waitFor();
    expect(await sp.getByLabel("Antwoord aan de hulpvrager").inputValue()).toBe("En een derde.");
    const [chooser] = await Promise.all([sp.waitForEvent("filechooser"), again.click()]);
    await chooser.setFiles([{ name: "derde.bin", mimeType: "application/octet-stream", buffer: third }]);
    await again.waitFor({ state: "detached" });
    const before = puts.length;
    await sp.getByRole("button", { name: "Versturen" }).click();
    await sp.getByText("Je antwoord is versleuteld verstuurd.").waitFor({ timeout: 60_000 });
    const after = puts.slice(before);
    expect(after).not.toContain(0);
    expect(after).not.toContain(1);

    const anna = await aw.world.counsellor();
    const last = (await anna.readThread(threadId)).messages.filter((m) => m.attachments.length > 0).at(-1)!;
    expect(last.attachments.map((a) => a.name)).toEqual(["derde.bin"]);
    const blob = await downloadAttachment(anna, { threadId, meta: last.attachments[0]! });
    expect(Buffer.from(await blob.arrayBuffer())).toEqual(third);
    await staff.close();
  }, 240_000);

  it("a stored chunk the server altered is said to be damaged, and the image is never shown", async () => {
    const anna = await aw.world.counsellor();
    const first = (await anna.readThread(threadId)).messages[0]!;
    const photo = first.attachments.find((a) => a.name === "brief.jpg")!;
    await aw.flipStoredBit(photo.attachmentId, 0, 40);

    const staff = await aw.browser.newContext();
    const sp = await staff.newPage();
    await aw.openThreadInStaff(sp, threadId);
    await sp.getByRole("button", { name: "brief.jpg bekijken" }).click();
    const alert = sp.getByRole("alert").filter({ hasText: "brief.jpg is onderweg veranderd of beschadigd" });
    await alert.waitFor();
    expect(await sp.locator("img.attach-image").count()).toBe(0);
    // The PDF of the same message still opens: one damaged file does not hide the others.
    const [pdf] = await Promise.all([
      sp.waitForEvent("download"),
      sp.getByRole("button", { name: "rapport.pdf downloaden" }).click(),
    ]);
    expect(readFileSync(await pdf.path())).toEqual(PDF);
    await staff.close();
  }, 180_000);

  it("limits are sentences: too many files, too large and a name with hidden characters in the app, and the server's own refusal", async () => {
    const { bigFile, gif, removeFiles } = filesOnDisk();
    const staff = await aw.browser.newContext();
    const sp = await staff.newPage();
    await aw.openThreadInStaff(sp, threadId);
    const input = sp.locator("#attach-input");
    const small = (name: string) => ({
      name,
      mimeType: "text/plain",
      buffer: Buffer.from(`inhoud van ${name}`),
    });
    await input.setInputFiles([small("a.txt"), small("b.txt"), small("c.txt"), small("d.txt")]);
    await sp.getByText("Hoogstens 3 bestanden per bericht. Haal eerst een bestand weg.").waitFor();
    expect(await sp.getByRole("list", { name: "Bestanden bij je antwoord" }).locator("li").count()).toBe(3);
    for (const name of ["a.txt", "b.txt", "c.txt"])
      await sp.getByRole("button", { name: `${name} weghalen` }).click();
    await input.setInputFiles(bigFile("groot.bin"));
    await sp
      .getByText("groot.bin is te groot: een bestand mag hoogstens 10 MB zijn. Het is niet toegevoegd.")
      .waitFor();
    // A name that shows as another (U+202E turns "fdp.exe" around): refused beside the picker, in
    // the announced alert, the name shown without the override; nothing added.
    await input.setInputFiles([{ name: BIDI_NAME, mimeType: "application/pdf", buffer: PDF }]);
    await sp
      .getByRole("alert")
      .getByText(
        "De naam van factuurfdp.exe bevat onzichtbare tekens, waardoor de naam anders kan lezen dan hij is. Het bestand is niet toegevoegd. Geef het een andere naam.",
      )
      .waitFor();
    expect(await sp.getByRole("list", { name: "Bestanden bij je antwoord" }).count()).toBe(0);

    // The helpline lowers its limit while the screen is open: the server refuses before any byte is stored.
    await aw.setMaxFileBytes(100_000);
    const chunksBefore = await aw.storedChunks();
    await sp.getByLabel("Antwoord aan de hulpvrager").fill("Met bijlage.");
    await input.setInputFiles([
      { name: "folder.bin", mimeType: "application/octet-stream", buffer: LEAFLET },
    ]);
    await sp.getByRole("button", { name: "Versturen" }).click();
    await sp.getByText("Een bestand is groter dan de hulplijn toestaat. Er is niets verstuurd.").waitFor();
    expect(await aw.storedChunks()).toBe(chunksBefore);
    await aw.setMaxFileBytes(undefined);
    await staff.close();

    // The help-seeker's app says it too, in plain words, before anything is sent.
    const seeker = await aw.browser.newContext();
    const page = await seeker.newPage();
    await page.goto(`${aw.world.origin}/`);
    await page.getByRole("link", { name: `Schrijf naar ${HELPLINE.name}` }).click();
    await beginWriting(page);
    await page.locator("#attach-input").setInputFiles([bigFile("film.mp4"), gif]);
    await page
      .getByText("film.mp4 is te groot. Een bestand mag hoogstens 10 MB zijn. Het is niet toegevoegd.")
      .waitFor();
    await page
      .getByText("We kunnen de verborgen gegevens niet uit foto.gif halen.", { exact: false })
      .waitFor();
    expect(await page.getByRole("list", { name: "Bestanden bij je bericht" }).count()).toBe(0);
    await page
      .locator("#attach-input")
      .setInputFiles([{ name: BIDI_NAME, mimeType: "application/pdf", buffer: PDF }]);
    await page
      .getByRole("alert")
      .getByText(
        "De naam van factuurfdp.exe bevat verborgen tekens. Daarom is het bestand niet toegevoegd. Geef het bestand een andere naam en voeg het opnieuw toe.",
      )
      .waitFor();
    expect(await page.getByRole("list", { name: "Bestanden bij je bericht" }).count()).toBe(0);
    await seeker.close();
    removeFiles();
  }, 180_000);
});
