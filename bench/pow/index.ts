/**
 * Proof-of-work solve times in Node (the SDK's solver on libsodium, as browsers run it; and node:crypto,
 * as tests solve it) at the idle difficulty and at higher loads. Usage: npm run bench:pow
 * Chromium's figure comes from tests/browser/seeker-limits.test.ts (printed as `pow-solve-ms`).
 */
import { ProofOfWork, solvePow } from "@briefgeheim/api";
import { solvePowChallenge } from "@briefgeheim/client";
import { loadSodium } from "@briefgeheim/crypto";

const RUNS = Number(process.argv[2] ?? 40);
const sodium = await loadSodium();
const rows: string[] = [
  "| load (solutions/min) | maxnumber | SDK mean ms | SDK p95 ms | node:crypto mean ms |",
  "|---:|---:|---:|---:|---:|",
];
for (const load of [0, 300, 900, 1500]) {
  const pow = new ProofOfWork(async () => Buffer.alloc(32, 9), { load: () => load });
  const sdk: number[] = [];
  const node: number[] = [];
  let maxnumber = 0;
  for (let i = 0; i < RUNS; i++) {
    const c = await pow.issue("open-thread");
    maxnumber = c.maxnumber;
    let t = performance.now();
    await solvePowChallenge({ sodium }, c);
    sdk.push(performance.now() - t);
    t = performance.now();
    solvePow(c);
    node.push(performance.now() - t);
  }
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  const p95 = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length * 0.95)]!;
  rows.push(
    `| ${load} | ${maxnumber} | ${mean(sdk).toFixed(1)} | ${p95(sdk).toFixed(1)} | ${mean(node).toFixed(1)} |`,
  );
}
console.log(rows.join("\n"));
