import {
  deriveSeekerKeys,
  generateCode,
  type HelplineId,
  parseCode,
  type SeekerCode,
  toBase64,
} from "@briefgeheim/crypto";
import type { Helpline } from "@briefgeheim/protocol";
import { answerChallenge } from "./challenge.js";
import type { BriefgeheimClient } from "./client.js";
import { ClientError, guard } from "./errors.js";
import { checkProfile } from "./helpline-profile.js";
import { beforeKeyDerivation } from "./kdf-warm-up.js";
import { letPaint } from "./let-paint.js";
import { type PowProgress, withProofOfWork } from "./pow.js";
import { SeekerSession, wipeSeekerKeys } from "./seeker.js";
import { readJson } from "./transport.js";

/** Steps of `startSeeker`, for a progress display (key derivation takes a moment). */
export type SeekerProgress = "checking-code" | "verifying-helpline" | "deriving-keys" | "signing-in";

export interface StartSeekerOptions {
  /** The code as typed on return (any case, spaces, dashes). Omit to make a new code. */
  readonly code?: string;
  /** Required when making a new code: the helpline the help-seeker writes to. */
  readonly helplineId?: HelplineId;
  readonly onProgress?: (step: SeekerProgress) => void;
  /** Progress of the sign-in's proof of work (numbers tried, most there can be); silent when quick. */
  readonly onWork?: PowProgress;
}

/**
 * A help-seeker's session: from a new code (first visit) or a typed one (return, any device). A
 * typo in a typed code fails with `INVALID_CODE_CHECKSUM` (or `INVALID_CODE_FORMAT`) before any
 * network request. The helpline is found by the tag in the code, its roster verified against the
 * pinned root, the keys derived from the code (Argon2id), and the session opened by challenge.
 *
 * @example
 * // first visit: show session.code with care before sending
 * const session = await startSeeker(client, { helplineId, onProgress: (s) => show(s) });
 * const { threadId } = await session.openThread({ subject: "Vraag", body: "Hallo ..." });
 * // return visit
 * const again = await startSeeker(client, { code: typed });
 * const view = await again.readThread(threadId);
 */
export async function startSeeker(
  client: BriefgeheimClient,
  options: StartSeekerOptions,
): Promise<SeekerSession> {
  return guard(async () => {
    const { sodium } = client;
    const progress = options.onProgress ?? (() => {});
    let typed: SeekerCode | undefined;
    let typedTag: number | undefined;
    let helpline: Helpline;
    if (options.code !== undefined) {
      progress("checking-code");
      const parsed = parseCode(sodium, options.code); // local: a typo never reaches the network
      typed = parsed.code;
      typedTag = parsed.helplineTag;
      helpline = await client.helplines.byTag(parsed.helplineTag);
    } else {
      if (options.helplineId === undefined) {
        throw new ClientError("NO_SUCH_HELPLINE", "a new code needs the helpline it is for");
      }
      helpline = await client.helplines.get(options.helplineId);
    }
    const helplineId = helpline.id as HelplineId;
    progress("verifying-helpline");
    const trusted = await client.helplines.trust(helplineId);
    // The signed profile decides which helpline a code's tag names (docs/PROTOCOL.md §10): a returning
    // code routed to a helpline that signed another tag is PROFILE_TAG_MISMATCH; a new code carries the
    // signed tag, never the server's unsigned one. No signed profile yet: HELPLINE_NOT_OPEN.
    const profile = checkProfile(client, trusted, typedTag === undefined ? {} : { tag: typedTag });
    const code = typed ?? generateCode(sodium, { helplineTag: profile.tag, random: client.random });
    progress("deriving-keys");
    await letPaint();
    beforeKeyDerivation(sodium);
    const keys = deriveSeekerKeys(sodium, code, helplineId);
    try {
      progress("signing-in");
      const signInPk = toBase64(sodium, keys.signIn.publicKey);
      // The proof of work first: the sign-in nonce lives 60 s, a slow proof must not outlive it.
      await withProofOfWork(
        client,
        "seeker-sign-in",
        async (headers) => {
          const answer = await answerChallenge(client, helplineId, "seeker", keys.signIn.secretKey);
          return readJson(
            await client.api.auth.seeker.$post({ json: { helplineId, signInPk, ...answer } }, { headers }),
          );
        },
        options.onWork,
      );
    } catch (e) {
      wipeSeekerKeys(keys);
      throw e;
    }
    // The name the help-seeker is shown is the signed profile's, never the server's listing (review finding 6).
    const signed = { ...trusted.helpline, name: profile.name };
    return new SeekerSession(client, code, signed, trusted.fingerprint, trusted.pinnedBy, keys);
  });
}
