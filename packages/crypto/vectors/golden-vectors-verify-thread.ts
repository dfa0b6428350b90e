import type { BoxKeyPair, EnvelopeBytes, HelplineId, MemberId, SignPublicKey } from "../src/core/brand.js";
import { samePublicBytes } from "../src/core/byte-order.js";
import { CryptoError, isCryptoError } from "../src/core/errors.js";
import type { Sodium } from "../src/core/sodium.js";
import type { EpochKeys, Role } from "../src/core/types.js";
import { signInMessage, verifyChallenge } from "../src/keys/sign-in.js";
import { encodeDraft, openDraft, parseDraft } from "../src/messages/draft.js";
import { openEnvelope } from "../src/messages/envelope.js";
import { encodeThreadEvent } from "../src/messages/thread-event.js";
import { type ThreadEpoch, verifyThread } from "../src/messages/verify-thread.js";
import { encodeRoster } from "../src/roster/roster.js";
import { findMemberById } from "../src/roster/roster-members.js";
import { encodeEpochRecord } from "../src/threads/epoch-record.js";
import { parseGrant, verifyGrant } from "../src/threads/grant.js";
import type { GoldenContext } from "./golden-vectors-context.js";
import { headsToJson, payloadToJson } from "./golden-vectors-inputs.js";
import { expectBytes, expectSame, type VectorFile } from "./golden-vectors-read.js";
import type { NamedCheck } from "./golden-vectors-verify-keys.js";

const ENVELOPES = ["message", "status", "note"] as const;

/**
 * Independent checks of the roster, thread, draft and sign-in entries: the committed bytes are
 * verified with the pinned root, opened with keys derived from the committed secrets, and walked
 * back through the epoch history, all through the package's public functions.
 */
export function threadChecks(sodium: Sodium, file: VectorFile, ctx: GoldenContext): NamedCheck[] {
  const same = (what: string, actual: Uint8Array, path: string) =>
    expectBytes(sodium, what, actual, file.bytes(path));

  /** The box key pair of a named reader: "seeker" or a roster member. */
  const boxOf = (name: string): BoxKeyPair => (name === "seeker" ? ctx.seeker().box : ctx.member(name).box);

  const checkEpoch = (entry: "epoch0" | "epoch1Claim", index: 0 | 1) => {
    const record = ctx.records()[index]!;
    same("record hash", record.hash, `${entry}.expected.recordHash`);
    same("re-encoded record", encodeEpochRecord(sodium, record), `${entry}.expected.record`);
    const grants = ctx.grants(entry);
    if (grants.length !== record.readers.length) throw new CryptoError("MALFORMED", "one grant per reader");
    grants.forEach((g, i) => {
      verifyGrant(sodium, g, record);
      const recipient = file.text(`${entry}.expected.grants.${i}.recipient`);
      const box = boxOf(recipient);
      same("recipient", parseGrant(sodium, g).recipientBoxPk, `${entry}.expected.grants.${i}.recipientBoxPk`);
      const keys = ctx.openOwnGrant(entry, box);
      same(`${recipient}'s key`, keys.key, `${entry}.expected.key`);
      if (recipient === "seeker" || index === 0) {
        if (keys.staffKey !== undefined) throw new CryptoError("MALFORMED", `${recipient} got a staff key`);
      } else {
        same(`${recipient}'s staff key`, keys.staffKey ?? new Uint8Array(0), `${entry}.expected.staffKey`);
      }
    });
    return record;
  };

  /** verifyThread over the committed envelopes with one reader's keys; returns the items. */
  const readThread = (keys: readonly EpochKeys[]) => {
    const records = ctx.records();
    const epochs = new Map<number, ThreadEpoch>(
      records.map((r, i) => [r.epoch, { readers: r.readers, keys: keys[i]!, heads: r.heads }]),
    );
    const envelopes = ENVELOPES.map((name) => file.bytes(`envelopes.${name}.expected.bytes`));
    const result = verifyThread(sodium, {
      helplineId: ctx.helplineId(),
      threadId: ctx.threadId(),
      envelopes,
      epochs,
    });
    if (!result.ok) {
      const why = result.problems.map((p) => `#${p.index} ${p.reason} ${p.detail ?? ""}`).join("; ");
      throw new CryptoError("THREAD_INVALID", `thread does not verify: ${why}`);
    }
    return { result, envelopes };
  };

  return [
    {
      name: "rosters: verify",
      run: () => {
        const rosters = ctx.rosters();
        for (const [i, roster] of rosters.entries()) {
          const v = `rosters.expected.v${i + 1}`;
          same(`roster v${i + 1} hash`, roster.hash, `${v}.hash`);
          same(`roster v${i + 1} re-encoded`, encodeRoster(sodium, roster), `${v}.bytes`);
          expectSame("issuedAt", roster.issuedAt, file.int(`rosters.inputs.issuedAt.${i}`));
          const listed = ctx.members().filter((m) => file.int(`${m.at}.inVersion`) <= roster.version);
          if (roster.members.length !== listed.length)
            throw new CryptoError("MALFORMED", "member count differs");
          for (const m of listed) {
            const found = findMemberById(roster, file.text(`${m.at}.memberId`) as MemberId);
            if (found === undefined)
              throw new CryptoError("MALFORMED", `${m.name} missing from v${roster.version}`);
            expectSame(
              `${m.name}`,
              [found.role, found.intakeReader, found.displayName],
              [
                file.text(`${m.at}.role`) as Role,
                file.bool(`${m.at}.intakeReader`),
                file.text(`${m.at}.displayName`),
              ],
            );
            expectBytes(sodium, `${m.name} signPk`, found.signPk, m.keys.signing.publicKey);
            expectBytes(sodium, `${m.name} boxPk`, found.boxPk, m.keys.box.publicKey);
          }
        }
      },
    },
    { name: "epoch0: verify", run: () => void checkEpoch("epoch0", 0) },
    {
      name: "epoch1Claim: verify",
      run: () => {
        const record = checkEpoch("epoch1Claim", 1);
        const claimer = ctx.member(file.text("epoch1Claim.inputs.claimer"));
        if (record.reason !== "claim" || !samePublicBytes(record.signerPk, claimer.signing.publicKey)) {
          throw new CryptoError("MALFORMED", "epoch 1 is not the claimer's claim");
        }
        same("roster hash", record.rosterHash, "epoch1Claim.inputs.rosterHash");
        expectSame("claim heads", headsToJson(sodium, record.heads), file.list("epoch1Claim.inputs.heads"));
        // Walking back: staff recover K_0 from K_1; the help-seeker too, and no staff key at all.
        for (const keys of [ctx.staffEpochKeys(), ctx.seekerEpochKeys()]) {
          same("walked-back K_0", keys[0]!.key, "epoch0.expected.key");
        }
        if (ctx.seekerEpochKeys().some((k) => k.staffKey !== undefined)) {
          throw new CryptoError("MALFORMED", "the help-seeker walked back to a staff key");
        }
      },
    },
    {
      name: "envelopes: verify (staff view)",
      run: () => {
        const { result, envelopes } = readThread(ctx.staffEpochKeys());
        ENVELOPES.forEach((name, i) => {
          const at = `envelopes.${name}`;
          const item = result.items[i]!;
          same(`${name} hash`, item.envelope.hash, `${at}.expected.hash`);
          expectSame(
            `${name} payload`,
            item.payload && payloadToJson(sodium, item.payload),
            file.payload(`${at}.inputs.payload`),
          );
          const sender = file.text(`${at}.inputs.sender`);
          const senderPk: SignPublicKey =
            sender === "seeker" ? ctx.seeker().messageSign.publicKey : ctx.member(sender).signing.publicKey;
          same(`${name} sender`, senderPk, `${at}.inputs.senderSignPk`);
          const opened = openEnvelope(
            sodium,
            envelopes[i]!,
            ctx.staffEpochKeys()[item.envelope.epoch]!,
          ).envelope;
          expectSame(
            `${name} header`,
            [opened.helplineId, opened.threadId, opened.epoch, opened.kind, opened.seq, opened.createdAt],
            [
              file.text(`${at}.inputs.helplineId`),
              file.text(`${at}.inputs.threadId`),
              file.int(`${at}.inputs.epoch`),
              file.text(`${at}.inputs.kind`),
              file.int(`${at}.inputs.seq`),
              file.int(`${at}.inputs.createdAt`),
            ],
          );
          same(`${name} sender in header`, opened.senderSignPk, `${at}.inputs.senderSignPk`);
          expectSame(`${name} heads`, headsToJson(sodium, opened.heads), file.list(`${at}.inputs.heads`));
        });
      },
    },
    {
      name: "envelopes: verify (help-seeker view)",
      run: () => {
        const keys = ctx.seekerEpochKeys();
        const { result, envelopes } = readThread(keys);
        ENVELOPES.forEach((name, i) => {
          const payload = result.items[i]!.payload;
          const expected = name === "note" ? undefined : file.payload(`envelopes.${name}.inputs.payload`);
          expectSame(`${name} payload`, payload && payloadToJson(sodium, payload), expected);
        });
        try {
          openEnvelope(sodium, envelopes[2] as EnvelopeBytes, keys[1]!);
        } catch (e) {
          if (isCryptoError(e, "NOT_A_READER")) return;
          throw e;
        }
        throw new CryptoError("MALFORMED", "the help-seeker opened a note");
      },
    },
    {
      name: "envelopes: the handover event (§5.1)",
      run: () => {
        const at = "envelopes.event";
        // In the main stream: the help-seeker's key of epoch 1 opens it.
        const { envelope, payload } = openEnvelope(
          sodium,
          file.bytes(`${at}.expected.bytes`),
          ctx.seekerEpochKeys()[1]!,
        );
        if (envelope.kind !== "event" || payload.event === undefined) {
          throw new CryptoError("MALFORMED", "the event vector does not carry an event");
        }
        same("event payload", encodeThreadEvent(sodium, payload.event), `${at}.inputs.eventPayload`);
        same("event sender", envelope.senderSignPk, `${at}.inputs.senderSignPk`);
      },
    },
    {
      name: "draft: verify",
      run: () => {
        const bytes = file.bytes("draft.expected.bytes");
        same("re-encoded draft", encodeDraft(parseDraft(bytes)), "draft.expected.bytes");
        const payload = openDraft(sodium, ctx.seeker().draftKey, bytes, file.text("draft.inputs.context"));
        expectSame("draft payload", payloadToJson(sodium, payload), file.payload("draft.inputs.payload"));
      },
    },
    {
      name: "signIn: verify",
      run: () => {
        for (const who of ["seeker", "staff"] as const) {
          const at = `signIn.${who}`;
          const role = file.text(`${at}.inputs.role`);
          if (role !== who) throw new CryptoError("MALFORMED", `${at} has role ${role}`);
          const challenge = {
            origin: file.text(`${at}.inputs.origin`),
            helplineId: file.text(`${at}.inputs.helplineId`) as HelplineId,
            role: who,
            nonce: file.bytes(`${at}.inputs.nonce`),
          };
          same("signed message", signInMessage(sodium, challenge), `${at}.expected.message`);
          const name = file.text(`${at}.inputs.who`);
          const pk = who === "seeker" ? ctx.seeker().signIn.publicKey : ctx.member(name).signIn.publicKey;
          same("sign-in key", pk, `${at}.expected.signInPk`);
          verifyChallenge(sodium, challenge, file.bytes(`${at}.expected.signature`), pk);
        }
      },
    },
  ];
}
