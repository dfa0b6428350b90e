import { describe, expect, it } from "vitest";
import type { BoxPublicKey, MemberId, SignPublicKey } from "../core/brand.js";
import { loadSodium } from "../core/sodium.js";
import type { Envelope, RosterMember, ThreadEvent } from "../core/types.js";
import { checkThreadEvent } from "./thread-event-rules.js";
import type { ThreadEpoch } from "./verify-thread.js";

// Mutation tests (issue 8, docs/PROTOCOL.md §12): a handover that names a reader of the epoch whom the
// epoch's roster does not list under that id and key (a record and roster that disagree, as a hostile
// server might pair them). Only the fields checkThreadEvent reads are filled in.
const sodium = await loadSodium();
const key = (n: number) => new Uint8Array(32).fill(n) as SignPublicKey;
const id = (c: string) => c.repeat(22) as MemberId;
const sup: RosterMember = {
  memberId: id("S"),
  role: "supervisor",
  intakeReader: false,
  signPk: key(1),
  boxPk: key(11) as unknown as BoxPublicKey,
  displayName: "Sanne",
};
const bram = { memberId: id("B"), signPk: key(2), displayName: "Bram" };
const event: ThreadEvent = { type: "handover", ...bram };
const bySupervisor = { epoch: 1, senderSignPk: sup.signPk } as Envelope;
const epoch = (roster: RosterMember[]): ThreadEpoch => ({
  readers: [
    {
      kind: "staff",
      memberId: bram.memberId,
      signPk: bram.signPk,
      boxPk: key(12) as unknown as BoxPublicKey,
    },
  ],
  roster,
});
const asMember = (signPk: SignPublicKey): RosterMember => ({
  ...sup,
  role: "counsellor",
  memberId: bram.memberId,
  signPk,
  displayName: bram.displayName,
});
const reasons = (e: ThreadEpoch) =>
  checkThreadEvent(sodium, 4, bySupervisor, event, e).map((p) => `${p.reason}@${p.index}`);

describe("checkThreadEvent: the named reader against the epoch's roster", () => {
  it("a supervisor's handover to a reader the roster lists under the same id, key and name passes", () => {
    expect(reasons(epoch([sup, asMember(bram.signPk)]))).toEqual([]);
  });

  it("a reader the epoch's roster does not list: EVENT_NOT_A_READER", () => {
    expect(reasons(epoch([sup]))).toEqual(["EVENT_NOT_A_READER@4"]);
  });

  it("a reader the roster lists under that id with another key: EVENT_NOT_A_READER", () => {
    expect(reasons(epoch([sup, asMember(key(9))]))).toEqual(["EVENT_NOT_A_READER@4"]);
  });
});
