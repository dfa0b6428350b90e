/**
 * Setting a new passphrase with the printed recovery key (API: /api/auth/staff/recover and /reset).
 * The SDK has no call for it yet, so this uses the SDK's typed API and the crypto package directly:
 * the recovery key proves itself to the server, which hands back the account key wrapped under it;
 * the account key is unwrapped here, wrapped anew under the new passphrase (Argon2id at the floor) and
 * uploaded. Signing in afterwards checks the unlocked keys against the verified roster as always.
 */
import type { AccountKey, RecoveryKey, WrappedKeyBytes } from "@briefgeheim/crypto";
import { getClient, loadCrypto, loadSdk } from "./sdk.js";

export type RecoverStep = "loading" | "checking-key" | "wrapping-key" | "uploading";

export async function resetPassphrase(input: {
  username: string;
  recoveryKey: string;
  newPassphrase: string;
  onProgress: (step: RecoverStep) => void;
}): Promise<void> {
  input.onProgress("loading");
  const [sdk, crypto, client] = await Promise.all([loadSdk(), loadCrypto(), getClient()]);
  const { sodium, random } = client;
  // Throws INVALID_RECOVERY_KEY (typo, checksum) before any request.
  const { secret } = crypto.parseRecoveryKey(sodium, input.recoveryKey);
  let accountKey: Uint8Array | undefined;
  try {
    input.onProgress("checking-key");
    const recoveryProof = crypto.toBase64(sodium, crypto.recoveryProof(sodium, secret as RecoveryKey));
    const found = await sdk.readJson(
      await client.api.auth.staff.recover.$post({ json: { username: input.username, recoveryProof } }),
    );
    accountKey = crypto.unwrapWithRecovery(
      sodium,
      crypto.fromBase64(sodium, found.recoveryWrappedKey) as WrappedKeyBytes,
      secret as RecoveryKey,
    ) as AccountKey;
    input.onProgress("wrapping-key");
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const wrapped = crypto.wrapWithPassphrase(sodium, accountKey, input.newPassphrase, { random });
    const passphrase = {
      salt: crypto.toBase64(sodium, wrapped.salt),
      opsLimit: crypto.ARGON2_FLOOR.opsLimit,
      memLimitKiB: crypto.ARGON2_FLOOR.memLimitKiB,
      proof: crypto.toBase64(sodium, wrapped.proof),
      wrappedKey: crypto.toBase64(sodium, wrapped.wrapped),
    };
    wrapped.proof.fill(0);
    input.onProgress("uploading");
    await sdk.readJson(
      await client.api.auth.staff.reset.$post({
        json: { username: input.username, recoveryProof, passphrase },
      }),
    );
  } finally {
    accountKey?.fill(0);
    secret.fill(0);
  }
}
