import { defineConfig } from "vitest/config";

/**
 * Two projects. `main` is the whole suite. `libsql-client` runs the API tests that touch the database
 * (every route, the writer, maintenance, the operator's functions) once more through `@libsql/client`,
 * the driver a `libsql://` deployment uses, on a file (DATABASE_DRIVER=client, apps/api/src/db/client.ts);
 * tests that never open a database (middleware units, static files, the verifier pool, the native
 * client's own test) are left out. `npm test` (scripts/test.mjs) sets BRIEFGEHEIM_ALL_DRIVERS=1; a plain
 * `npx vitest run <file>` runs `main` only, so nobody runs an API test twice by accident.
 */
const allDrivers = process.env.BRIEFGEHEIM_ALL_DRIVERS === "1";

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: [
      {
        extends: true,
        test: {
          name: "main",
          include: [
            "packages/*/src/**/*.test.ts",
            "packages/crypto/vectors/*.test.ts",
            "apps/*/src/**/*.test.ts",
            "tests/**/*.test.ts",
          ],
        },
      },
      ...(allDrivers
        ? [
            {
              extends: true as const,
              test: {
                name: "libsql-client",
                include: [
                  "apps/api/src/*.test.ts",
                  "apps/api/src/routes/**/*.test.ts",
                  "apps/api/src/db/*.test.ts",
                  "apps/api/src/middleware/session/*.test.ts",
                ],
                exclude: ["apps/api/src/routes/static/**", "apps/api/src/db/native.test.ts"],
                env: { DATABASE_DRIVER: "client" },
              },
            },
          ]
        : []),
    ],
  },
});
