import type { Reader } from "./codec.js";
import { CryptoError } from "./errors.js";
import { WIRE_VERSION, type WireType } from "./labels.js";

/** Reads `u8 version | u8 type` and refuses another version or another structure type. */
export function readStructureHeader(reader: Reader, type: WireType): void {
  const version = reader.u8();
  if (version !== WIRE_VERSION) {
    throw new CryptoError("UNSUPPORTED_VERSION", `structure version ${version} is not supported`);
  }
  const actual = reader.u8();
  if (actual !== type) {
    throw new CryptoError("WRONG_TYPE", `expected structure type ${type}, got ${actual}`);
  }
}
