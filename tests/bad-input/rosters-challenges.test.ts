/** Bad input (see tests/bad-input/support.ts): bad rosters and challenges, and the one write a refused request makes. */
import {
  fromBase64,
  nextRoster,
  parseRoster,
  type RosterBytes,
  rootKeyFromSeed,
  signRoster,
} from "@briefgeheim/crypto";
import type { ErrorCode } from "@briefgeheim/protocol";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { latestRoster, seekerSignIn } from "../authz-world.js";
import { expectTyped, h, pools, send, setupBadInput, snapshot, unchanged, w } from "./support.js";
import { b64 } from "./support-generators.js";

setupBadInput();

describe("bad input: typed 4xx, never 5xx, and nothing changes", () => {
  it("rosters not signed by the root, out of order, or listing accounts the helpline does not have", async () => {
    const sodium = w.sodium;
    const roster = await latestRoster(w);
    const root = w.root1.keyPair;
    const other = rootKeyFromSeed(sodium, w.random(32)).keyPair;
    const stranger = {
      memberId: w.b64(w.random(16)) as never,
      role: "counsellor" as const,
      intakeReader: false,
      signPk: w.random(32) as never,
      boxPk: w.random(32) as never,
      displayName: "Vreemde",
    };
    const rem = w.staff.rem;
    const cas = roster.members.find((m) => m.memberId === w.staff.cas.memberId)!;
    const v1 = parseRoster(
      sodium,
      fromBase64(
        sodium,
        (await h.request("GET", `/api/helplines/${w.h1}/rosters`)).body.rosters[0],
      ) as RosterBytes,
    );
    const make: Record<string, () => Uint8Array> = {
      "signed by another root": () => nextRoster(sodium, roster, {}, other, Date.now()),
      "signed by a counsellor": () => nextRoster(sodium, roster, {}, w.staff.cas.keys.signing, Date.now()),
      "signed by the removed member": () => nextRoster(sodium, roster, {}, rem.keys.signing, Date.now()),
      "a supervisor replacing the root": () =>
        nextRoster(sodium, roster, {}, w.staff.vera.keys.signing, Date.now(), other.publicKey),
      "skips a version": () =>
        signRoster(
          sodium,
          {
            helplineId: roster.helplineId,
            version: roster.version + 2,
            prevHash: roster.hash,
            issuedAt: Date.now(),
            members: roster.members,
          },
          root,
        ),
      "wrong previous hash": () =>
        signRoster(
          sodium,
          {
            helplineId: roster.helplineId,
            version: roster.version + 1,
            prevHash: w.random(32),
            issuedAt: Date.now(),
            members: roster.members,
          },
          root,
        ),
      "an old version again": () => nextRoster(sodium, v1, {}, root, Date.now()),
      "a stranger without an account": () =>
        nextRoster(sodium, roster, { add: [stranger] }, root, Date.now()),
      "the removed member again": () =>
        nextRoster(
          sodium,
          roster,
          {
            add: [
              {
                ...stranger,
                memberId: rem.memberId,
                signPk: rem.keys.signing.publicKey,
                boxPk: rem.keys.box.publicKey,
              },
            ],
          },
          root,
          Date.now(),
        ),
      "a member's keys swapped": () =>
        nextRoster(sodium, roster, { replace: [{ ...cas, boxPk: w.random(32) as never }] }, root, Date.now()),
      "no supervisor": () =>
        signRoster(
          sodium,
          {
            helplineId: roster.helplineId,
            version: roster.version + 1,
            prevHash: roster.hash,
            issuedAt: Date.now(),
            members: roster.members.filter((m) => m.role !== "supervisor"),
          },
          root,
        ),
      "another helpline's": () =>
        signRoster(
          sodium,
          {
            helplineId: w.h2,
            version: roster.version + 1,
            prevHash: roster.hash,
            issuedAt: Date.now(),
            members: roster.members,
          },
          root,
        ),
      unsigned: () => {
        const bytes = nextRoster(sodium, roster, {}, root, Date.now());
        return Buffer.concat([bytes.subarray(0, -64), Buffer.alloc(64)]);
      },
    };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(make)), async (name) => {
        let bytes: Uint8Array;
        try {
          bytes = make[name]!();
        } catch {
          fc.pre(false); // the crypto package refuses to even build it
          return;
        }
        const res = await send("rosters", "POST", `/api/helplines/${w.h1}/rosters`, {
          cookie: w.actors.supervisor.cookie,
          json: { roster: b64(bytes) },
        });
        try {
          expectTyped(res, [
            "ROSTER_INVALID",
            "ROSTER_CONFLICT",
            "ROSTER_SIGNER_NOT_ALLOWED",
            "BAD_SIGNATURE",
            "MALFORMED_STRUCTURE",
            "WRONG_CONTEXT",
          ]);
        } catch (e) {
          throw new Error(`${name}: ${(e as Error).message}`);
        }
      }),
      { numRuns: 40 },
    );
    await unchanged();
  });

  it("replayed, expired, foreign and made-up challenges: 401, and nothing is consumed or created", async () => {
    const cases: [string, string, unknown, ErrorCode][] = [
      ...pools.usedSeeker.map((b): [string, string, unknown, ErrorCode] => [
        "replayed",
        "/api/auth/seeker",
        b,
        "CHALLENGE_INVALID",
      ]),
      ...pools.usedStaff.map((b): [string, string, unknown, ErrorCode] => [
        "replayed",
        "/api/auth/staff",
        b,
        "CHALLENGE_INVALID",
      ]),
      ...pools.expiredSeeker.map((b): [string, string, unknown, ErrorCode] => [
        "expired",
        "/api/auth/seeker",
        b,
        "CHALLENGE_EXPIRED",
      ]),
      ...pools.expiredStaff.map((b): [string, string, unknown, ErrorCode] => [
        "expired",
        "/api/auth/staff",
        b,
        "CHALLENGE_EXPIRED",
      ]),
      ...pools.otherHelpline.map((b): [string, string, unknown, ErrorCode] => [
        "other helpline",
        "/api/auth/seeker",
        b,
        "CHALLENGE_INVALID",
      ]),
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...cases), fc.boolean(), async ([, path, body, code], again) => {
        const res = await send("challenges", "POST", path, { json: body });
        expectTyped(res, [code]);
        if (again) expectTyped(await send("challenges", "POST", path, { json: body }), [code]);
      }),
      { numRuns: 60 },
    );
    // A made-up nonce with a valid signature over it.
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), async (nonce) => {
        const body = { ...pools.usedSeeker[0]!, nonce: b64(nonce) };
        expectTyped(await send("challenges", "POST", "/api/auth/seeker", { json: body }), [
          "CHALLENGE_INVALID",
        ]);
      }),
      { numRuns: 30 },
    );
    await unchanged();
  });
});

describe("the one write a refused request makes", () => {
  it("a bad signature on a fresh challenge consumes that nonce (one try per nonce), and nothing else", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 64, maxLength: 64 }), async (signature) => {
        const body = { ...(await seekerSignIn(w)), signature: b64(signature) };
        const start = await snapshot();
        const res = await send("consumed nonce", "POST", "/api/auth/seeker", { json: body });
        expectTyped(res, ["CHALLENGE_INVALID"]);
        const after = await snapshot();
        const changed = Object.keys(after).filter((t) => after[t] !== start[t]);
        expect(changed).toEqual(["challenges"]);
        expect(Number(after.challenges!.split(" ")[0])).toBe(Number(start.challenges!.split(" ")[0]) - 1);
        // The nonce is gone: the same request again is refused as unknown.
        expectTyped(await send("consumed nonce", "POST", "/api/auth/seeker", { json: body }), [
          "CHALLENGE_INVALID",
        ]);
      }),
      { numRuns: 10 },
    );
  });
});
