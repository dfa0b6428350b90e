import { type HelplineId, type MemberId, signRoster } from "@briefgeheim/crypto";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { helplines, invites } from "../../db/schema.js";
import { newId, sha256 } from "../../deps.js";
import { newInviteToken } from "../../operator.js";
import { createWorld, type HelplineFixture, type World } from "../../testing/harness.js";
import { insertInvite } from "./index.js";

let w: World;
let h: HelplineFixture;

beforeEach(async () => {
  w = await createWorld();
  h = await w.setupHelpline("alpha", 1);
});
afterEach(async () => {
  await w.cleanup();
});

/** The random token the inviter's browser made for each invite id (a retry sends the same one). */
const tokens = new Map<string, string>();

async function createInvite(
  body: { id: string; role: string; expiresInHours: number; sealedSecret?: string; token?: string },
  cookie = h.supervisor.cookie,
) {
  const token = body.token ?? tokens.get(body.id) ?? newInviteToken();
  tokens.set(body.id, token);
  return w.request("POST", "/api/invites", { cookie, body: { ...body, token } });
}

describe("invites", () => {
  it("the token is the inviter's random token; the database keeps only its hash (a thief gets nothing)", async () => {
    const id = newId();
    const token = newInviteToken();
    const made = await createInvite({ id, role: "counsellor", expiresInHours: 24, token });
    expect([made.status, made.body.token]).toEqual([200, token]);
    const rows = await w.db.read.select().from(invites).where(eq(invites.id, id));
    const stored = rows[0]!;
    // Nothing in the row is the token or lets a database thief make it: only SHA-256(token) is kept,
    // and no server secret derives tokens any more (the HMAC of the id is gone).
    expect(Buffer.from(stored.tokenHash).equals(sha256(token))).toBe(true);
    expect(JSON.stringify(stored)).not.toContain(token);
    // What a thief could try with the stored values: the hash itself, or the id, as a token.
    const asHash = await w.request("GET", `/api/invites/${w.b64(stored.tokenHash)}`);
    expect([asHash.status, asHash.body.error.code]).toEqual([404, "NOT_FOUND"]);
    expect((await w.request("GET", `/api/invites/${token}`)).status).toBe(200);
    // A retry with the same id but another token is a conflict, not a second link.
    const other = await createInvite({ id, role: "counsellor", expiresInHours: 24, token: newInviteToken() });
    expect([other.status, other.body.error.code]).toEqual([409, "IDEMPOTENCY_CONFLICT"]);
    // A token cannot be reused for another invite.
    const reused = await createInvite({ id: newId(), role: "counsellor", expiresInHours: 24, token });
    expect([reused.status, reused.body.error.code]).toEqual([409, "CONFLICT"]);
    const missing = await w.request("POST", "/api/invites", {
      cookie: h.supervisor.cookie,
      body: { id: newId(), role: "counsellor", expiresInHours: 24 },
    });
    expect([missing.status, missing.body.error.code]).toEqual([400, "VALIDATION_FAILED"]);
  });

  it("creation is idempotent on the id; other content is 409", async () => {
    const id = newId();
    const a = await createInvite({ id, role: "counsellor", expiresInHours: 24 });
    const b = await createInvite({ id, role: "counsellor", expiresInHours: 24 });
    expect(a.status).toBe(200);
    expect(b.body).toEqual(a.body);
    const c = await createInvite({ id, role: "supervisor", expiresInHours: 24 });
    expect([c.status, c.body.error.code]).toEqual([409, "IDEMPOTENCY_CONFLICT"]);
    expect((await createInvite({ id: newId(), role: "counsellor", expiresInHours: 0 })).status).toBe(400);
  });

  it("stores the sealed invite secret, the chosen display name and the key proof for the supervisors", async () => {
    const id = newId();
    const sealedSecret = w.b64(w.random(72));
    const inv = await createInvite({ id, role: "counsellor", expiresInHours: 24, sealedSecret });
    expect(inv.status).toBe(200);
    // The sealed secret is part of the content an idempotent retry must repeat.
    expect((await createInvite({ id, role: "counsellor", expiresInHours: 24, sealedSecret })).status).toBe(
      200,
    );
    const changed = await createInvite({
      id,
      role: "counsellor",
      expiresInHours: 24,
      sealedSecret: w.b64(w.random(72)),
    });
    expect([changed.status, changed.body.error.code]).toEqual([409, "IDEMPOTENCY_CONFLICT"]);
    const wrongSize = await createInvite({
      id: newId(),
      role: "counsellor",
      expiresInHours: 24,
      sealedSecret: w.b64(w.random(71)),
    });
    expect([wrongSize.status, wrongSize.body.error.code]).toEqual([400, "VALIDATION_FAILED"]);

    const k = w.newStaffKeys("alpha-ines", "Ines");
    const keyProof = w.b64(w.random(32));
    for (const displayName of ["", " Ines", "x".repeat(65), "I\u202Ees", "\ud800"]) {
      const bad = await w.request("POST", `/api/invites/${inv.body.token}/accept`, {
        body: { ...k.body, displayName, keyProof },
      });
      expect([bad.status, bad.body.error.code]).toEqual([400, "VALIDATION_FAILED"]);
    }
    const acc = await w.request("POST", `/api/invites/${inv.body.token}/accept`, {
      body: { ...k.body, displayName: "Inès ✿", keyProof },
    });
    expect(acc.status).toBe(200);
    const staff = await w.request("GET", "/api/staff", { cookie: h.supervisor.cookie });
    const ines = staff.body.members.find((m: { id: string }) => m.id === id);
    expect(ines).toMatchObject({
      status: "pending",
      displayName: "Inès ✿",
      keyProof,
      sealedInviteSecret: sealedSecret,
    });
    const vera = staff.body.members.find((m: { id: string }) => m.id === h.supervisor.memberId);
    expect(vera).toMatchObject({ displayName: "Vera", keyProof: null, sealedInviteSecret: null });
  });

  it("info, one-time acceptance, expiry", async () => {
    const id = newId();
    const { body } = await createInvite({ id, role: "counsellor", expiresInHours: 1 });
    const info = await w.request("GET", `/api/invites/${body.token}`);
    expect(info.body).toMatchObject({
      memberId: id,
      helplineId: h.id,
      role: "counsellor",
      firstSupervisor: false,
    });
    const k = w.newStaffKeys("alpha-ines", "Ines");
    const acc = await w.request("POST", `/api/invites/${body.token}/accept`, { body: k.body });
    expect(acc.body).toMatchObject({ memberId: id, status: "pending", role: "counsellor" });
    // retry by the same account: the first answer
    expect((await w.request("POST", `/api/invites/${body.token}/accept`, { body: k.body })).status).toBe(200);
    const other = w.newStaffKeys("alpha-other", "X");
    const used = await w.request("POST", `/api/invites/${body.token}/accept`, { body: other.body });
    expect([used.status, used.body.error.code]).toEqual([410, "INVITE_USED"]);
    expect((await w.request("GET", `/api/invites/${body.token}`)).body.error.code).toBe("INVITE_USED");

    const late = await createInvite({ id: newId(), role: "counsellor", expiresInHours: 1 });
    w.clock.advance(3_600_001);
    const expired = await w.request("POST", `/api/invites/${late.body.token}/accept`, { body: other.body });
    expect([expired.status, expired.body.error.code]).toEqual([410, "INVITE_EXPIRED"]);
    expect((await w.request("GET", `/api/invites/${"A".repeat(43)}`)).status).toBe(404);
  });

  it("a pending member can sign in but has no staff powers until a roster lists them", async () => {
    const { body } = await createInvite({ id: newId(), role: "counsellor", expiresInHours: 1 });
    const k = w.newStaffKeys("alpha-pending", "P");
    await w.request("POST", `/api/invites/${body.token}/accept`, { body: k.body });
    const s = {
      username: k.body.username,
      memberId: "",
      helplineId: h.id,
      proof: k.proof,
      recoveryProof: k.recoveryProof,
      signIn: k.keys.signIn,
      signing: k.keys.signing,
      box: k.keys.box,
      member: h.supervisor.member,
    };
    const cookie = await w.signInStaff(s);
    expect((await w.request("GET", "/api/auth/session", { cookie })).body.status).toBe("pending");
    expect((await w.request("GET", "/api/threads", { cookie })).status).toBe(403);
  });

  it("usernames are unique; wrapped keys must be well-formed", async () => {
    const one = await createInvite({ id: newId(), role: "counsellor", expiresInHours: 1 });
    const taken = w.newStaffKeys(h.supervisor.username, "Dup");
    const res = await w.request("POST", `/api/invites/${one.body.token}/accept`, { body: taken.body });
    expect([res.status, res.body.error.code]).toEqual([409, "USERNAME_TAKEN"]);
    const bad = w.newStaffKeys("alpha-bad", "Bad");
    const wrong = await w.request("POST", `/api/invites/${one.body.token}/accept`, {
      body: { ...bad.body, recovery: { ...bad.body.recovery, wrappedKey: bad.body.passphrase.wrappedKey } },
    });
    expect([wrong.status, wrong.body.error.code]).toEqual([400, "VALIDATION_FAILED"]);
    const garbage = await w.request("POST", `/api/invites/${one.body.token}/accept`, {
      body: { ...bad.body, passphrase: { ...bad.body.passphrase, wrappedKey: w.b64(w.random(90)) } },
    });
    expect(garbage.status).toBe(400);
    // the roster is only for the first supervisor
    const withRoster = await w.request("POST", `/api/invites/${one.body.token}/accept`, {
      body: { ...bad.body, roster: w.b64(w.random(300)) },
    });
    expect(withRoster.status).toBe(400);
  });

  it("the first supervisor's roster v1 must list exactly them; a second first-supervisor invite cannot take over", async () => {
    const id = newId();
    await w.writer.run((tx) =>
      tx.insert(helplines).values({ id, slug: "gamma", name: "G", replyTimeHours: 24, tag: 9, createdAt: 1 }),
    );
    const mk = async () => {
      const inviteId = newId();
      return w.writer.run((tx) =>
        insertInvite(tx, {
          id: inviteId,
          helplineId: id,
          role: "supervisor",
          expiresInHours: 1,
          createdBy: null,
          firstSupervisor: true,
          now: w.clock.now(),
          token: newInviteToken(),
        }),
      );
    };
    const [i1, i2] = [await mk(), await mk()];
    const root = (await import("@briefgeheim/crypto")).generateRootKey(w.sodium, w.random);
    const accept = async (inv: { id: string; token: string }, username: string, memberId = inv.id) => {
      const k = w.newStaffKeys(username, "S");
      const roster = signRoster(
        w.sodium,
        {
          helplineId: id as HelplineId,
          version: 1,
          prevHash: new Uint8Array(32),
          issuedAt: 1,
          members: [
            {
              memberId: memberId as MemberId,
              role: "supervisor",
              intakeReader: false,
              signPk: k.keys.signing.publicKey,
              boxPk: k.keys.box.publicKey,
              displayName: "S",
            },
          ],
        },
        root.keyPair,
      );
      return w.request("POST", `/api/invites/${inv.token}/accept`, {
        body: { ...k.body, roster: w.b64(roster) },
      });
    };
    const wrongId = await accept(i1, "gamma-a", newId());
    expect([wrongId.status, wrongId.body.error.code]).toEqual([422, "ROSTER_INVALID"]);
    const missing = await w.request("POST", `/api/invites/${i1.token}/accept`, {
      body: w.newStaffKeys("gamma-x", "X").body,
    });
    expect(missing.status).toBe(400);
    expect((await accept(i1, "gamma-a")).status).toBe(200);
    const second = await accept(i2, "gamma-b");
    expect([second.status, second.body.error.code]).toEqual([409, "CONFLICT"]);
    const list = await w.request("GET", "/api/helplines");
    expect(list.body.helplines.find((x: { id: string }) => x.id === id)).toMatchObject({
      rosterVersion: 1,
      rootPk: w.b64(root.keyPair.publicKey),
    });
  });
});
