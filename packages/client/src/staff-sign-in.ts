import {
  type AccountKey,
  bytesEqual,
  deriveAccountKeys,
  derivePassphraseKeys,
  findMemberById,
  fromBase64,
  type HelplineId,
  type MemberId,
  toBase64,
  unwrapWithPassphrase,
  type WrappedKeyBytes,
} from "@briefgeheim/crypto";
import { answerChallenge } from "./challenge.js";
import type { BriefgeheimClient } from "./client.js";
import { ClientError, guard } from "./errors.js";
import { beforeKeyDerivation } from "./kdf-warm-up.js";
import { letPaint } from "./let-paint.js";
import { StaffSession } from "./staff.js";
import { wipeAccountKeys } from "./staff-context.js";
import { readJson } from "./transport.js";

/** Steps of `signInStaff` (Argon2id runs in "deriving-keys"). */
export type StaffSignInProgress = "deriving-keys" | "unlocking" | "verifying-roster" | "signing-in";

export interface StaffSignInOptions {
  readonly username: string;
  readonly passphrase: string;
  readonly onProgress?: (step: StaffSignInProgress) => void;
}

/**
 * Signs a staff member in: Argon2id over the passphrase with the server's parameters (refused
 * below the floor: `WEAK_KDF_PARAMS`, so the server cannot downgrade them), the proof releases the
 * wrapped account key, which is unwrapped here; the keys it gives must be this member's keys on the
 * helpline's verified roster (`NOT_ON_ROSTER` while not admitted, `ROSTER_KEY_MISMATCH` when the
 * server swapped the bundle); then the session is opened by challenge.
 *
 * @example
 * const staff = await signInStaff(client, { username: "anna", passphrase, onProgress: (s) => show(s) });
 * const intake = await staff.listThreads("intake");
 */
export function signInStaff(client: BriefgeheimClient, options: StaffSignInOptions): Promise<StaffSession> {
  return guard(async () => {
    const { sodium } = client;
    const progress = options.onProgress ?? (() => {});
    const { username } = options;

    progress("deriving-keys");
    const params = await readJson(await client.api.auth.staff.params.$post({ json: { username } }));
    await letPaint();
    beforeKeyDerivation(sodium);
    const pass = derivePassphraseKeys(sodium, options.passphrase, {
      salt: fromBase64(sodium, params.salt),
      opsLimit: params.opsLimit,
      memLimitKiB: params.memLimitKiB,
    });
    try {
      progress("unlocking");
      const proof = toBase64(sodium, pass.proof);
      const unlocked = await readJson(
        await client.api.auth.staff.unlock.$post({ json: { username, proof } }),
      );
      const accountKey = unwrapWithPassphrase(
        sodium,
        fromBase64(sodium, unlocked.wrappedKey) as WrappedKeyBytes,
        pass,
      ) as AccountKey;
      const keys = deriveAccountKeys(sodium, accountKey);
      const memberId = unlocked.memberId as MemberId;
      const helplineId = unlocked.helplineId as HelplineId;
      try {
        progress("verifying-roster");
        // The challenge is fetched (and signed) while the roster is checked; its answer is sent only
        // after the checks below passed.
        const answering = answerChallenge(client, helplineId, "staff", keys.signIn.secretKey);
        answering.catch(() => {}); // awaited below; a roster failure first is what is reported
        const trusted = await client.helplines.trust(helplineId);
        const member = findMemberById(trusted.roster, memberId);
        if (member === undefined) {
          throw new ClientError(
            "NOT_ON_ROSTER",
            "this account is not on the helpline's roster (not admitted yet)",
            {
              source: "crypto",
            },
          );
        }
        if (
          !bytesEqual(sodium, member.signPk, keys.signing.publicKey) ||
          !bytesEqual(sodium, member.boxPk, keys.box.publicKey)
        ) {
          throw new ClientError(
            "ROSTER_KEY_MISMATCH",
            "the unlocked keys are not this member's keys on the roster",
            {
              source: "crypto",
            },
          );
        }
        progress("signing-in");
        const answer = await answering;
        const session = await readJson(
          await client.api.auth.staff.$post({ json: { username, proof, ...answer } }),
        );
        if (session.memberId !== memberId || session.helplineId !== helplineId) {
          throw new ClientError("UNEXPECTED_RESPONSE", "the session is for another account", {
            source: "server",
          });
        }
        return new StaffSession(client, {
          helpline: trusted.helpline,
          fingerprint: trusted.fingerprint,
          pinnedBy: trusted.pinnedBy,
          memberId,
          username,
          role: member.role,
          displayName: member.displayName,
          accountKey,
          keys,
        });
      } catch (e) {
        wipeAccountKeys(accountKey, keys);
        throw e;
      }
    } finally {
      pass.wrapKey.fill(0);
      pass.proof.fill(0);
    }
  });
}
