/**
 * Loads the SDK chunk on demand (dynamic import: libsodium is not part of the first screen). The app
 * starts loading it right after the first paint, so that by the time someone types a code, checking
 * it needs no request at all.
 */
type Sdk = typeof import("./index.js");

let loading: Promise<Sdk> | undefined;

export function loadSdk(): Promise<Sdk> {
  loading ??= import("./index.js").catch((e: unknown) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

/** The error code of anything the SDK throws (`ClientError.code`), without loading the SDK. */
export function errorCode(e: unknown): string {
  if (typeof e === "object" && e !== null && "code" in e && typeof e.code === "string") return e.code;
  return "UNKNOWN";
}
