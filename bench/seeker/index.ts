/**
 * Benchmark of the help-seeker app (`npm run bench:seeker`; run `npm run build` first): the bundle
 * sizes (scripts/measure-bundle.mjs) and the time from a code to its keys in Chromium (Argon2id
 * 64 MiB, ops 3, and the key split, exactly `deriveSeekerKeys` as the app's SDK calls it), next to
 * the same in Node in the same run. Prints Markdown for docs/PERFORMANCE.md.
 */
import { execFileSync } from "node:child_process";
import os from "node:os";
import { join } from "node:path";
import {
  deriveSeekerKeys,
  generateCode,
  type HelplineId,
  loadSodium,
  newId,
  systemRandom,
} from "@briefgeheim/crypto";
import { launchChromium } from "../../tests/browser/support/browser.js";
import { median, runCryptoPage, startCryptoPage } from "../../tests/browser/support/crypto-page.js";
import { ROOT_DIR } from "../../tests/support/api-world.js";

const RUNS = Number(process.env.RUNS ?? "10");

console.log(
  execFileSync(process.execPath, [join(ROOT_DIR, "scripts", "measure-bundle.mjs")], { encoding: "utf8" }),
);

// Node, for comparison (same machine, same run).
const sodium = await loadSodium();
const random = systemRandom(sodium);
const helplineId = newId<HelplineId>(sodium, random);
deriveSeekerKeys(sodium, generateCode(sodium, { helplineTag: 7, random }), helplineId); // warm-up
const node: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const code = generateCode(sodium, { helplineTag: 7, random });
  const t = performance.now();
  deriveSeekerKeys(sodium, code, helplineId);
  node.push(performance.now() - t);
}

const [browser, page] = await Promise.all([launchChromium(), startCryptoPage()]);
try {
  const result = await runCryptoPage(browser, page, RUNS);
  if (result.error !== undefined || result.failed.length > 0) {
    throw new Error(`crypto page failed: ${result.error ?? JSON.stringify(result.failed)}`);
  }
  const stats = (xs: number[]) =>
    `${median(xs).toFixed(0)} ms | ${Math.min(...xs).toFixed(0)} ms | ${Math.max(...xs).toFixed(0)} ms`;
  const version = (await browser.version()).split(".")[0];
  console.log(`code -> keys (Argon2id 64 MiB, ops 3, then the key split), ${RUNS} runs each`);
  console.log(`machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "?"}, Node ${process.version}\n`);
  console.log("| where | median | min | max |");
  console.log("| --- | ---: | ---: | ---: |");
  console.log(`| Chromium ${version} (headless, wasm) | ${stats(result.codeToKeysMs)} |`);
  console.log(`| Node ${process.version} (wasm) | ${stats(node)} |`);
  console.log(
    `\ngolden vectors in Chromium: ${result.checks} checks passed in ${result.goldenMs.toFixed(0)} ms` +
      ` (CSP violations: ${result.cspViolations.length})`,
  );
} finally {
  await browser.close();
  await page.close();
}
