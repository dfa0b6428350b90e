/**
 * @briefgeheim/crypto: the whole end-to-end protocol of docs/PROTOCOL.md, pure and synchronous where
 * possible. Every function takes the loaded libsodium (`await loadSodium()`) as its first argument.
 *
 * @example
 * import { loadSodium, generateCode, deriveSeekerKeys, systemRandom } from "@briefgeheim/crypto";
 * const sodium = await loadSodium();
 * const code = generateCode(sodium, { helplineTag: 7, random: systemRandom(sodium) });
 * const keys = deriveSeekerKeys(sodium, code, helplineId);
 */
export * from "./account-keys.js";
export * from "./aead.js";
export * from "./attachment.js";
export * from "./base32.js";
export * from "./brand.js";
export * from "./draft.js";
export * from "./encoding.js";
export * from "./envelope.js";
export * from "./envelope-codec.js";
export * from "./epoch-history.js";
export * from "./epoch-keys-check.js";
export * from "./epoch-record.js";
export * from "./epoch-rules.js";
export * from "./epoch-verify.js";
export * from "./errors.js";
export * from "./fingerprint.js";
export * from "./golden-vectors.js";
export * from "./grant.js";
export * from "./grant-open.js";
export * from "./hash.js";
export * from "./ids.js";
export * from "./invite-binding.js";
export * from "./key-pair-from-seed.js";
export * from "./labels.js";
export * from "./open-thread.js";
export * from "./padme.js";
export * from "./passphrase-wrap.js";
export * from "./payload.js";
export * from "./random.js";
export * from "./recovery-key.js";
export * from "./regrant-caseload.js";
export * from "./root-key.js";
export * from "./root-share.js";
export * from "./roster.js";
export * from "./roster-members.js";
export * from "./roster-rules.js";
export * from "./roster-verify.js";
export * from "./sealed-box.js";
export * from "./seeker-code.js";
export * from "./seeker-keys.js";
export * from "./sign.js";
export * from "./sign-in.js";
export * from "./sodium.js";
export * from "./start-epoch.js";
export * from "./thread-ops.js";
export * from "./thread-readers.js";
export * from "./types.js";
export * from "./verify-thread.js";
export * from "./walk-back-history.js";
export * from "./wrapped-key.js";
