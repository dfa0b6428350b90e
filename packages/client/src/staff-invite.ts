import {
  ARGON2_FLOOR,
  deriveAccountKeys,
  type Fingerprint,
  fromBase64,
  generateAccountKey,
  generateRecoveryKey,
  generateRootKey,
  type HelplineId,
  INVITE_SECRET_BYTES,
  inviteKeyProof,
  type MemberId,
  memberSafetyCode,
  type RecoveryKeyText,
  type RootKey,
  type RootRecoveryText,
  recoveryProof,
  rootFingerprint,
  rootRecoveryText,
  signRoster,
  toBase64,
  wipeRootKey,
  wrapWithPassphrase,
  wrapWithRecovery,
} from "@briefgeheim/crypto";
import type { StaffRole } from "@briefgeheim/protocol";
import type { BriefgeheimClient } from "./client.js";
import { ClientError, guard } from "./errors.js";
import { firstProfile, type HelplineProfileFields, refuseTagOfAnotherHelpline } from "./helpline-profile.js";
import { parseInviteLink } from "./invite-link.js";
import { beforeKeyDerivation } from "./kdf-warm-up.js";
import { letPaint } from "./let-paint.js";
import { withRetry } from "./retry.js";
import { wipeAccountKeys } from "./staff-context.js";
import { readJson } from "./transport.js";

/** Steps of `acceptInvite` (Argon2id runs in "wrapping-key"). */
export type AcceptInviteProgress = "checking-invite" | "generating-keys" | "wrapping-key" | "uploading";

export interface AcceptInviteOptions {
  /** 3-32 of a-z 0-9 . _ - */
  readonly username: string;
  /**
   * The name help-seekers and colleagues see (1-64 bytes). The first supervisor's goes into roster v1;
   * everyone else's is sent with the acceptance and put on the roster by the admitting supervisor
   * (who may change it).
   */
  readonly displayName: string;
  /**
   * The invite secret from the link's fragment (base64url), when not already part of the `token`
   * argument (`<token>/<secret>` or the whole link). It binds this account's keys to the invite, so
   * the admitting supervisor can tell them from keys a server slipped in.
   */
  readonly inviteSecret?: string;
  readonly passphrase: string;
  /** Argon2id cost of the passphrase wrap; default and minimum: ops 3, 64 MiB. */
  readonly kdf?: { readonly opsLimit?: number; readonly memLimitKiB?: number };
  readonly onProgress?: (step: AcceptInviteProgress) => void;
  /**
   * First supervisor only: the helpline profile version 1 they sign (name, Dutch and English
   * descriptions, reply time). Default: the operator's proposal the invite shows.
   */
  readonly profile?: HelplineProfileFields;
}

export interface AcceptedInvite {
  readonly memberId: MemberId;
  readonly helplineId: HelplineId;
  readonly role: StaffRole;
  /** `active` for the first supervisor (on roster v1); `pending` until a supervisor admits the others. */
  readonly status: "pending" | "active";
  /** Print it on the recovery sheet: it resets a forgotten passphrase. Shown once. */
  readonly recoveryKeyText: RecoveryKeyText;
  /**
   * This member's safety code (6 groups of 5 digits) for the keys and `role` of this invite: the
   * supervisor who admits them compares it with the code on their team screen (a role the server
   * changed there shows another code). Show `role` beside it on the pending screen and in "My keys".
   */
  readonly safetyCode: string;
  /**
   * First supervisor only: the helpline root seed, to print and lock away. Shown once; it is stored
   * nowhere else (not on the server, not in this browser).
   */
  readonly rootRecoveryText?: RootRecoveryText;
  /** First supervisor only: the new root's fingerprint, to publish and pin in the client build. */
  readonly fingerprint?: Fingerprint;
}

/**
 * Accepts a one-time invite: makes the account key in this process, wraps it under the passphrase
 * (Argon2id) and under a fresh recovery key, and uploads only the wrapped copies and public keys.
 * For a helpline's first supervisor it also makes the helpline root key, signs roster v1 listing
 * this supervisor, returns the root's sheet text to print once and wipes the seed (it is never
 * uploaded or stored); the client then trusts that root (it made it). Retrying after a network failure is safe (the server returns the first
 * answer for the same account).
 *
 * `invite` is the token, `<token>/<secret>`, or the whole link (`.../staff/#/invite/<token>/<secret>`).
 *
 * @example
 * const accepted = await acceptInvite(client, location.hash, {
 *   username: "anna", displayName: "Anna", passphrase, onProgress: (s) => show(s),
 * });
 * printRecoverySheet(accepted.recoveryKeyText);
 */
export function acceptInvite(
  client: BriefgeheimClient,
  invite: string,
  options: AcceptInviteOptions,
): Promise<AcceptedInvite> {
  return guard(async () => {
    const { sodium, random } = client;
    const progress = options.onProgress ?? (() => {});
    const parts = parseInviteLink(invite);
    if (parts === undefined) throw new ClientError("NOT_FOUND", "this is not an invite link");
    const token = parts.token;
    const secretText = options.inviteSecret ?? parts.secret;
    const secret = secretText === undefined ? undefined : fromBase64(sodium, secretText);
    if (secret !== undefined && secret.length !== INVITE_SECRET_BYTES) {
      throw new ClientError("MALFORMED", "the invite link's secret is damaged", { source: "crypto" });
    }
    progress("checking-invite");
    const info = await readJson(await client.api.invites[":token"].$get({ param: { token } }));
    const memberId = info.memberId as MemberId;
    const helplineId = info.helplineId as HelplineId;
    // Profile v1 signs the server's unsigned proposal: never a tag another pinned helpline signed.
    if (info.firstSupervisor && info.proposedProfile !== null && info.proposedProfile !== undefined) {
      await refuseTagOfAnotherHelpline(client, helplineId, info.proposedProfile.tag);
    }

    progress("generating-keys");
    const accountKey = generateAccountKey(sodium, random);
    const keys = deriveAccountKeys(sodium, accountKey);
    const recovery = generateRecoveryKey(sodium, random);
    let root: RootKey | undefined;
    try {
      progress("wrapping-key");
      await letPaint();
      beforeKeyDerivation(sodium);
      const pass = wrapWithPassphrase(sodium, accountKey, options.passphrase, {
        random,
        ...(options.kdf?.opsLimit === undefined ? {} : { opsLimit: options.kdf.opsLimit }),
        ...(options.kdf?.memLimitKiB === undefined ? {} : { memLimitBytes: options.kdf.memLimitKiB * 1024 }),
      });
      const recoveryWrapped = wrapWithRecovery(sodium, accountKey, recovery.secret, random);
      let firstSupervisor: { roster: string; profile?: string } | undefined;
      if (info.firstSupervisor) {
        if (info.role !== "supervisor") {
          throw new ClientError("UNEXPECTED_RESPONSE", "a first-supervisor invite must be for a supervisor", {
            source: "server",
          });
        }
        root = generateRootKey(sodium, random);
        const roster = signRoster(
          sodium,
          {
            helplineId,
            version: 1,
            prevHash: new Uint8Array(32),
            issuedAt: client.now(),
            members: [
              {
                memberId,
                role: "supervisor",
                intakeReader: false,
                signPk: keys.signing.publicKey,
                boxPk: keys.box.publicKey,
                displayName: options.displayName,
              },
            ],
          },
          root.keyPair,
        );
        // Refuses a root that contradicts a pin in this build before anything is uploaded.
        client.helplines.adoptCreatedRoot(helplineId, root.keyPair.publicKey);
        // Profile v1 (helpline-profile.ts): the helpline opens to help-seekers with this acceptance.
        const profile = firstProfile(client, helplineId, info.proposedProfile, keys.signing, options.profile);
        firstSupervisor = { roster: toBase64(sodium, roster), ...(profile === undefined ? {} : { profile }) };
      }
      const keyProof =
        secret === undefined || info.firstSupervisor
          ? undefined
          : inviteKeyProof(
              sodium,
              secret,
              { helplineId, memberId, role: info.role },
              {
                signInPk: keys.signIn.publicKey,
                signPk: keys.signing.publicKey,
                boxPk: keys.box.publicKey,
              },
            );
      const json = {
        username: options.username,
        displayName: options.displayName,
        signInPk: toBase64(sodium, keys.signIn.publicKey),
        signPk: toBase64(sodium, keys.signing.publicKey),
        boxPk: toBase64(sodium, keys.box.publicKey),
        ...(keyProof === undefined ? {} : { keyProof: toBase64(sodium, keyProof) }),
        passphrase: {
          salt: toBase64(sodium, pass.salt),
          opsLimit: options.kdf?.opsLimit ?? ARGON2_FLOOR.opsLimit,
          memLimitKiB: options.kdf?.memLimitKiB ?? ARGON2_FLOOR.memLimitKiB,
          proof: toBase64(sodium, pass.proof),
          wrappedKey: toBase64(sodium, pass.wrapped),
        },
        recovery: {
          proof: toBase64(sodium, recoveryProof(sodium, recovery.secret)),
          wrappedKey: toBase64(sodium, recoveryWrapped),
        },
        ...(firstSupervisor ?? {}),
      };
      pass.proof.fill(0);
      progress("uploading");
      const accepted = await withRetry(async () =>
        readJson(await client.api.invites[":token"].accept.$post({ param: { token }, json })),
      );
      return {
        memberId,
        helplineId,
        role: accepted.role,
        status: accepted.status,
        recoveryKeyText: recovery.text,
        safetyCode: memberSafetyCode(sodium, {
          helplineId,
          memberId,
          role: info.role,
          signPk: keys.signing.publicKey,
          boxPk: keys.box.publicKey,
        }),
        ...(root === undefined
          ? {}
          : {
              rootRecoveryText: rootRecoveryText(sodium, root.seed),
              fingerprint: rootFingerprint(sodium, root.keyPair.publicKey),
            }),
      };
    } finally {
      wipeAccountKeys(accountKey, keys);
      recovery.secret.fill(0);
      secret?.fill(0);
      if (root !== undefined) wipeRootKey(root);
    }
  });
}
