import { defineConfig } from "drizzle-kit";

// Run from the repository root: `npm run db:generate`. Migrations go to the top-level drizzle/ folder
// and are applied by the server at start-up (apps/api/src/db/migrate.ts).
export default defineConfig({
  dialect: "turso",
  schema: "./apps/api/src/db/schema.ts",
  out: "./drizzle",
  dbCredentials: { url: "file:./data/drizzle-kit.db" },
  casing: "snake_case",
});
