/**
 * Test-only page (never part of the app): runs the crypto core's golden vectors inside the browser
 * and times code -> keys (Argon2id 64 MiB, ops 3, then the key split) the way the help-seeker app
 * does it. Built by tests/browser/support/crypto-page.ts and served under the API's CSP.
 */
import {
  deriveSeekerKeys,
  generateCode,
  type HelplineId,
  loadSodium,
  newId,
  SEEKER_ARGON2,
  systemRandom,
} from "@briefgeheim/crypto";
import { checkGoldenVectors } from "@briefgeheim/crypto/golden";
import vectors from "@briefgeheim/crypto/vectors";

export interface CryptoPageResult {
  readonly failed: { name: string; detail?: string }[];
  readonly checks: number;
  readonly goldenMs: number;
  readonly codeToKeysMs: number[];
  readonly argon2: { opsLimit: number; memLimitBytes: number };
  readonly error?: string;
}

const RUNS = Number(new URLSearchParams(location.search).get("runs") ?? "5");

async function run(): Promise<CryptoPageResult> {
  const sodium = await loadSodium();
  const t0 = performance.now();
  const checks = checkGoldenVectors(sodium, vectors);
  const goldenMs = performance.now() - t0;
  const random = systemRandom(sodium);
  const helplineId = newId<HelplineId>(sodium, random);
  const codeToKeysMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const code = generateCode(sodium, { helplineTag: 7, random });
    const start = performance.now();
    const keys = deriveSeekerKeys(sodium, code, helplineId);
    codeToKeysMs.push(performance.now() - start);
    keys.draftKey.fill(0);
  }
  return {
    failed: checks.filter((c) => !c.ok).map((c) => ({ name: c.name, detail: c.detail })),
    checks: checks.length,
    goldenMs,
    codeToKeysMs,
    argon2: { ...SEEKER_ARGON2 },
  };
}

const out = document.getElementById("out");
run().then(
  (result) => {
    (window as unknown as { __result: CryptoPageResult }).__result = result;
    if (out !== null) out.textContent = "done";
  },
  (e: unknown) => {
    (window as unknown as { __result: Partial<CryptoPageResult> }).__result = { error: String(e) };
    if (out !== null) out.textContent = "failed";
  },
);
