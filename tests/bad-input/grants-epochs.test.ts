/** Bad input (see tests/bad-input/support.ts): forged grants, and epoch records by signers the rules do not allow. */
import {
  createGrant,
  type EpochKey,
  type EpochRecordBytes,
  encodeGrant,
  fromBase64,
  type GrantBytes,
  keyCommit,
  LABEL,
  parseEpochRecord,
  parseGrant,
  type Reader,
  readerSet,
  type SignKeyPair,
  type StaffEpochKey,
  signEpochRecord,
  signWithLabel,
  staffCommit,
  type ThreadId,
} from "@briefgeheim/crypto";
import type { ErrorCode } from "@briefgeheim/protocol";
import fc from "fast-check";
import { describe, it } from "vitest";
import { epochBody, latestRoster, threadState } from "../authz-world.js";
import {
  expectBatchRefused,
  expectTyped,
  routes,
  send,
  sendBody,
  setupBadInput,
  unchanged,
  w,
} from "./support.js";
import { b64, type Json } from "./support-generators.js";

setupBadInput();

describe("bad input: typed 4xx, never 5xx, and nothing changes", () => {
  it("forged, unsigned, moved, duplicated and missing grants", async () => {
    const sodium = w.sodium;
    const epochRoute = routes.find((r) => r.key === "POST /api/threads/:threadId/epochs")!;
    const openRoute = routes.find((r) => r.key === "POST /api/threads")!;
    const batchRoute = routes.find((r) => r.key === "POST /api/threads/epochs/batch")!;
    const foreign = await epochBody(w, w.threads.td, w.actors.supervisor); // grants of another thread's record
    const mallory = w.staff.ole.keys.signing;
    const forge = (
      grant: string,
      how: "other-signer" | "unsigned" | "claims-other-signer" | "random-recipient",
    ) => {
      const g = parseGrant(sodium, fromBase64(sodium, grant) as GrantBytes);
      const body = Buffer.from(fromBase64(sodium, grant)).subarray(0, -64);
      const resign = (bytes: Uint8Array, key: SignKeyPair) =>
        b64(Buffer.concat([bytes, signWithLabel(sodium, LABEL.grant, bytes, key.secretKey)]));
      if (how === "unsigned") return b64(encodeGrant(sodium, { ...g, signature: new Uint8Array(64) }));
      if (how === "other-signer") return resign(body, mallory);
      if (how === "claims-other-signer") {
        const claimed = encodeGrant(sodium, {
          ...g,
          signerPk: mallory.publicKey,
          signature: new Uint8Array(64),
        });
        return resign(claimed.subarray(0, -64), mallory);
      }
      const moved = encodeGrant(sodium, {
        ...g,
        recipientBoxPk: w.random(32) as never,
        signature: new Uint8Array(64),
      });
      return resign(moved.subarray(0, -64), w.actors.counsellorAssigned.signing!);
    };
    const variants = fc.constantFrom(
      "other-signer",
      "unsigned",
      "claims-other-signer",
      "random-recipient",
      "foreign",
      "duplicate",
      "missing",
      "extra",
    );
    const apply = (grants: string[], i: number, v: string): string[] => {
      const at = i % grants.length;
      if (v === "foreign") return grants.map((g, j) => (j === at ? foreign.grants[0]! : g));
      if (v === "duplicate") return grants.map((g, j) => (j === at ? grants[(at + 1) % grants.length]! : g));
      if (v === "missing") return grants.filter((_, j) => j !== at);
      if (v === "extra") return [...grants, forge(grants[at]!, "random-recipient")];
      return grants.map((g, j) => (j === at ? forge(g, v as never) : g));
    };
    for (const route of [epochRoute, openRoute, batchRoute]) {
      await fc.assert(
        fc.asyncProperty(variants, fc.nat(), async (v, i) => {
          let body: Json;
          if (route === batchRoute) {
            const item = (route.template.items as { [k: string]: Json }[])[0]!;
            body = { items: [{ ...item, grants: apply(item.grants as string[], i, v) }] };
          } else {
            // A missing grant would leave the open request's grants empty: still refused.
            body = { ...route.template, grants: apply(route.template.grants as string[], i, v) };
          }
          const res = await sendBody("forged grants", route, body);
          if (route.batch) expectBatchRefused(res);
          else
            expectTyped(res, [
              "BAD_SIGNATURE",
              "SIGNER_NOT_ALLOWED",
              "WRONG_CONTEXT",
              "NOT_A_READER",
              "MALFORMED_STRUCTURE",
              "VALIDATION_FAILED",
            ]);
        }),
        { numRuns: 40 },
      );
    }
    await unchanged();
  });

  it("epoch records by signers the rules do not allow, on stale rosters, out of order or off the chain", async () => {
    const sodium = w.sodium;
    const A = w.actors;
    const ta = w.threads.ta;
    const state = await threadState(w, ta, A.supervisor);
    const roster = await latestRoster(w);
    const reader = (m: { memberId: string; signPk: Uint8Array; boxPk: Uint8Array }): Reader => ({
      kind: "staff",
      memberId: m.memberId as never,
      signPk: m.signPk as never,
      boxPk: m.boxPk as never,
    });
    const seekerReader = state.current.readers.find((x) => x.kind === "seeker")!;
    const member = (c: (typeof w.staff)["cas"]) =>
      reader({ memberId: c.memberId, signPk: c.keys.signing.publicKey, boxPk: c.keys.box.publicKey });
    const sup = member(w.staff.vera);
    type Variant = {
      readonly name: string;
      readonly signer: SignKeyPair;
      readonly cookie: string | undefined;
      readonly reason: "claim" | "assign" | "reassign" | "remove" | "roster-change";
      readonly readers: Reader[];
      readonly codes: ErrorCode[];
      readonly epochDelta?: number;
      readonly rosterVersion?: number;
      readonly prevHash?: Uint8Array;
    };
    const variants: Variant[] = [
      {
        name: "counsellor assigns",
        signer: w.staff.cas.keys.signing,
        cookie: A.counsellorAssigned.cookie,
        reason: "assign",
        readers: [seekerReader, member(w.staff.cas), member(w.staff.cor), sup],
        codes: ["SIGNER_NOT_ALLOWED"],
      },
      {
        name: "counsellor claims with a colleague",
        signer: w.staff.cas.keys.signing,
        cookie: A.counsellorAssigned.cookie,
        reason: "claim",
        readers: [seekerReader, member(w.staff.cas), member(w.staff.cor), sup],
        codes: ["SIGNER_NOT_ALLOWED"],
      },
      {
        name: "claim dropping the supervisors",
        signer: w.staff.cas.keys.signing,
        cookie: A.counsellorAssigned.cookie,
        reason: "claim",
        readers: [seekerReader, member(w.staff.cas)],
        codes: ["SIGNER_NOT_ALLOWED"],
      },
      {
        name: "help-seeker signs",
        signer: w.seekers.a.keys.messageSign,
        cookie: A.counsellorAssigned.cookie,
        reason: "claim",
        readers: [seekerReader, member(w.staff.cas), sup],
        codes: ["SIGNER_NOT_ALLOWED"],
      },
      {
        name: "signed by the supervisor, posted by the counsellor",
        signer: w.staff.vera.keys.signing,
        cookie: A.counsellorAssigned.cookie,
        reason: "roster-change",
        readers: [seekerReader, member(w.staff.cas), sup],
        codes: ["SIGNER_NOT_ALLOWED"],
      },
      {
        name: "removed member signs",
        signer: w.staff.rem.keys.signing,
        cookie: A.supervisor.cookie,
        reason: "roster-change",
        readers: [seekerReader, member(w.staff.cas), sup],
        codes: ["SIGNER_NOT_ALLOWED", "NOT_ON_ROSTER"],
      },
      {
        name: "other helpline's supervisor signs",
        signer: w.staff.wim.keys.signing,
        cookie: A.supervisor.cookie,
        reason: "roster-change",
        readers: [seekerReader, member(w.staff.cas), sup],
        codes: ["SIGNER_NOT_ALLOWED", "NOT_ON_ROSTER"],
      },
      {
        name: "reader not on the roster",
        signer: w.staff.vera.keys.signing,
        cookie: A.supervisor.cookie,
        reason: "reassign",
        readers: [seekerReader, member(w.staff.rem), sup],
        codes: ["NOT_ON_ROSTER"],
      },
      {
        name: "reader of another helpline",
        signer: w.staff.vera.keys.signing,
        cookie: A.supervisor.cookie,
        reason: "reassign",
        readers: [seekerReader, member(w.staff.ole), sup],
        codes: ["NOT_ON_ROSTER"],
      },
      {
        name: "stale roster",
        signer: w.staff.vera.keys.signing,
        cookie: A.supervisor.cookie,
        reason: "roster-change",
        readers: [seekerReader, member(w.staff.cas), sup],
        codes: ["ROSTER_CONFLICT"],
        rosterVersion: roster.version - 1,
      },
      {
        name: "skips an epoch",
        signer: w.staff.vera.keys.signing,
        cookie: A.supervisor.cookie,
        reason: "roster-change",
        readers: [seekerReader, member(w.staff.cas), sup],
        codes: ["EPOCH_CONFLICT"],
        epochDelta: 2,
      },
      {
        name: "repeats the current epoch",
        signer: w.staff.vera.keys.signing,
        cookie: A.supervisor.cookie,
        reason: "roster-change",
        readers: [seekerReader, member(w.staff.cas), sup],
        codes: ["EPOCH_CONFLICT"],
        epochDelta: 0,
      },
      {
        name: "off the chain",
        signer: w.staff.vera.keys.signing,
        cookie: A.supervisor.cookie,
        reason: "roster-change",
        readers: [seekerReader, member(w.staff.cas), sup],
        codes: ["EPOCH_CHAIN_BROKEN"],
        prevHash: w.random(32),
      },
      {
        name: "help-seeker swapped out",
        signer: w.staff.vera.keys.signing,
        cookie: A.supervisor.cookie,
        reason: "roster-change",
        readers: [
          {
            ...seekerReader,
            signPk: w.seekers.b.keys.messageSign.publicKey,
            boxPk: w.seekers.b.keys.box.publicKey,
          },
          member(w.staff.cas),
          sup,
        ],
        codes: ["SIGNER_NOT_ALLOWED", "EPOCH_CHAIN_BROKEN", "NOT_A_READER"],
      },
    ];
    const build = (v: Variant, createdAt: number) => {
      const epoch = state.current.epoch + (v.epochDelta ?? 1);
      const key = w.random(32) as EpochKey;
      const staffKey = w.random(32) as StaffEpochKey;
      const bytes = signEpochRecord(
        sodium,
        {
          helplineId: state.current.helplineId,
          threadId: ta as ThreadId,
          epoch,
          prevRecordHash:
            v.prevHash ?? (v.epochDelta === 0 ? state.records.at(-2)!.hash : state.current.hash),
          rosterVersion: v.rosterVersion ?? roster.version,
          rosterHash: roster.hash,
          reason: v.reason,
          createdAt,
          keyCommit: keyCommit(sodium, ta as ThreadId, epoch, key),
          staffCommit: staffCommit(sodium, ta as ThreadId, epoch, staffKey),
          readers: readerSet(v.readers),
          heads: [],
          history: w.random(72),
          staffHistory: epoch > 1 ? w.random(72) : new Uint8Array(0),
        },
        v.signer,
      );
      const record = parseEpochRecord(sodium, bytes as EpochRecordBytes);
      const grants = record.readers.map((recipient) =>
        createGrant(sodium, {
          record,
          recipient,
          keys: { epoch, key, staffKey },
          signer: v.signer,
          random: w.random,
        }),
      );
      return { record: b64(bytes), grants: grants.map(b64) };
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...variants),
        fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }),
        async (v, at) => {
          const res = await send("disallowed signers", "POST", `/api/threads/${ta}/epochs`, {
            cookie: v.cookie,
            json: build(v, at),
          });
          try {
            expectTyped(res, v.codes);
          } catch (e) {
            throw new Error(`${v.name}: ${(e as Error).message}`);
          }
        },
      ),
      { numRuns: 100 },
    );
    await unchanged();
  });
});
