/**
 * Writes the golden vectors to stdout (`npm run vectors` redirects them into vectors/golden.json).
 * packages/crypto may not touch the file system, not even in scripts, so the shell does the writing.
 * The vectors are checked before they are printed: a build that fails its own check prints nothing.
 */
import { loadSodium } from "../src/index.js";
import { buildGoldenVectors, checkGoldenVectors } from "../vectors/golden-vectors.js";

const sodium = await loadSodium();
const json = JSON.stringify(buildGoldenVectors(sodium), null, 2);
const failed = checkGoldenVectors(sodium, JSON.parse(json)).filter((c) => !c.ok);
if (failed.length > 0) {
  throw new Error(
    `golden vectors fail their own check: ${failed.map((c) => `${c.name}: ${c.detail}`).join("; ")}`,
  );
}
console.log(json);
