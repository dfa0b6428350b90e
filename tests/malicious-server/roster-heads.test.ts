/**
 * Roster rollback and fork against devices that remember the newest roster they verified (issue 8
 * item 3; PROTOCOL.md "Remembered heads"). Staff devices keep `{version, hash}` per helpline in their
 * DeviceMemory; the server hides the newest roster, or makes a second supervisor sign another roster
 * of the same version on top of an older head, keeps it and serves it. What a fresh device (nothing
 * remembered) accepts is asserted too: that is the limit of this defence.
 */
import { type DeviceMemory, memoryDeviceMemory } from "@briefgeheim/client";
import { loadSodium, type MemberId, parseRoster, type RosterBytes, type Sodium } from "@briefgeheim/crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { decode } from "./mutations.js";
import { createWorld, endAttack, failure, type World } from "./world.js";

let w: World;
let sodium: Sodium;
let sam: MemberId;
const veraDevice: DeviceMemory = memoryDeviceMemory();
const samDevice: DeviceMemory = memoryDeviceMemory();
/** The fork of the fork test: the version it forks and Sam's roster of that version. */
let fork: { base: number; roster: string } | undefined;

beforeAll(async () => {
  w = await createWorld();
  sodium = await loadSodium();
  sam = await w.join("supervisor", "sam");
  await w.vera.admitPending({ only: [sam] });
});
afterEach(() => endAttack(w));
afterAll(async () => {
  await w?.close();
});

const versionOf = (text: string) => parseRoster(sodium, decode(text) as RosterBytes).version;
const latest = async () => w.vera.client.helplines.latestRoster(w.helplineId);

/** Serves the roster chain only up to `version` (the rest hidden), plus `extra` rosters after it. */
function chainUpTo(version: number, extra: () => readonly string[] = () => []) {
  w.server.onResponse("GET /api/helplines/:helplineId/rosters", (page, ex) => {
    const after = Number(ex.query.get("after") ?? 0);
    const more = extra();
    return {
      ...page,
      rosters: [...page.rosters.filter((t) => versionOf(t) <= version), ...more].filter(
        (t) => versionOf(t) > after,
      ),
      latestVersion: version + more.length,
      nextAfter: null,
    };
  });
}

describe("roster heads remembered by staff devices", () => {
  it("without an attack a device remembers the newest roster and signs in again on it", async () => {
    const newest = await latest();
    const first = await w.staff("vera", { memory: veraDevice });
    expect(first.client.helplines.rememberedHead(w.helplineId)?.version).toBe(newest.version);
    const again = await w.staff("vera", { memory: veraDevice });
    expect((await again.client.helplines.latestRoster(w.helplineId)).version).toBe(newest.version);
    await w.staff("sam", { memory: samDevice });
  });

  it("rollback: the newest roster hidden from a device that verified it -> ROSTER_ROLLBACK (a fresh device cannot tell)", async () => {
    const newest = await latest();
    chainUpTo(newest.version - 1);
    const refused = await failure(w.staff("vera", { memory: veraDevice }));
    expect([refused.code, refused.source]).toEqual(["ROSTER_ROLLBACK", "crypto"]);
    // The limit: a device that remembers nothing verifies the shorter chain.
    const fresh = await w.staff("vera");
    expect((await fresh.client.helplines.latestRoster(w.helplineId)).version).toBe(newest.version - 1);
  });

  it("a hidden newest roster makes publishing fail with ROSTER_ROLLBACK; nothing is signed or posted", async () => {
    const vera = await w.staff("vera", { memory: veraDevice });
    const newest = await latest();
    chainUpTo(newest.version - 1);
    const before = w.server.log.length;
    const refused = await failure(vera.setIntakeReader(w.annaId, false));
    expect(refused.code).toBe("ROSTER_ROLLBACK");
    expect(w.server.log.slice(before).filter((l) => l.startsWith("POST"))).toEqual([]);
    w.server.reset();
    expect((await latest()).version).toBe(newest.version);
  });

  it("fork: Sam, shown the chain without Vera's newest roster, signs another one of that version; Vera's device -> ROSTER_FORK", async () => {
    const sessionOfSam = await w.staff("sam", { memory: samDevice });
    const base = (await latest()).version;
    // Vera publishes base+1 on her device (Anna no longer an intake reader).
    const vera = await w.staff("vera", { memory: veraDevice });
    expect((await vera.setIntakeReader(w.annaId, false)).version).toBe(base + 1);
    const honest = await latest();

    // The server hides it from Sam, "accepts" Sam's roster of the same version and keeps it.
    let forged: string | undefined;
    chainUpTo(base, () => (forged === undefined ? [] : [forged]));
    w.server.intercept("POST /api/helplines/:helplineId/rosters", (body) => {
      forged = (body as { roster: string }).roster;
      return { status: 200, json: { version: base + 1, hash: "", added: [], removed: [] } };
    });
    expect((await sessionOfSam.setIntakeReader(w.annaId, false)).version).toBe(base + 1);
    expect(forged).toBeDefined();
    fork = { base, roster: forged! };
    const forkParsed = parseRoster(sodium, decode(forged!) as RosterBytes);
    expect(forkParsed.version).toBe(honest.version);
    expect(Buffer.from(forkParsed.hash).equals(Buffer.from(honest.hash))).toBe(false);

    // Vera's device remembers the honest roster of that version: the fork is refused.
    const refused = await failure(w.staff("vera", { memory: veraDevice }));
    expect([refused.code, refused.source]).toEqual(["ROSTER_FORK", "crypto"]);
    // The limit: a device that remembers nothing accepts the fork.
    const fresh = await w.staff("anna");
    const seen = await fresh.client.helplines.latestRoster(w.helplineId);
    expect(Buffer.from(seen.hash).equals(Buffer.from(forkParsed.hash))).toBe(true);

    // Back to the honest chain: now Sam's device, which remembers the fork, refuses the honest roster.
    w.server.reset();
    expect((await failure(w.staff("sam", { memory: samDevice }))).code).toBe("ROSTER_FORK");
    expect((await w.staff("vera", { memory: veraDevice })).helplineId).toBe(w.helplineId);
  });

  it("a help-seeker shown the forked roster writes epoch 0 on it; the counsellor's client -> ROSTER_FORK", async () => {
    const { base, roster } = fork!;
    chainUpTo(base, () => [roster]); // the help-seeker's fresh client accepts the fork (nothing remembered)
    // The server "accepts" the new thread (the honest one would refuse a record on a roster it lacks)
    // and serves it to Anna as it was sent: record, Anna's grant, the first message.
    let sent: { threadId: string; record: string; grants: string[]; envelope: string } | undefined;
    w.server.intercept("POST /api/threads", async (body, ex) => {
      sent = body as typeof sent;
      const summary = (await ex.honest("/api/threads")) as { threads: unknown[] };
      return {
        status: 200,
        json: { thread: summary.threads[0], envelope: { id: "x", position: 1, hash: "", receivedAt: 1 } },
      };
    });
    const seeker = await w.seeker();
    await seeker.openThread({ subject: "Vraag", body: "Op de andere lijst" }).catch(() => undefined);
    expect(sent).toBeDefined();
    w.server.reset();
    const anna = await w.staff("anna");
    const annaBox = (await latest()).members.find((m) => m.memberId === w.annaId)!.boxPk;
    const grant = sent!.grants.find((g) => Buffer.from(decode(g)).includes(Buffer.from(annaBox)));
    const template = (await w.h.request("GET", "/api/threads", { cookie: w.h.sessionOf(anna.client) })).body;
    w.server.intercept("GET /api/threads/:threadId", () => ({
      status: 200,
      json: {
        thread: { ...template.threads[0], id: sent!.threadId, helplineId: w.helplineId },
        records: [sent!.record],
        grants: grant === undefined ? [] : [grant],
      },
    }));
    const refused = await failure(anna.readThread(sent!.threadId as never));
    expect([refused.code, refused.source]).toEqual(["ROSTER_FORK", "crypto"]);
  });

  it("a supervisor removed by roster N signs N+1 and the server keeps it: ROSTER_SIGNER_NOT_ALLOWED for every client", async () => {
    const samSession = await w.staff("sam"); // signed in before the removal, keys still in memory
    const removal = await w.vera.removeMember(sam);
    expect(removal.failed).toEqual([]);
    const removedAt = (await latest()).version;
    let forged: string | undefined;
    chainUpTo(removedAt, () => (forged === undefined ? [] : [forged]));
    w.server.intercept("POST /api/helplines/:helplineId/rosters", (body) => {
      forged = (body as { roster: string }).roster;
      return { status: 200, json: { version: removedAt + 1, hash: "", added: [], removed: [] } };
    });
    await samSession.setIntakeReader(w.annaId, true).catch(() => undefined); // Sam's own client may refuse
    expect(forged).toBeDefined();
    expect(versionOf(forged!)).toBe(removedAt + 1);
    const refused = await failure(w.staff("anna"));
    expect([refused.code, refused.source]).toEqual(["ROSTER_SIGNER_NOT_ALLOWED", "crypto"]);
  });
});

describe("the build's minimum roster head (a pin's checkpoint) for devices that remember nothing", () => {
  const pinAt = (version: number, hash: Uint8Array) => ({
    [w.helplineId]: {
      root: w.pins[w.helplineId]!,
      roster: { version, hash: Buffer.from(hash).toString("base64url") },
    },
  });
  const fresh = (pins: ReturnType<typeof pinAt>) => w.client({ pins });

  it("without an attack a fresh device with the checkpoint verifies the chain; the plain-string pin still works", async () => {
    const newest = await latest();
    const trusted = await (await fresh(pinAt(newest.version, newest.hash))).helplines.trust(w.helplineId);
    expect(trusted.roster.version).toBe(newest.version);
    expect((await w.staff("anna", { pins: pinAt(newest.version, newest.hash) })).helplineId).toBe(
      w.helplineId,
    );
    expect((await (await w.client()).helplines.trust(w.helplineId)).roster.version).toBe(newest.version);
  });

  it("a supervisor removed by roster N signs another roster N off N-1: fresh devices built with the checkpoint -> ROSTER_FORK", async () => {
    const tom = await w.join("supervisor", "tom");
    await w.vera.admitPending({ only: [tom] });
    const tomSession = await w.staff("tom"); // keys in memory before the removal
    expect((await w.vera.removeMember(tom)).failed).toEqual([]);
    const removal = await latest(); // roster N, without Tom
    // The server hides roster N from Tom and keeps the roster N Tom signs on N-1 (where he was supervisor).
    let forged: string | undefined;
    chainUpTo(removal.version - 1, () => (forged === undefined ? [] : [forged]));
    w.server.intercept("POST /api/helplines/:helplineId/rosters", (body) => {
      forged = (body as { roster: string }).roster;
      return { status: 200, json: { version: removal.version, hash: "", added: [], removed: [] } };
    });
    const annaNow = removal.members.find((m) => m.memberId === w.annaId)!.intakeReader;
    await tomSession.setIntakeReader(w.annaId, !annaNow).catch(() => undefined);
    expect(forged).toBeDefined();
    const fork = parseRoster(sodium, decode(forged!) as RosterBytes);
    expect(fork.version).toBe(removal.version);
    expect(fork.members.some((m) => m.memberId === tom)).toBe(true);

    // A build pinned with the checkpoint at N (or later): every fresh device refuses the fork.
    const pins = pinAt(removal.version, removal.hash);
    const seekerTab = await failure((await fresh(pins)).helplines.trust(w.helplineId));
    expect([seekerTab.code, seekerTab.source]).toEqual(["ROSTER_FORK", "crypto"]);
    const newStaffDevice = await failure(w.staff("anna", { pins }));
    expect([newStaffDevice.code, newStaffDevice.source]).toEqual(["ROSTER_FORK", "crypto"]);
    // Hiding the checkpoint roster and everything after it instead: ROSTER_ROLLBACK.
    w.server.reset();
    chainUpTo(removal.version - 1);
    expect((await failure((await fresh(pins)).helplines.trust(w.helplineId))).code).toBe("ROSTER_ROLLBACK");

    // The limit: a build whose checkpoint is older than the fork (or a plain pin) accepts it on a fresh device.
    w.server.reset();
    chainUpTo(removal.version - 1, () => [forged!]);
    const older = w.vera.client.helplines.roster(w.helplineId, removal.version - 1)!;
    const accepted = await (await fresh(pinAt(older.version, older.hash))).helplines.trust(w.helplineId);
    expect(Buffer.from(accepted.roster.hash).equals(Buffer.from(fork.hash))).toBe(true);
    const unpinned = await (await w.client()).helplines.trust(w.helplineId);
    expect(Buffer.from(unpinned.roster.hash).equals(Buffer.from(fork.hash))).toBe(true);
  });
});
