import type { AccountKey, MemberId } from "../src/core/brand.js";
import { newId } from "../src/core/ids.js";
import { padme } from "../src/core/padme.js";
import { seededRandom } from "../src/core/random.js";
import type { Sodium } from "../src/core/sodium.js";
import { deriveAccountKeys, generateAccountKey } from "../src/keys/account-keys.js";
import { rootFingerprint } from "../src/keys/fingerprint.js";
import { ARGON2_FLOOR, proofHash, wrapWithPassphrase } from "../src/keys/passphrase-wrap.js";
import { generateRecoveryKey, recoveryProof, wrapWithRecovery } from "../src/keys/recovery-key.js";
import { generateRootKey, type RootKey, rootRecoveryText } from "../src/keys/root-key.js";
import { codePassword, generateCode } from "../src/keys/seeker-code.js";
import { codeSalt, SEEKER_ARGON2, type SeekerKeys, seekerKeysFromMaster } from "../src/keys/seeker-keys.js";
import { generateInviteSecret, inviteKeyProof, sealInviteSecret } from "../src/roster/invite-binding.js";
import { memberSafetyCode } from "../src/roster/member-safety-code.js";
import {
  GOLDEN_HELPLINE_ID,
  GOLDEN_HELPLINE_TAG,
  GOLDEN_PADME_LENGTHS,
  GOLDEN_PASSPHRASE,
  goldenSeed,
  hex,
  typedVariant,
} from "./golden-vectors-inputs.js";

/** Keys the thread vectors go on with (never written to the file as such). */
export interface GoldenKeyState {
  readonly seeker: SeekerKeys;
  readonly accountKey: AccountKey;
  readonly root: RootKey;
}

/**
 * Vectors of §1 (code, salt, seeker keys), §2 (account keys, passphrase and recovery wraps), §3
 * (root key) and §5 (Padmé). Exactly two Argon2id runs: the code at 64 MiB ops 3, the passphrase
 * wrap at the floor.
 */
export function buildKeyVectors(sodium: Sodium) {
  const h = (b: Uint8Array) => hex(sodium, b);

  const padmeVector = {
    inputs: { lengths: [...GOLDEN_PADME_LENGTHS] },
    expected: { padded: GOLDEN_PADME_LENGTHS.map((n) => padme(n)) },
  };

  const salt = codeSalt(sodium, GOLDEN_HELPLINE_ID);
  const codeSaltVector = { inputs: { helplineId: GOLDEN_HELPLINE_ID }, expected: { salt: h(salt) } };

  const codeSeed = goldenSeed(sodium, "seeker-code");
  const code = generateCode(sodium, {
    helplineTag: GOLDEN_HELPLINE_TAG,
    random: seededRandom(sodium, codeSeed),
  });
  const password = codePassword(sodium, code);
  // The Argon2id step written out as PROTOCOL.md §1 states it, so `master` can be pinned too;
  // the checker derives the same keys again through deriveSeekerKeys.
  const master = sodium.crypto_pwhash(
    32,
    password,
    salt,
    SEEKER_ARGON2.opsLimit,
    SEEKER_ARGON2.memLimitBytes,
    sodium.crypto_pwhash_ALG_ARGON2ID13,
  );
  const seeker = seekerKeysFromMaster(sodium, master);
  const seekerCode = {
    inputs: {
      seed: h(codeSeed),
      helplineTag: GOLDEN_HELPLINE_TAG,
      helplineId: GOLDEN_HELPLINE_ID,
      argon2: { opsLimit: SEEKER_ARGON2.opsLimit, memLimitBytes: SEEKER_ARGON2.memLimitBytes },
    },
    expected: {
      code,
      typed: typedVariant(code),
      password: h(password),
      salt: h(salt),
      master: h(master),
      signInPk: h(seeker.signIn.publicKey),
      messageSignPk: h(seeker.messageSign.publicKey),
      boxPk: h(seeker.box.publicKey),
      draftKey: h(seeker.draftKey),
    },
  };

  const accountSeed = goldenSeed(sodium, "staff-account");
  const accountKey = generateAccountKey(sodium, seededRandom(sodium, accountSeed));
  const account = deriveAccountKeys(sodium, accountKey);
  const staffAccount = {
    inputs: { seed: h(accountSeed) },
    expected: {
      accountKey: h(accountKey),
      signInPk: h(account.signIn.publicKey),
      signingPk: h(account.signing.publicKey),
      boxPk: h(account.box.publicKey),
      draftKey: h(account.draftKey),
    },
  };

  const passSeed = goldenSeed(sodium, "passphrase-wrap");
  const pass = wrapWithPassphrase(sodium, accountKey, GOLDEN_PASSPHRASE, {
    random: seededRandom(sodium, passSeed),
    opsLimit: ARGON2_FLOOR.opsLimit,
    memLimitBytes: ARGON2_FLOOR.memLimitKiB * 1024,
  });
  const passphraseWrap = {
    inputs: {
      seed: h(passSeed),
      passphrase: GOLDEN_PASSPHRASE,
      secret: h(accountKey),
      opsLimit: ARGON2_FLOOR.opsLimit,
      memLimitKiB: ARGON2_FLOOR.memLimitKiB,
    },
    expected: {
      salt: h(pass.salt),
      wrapped: h(pass.wrapped),
      proof: h(pass.proof),
      proofHash: h(proofHash(sodium, pass.proof)),
    },
  };

  const recoverySeed = goldenSeed(sodium, "recovery-wrap");
  const recoveryRandom = seededRandom(sodium, recoverySeed);
  const recovery = generateRecoveryKey(sodium, recoveryRandom);
  const recoveryProofBytes = recoveryProof(sodium, recovery.secret);
  const recoveryWrap = {
    inputs: { seed: h(recoverySeed), secret: h(accountKey) },
    expected: {
      recoverySecret: h(recovery.secret),
      recoveryText: recovery.text,
      wrapped: h(wrapWithRecovery(sodium, accountKey, recovery.secret, recoveryRandom)),
      recoveryProof: h(recoveryProofBytes),
      proofHash: h(proofHash(sodium, recoveryProofBytes)),
    },
  };

  const rootSeed = goldenSeed(sodium, "root-key");
  const rootRandom = seededRandom(sodium, rootSeed);
  const root = generateRootKey(sodium, rootRandom);
  const rootKey = {
    inputs: { seed: h(rootSeed) },
    expected: {
      rootSeed: h(root.seed),
      rootPk: h(root.keyPair.publicKey),
      fingerprint: rootFingerprint(sodium, root.keyPair.publicKey),
      recoveryText: rootRecoveryText(sodium, root.seed),
    },
  };

  // §3 invites: the staff account above invites a new counsellor; its invite key seals the secret.
  const inviteSeed = goldenSeed(sodium, "invite");
  const inviteRandom = seededRandom(sodium, inviteSeed);
  const inviteeId = newId<MemberId>(sodium, inviteRandom);
  const inviteSecret = generateInviteSecret(sodium, inviteRandom);
  const invitee = deriveAccountKeys(sodium, inviteRandom(32) as AccountKey);
  const inviteCtx = { helplineId: GOLDEN_HELPLINE_ID, memberId: inviteeId, role: "counsellor" as const };
  const inviteeKeys = {
    signInPk: invitee.signIn.publicKey,
    signPk: invitee.signing.publicKey,
    boxPk: invitee.box.publicKey,
  };
  const invite = {
    inputs: {
      seed: h(inviteSeed),
      ...inviteCtx,
      inviterAccountKey: h(accountKey),
      inviterSignPk: h(account.signing.publicKey),
      inviteSecret: h(inviteSecret),
      signInPk: h(inviteeKeys.signInPk),
      signPk: h(inviteeKeys.signPk),
      boxPk: h(inviteeKeys.boxPk),
    },
    expected: {
      sealedSecret: h(
        sealInviteSecret(
          sodium,
          accountKey,
          inviteSecret,
          { ...inviteCtx, inviterSignPk: account.signing.publicKey },
          inviteRandom,
        ),
      ),
      keyProof: h(inviteKeyProof(sodium, inviteSecret, inviteCtx, inviteeKeys)),
      safetyCode: memberSafetyCode(sodium, {
        ...inviteCtx,
        signPk: inviteeKeys.signPk,
        boxPk: inviteeKeys.boxPk,
      }),
    },
  };

  const vectors = {
    padme: padmeVector,
    codeSalt: codeSaltVector,
    seekerCode,
    staffAccount,
    passphraseWrap,
    recoveryWrap,
    rootKey,
    invite,
  };
  const state: GoldenKeyState = { seeker, accountKey, root };
  return { vectors, state };
}
