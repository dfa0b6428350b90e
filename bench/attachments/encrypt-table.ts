/**
 * The encryption table of bench/attachments: the same measurement (encrypt-runs.ts) in headless
 * Chromium and in this Node process, one after the other in the same run, each figure beside its
 * floor (bare AEAD over the same bytes, same runtime, same run). Returns Markdown lines.
 */
import os from "node:os";
import { median } from "../../tests/browser/support/crypto-page.js";
import { encryptInChromium } from "./browser.js";
import { type EncryptionResult, measureEncryption } from "./encrypt-runs.js";

const ms = (xs: readonly number[]) =>
  `${median(xs).toFixed(0)} ms (${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)})`;

function row(where: string, r: EncryptionResult): string {
  const sdk = median(r.sdkMs);
  const floor = median(r.floorMs);
  const mbs = r.size / 1_000_000 / (sdk / 1000);
  return `| ${where} | ${ms(r.sdkMs)} | ${mbs.toFixed(0)} MB/s | ${ms(r.preparingMs)} | ${median(r.readHashMs).toFixed(0)} + ${median(r.readChunkMs).toFixed(0)} ms | ${ms(r.coreMs)} | ${ms(r.floorMs)} | ${(sdk / floor).toFixed(2)} |`;
}

/** Runs both (Chromium first, then Node) and returns the table with the load before and after. */
export async function encryptionTable(size: number, runs: number): Promise<string[]> {
  const loadBefore = os.loadavg();
  const chromium = await encryptInChromium(size, runs);
  const node = await measureEncryption(size, runs);
  const loadAfter = os.loadavg();
  if (!chromium.roundTrip || !node.roundTrip) {
    throw new Error("the encrypted file did not decrypt to the same bytes: the figures would mean nothing");
  }
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(" / ");
  return [
    `Encrypting ${size / 1_000_000} MB, median of ${runs} runs after one warm-up (min-max); load average (1/5/15 min) ${load(loadBefore)} before, ${load(loadAfter)} after; CSP violations in the page: ${chromium.cspViolations.length}`,
    "",
    "| where | SDK uploadAttachment, network left out | SDK rate | of which hashing | reading the Blob alone: 1 MiB slices + 64 KiB slices (medians) | crypto core steps alone, bytes in memory | floor: bare XChaCha20-Poly1305 (aeadSeal, nonce drawn once) per 64 KiB | SDK / floor |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    row(`Chromium ${chromium.version} (headless, wasm)`, chromium),
    row(`Node ${process.version} (wasm)`, node),
  ];
}
