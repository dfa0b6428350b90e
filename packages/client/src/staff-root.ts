import {
  bytesEqual,
  fromBase64,
  openSharedRoot,
  type RootKey,
  unwrapRootSeed,
  type WrappedKeyBytes,
} from "@briefgeheim/crypto";
import { ClientError, isClientError } from "./errors.js";
import type { StaffContext } from "./staff-context.js";
import { readJson } from "./transport.js";

/** A sealed box of a 32-byte seed: ephemeral key 32 + seed 32 + tag 16. */
const SHARED_ROOT_BYTES = 80;

/**
 * The helpline root key from the supervisor's server copy: either the owner's copy (wrapped under
 * the account key, type 0x06 kind 3) or a copy another supervisor shared (a sealed box to this
 * member's box key). Either way it is accepted only if its public key is the pinned root
 * (`ROSTER_WRONG_ROOT`). `NO_ROOT_KEY` when the server holds no copy for this member.
 * Wipe it with `wipeRootKey` after use.
 *
 * @example
 * const root = await loadRootKey(ctx);
 * try { sign(root); } finally { wipeRootKey(root); }
 */
export async function loadRootKey(ctx: StaffContext): Promise<RootKey> {
  const { client, helplineId } = ctx;
  const { sodium } = client;
  const pinned = (await client.helplines.trust(helplineId)).rootPk;
  let sealedText: string;
  try {
    sealedText = (await readJson(await client.api.staff["root-key"].$get())).rootSealed;
  } catch (e) {
    if (isClientError(e, "NOT_FOUND")) {
      throw new ClientError("NO_ROOT_KEY", "this account holds no copy of the helpline root key");
    }
    throw e;
  }
  const sealed = fromBase64(sodium, sealedText);
  const root =
    sealed.length === SHARED_ROOT_BYTES
      ? openSharedRoot(sodium, sealed, ctx.keys.box, pinned)
      : unwrapRootSeed(sodium, sealed as WrappedKeyBytes, ctx.accountKey);
  if (!bytesEqual(sodium, root.keyPair.publicKey, pinned)) {
    wipeRootKey(root);
    throw new ClientError("ROSTER_WRONG_ROOT", "the stored root key is not the helpline's pinned root", {
      source: "crypto",
    });
  }
  return root;
}

/** Overwrites the root seed and secret key. */
export function wipeRootKey(root: RootKey): void {
  root.seed.fill(0);
  root.keyPair.secretKey.fill(0);
}
