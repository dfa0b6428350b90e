// `npm start`: install if needed, migrate the embedded database, create a demo helpline on first run
// (unless BRIEFGEHEIM_DEMO=off), build the browser apps when needed, then run the API server in the
// foreground.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureDeps } from "./ensure-deps.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
ensureDeps(root);

const port = process.env.PORT ?? "8787";
const env = { ...process.env, PORT: port, ORIGIN: process.env.ORIGIN ?? `http://localhost:${port}` };

const demo = process.env.BRIEFGEHEIM_DEMO !== "off";

// The pins the apps are built with: config/pins.json (the operator's; docs/SEEKER.md, docs/STAFF.md),
// plus, with the demo on, the demo helpline's root. scripts/demo.ts migrates the database, on an empty
// one creates the demo helpline, its root key, a supervisor and a counsellor through packages/client
// (as a browser would), prints the demo sign-ins, and writes the merged pins to data/pins.build.json
// (beside the database, not committed).
let pinsFile = join(root, "config", "pins.json");
if (demo) {
  pinsFile = join(root, "data", "pins.build.json");
  const made = spawnSync(process.execPath, ["--import", "tsx", "scripts/demo.ts", "--pins-out", pinsFile], {
    cwd: root,
    env,
    stdio: "inherit",
  });
  if (made.status !== 0) process.exit(made.status ?? 1);
}

/** Newest modification time of a file or folder tree (node_modules and dist left out). */
function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let t = 0;
  for (const name of readdirSync(path)) {
    if (name !== "node_modules" && name !== "dist") t = Math.max(t, newest(join(path, name)));
  }
  return t;
}

// The help-seeker app (served at `/`) and the staff app (`/staff/`), built when missing or older than
// their sources or the pins. The demo's root is pinned, so no build needs trust on first use
// (BRIEFGEHEIM_TRUST_ON_FIRST_USE=1 in the environment still turns it on, for development).
const sources = Math.max(
  ...["client", "crypto", "protocol"].map((p) => newest(join(root, "packages", p, "src"))),
  newest(join(root, "scripts")), // the shared Vite plugins (SRI, release manifest)
  newest(pinsFile),
);
// What the last build by this script pinned: a build made otherwise since (say `npm run build` with
// other pins) counts as stale too.
const stamp = join(root, "data", "apps-built-with-pins.json");
const pins = existsSync(pinsFile) ? readFileSync(pinsFile, "utf8") : "{}";
const stampTime = existsSync(stamp) && readFileSync(stamp, "utf8") === pins ? statSync(stamp).mtimeMs : 0;
const stale = ["seeker", "staff"].some((app) => {
  const index = join(root, "apps", app, "dist", "index.html");
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return built < Math.max(sources, newest(join(root, "apps", app))) || built > stampTime + 60_000;
});
if (stale) {
  const built = spawnSync("npm", ["run", "--silent", "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...env, BRIEFGEHEIM_PINS_FILE: pinsFile },
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
  mkdirSync(dirname(stamp), { recursive: true });
  writeFileSync(stamp, pins);
}

console.log(`
Briefgeheim on ${env.ORIGIN}
  help-seeker app: ${env.ORIGIN}/
  staff app:       ${env.ORIGIN}/staff/
${demo ? "The demo is on; BRIEFGEHEIM_DEMO=off turns it off (a real deployment creates helplines with npm run admin).\n" : ""}`);
console.log(`Briefgeheim API on ${env.ORIGIN}/api (health: ${env.ORIGIN}/api/health). Stop with Ctrl+C.`);
const server = spawnSync(process.execPath, ["--import", "tsx", "apps/api/src/server.ts"], {
  cwd: root,
  env,
  stdio: "inherit",
});
process.exit(server.status ?? 0);
