import {
  fromBase64,
  type HelplineId,
  type SignSecretKey,
  signChallenge,
  toBase64,
} from "@briefgeheim/crypto";
import type { BriefgeheimClient } from "./client.js";
import { readJson } from "./transport.js";

/**
 * Asks the server for a single-use sign-in nonce and signs it with the sign-in key, bound to the
 * client's origin, the helpline and the role (PROTOCOL.md §8).
 *
 * @example
 * const { nonce, signature } = await answerChallenge(client, helplineId, "seeker", keys.signIn.secretKey);
 */
export async function answerChallenge(
  client: BriefgeheimClient,
  helplineId: HelplineId,
  role: "seeker" | "staff",
  signInSecretKey: SignSecretKey,
): Promise<{ nonce: string; signature: string }> {
  const { sodium } = client;
  const challenge = await readJson(await client.api.auth.challenge.$post({ json: { helplineId } }));
  const nonce = fromBase64(sodium, challenge.nonce);
  const signature = signChallenge(
    sodium,
    { origin: client.transport.origin, helplineId, role, nonce },
    signInSecretKey,
  );
  return { nonce: challenge.nonce, signature: toBase64(sodium, signature) };
}
