// Mutation testing of the verification code (`npm run mutation`; not part of `npm test`: it takes
// tens of minutes on two cores). The score and the surviving mutants we accept are recorded in
// docs/PROTOCOL.md, "Mutation testing".
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts" },
  plugins: ["@stryker-mutator/vitest-runner", "./scripts/stryker/ignore-error-messages.mjs"],
  // Error texts are not decisions (see the ignorer); their codes are still mutated.
  ignorers: ["ErrorMessage"],
  coverageAnalysis: "perTest",
  // The verification code: everything that decides whether bytes from the server are trusted.
  mutate: [
    "packages/crypto/src/roster/roster.ts",
    "packages/crypto/src/roster/roster-rules.ts",
    "packages/crypto/src/roster/roster-verify.ts",
    "packages/crypto/src/roster/invite-binding.ts",
    "packages/crypto/src/roster/member-safety-code.ts",
    "packages/crypto/src/roster/helpline-profile.ts",
    "packages/crypto/src/roster/helpline-safety.ts",
    "packages/crypto/src/threads/epoch-record.ts",
    "packages/crypto/src/threads/epoch-rules.ts",
    "packages/crypto/src/threads/epoch-verify.ts",
    "packages/crypto/src/threads/epoch-keys-check.ts",
    "packages/crypto/src/threads/epoch-history.ts",
    "packages/crypto/src/threads/grant.ts",
    "packages/crypto/src/threads/grant-open.ts",
    "packages/crypto/src/threads/open-thread.ts",
    "packages/crypto/src/messages/envelope.ts",
    "packages/crypto/src/messages/envelope-codec.ts",
    "packages/crypto/src/messages/heads.ts",
    "packages/crypto/src/messages/thread-heads.ts",
    "packages/crypto/src/messages/thread-links.ts",
    "packages/crypto/src/messages/verify-thread.ts",
    "packages/crypto/src/messages/thread-event-rules.ts",
    "packages/crypto/src/messages/team-replies-open.ts",
    "packages/crypto/src/messages/saved-replies.ts",
    "packages/crypto/src/messages/attachment-decrypt.ts",
    "packages/crypto/src/messages/attachment-header.ts",
    "packages/crypto/src/stats/grant-key.ts",
    "packages/crypto/src/stats/grant-key-native.ts",
    "packages/crypto/src/stats/survey-record.ts",
    "packages/crypto/src/core/seal-open-native.ts",
    "packages/crypto/src/stats/annual-report.ts",
    "packages/client/src/thread-memory.ts",
    "packages/client/src/heads-check.ts",
    "packages/client/src/helplines.ts",
  ],
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  thresholds: { high: 95, low: 90, break: 90 },
  concurrency: 2,
  timeoutMS: 20_000,
  tempDirName: ".stryker-tmp",
  // Stryker rewrites `extends`/`references` of the named tsconfig with the TypeScript JS API, which the
  // native TypeScript 7 compiler does not ship. Our tsconfig has neither, so point it at no file.
  tsconfigFile: "no-tsconfig-to-rewrite.json",
};
