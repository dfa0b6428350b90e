import { defineConfig } from "vitest/config";

// The unit tests that guard the verification code, for Stryker (`npm run mutation`): fast, no browser,
// no server processes. The full suite is `vitest.config.ts`.
export default defineConfig({
  test: {
    include: [
      "packages/crypto/src/**/*.test.ts",
      "packages/crypto/vectors/*.test.ts",
      "packages/client/src/**/*.test.ts",
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
