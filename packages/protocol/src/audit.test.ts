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
    expect(await verifyAuditChain(entries)).toEqual({
      ok: true,
      lastHash: entries[2]!.hash,
      count: 3,
      prunedThrough: 0,
    });
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
    // A log that no longer starts at seq 1 needs a pruning checkpoint that names where it starts.
    expect(await verifyAuditChain([entries[1]!, entries[0]!])).toMatchObject({
      ok: false,
      index: 0,
      reason: "UNANCHORED_START",
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

describe("verifyAuditChain after pruning", () => {
  /** Entries 1..5, then a checkpoint (seq 6) naming entry 3, with 1..3 deleted: what the server keeps. */
  async function pruned(): Promise<{ all: AuditEntry[]; kept: AuditEntry[] }> {
    const contents = [base(1), base(2), base(3), base(4), base(5)];
    const firstFive = await chain(contents);
    const checkpoint: AuditContent = {
      ...base(6),
      actorKind: "operator",
      actorId: null,
      action: "audit-pruned",
      threadId: null,
      details: { prunedThrough: 3, prunedHeadHash: firstFive[2]!.hash, prunedCount: 3, before: 1 },
    };
    const all = await chain([...contents, checkpoint]);
    return { all, kept: all.slice(3) };
  }

  it("accepts a log that starts right after the pruned prefix its newest checkpoint names", async () => {
    const { all, kept } = await pruned();
    expect(await verifyAuditChain(kept)).toEqual({
      ok: true,
      lastHash: all[5]!.hash,
      count: 3,
      prunedThrough: 3,
    });
    // The unpruned log still verifies as before (a checkpoint in the middle is an ordinary entry).
    expect((await verifyAuditChain(all)).ok).toBe(true);
  });

  it("refuses a prefix removed without a checkpoint: UNANCHORED_START", async () => {
    const { all } = await pruned();
    expect(await verifyAuditChain(all.slice(1, 5))).toMatchObject({ ok: false, reason: "UNANCHORED_START" });
    // More removed than the checkpoint says (entry 4 silently dropped too).
    expect(await verifyAuditChain(all.slice(4))).toMatchObject({ ok: false, reason: "UNANCHORED_START" });
  });

  it("refuses a tampered checkpoint: BAD_HASH as stored, UNANCHORED_START or BAD_CHECKPOINT when re-hashed", async () => {
    const { all, kept } = await pruned();
    const edited = kept.map((e) =>
      e.action === "audit-pruned" ? { ...e, details: { ...e.details, prunedCount: 1 } } : e,
    );
    // Only the genuine chain's hash is stored with the entry: an edited checkpoint no longer matches it.
    expect(await verifyAuditChain(edited)).toMatchObject({ ok: false, reason: "BAD_HASH", index: 2 });
    // Re-hashed so the chain is consistent again, but naming another prefix: the start is not anchored.
    const rechained = await chain(
      all.map((e) =>
        e.action === "audit-pruned" ? { ...e, details: { ...e.details, prunedThrough: 2 } } : e,
      ),
    );
    expect(await verifyAuditChain(rechained.slice(3))).toMatchObject({
      ok: false,
      reason: "UNANCHORED_START",
    });
    // A checkpoint without its fields is not a checkpoint at all.
    const hollow = await chain(all.map((e) => (e.action === "audit-pruned" ? { ...e, details: {} } : e)));
    expect(await verifyAuditChain(hollow.slice(3))).toMatchObject({ ok: false, reason: "BAD_CHECKPOINT" });
    expect(await verifyAuditChain(hollow)).toMatchObject({ ok: false, reason: "BAD_CHECKPOINT", index: 5 });
  });
});
