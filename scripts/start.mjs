// `npm start`: install if needed, migrate the embedded database, create a demo helpline on first run
// (unless BRIEFGEHEIM_DEMO=off), build the browser apps when their sources or the pins changed, then run
// the API server in the foreground. What it prints reads well on a first run: one line per step, build
// output only when the build fails, and the addresses and demo sign-ins last, once the server listens.
// The server's own log lines (JSON, one per request) go to data/server.log; warnings and errors still
// show here. A real deployment runs the server under systemd instead (docs/DEPLOY.md).
import { spawn, spawnSync } from "node:child_process";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureDeps } from "./ensure-deps.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
ensureDeps(root);

const port = process.env.PORT ?? "8787";
const env = { ...process.env, PORT: port, ORIGIN: process.env.ORIGIN ?? `http://localhost:${port}` };
const demo = process.env.BRIEFGEHEIM_DEMO !== "off";
const data = join(root, "data");
mkdirSync(data, { recursive: true });

/** Runs a step with its output held back; prints it (and stops) only when the step fails. */
function quietly(what, command, args, extraEnv = {}) {
  const r = spawnSync(command, args, { cwd: root, env: { ...env, ...extraEnv }, encoding: "utf8" });
  if (r.status === 0) return r.stdout;
  process.stderr.write(`${r.stdout ?? ""}${r.stderr ?? ""}`);
  console.error(`\nBriefgeheim: ${what} failed (output above).`);
  process.exit(r.status ?? 1);
}

// The pins the apps are built with: config/pins.json (the operator's, written by
// `npm run admin -- helpline pin <slug>`; docs/DEPLOY.md), plus, with the demo on, the demo helpline's
// root. scripts/demo.ts migrates the database, on an empty one creates the demo helpline, its root key,
// a supervisor and a counsellor through packages/client (as a browser would), prints the demo sign-ins
// (held back here and shown last), and writes the merged pins to data/pins.build.json.
let pinsFile = join(root, "config", "pins.json");
let demoText = "";
if (demo) {
  pinsFile = join(data, "pins.build.json");
  console.log("Briefgeheim: preparing the database and the demo helpline...");
  demoText = quietly("the demo set-up", process.execPath, [
    "--import",
    "tsx",
    "scripts/demo.ts",
    "--pins-out",
    pinsFile,
  ]);
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

// The help-seeker app (served at `/`) and the staff app (`/staff/`), built when missing, older than
// their sources, or built with other pins than the pins file holds now (a helpline pinned since, or a
// build made otherwise, say `npm run build` with other pins). The demo's root is pinned, so no build
// needs trust on first use (BRIEFGEHEIM_TRUST_ON_FIRST_USE=1 in the environment still turns it on, for
// development).
const sources = Math.max(
  ...["client", "crypto", "protocol", "ui"].map((p) => newest(join(root, "packages", p, "src"))),
  newest(join(root, "scripts")), // the shared Vite plugins (SRI, release manifest)
);
const stamp = join(data, "apps-built-with-pins.json");
const pins = existsSync(pinsFile) ? readFileSync(pinsFile, "utf8") : "{}";
const pinsChanged = !existsSync(stamp) || readFileSync(stamp, "utf8") !== pins;
const stampTime = pinsChanged ? 0 : statSync(stamp).mtimeMs;
const stale = ["seeker", "staff"].some((app) => {
  const index = join(root, "apps", app, "dist", "index.html");
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return built < Math.max(sources, newest(join(root, "apps", app))) || built > stampTime + 60_000;
});
if (stale) {
  const why = existsSync(stamp) && pinsChanged ? "the pins changed" : "first run or changed sources";
  console.log(`Briefgeheim: building the apps (${why}; about a minute)...`);
  quietly("the build", "npm", ["run", "--silent", "build"], { BRIEFGEHEIM_PINS_FILE: pinsFile });
  writeFileSync(stamp, pins);
}

console.log("Briefgeheim: starting the server...");
const logFile = join(data, "server.log");
const server = spawn(process.execPath, ["--import", "tsx", "apps/api/src/server.ts"], {
  cwd: root,
  env,
  stdio: ["ignore", "pipe", "inherit"],
});
let pending = "";
let listening = false;
server.stdout.setEncoding("utf8");
server.stdout.on("data", (chunk) => {
  appendFileSync(logFile, chunk);
  if (listening) return;
  pending += chunk;
  for (const line of pending.split("\n")) {
    if (!line.includes('"event":"listening"')) continue;
    listening = true;
    pending = "";
    printBanner(JSON.parse(line).port);
    return;
  }
});

/** The addresses and the demo sign-ins: the last thing a first run prints. */
function printBanner(boundPort) {
  const origin = process.env.ORIGIN ?? `http://localhost:${boundPort}`;
  const lines = [
    "",
    `Briefgeheim is running on ${origin}`,
    `  help-seeker app: ${origin}/`,
    `  staff app:       ${origin}/staff/`,
    `  API:             ${origin}/api (health: ${origin}/api/health)`,
    `  server log:      ${logFile.slice(root.length + 1)} (warnings and errors also here)`,
    "Stop with Ctrl+C.",
  ];
  if (demo) {
    lines.push(
      "",
      "The demo is on (BRIEFGEHEIM_DEMO=off turns it off; a real deployment: docs/DEPLOY.md).",
      ...demoText.trimEnd().split("\n"),
    );
  }
  console.log(lines.join("\n"));
}

// Ctrl+C reaches the server too (same process group); wait for it to stop cleanly.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => server.kill(signal));
}
server.on("exit", (code, signal) => {
  if (!listening && code !== 0) console.error(`Briefgeheim: the server stopped (see ${logFile}).`);
  process.exit(code ?? (signal ? 0 : 1));
});
