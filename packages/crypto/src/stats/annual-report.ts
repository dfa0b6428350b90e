import type { HelplineId, SignPublicKey, SignSecretKey } from "../core/brand.js";
import { samePublicBytes } from "../core/byte-order.js";
import { concat, Reader, Writer } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";
import { ID_BYTES, idFromBytes, idToBytes } from "../core/ids.js";
import { ANNUAL_REPORT } from "../core/labels.js";
import { signWithLabel, verifyWithLabel } from "../core/sign.js";
import type { Sodium } from "../core/sodium.js";
import type { Roster } from "../core/types.js";

const SIGNATURE_BYTES = 64;
/** The report's content is small aggregates: a generous bound on its JSON text. */
export const ANNUAL_REPORT_MAX_CONTENT_BYTES = 16 * 1024;

/** A helpline's published annual report (type 0x0a) as signed. */
export interface AnnualReport {
  readonly helplineId: HelplineId;
  readonly year: number;
  /** The roster version the signer was a supervisor on. */
  readonly rosterVersion: number;
  readonly issuedAt: number;
  /** The aggregates as canonical JSON (their shape: `annualReportContentSchema` in packages/protocol). */
  readonly content: string;
  readonly signerPk: SignPublicKey;
  readonly signature: Uint8Array;
}

/** `u8 0x02 | u8 0x0a | helplineId[16] | u16 year | u32 rosterVersion | u64 issuedAt | str content | signerPk[32]`. */
function body(sodium: Sodium, r: Omit<AnnualReport, "signature">): Uint8Array {
  const content = new TextEncoder().encode(r.content);
  if (content.length > ANNUAL_REPORT_MAX_CONTENT_BYTES)
    throw new CryptoError("TOO_LARGE", "report content too long");
  if (!Number.isInteger(r.year) || r.year < 2000 || r.year > 9999)
    throw new CryptoError("MALFORMED", "year out of range");
  return new Writer()
    .u8(ANNUAL_REPORT.version)
    .u8(ANNUAL_REPORT.type)
    .fixed(idToBytes(sodium, r.helplineId), ID_BYTES)
    .u16(r.year)
    .u32(r.rosterVersion)
    .u64(r.issuedAt)
    .bytes(content)
    .fixed(r.signerPk, 32)
    .finish();
}

/**
 * Signs a helpline's annual report with a supervisor's signing key (docs/PROTOCOL.md §13). The caller
 * suppresses small counts first (`suppressAnnualReport` in packages/protocol); the signature covers
 * exactly what is published.
 *
 * @example
 * const bytes = signAnnualReport(sodium, { helplineId, year: 2026, rosterVersion: 4, issuedAt: Date.now(), content }, me.signing);
 */
export function signAnnualReport(
  sodium: Sodium,
  report: Omit<AnnualReport, "signature" | "signerPk">,
  signer: { readonly publicKey: SignPublicKey; readonly secretKey: SignSecretKey },
): Uint8Array {
  const b = body(sodium, { ...report, signerPk: signer.publicKey });
  return concat(b, signWithLabel(sodium, ANNUAL_REPORT.label, b, signer.secretKey));
}

/** Parses a report: `UNSUPPORTED_VERSION`, `WRONG_TYPE`, `MALFORMED`. No signature check. */
export function parseAnnualReport(sodium: Sodium, bytes: Uint8Array): AnnualReport {
  const r = new Reader(bytes);
  const version = r.u8();
  if (version !== ANNUAL_REPORT.version)
    throw new CryptoError("UNSUPPORTED_VERSION", `annual report version ${version} is not supported`);
  const type = r.u8();
  if (type !== ANNUAL_REPORT.type)
    throw new CryptoError("WRONG_TYPE", `expected an annual report, got type ${type}`);
  const helplineId = idFromBytes<HelplineId>(sodium, r.fixed(ID_BYTES));
  const year = r.u16();
  const rosterVersion = r.u32();
  const issuedAt = r.u64();
  const content = r.str(ANNUAL_REPORT_MAX_CONTENT_BYTES);
  const signerPk = r.fixed(32) as SignPublicKey;
  const signature = r.fixed(SIGNATURE_BYTES);
  r.end();
  return { helplineId, year, rosterVersion, issuedAt, content, signerPk, signature };
}

/**
 * Verifies a report: it parses, names `expected.helplineId` and `expected.year` (`WRONG_CONTEXT`),
 * relies on a roster of the verified chain no newer than its newest (`ROSTER_ROLLBACK` otherwise), is
 * signed by a supervisor of that roster AND of `expected.newest`, the newest roster the verifier holds
 * (`SIGNER_NOT_ALLOWED`: the report names its roster version itself, so a supervisor removed or demoted
 * since could otherwise keep signing reports that name an older roster), and the signature holds
 * (`BAD_SIGNATURE`). A report signed by a supervisor who has left since is refused too: a current
 * supervisor signs the year again.
 *
 * @example
 * const report = verifyAnnualReport(sodium, bytes, { helplineId, year: 2026, rosters: (v) => byVersion.get(v), newest });
 */
export function verifyAnnualReport(
  sodium: Sodium,
  bytes: Uint8Array,
  expected: {
    readonly helplineId: HelplineId;
    readonly year?: number;
    readonly rosters: (version: number) => Roster | undefined;
    /** The newest roster of the verified chain (from the pinned root). */
    readonly newest: Roster;
  },
): AnnualReport {
  const report = parseAnnualReport(sodium, bytes);
  if (
    report.helplineId !== expected.helplineId ||
    (expected.year !== undefined && report.year !== expected.year)
  ) {
    throw new CryptoError("WRONG_CONTEXT", "the report belongs to another helpline or year");
  }
  const roster = expected.rosters(report.rosterVersion);
  if (roster === undefined || report.rosterVersion > expected.newest.version)
    throw new CryptoError("ROSTER_ROLLBACK", "the report relies on an unknown roster");
  const supervisorOn = (r: Roster) =>
    r.members.some((m) => m.role === "supervisor" && samePublicBytes(m.signPk, report.signerPk));
  if (!supervisorOn(roster)) {
    throw new CryptoError("SIGNER_NOT_ALLOWED", "an annual report is signed by a supervisor of the helpline");
  }
  if (!supervisorOn(expected.newest)) {
    throw new CryptoError(
      "SIGNER_NOT_ALLOWED",
      `the signer is no longer a supervisor on the newest roster (${expected.newest.version})`,
    );
  }
  verifyWithLabel(
    sodium,
    ANNUAL_REPORT.label,
    bytes.subarray(0, bytes.length - SIGNATURE_BYTES),
    report.signature,
    report.signerPk,
  );
  return report;
}
