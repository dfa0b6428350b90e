/**
 * Bench-only page (never part of an app), built by bench/attachments/browser.ts and served under the
 * API's CSP: encrypting a file in Chromium, the way bench/attachments/encrypt-runs.ts describes.
 */
import { type EncryptionResult, measureEncryption } from "../encrypt-runs.js";

export type PageResult = EncryptionResult & { readonly userAgent: string; readonly error?: string };

const params = new URLSearchParams(location.search);
const runs = Number(params.get("runs") ?? "5");
const size = Number(params.get("size") ?? "10000000");

const out = document.getElementById("out");
measureEncryption(size, runs).then(
  (result) => {
    (window as unknown as { __result: PageResult }).__result = { ...result, userAgent: navigator.userAgent };
    if (out !== null) out.textContent = "done";
  },
  (e: unknown) => {
    (window as unknown as { __result: Partial<PageResult> }).__result = { error: String(e) };
    if (out !== null) out.textContent = "failed";
  },
);
