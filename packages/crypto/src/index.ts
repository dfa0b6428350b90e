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

export * from "./core/aead.js";
export * from "./core/base32.js";
export * from "./core/brand.js";
export * from "./core/encoding.js";
export * from "./core/errors.js";
export * from "./core/hash.js";
export * from "./core/ids.js";
export * from "./core/key-pair-from-seed.js";
export * from "./core/labels.js";
export * from "./core/padme.js";
export * from "./core/pow.js";
export * from "./core/random.js";
export * from "./core/sealed-box.js";
export * from "./core/sign.js";
export * from "./core/sodium.js";
export * from "./core/types.js";
export * from "./keys/account-keys.js";
export * from "./keys/fingerprint.js";
export * from "./keys/passphrase-wrap.js";
export * from "./keys/recovery-key.js";
export * from "./keys/root-key.js";
export * from "./keys/seeker-code.js";
export * from "./keys/seeker-keys.js";
export * from "./keys/sign-in.js";
export * from "./keys/wrapped-key.js";
export * from "./messages/attachment-chunk.js";
export * from "./messages/attachment-decrypt.js";
export * from "./messages/attachment-encrypt.js";
export * from "./messages/attachment-hash.js";
export * from "./messages/attachment-header.js";
export * from "./messages/attachment-layout.js";
export * from "./messages/attachment-name.js";
export * from "./messages/draft.js";
export * from "./messages/envelope.js";
export * from "./messages/envelope-codec.js";
export * from "./messages/heads.js";
export * from "./messages/payload.js";
export * from "./messages/thread-event.js";
export * from "./messages/thread-event-rules.js";
export * from "./messages/thread-heads.js";
export * from "./messages/verify-thread.js";
export * from "./messages/verify-thread-from.js";
export * from "./roster/helpline-profile.js";
export { checkSafetyFields, isSafeHttpsUrl, SAFETY_LIMITS } from "./roster/helpline-safety.js";
export * from "./roster/invite-binding.js";
export * from "./roster/member-safety-code.js";
export * from "./roster/roster.js";
export * from "./roster/roster-members.js";
export * from "./roster/roster-rules.js";
export * from "./roster/roster-verify.js";
export * from "./stats/annual-report.js";
export * from "./stats/grant-key.js";
export * from "./stats/survey-answers.js";
export * from "./stats/survey-record.js";
export * from "./threads/epoch-history.js";
export * from "./threads/epoch-keys-check.js";
export * from "./threads/epoch-record.js";
export * from "./threads/epoch-rules.js";
export * from "./threads/epoch-verify.js";
export * from "./threads/grant.js";
export * from "./threads/grant-open.js";
export * from "./threads/open-thread.js";
export * from "./threads/regrant-caseload.js";
export * from "./threads/start-epoch.js";
export * from "./threads/thread-ops.js";
export * from "./threads/thread-readers.js";
export * from "./threads/walk-back-history.js";
