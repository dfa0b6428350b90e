import { describe, expect, it } from "vitest";
import {
  AUDIT_GENESIS_HASH,
  type AuditContent,
  type AuditEntry,
  auditHashInput,
  base64UrlToBytes,
  bytesToBase64Url,
  canonicalJson,
  sha256,
  verifyAuditChain,
} from "./audit.js";

async function chain(contents: AuditContent[]): Promise<AuditEntry[]> {
  let prev: Uint8Array = AUDIT_GENESIS_HASH;
  const out: AuditEntry[] = [];
  for (const c of contents) {
    const hash = await sha256(auditHashInput(prev, c));
    out.push({ ...c, prevHash: bytesToBase64Url(prev), hash: bytesToBase64Url(hash) });
    prev = hash;
  }
  return out;
}

const base = (seq: number): AuditContent => ({
  helplineId: "AAAAAAAAAAAAAAAAAAAAAA",
  seq,
  at: 1_800_000_000_000 + seq,
  actorKind: "staff",
  actorId: "BBBBBBBBBBBBBBBBBBBBBA",
  action: "claim",
  threadId: "CCCCCCCCCCCCCCCCCCCCCA",
  subjectId: null,
  details: { epoch: seq, readers: ["x", "y"] },
});

describe("canonicalJson", () => {
  it("sorts keys recursively, no whitespace, drops undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null, "é"], c: undefined } })).toBe(
      '{"a":{"d":[true,null,"é"]},"b":1}',
    );
    expect(() => canonicalJson({ x: Number.NaN })).toThrow();
  });
});

describe("verifyAuditChain", () => {
  it("accepts a chain built with SHA-256(prevHash || canonical JSON) (the server computes it with node:crypto; apps/api tests cross-check)", async () => {
    const entries = await chain([base(1), base(2), base(3)]);
    expect(await verifyAuditChain(entries)).toEqual({ ok: true, lastHash: entries[2]!.hash, count: 3 });
    expect(
      await verifyAuditChain(entries.slice(1), { after: { hash: entries[0]!.hash, seq: 1 } }),
    ).toMatchObject({
      ok: true,
    });
  });

  it("reports altered content, dropped, reordered and foreign entries", async () => {
    const entries = await chain([base(1), base(2), base(3)]);
    const altered = entries.map((e, i) => (i === 1 ? { ...e, details: { epoch: 99 } } : e));
    expect(await verifyAuditChain(altered)).toMatchObject({ ok: false, index: 1, reason: "BAD_HASH" });
    expect(await verifyAuditChain([entries[0]!, entries[2]!])).toMatchObject({
      ok: false,
      index: 1,
      reason: "SEQ_GAP",
    });
    expect(await verifyAuditChain([entries[1]!, entries[0]!])).toMatchObject({
      ok: false,
      index: 0,
      reason: "SEQ_GAP",
    });
    const relinked = entries.map((e, i) => (i === 2 ? { ...e, prevHash: entries[0]!.hash } : e));
    expect(await verifyAuditChain(relinked)).toMatchObject({ ok: false, index: 2, reason: "BROKEN_LINK" });
    const foreign = entries.map((e, i) => (i === 1 ? { ...e, helplineId: "DDDDDDDDDDDDDDDDDDDDDA" } : e));
    expect(await verifyAuditChain(foreign)).toMatchObject({ ok: false, index: 1, reason: "WRONG_HELPLINE" });
    expect(await verifyAuditChain([])).toMatchObject({ ok: true, count: 0 });
  });

  it("base64url round-trips", () => {
    const bytes = new Uint8Array([0, 255, 62, 63, 64, 1]);
    expect(base64UrlToBytes(bytesToBase64Url(bytes))).toEqual(bytes);
    expect(() => base64UrlToBytes("a+b")).toThrow();
  });
});
