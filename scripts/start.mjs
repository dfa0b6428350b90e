// `npm start`: install if needed, migrate the embedded database, create a demo helpline on first run
// (unless BRIEFGEHEIM_DEMO=off), then run the API server in the foreground.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureDeps } from "./ensure-deps.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
ensureDeps(root);

const node = (args, opts = {}) =>
  spawnSync(process.execPath, ["--import", "tsx", ...args], { cwd: root, encoding: "utf8", ...opts });
const port = process.env.PORT ?? "8787";
const env = { ...process.env, PORT: port, ORIGIN: process.env.ORIGIN ?? `http://localhost:${port}` };

if (process.env.BRIEFGEHEIM_DEMO !== "off") {
  // The admin tool migrates the database; an empty list means first run.
  const list = node(["apps/api/src/admin.ts", "helpline", "list"], { env });
  if (list.status !== 0) {
    process.stderr.write(list.stderr);
    process.exit(list.status ?? 1);
  }
  if (list.stdout.includes("no helplines")) {
    const made = node(
      [
        "apps/api/src/admin.ts",
        "helpline",
        "create",
        "--slug",
        "demo",
        "--name",
        "Demo-hulplijn",
        "--tag",
        "1",
        "--reply-hours",
        "72",
        "--description",
        "Een demonstratie van Briefgeheim. / A Briefgeheim demonstration.",
      ],
      { env },
    );
    process.stdout.write(made.stdout);
    process.stderr.write(made.stderr);
    if (made.status !== 0) process.exit(made.status ?? 1);
    console.log("Demo helpline created. Open the invite link above to set it up as its first supervisor.");
  }
}

console.log(`Briefgeheim API on ${env.ORIGIN}/api (health: ${env.ORIGIN}/api/health). Stop with Ctrl+C.`);
const server = spawnSync(process.execPath, ["--import", "tsx", "apps/api/src/server.ts"], {
  cwd: root,
  env,
  stdio: "inherit",
});
process.exit(server.status ?? 0);
