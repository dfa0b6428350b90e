import type {
  AccountKey,
  HelplineId,
  RecoveryKey,
  RootPublicKey,
  WrappedKeyBytes,
} from "../src/core/brand.js";
import { CryptoError } from "../src/core/errors.js";
import { padme } from "../src/core/padme.js";
import type { Sodium } from "../src/core/sodium.js";
import { deriveAccountKeys } from "../src/keys/account-keys.js";
import { rootFingerprint } from "../src/keys/fingerprint.js";
import { derivePassphraseProof, proofHash, unwrapWithPassphrase } from "../src/keys/passphrase-wrap.js";
import {
  parseRecoveryKey,
  recoveryKeyText,
  recoveryProof,
  unwrapWithRecovery,
} from "../src/keys/recovery-key.js";
import { parseRootRecoveryText, rootKeyFromSeed } from "../src/keys/root-key.js";
import { codePassword, parseCode } from "../src/keys/seeker-code.js";
import { codeSalt, seekerKeysFromMaster } from "../src/keys/seeker-keys.js";
import { encodeWrappedKey, parseWrappedKey } from "../src/keys/wrapped-key.js";
import { openInviteSecret, verifyInviteKeyProof } from "../src/roster/invite-binding.js";
import { checkSafetyCode, memberSafetyCode } from "../src/roster/member-safety-code.js";
import type { GoldenContext } from "./golden-vectors-context.js";
import { expectBytes, expectSame, type VectorFile } from "./golden-vectors-read.js";

/** One independent check of committed bytes: throws on failure. */
export interface NamedCheck {
  readonly name: string;
  readonly run: () => void;
}

/**
 * Independent checks of the key entries: the committed outputs are parsed, opened and compared
 * through the package's public functions, starting from the committed secrets (code, passphrase,
 * recovery text, account key, root seed).
 */
export function keyChecks(sodium: Sodium, file: VectorFile, ctx: GoldenContext): NamedCheck[] {
  const same = (what: string, actual: Uint8Array, path: string) =>
    expectBytes(sodium, what, actual, file.bytes(path));
  return [
    {
      name: "padme: verify",
      run: () => {
        const lengths = file
          .list("padme.inputs.lengths")
          .map((_, i) => file.int(`padme.inputs.lengths.${i}`));
        const padded = file
          .list("padme.expected.padded")
          .map((_, i) => file.int(`padme.expected.padded.${i}`));
        if (lengths.length === 0) throw new CryptoError("MALFORMED", "no padme lengths");
        expectSame("padme", lengths.map(padme), padded);
        // Padded sizes are fixed points, and the overhead stays under 12% from 2 bytes on.
        expectSame("padme fixed points", padded.map(padme), padded);
        if (lengths.some((n, i) => n >= 2 && padded[i]! > n * 1.12)) {
          throw new CryptoError("MALFORMED", "padme overhead above 12%");
        }
      },
    },
    {
      name: "codeSalt: verify",
      run: () =>
        same(
          "salt",
          codeSalt(sodium, file.text("codeSalt.inputs.helplineId") as HelplineId),
          "codeSalt.expected.salt",
        ),
    },
    {
      name: "seekerCode: verify",
      run: () => {
        const { code, helplineTag } = parseCode(sodium, file.text("seekerCode.expected.typed"));
        expectSame("typed code", code, file.text("seekerCode.expected.code"));
        expectSame("helpline tag", helplineTag, file.int("seekerCode.inputs.helplineTag"));
        same("password", codePassword(sodium, code), "seekerCode.expected.password");
        same(
          "salt",
          codeSalt(sodium, file.text("seekerCode.inputs.helplineId") as HelplineId),
          "seekerCode.expected.salt",
        );
        const keys = ctx.seeker();
        const fromMaster = seekerKeysFromMaster(sodium, file.bytes("seekerCode.expected.master"));
        for (const k of [keys, fromMaster]) {
          same("signIn", k.signIn.publicKey, "seekerCode.expected.signInPk");
          same("messageSign", k.messageSign.publicKey, "seekerCode.expected.messageSignPk");
          same("box", k.box.publicKey, "seekerCode.expected.boxPk");
          same("draftKey", k.draftKey, "seekerCode.expected.draftKey");
        }
      },
    },
    {
      name: "staffAccount: verify",
      run: () => {
        const keys = deriveAccountKeys(sodium, file.bytes("staffAccount.expected.accountKey") as AccountKey);
        same("signIn", keys.signIn.publicKey, "staffAccount.expected.signInPk");
        same("signing", keys.signing.publicKey, "staffAccount.expected.signingPk");
        same("box", keys.box.publicKey, "staffAccount.expected.boxPk");
        same("draftKey", keys.draftKey, "staffAccount.expected.draftKey");
      },
    },
    {
      name: "passphraseWrap: verify",
      run: () => {
        const wrapped = file.bytes("passphraseWrap.expected.wrapped") as WrappedKeyBytes;
        const parsed = parseWrappedKey(wrapped);
        same("re-encoded bundle", encodeWrappedKey(parsed), "passphraseWrap.expected.wrapped");
        expectSame(
          "bundle parameters",
          { kind: parsed.kind, opsLimit: parsed.opsLimit, memLimitKiB: parsed.memLimitKiB },
          {
            kind: "passphrase",
            opsLimit: file.int("passphraseWrap.inputs.opsLimit"),
            memLimitKiB: file.int("passphraseWrap.inputs.memLimitKiB"),
          },
        );
        same("salt", parsed.salt, "passphraseWrap.expected.salt");
        const passphrase = file.text("passphraseWrap.inputs.passphrase");
        same(
          "unwrapped secret",
          unwrapWithPassphrase(sodium, wrapped, passphrase),
          "passphraseWrap.inputs.secret",
        );
        const proof = derivePassphraseProof(sodium, passphrase, wrapped);
        same("proof", proof, "passphraseWrap.expected.proof");
        same("proof hash", proofHash(sodium, proof), "passphraseWrap.expected.proofHash");
      },
    },
    {
      name: "recoveryWrap: verify",
      run: () => {
        const { secret, text } = parseRecoveryKey(
          sodium,
          file.text("recoveryWrap.expected.recoveryText").toLowerCase(),
        );
        expectSame("recovery text", text, file.text("recoveryWrap.expected.recoveryText"));
        same("recovery secret", secret, "recoveryWrap.expected.recoverySecret");
        expectSame("text of the secret", recoveryKeyText(sodium, secret as RecoveryKey), text);
        const wrapped = file.bytes("recoveryWrap.expected.wrapped") as WrappedKeyBytes;
        same("unwrapped secret", unwrapWithRecovery(sodium, wrapped, secret), "recoveryWrap.inputs.secret");
        const proof = recoveryProof(sodium, secret);
        same("recovery proof", proof, "recoveryWrap.expected.recoveryProof");
        same("proof hash", proofHash(sodium, proof), "recoveryWrap.expected.proofHash");
      },
    },
    {
      name: "rootKey: verify",
      run: () => {
        const seed = parseRootRecoveryText(sodium, file.text("rootKey.expected.recoveryText"));
        same("seed of the recovery text", seed, "rootKey.expected.rootSeed");
        const pk = rootKeyFromSeed(sodium, seed).keyPair.publicKey;
        same("root public key", pk, "rootKey.expected.rootPk");
        expectSame(
          "fingerprint",
          rootFingerprint(sodium, pk as RootPublicKey),
          file.text("rootKey.expected.fingerprint"),
        );
      },
    },
    {
      name: "invite: verify",
      run: () => {
        const inviter = file.bytes("invite.inputs.inviterAccountKey") as AccountKey;
        same(
          "inviter signing key",
          deriveAccountKeys(sodium, inviter).signing.publicKey,
          "invite.inputs.inviterSignPk",
        );
        const invite = {
          helplineId: file.text("invite.inputs.helplineId") as HelplineId,
          memberId: file.text("invite.inputs.memberId"),
          role: "counsellor" as const,
        };
        const secret = openInviteSecret(sodium, inviter, file.bytes("invite.expected.sealedSecret"), {
          ...invite,
          inviterSignPk: file.bytes("invite.inputs.inviterSignPk"),
        });
        same("opened invite secret", secret, "invite.inputs.inviteSecret");
        const keys = {
          signInPk: file.bytes("invite.inputs.signInPk"),
          signPk: file.bytes("invite.inputs.signPk"),
          boxPk: file.bytes("invite.inputs.boxPk"),
        };
        verifyInviteKeyProof(sodium, secret, invite, keys, file.bytes("invite.expected.keyProof"));
        const subject = { ...invite, signPk: keys.signPk, boxPk: keys.boxPk };
        expectSame("safety code", memberSafetyCode(sodium, subject), file.text("invite.expected.safetyCode"));
        checkSafetyCode(sodium, subject, file.text("invite.expected.safetyCode"));
      },
    },
  ];
}
